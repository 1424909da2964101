//! The real binary as the executable of the official Python Agent SDK (`claude-agent-sdk` from PyPI, through
//! `sdk/scenarios.py`): each scenario of `sdk_scenarios`, through that SDK.

use crate::sdk_scenarios::{Sdk, sdk_tests};

sdk_tests!(Sdk::Python);
