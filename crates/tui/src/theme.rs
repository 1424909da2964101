//! Colours and text styles, in one of three palettes (`/theme`): dark (the default), light, and colour-blind
//! friendly (blue and orange where the others use green and red). Under `NO_COLOR` every style keeps its
//! modifiers (bold, italic, reverse, underline) but loses its colours, so states stay distinguishable
//! without colour. Widgets take every colour from here, so a palette applies everywhere.

use ratatui::style::{Color, Modifier, Style};

/// A palette the user can choose with `/theme` or `[ui] theme` in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    /// Blue for additions and success, orange for removals and errors: told apart without red-green vision.
    ColorBlind,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::ColorBlind];

    /// The name as `/theme` and the config file spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::ColorBlind => "colorblind",
        }
    }

    /// A palette by name (any case; `colourblind` and `color-blind` too).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "colorblind" | "colourblind" => Some(ThemeName::ColorBlind),
            _ => None,
        }
    }

    /// One line for the picker.
    pub fn description(self) -> &'static str {
        match self {
            ThemeName::Dark => "Light text on a dark terminal",
            ThemeName::Light => "Dark text on a light terminal",
            ThemeName::ColorBlind => "Blue and orange instead of green and red",
        }
    }
}

/// The colours of one palette.
struct Palette {
    text: Color,
    dim: Color,
    accent: Color,
    user_marker: Color,
    tool: Color,
    heading: Color,
    code: Color,
    link: Color,
    success: Color,
    warning: Color,
    error: Color,
    added: Color,
    removed: Color,
    added_line: Color,
    removed_line: Color,
    added_word: Color,
    removed_word: Color,
}

const DARK: Palette = Palette {
    text: Color::White,
    dim: Color::DarkGray,
    accent: Color::Cyan,
    user_marker: Color::Magenta,
    tool: Color::LightBlue,
    heading: Color::LightCyan,
    code: Color::LightYellow,
    link: Color::Blue,
    success: Color::Green,
    warning: Color::Yellow,
    error: Color::Red,
    added: Color::Green,
    removed: Color::Red,
    added_line: Color::Rgb(22, 52, 32),
    removed_line: Color::Rgb(64, 24, 28),
    added_word: Color::Rgb(38, 110, 60),
    removed_word: Color::Rgb(140, 40, 52),
};

const LIGHT: Palette = Palette {
    text: Color::Black,
    dim: Color::Gray,
    accent: Color::Blue,
    user_marker: Color::Magenta,
    tool: Color::Blue,
    heading: Color::Blue,
    code: Color::Rgb(150, 60, 0),
    link: Color::Blue,
    success: Color::Rgb(0, 120, 40),
    warning: Color::Rgb(160, 100, 0),
    error: Color::Rgb(190, 20, 30),
    added: Color::Rgb(0, 120, 40),
    removed: Color::Rgb(190, 20, 30),
    added_line: Color::Rgb(218, 250, 226),
    removed_line: Color::Rgb(255, 226, 228),
    added_word: Color::Rgb(150, 228, 170),
    removed_word: Color::Rgb(250, 170, 178),
};

const COLOR_BLIND: Palette = Palette {
    text: Color::White,
    dim: Color::DarkGray,
    accent: Color::Cyan,
    user_marker: Color::Magenta,
    tool: Color::LightBlue,
    heading: Color::LightCyan,
    code: Color::LightYellow,
    link: Color::LightBlue,
    success: Color::Rgb(90, 160, 255),
    warning: Color::Yellow,
    error: Color::Rgb(255, 150, 40),
    added: Color::Rgb(90, 160, 255),
    removed: Color::Rgb(255, 150, 40),
    added_line: Color::Rgb(18, 40, 84),
    removed_line: Color::Rgb(84, 46, 8),
    added_word: Color::Rgb(34, 84, 168),
    removed_word: Color::Rgb(168, 92, 16),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Theme {
    name: ThemeName,
    color: bool,
}

impl Theme {
    /// The dark palette, or no colour when the `NO_COLOR` environment variable is set to anything non-empty.
    pub fn from_env() -> Self {
        Self::colored().with_env_color()
    }

    /// `name`'s palette, without colour when `NO_COLOR` is set.
    pub fn named(name: ThemeName) -> Self {
        Self { name, color: true }.with_env_color()
    }

    fn with_env_color(self) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self { color: self.color && !no_color, ..self }
    }

    pub fn colored() -> Self {
        Self { name: ThemeName::Dark, color: true }
    }

    pub fn monochrome() -> Self {
        Self { name: ThemeName::Dark, color: false }
    }

    /// The same colour setting with another palette.
    pub fn with_name(self, name: ThemeName) -> Self {
        Self { name, ..self }
    }

    pub fn name(self) -> ThemeName {
        self.name
    }

    pub fn has_color(self) -> bool {
        self.color
    }

    fn palette(self) -> &'static Palette {
        match self.name {
            ThemeName::Dark => &DARK,
            ThemeName::Light => &LIGHT,
            ThemeName::ColorBlind => &COLOR_BLIND,
        }
    }

    /// A style with `color` as foreground, or no colour under `NO_COLOR`.
    pub fn fg(self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    /// A style with `color` as background, or no colour under `NO_COLOR`.
    fn bg(self, color: Color) -> Style {
        if self.color { Style::new().bg(color) } else { Style::new() }
    }

    pub fn plain(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        self.fg(self.palette().dim)
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn accent(self) -> Style {
        self.fg(self.palette().accent)
    }

    pub fn user(self) -> Style {
        self.fg(self.palette().text).add_modifier(Modifier::BOLD)
    }

    pub fn user_marker(self) -> Style {
        self.fg(self.palette().user_marker).add_modifier(Modifier::BOLD)
    }

    pub fn assistant_marker(self) -> Style {
        self.accent()
    }

    pub fn thinking(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    pub fn tool_name(self) -> Style {
        self.fg(self.palette().tool).add_modifier(Modifier::BOLD)
    }

    pub fn success(self) -> Style {
        self.fg(self.palette().success)
    }

    pub fn warning(self) -> Style {
        self.fg(self.palette().warning)
    }

    pub fn error(self) -> Style {
        self.fg(self.palette().error).add_modifier(Modifier::BOLD)
    }

    pub fn heading(self) -> Style {
        self.fg(self.palette().heading).add_modifier(Modifier::BOLD)
    }

    pub fn inline_code(self) -> Style {
        self.fg(self.palette().code)
    }

    pub fn link(self) -> Style {
        self.fg(self.palette().link).add_modifier(Modifier::UNDERLINED)
    }

    pub fn quote(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    /// The `+` sign and count of added lines.
    pub fn diff_added(self) -> Style {
        self.fg(self.palette().added)
    }

    /// The `-` sign and count of removed lines.
    pub fn diff_removed(self) -> Style {
        self.fg(self.palette().removed)
    }

    pub fn diff_hunk(self) -> Style {
        self.accent()
    }

    /// The background of a whole added line.
    pub fn diff_added_line(self) -> Style {
        self.bg(self.palette().added_line)
    }

    /// The background of a whole removed line.
    pub fn diff_removed_line(self) -> Style {
        self.bg(self.palette().removed_line)
    }

    /// The words that changed inside an added line: a stronger background, or underlined without colour.
    pub fn diff_added_word(self) -> Style {
        if self.color {
            self.bg(self.palette().added_word)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    /// The words that changed inside a removed line.
    pub fn diff_removed_word(self) -> Style {
        if self.color {
            self.bg(self.palette().removed_word)
        } else {
            Style::new().add_modifier(Modifier::CROSSED_OUT)
        }
    }

    /// The line numbers beside a diff.
    pub fn diff_gutter(self) -> Style {
        self.dim()
    }

    /// The rules above and below a code block.
    pub fn code_frame(self) -> Style {
        self.dim()
    }

    /// Whether code is highlighted for a light background.
    pub fn is_light(self) -> bool {
        self.name == ThemeName::Light
    }

    /// The selected row of a menu: reversed so it shows without colour too.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn modal_border(self) -> Style {
        self.warning().add_modifier(Modifier::BOLD)
    }

    /// The frame of a modal (an approval, a picker, a panel): bordered, with `title` in the border's style.
    pub fn modal_block<'a>(self, title: impl Into<std::borrow::Cow<'a, str>>) -> ratatui::widgets::Block<'a> {
        ratatui::widgets::Block::default()
            .borders(ratatui::widgets::Borders::ALL)
            .border_style(self.modal_border())
            .title(ratatui::text::Span::styled(title, self.modal_border()))
    }

    pub fn status(self) -> Style {
        self.dim()
    }

    pub fn mode(self, mode: claurst_protocol::PermissionMode) -> Style {
        use claurst_protocol::PermissionMode::*;
        let palette = self.palette();
        let color = match mode {
            Default => return self.dim(),
            AcceptEdits => palette.user_marker,
            Plan => palette.accent,
            BypassPermissions => palette.error,
            DontAsk => palette.warning,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }
}
