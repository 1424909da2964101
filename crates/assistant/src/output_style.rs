//! The output style: the system prompt section on how to answer, switchable between requests.

use crate::agent::Agent;
use crate::config::AgentConfig;
use claurst_extensions::styles::{self, DEFAULT_STYLE, OutputStyle};

/// The configured style, and a notice when the configured name is unknown.
pub(crate) fn initial_style(config: &AgentConfig) -> (OutputStyle, Option<String>) {
    let wanted =
        if config.output_style.trim().is_empty() { DEFAULT_STYLE } else { config.output_style.trim() };
    let styles = &config.extensions.styles;
    match styles::find(styles, wanted).or_else(|| styles::find(styles, DEFAULT_STYLE)) {
        Some(style) => {
            let notice = (!style.name.eq_ignore_ascii_case(wanted)).then(|| {
                format!("Unknown output style `{wanted}` ([ui] output_style); using `{}`", style.name)
            });
            (style.clone(), notice)
        }
        None => (OutputStyle { name: DEFAULT_STYLE.to_string(), ..OutputStyle::default() }, None),
    }
}

impl Agent {
    /// The system prompt of the next request to `selection`: the fixed sections, then the style, the MCP servers' notes and
    /// the permission mode as they are now (system_prompt/mod.rs).
    pub(crate) fn system_sections(&self, selection: &crate::provider::Selection) -> Vec<String> {
        let style = self.style.lock().map(|style| style.instructions.clone()).unwrap_or_default();
        let mcp_servers = self.mcp.as_ref().map(|mcp| mcp.manager.instructions()).unwrap_or_default();
        let environment = self.environment_section();
        let state = crate::system_prompt::PromptState {
            family: crate::system_prompt::ModelFamily::of(&selection.provider, &selection.model),
            environment: &environment,
            style: &style,
            mcp_servers: &mcp_servers,
            mode: self.permission_mode(),
            approval: &self.config.approval,
        };
        self.system.sections(&state)
    }

    /// The output style in use.
    pub fn output_style(&self) -> String {
        self.style.lock().map(|style| style.name.clone()).unwrap_or_default()
    }

    /// Use the style called `name` from the next request on; returns its name as defined, or the names
    /// to choose from.
    pub fn set_output_style(&self, name: &str) -> Result<String, String> {
        let styles = &self.config.extensions.styles;
        let Some(style) = styles::find(styles, name.trim()) else {
            let names: Vec<&str> = styles.iter().map(|style| style.name.as_str()).collect();
            return Err(format!("There is no output style `{}`. Styles: {}.", name.trim(), names.join(", ")));
        };
        if let Ok(mut current) = self.style.lock() {
            *current = style.clone();
        }
        Ok(style.name.clone())
    }
}
