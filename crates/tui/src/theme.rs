//! Colours and text styles. Under `NO_COLOR` every style keeps its modifiers (bold, italic, reverse) but
//! loses its colours, so states stay distinguishable without colour.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colour unless the `NO_COLOR` environment variable is set to anything non-empty.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self { color: !no_color }
    }

    pub fn colored() -> Self {
        Self { color: true }
    }

    pub fn monochrome() -> Self {
        Self { color: false }
    }

    pub fn has_color(self) -> bool {
        self.color
    }

    /// A style with `color` as foreground, or no colour under `NO_COLOR`.
    pub fn fg(self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn plain(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn user(self) -> Style {
        self.fg(Color::White).add_modifier(Modifier::BOLD)
    }

    pub fn user_marker(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    pub fn assistant_marker(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn thinking(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    pub fn tool_name(self) -> Style {
        self.fg(Color::LightBlue).add_modifier(Modifier::BOLD)
    }

    pub fn success(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warning(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn heading(self) -> Style {
        self.fg(Color::LightCyan).add_modifier(Modifier::BOLD)
    }

    pub fn inline_code(self) -> Style {
        self.fg(Color::LightYellow)
    }

    pub fn link(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }

    pub fn quote(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    pub fn diff_added(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn diff_removed(self) -> Style {
        self.fg(Color::Red)
    }

    pub fn diff_hunk(self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The selected row of a menu: reversed so it shows without colour too.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn modal_border(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn status(self) -> Style {
        self.dim()
    }

    pub fn mode(self, mode: claurst_protocol::PermissionMode) -> Style {
        use claurst_protocol::PermissionMode::*;
        let color = match mode {
            Default => return self.dim(),
            AcceptEdits => Color::Magenta,
            Plan => Color::Cyan,
            BypassPermissions => Color::Red,
            DontAsk => Color::Yellow,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }
}
