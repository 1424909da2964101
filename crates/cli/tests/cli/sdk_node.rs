//! The real binary as the executable of the official TypeScript Agent SDK (`@anthropic-ai/claude-agent-sdk`
//! from npm, run by Node through `sdk/scenarios.mjs`): each scenario of `sdk_scenarios`, through that SDK.

use crate::sdk_scenarios::{Sdk, sdk_tests};

sdk_tests!(Sdk::TypeScript);
