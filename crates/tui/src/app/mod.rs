//! The state of the interactive session as the user sees it. It changes only through agent events and
//! terminal input, and tells the event loop what to do through `Effect`s; it never reaches into the agent.

mod agent_events;
mod agents;
mod extensions;
mod history;
mod images;
mod info;
mod interactions;
mod keys;
mod mcp;
mod models;
mod rewind;
mod run_control;
mod settings;
mod slash;
mod statusline;
mod subagents;
mod theme;
mod vim;
mod web_search;
mod worktrees;

use crate::TuiOptions;
use crate::commands::{BUILT_IN, SlashCommand};
use crate::completion::FileIndex;
use crate::composer::{Composer, History};
use crate::theme::Theme;
use crate::transcript::{Cell, NoticeKind, Transcript};
use crate::widgets::approval::ApprovalModal;
use crate::widgets::popup::Popup;
use crate::widgets::status::StatusInfo;
use claurst_protocol::{Op, TodoItem, Usage};
use std::collections::{HashMap, VecDeque};
use std::time::Instant;

/// What the event loop must do after the app handled something.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send(Op),
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Open this file in the user's `$EDITOR`, suspending the interface meanwhile.
    EditFile(std::path::PathBuf),
    /// Ctrl+V: read the clipboard's image off the event loop (the clipboard program may take seconds);
    /// what it held comes back through `App::clipboard_image_read`.
    ReadClipboardImage,
    Quit,
}

/// What the bottom pane shows, and so where keys go. Decided here once, for both drawing and key handling.
///
/// Tool approvals come first: the running turn waits on them, while a server awaiting trust only stays
/// stopped, and a keypress meant for a tool approval must never answer a trust question it did not see.
/// Trust comes before the pickers and panels the user opened, which return once it is answered. A drafted
/// agent's review comes before `/agents`, from which it may have been asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BottomView {
    Approval,
    /// The model's questions or its plan, waiting for the user.
    Interaction,
    McpTrust,
    AgentReview,
    SessionPicker,
    Rewind,
    McpPanel,
    AgentsPanel,
    /// `/model`, `/permissions`, `/config`: a panel that changes settings.
    Settings,
    Composer,
}

/// A run in progress.
#[derive(Debug, Clone)]
pub struct Busy {
    pub started: Instant,
    /// Set while a request is being retried.
    pub retry: Option<run_control::Retry>,
    pub interrupting: bool,
    /// The run is a KAIROS tick's, not the user's: it ends without a "done" notification and leaves the
    /// reply `/copy` takes alone.
    pub by_kairos: bool,
}

/// Ctrl+R: searching the prompt history.
#[derive(Debug, Clone, Default)]
pub struct HistorySearch {
    pub query: String,
    pub found: Option<usize>,
}

pub struct App {
    pub(crate) theme: Theme,
    pub(crate) transcript: Transcript,
    pub(crate) composer: Composer,
    pub(crate) history: History,
    pub(crate) history_search: Option<HistorySearch>,
    pub(crate) popup: Option<Popup>,
    pub(crate) approvals: VecDeque<ApprovalModal>,
    pub(crate) interactions: VecDeque<interactions::Interaction>,
    pub(crate) status: StatusInfo,
    pub(crate) busy: Option<Busy>,
    /// Prompts sent while busy, not started yet, oldest first.
    pub(crate) queued: Vec<String>,
    /// Those of them sent with images: the session does not hand such a prompt back, so Up leaves it queued.
    pub(crate) queued_with_images: Vec<String>,
    pub(crate) todos: Vec<TodoItem>,
    /// Ctrl+O: tool output and thinking in full.
    pub(crate) detailed: bool,
    pub(crate) quit: bool,
    /// A short message in the line above the composer, until it expires.
    pub(crate) flash: Option<run_control::Flash>,
    /// Calls the user refused here, with the line the transcript shows for them (not the model's text).
    pub(crate) refusals: HashMap<String, String>,
    /// The user said "No" to a call: the composer asks what to do instead until they type.
    pub(crate) ask_instead: bool,
    /// Whether the terminal has focus; `None` until it reports (many terminals never do).
    pub(crate) focused: Option<bool>,
    /// How and when to tell the user through the terminal that Claurst needs them.
    pub(crate) notifications: crate::notify::NotifySettings,
    /// A terminal notification waiting for the event loop to write it.
    pub(crate) pending_notification: Option<String>,
    pub(crate) streaming: Option<usize>,
    pub(crate) thinking: Option<usize>,
    pub(crate) tool_cells: HashMap<String, usize>,
    pub(crate) last_reply: String,
    pub(crate) session_usage: Usage,
    pub(crate) files: FileIndex,
    pub(crate) commands: Vec<SlashCommand>,
    /// The output styles `/output-style` offers, and the one in use.
    pub(crate) output_styles: Vec<claurst_protocol::OutputStyleView>,
    pub(crate) output_style: String,
    pub(crate) config_lines: Vec<String>,
    /// The budget Tab switches extended thinking on with.
    pub(crate) thinking_budget: u32,
    /// What `/model` lists, per provider; the current provider's endpoint adds to it when asked.
    pub(crate) models: Vec<crate::ProviderModels>,
    /// The session picker, while open.
    pub(crate) picker: Option<crate::widgets::picker::SessionPicker>,
    /// The rewind dialog, while open.
    pub(crate) rewind: Option<crate::widgets::rewind::RewindDialog>,
    /// The rewind list was asked for: the session's turns open it when they arrive.
    pub(crate) rewind_wanted: bool,
    /// A `/compact` is in progress (shown as busy so Esc can interrupt it).
    pub(crate) compacting: bool,
    /// The project root (`/memory edit` opens its CLAURST.md).
    pub(crate) project_root: std::path::PathBuf,
    /// The memory consolidation's latest status, once the session reported one.
    pub(crate) dream: Option<claurst_protocol::DreamView>,
    /// Every configured MCP server, as the session last reported them.
    pub(crate) mcp_servers: Vec<claurst_protocol::McpServerView>,
    /// Project servers waiting for the user's trust, one dialog at a time.
    pub(crate) trust_dialogs: VecDeque<crate::widgets::mcp_trust::TrustDialog>,
    /// Servers this session has asked about (answered, deferred or still queued).
    pub(crate) trust_asked: std::collections::HashSet<String>,
    /// The `/mcp` panel, while open.
    pub(crate) mcp_panel: Option<crate::widgets::mcp_panel::McpPanel>,
    /// The kinds of sub-agent, as the session last reported them (`/agents`).
    pub(crate) agent_types: Vec<claurst_protocol::AgentTypeView>,
    /// `[memory] auto_dream`, as `/config` last set it.
    pub(crate) auto_dream: bool,
    /// Vim-style editing of the composer (`/vim`), when on.
    pub(crate) vim: Option<crate::composer::vim::Vim>,
    /// The user's status line command (`/statusline`) and what it last printed.
    pub(crate) statusline: statusline::StatusLine,
    /// The settings panel (`/model`, …), while open.
    pub(crate) settings_panel: Option<settings::SettingsPanel>,
    /// The `/agents` panel, while open.
    pub(crate) agents_panel: Option<crate::widgets::agents::AgentsPanel>,
    /// A draft asked of the model with `/agents new`, until it arrives.
    pub(crate) drafting: Option<agents::Drafting>,
    /// A drafted agent definition under review, until saved or discarded.
    pub(crate) agent_review: Option<crate::widgets::agents::AgentReview>,
    /// Each sub-agent's label (`explore · Find config loader`) by the id of the `agent` call that started it.
    pub(crate) subagent_labels: HashMap<String, String>,
    /// The `?` sheet of keyboard shortcuts, while open.
    pub(crate) shortcuts_open: bool,
    /// The transcript pane's size at the last frame, for scrolling by pages.
    pub(crate) viewport: (u16, u16),
    /// The companion, when built with the `buddy` feature and not switched off.
    #[cfg(feature = "buddy")]
    pub(crate) companion: Option<crate::companion::Buddy>,
    /// KAIROS's state, once the session reports it runs KAIROS (feature `proactive`).
    #[cfg(feature = "proactive")]
    pub(crate) kairos: crate::kairos::Kairos,
}

impl App {
    pub fn new(options: &TuiOptions, theme: Theme, files: FileIndex) -> Self {
        let mut app = Self {
            theme,
            transcript: Transcript::new(),
            composer: Composer::new(),
            history: History::load(options.history_file.clone()),
            history_search: None,
            popup: None,
            approvals: VecDeque::new(),
            interactions: VecDeque::new(),
            status: StatusInfo {
                model: options.model.clone(),
                mode: options.permission_mode,
                sandbox: options.sandbox_mode,
                context_window: options.context_window,
                thinking: options.thinking,
                cwd: options.display_cwd.clone(),
                branch: options.git_branch.clone(),
                ..StatusInfo::default()
            },
            busy: None,
            queued: Vec::new(),
            queued_with_images: Vec::new(),
            todos: Vec::new(),
            detailed: false,
            quit: false,
            flash: None,
            refusals: HashMap::new(),
            ask_instead: false,
            focused: None,
            notifications: options.notifications,
            pending_notification: None,
            streaming: None,
            thinking: None,
            tool_cells: HashMap::new(),
            last_reply: String::new(),
            session_usage: Usage::default(),
            files,
            commands: BUILT_IN.to_vec(),
            output_styles: Vec::new(),
            output_style: String::new(),
            config_lines: options.config_lines.clone(),
            thinking_budget: if options.thinking_budget > 0 { options.thinking_budget } else { 8_000 },
            models: options.models.clone(),
            mcp_servers: Vec::new(),
            trust_dialogs: VecDeque::new(),
            trust_asked: std::collections::HashSet::new(),
            mcp_panel: None,
            agent_types: Vec::new(),
            agents_panel: None,
            settings_panel: None,
            auto_dream: options.auto_dream,
            vim: options.vim.then(crate::composer::vim::Vim::default),
            statusline: statusline::StatusLine::new(options.statusline.clone()),
            drafting: None,
            agent_review: None,
            subagent_labels: HashMap::new(),
            shortcuts_open: false,
            viewport: (80, 20),
            dream: None,
            picker: None,
            rewind: None,
            rewind_wanted: false,
            compacting: false,
            project_root: options.project_root.clone(),
            #[cfg(feature = "buddy")]
            companion: None,
            #[cfg(feature = "proactive")]
            kairos: crate::kairos::Kairos::default(),
        };
        app.status.editor_mode = app.vim.as_ref().map(|vim| vim.mode().label());
        #[cfg(feature = "buddy")]
        app.adopt_companion(options.companion.as_ref(), Instant::now());
        if options.welcome {
            app.transcript.push(Cell::Welcome(crate::transcript::WelcomeView {
                version: options.version.clone(),
                model: options.model.clone(),
                directory: options.display_cwd.clone(),
            }));
        }
        for warning in &options.warnings {
            app.notice(NoticeKind::Warning, warning.clone());
        }
        app
    }

    pub(crate) fn bottom_view(&self) -> BottomView {
        if !self.approvals.is_empty() {
            BottomView::Approval
        } else if !self.interactions.is_empty() {
            BottomView::Interaction
        } else if !self.trust_dialogs.is_empty() {
            BottomView::McpTrust
        } else if self.agent_review.is_some() {
            BottomView::AgentReview
        } else if self.picker.is_some() {
            BottomView::SessionPicker
        } else if self.rewind.is_some() {
            BottomView::Rewind
        } else if self.mcp_panel.is_some() {
            BottomView::McpPanel
        } else if self.agents_panel.is_some() {
            BottomView::AgentsPanel
        } else if self.settings_panel.is_some() {
            BottomView::Settings
        } else {
            BottomView::Composer
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn is_busy(&self) -> bool {
        self.busy.is_some()
    }

    /// Whether something on screen moves on its own (then the loop ticks; otherwise it sleeps).
    pub fn is_animating(&self) -> bool {
        self.busy.is_some()
            || self.drafting.is_some()
            || self.transcript.has_animation_near_bottom(8)
            || self.dream.as_ref().is_some_and(|dream| dream.running)
    }

    pub(crate) fn notice(&mut self, kind: NoticeKind, text: impl Into<String>) {
        // Not scrolled into view: a reader scrolled up stays where they are (their own commands scroll on
        // submit).
        self.transcript.push(Cell::Notice { kind, text: text.into() });
    }

    pub(crate) fn flash(&mut self, text: impl Into<String>) {
        self.flash = Some(run_control::Flash::new(text.into(), Instant::now(), run_control::FLASH_LIFETIME));
    }

    /// The flash message, while it is fresh.
    pub(crate) fn current_flash(&self, now: Instant) -> Option<&str> {
        self.flash.as_ref().filter(|flash| flash.is_fresh(now)).map(|flash| flash.text.as_str())
    }

    /// Whether a companion is drawn in the side pane (builds with the `buddy` feature, when enabled).
    pub(crate) fn companion_visible(&self) -> bool {
        #[cfg(feature = "buddy")]
        return self.companion.as_ref().is_some_and(|buddy| buddy.visible());
        #[cfg(not(feature = "buddy"))]
        false
    }

    /// The companion's lines for the side pane.
    pub(crate) fn companion_lines(&self, _width: usize, _now: Instant) -> Vec<ratatui::text::Line<'static>> {
        #[cfg(feature = "buddy")]
        return self.companion_pane_lines(_width, _now);
        #[cfg(not(feature = "buddy"))]
        Vec::new()
    }

    /// When something on screen next changes on its own at a slow pace (the companion's blinks and
    /// reactions), for the loop to wake then rather than tick every 100 ms; `None` when nothing slow is
    /// on screen (no companion, or its pane hidden).
    pub fn next_tick(&self, now: Instant) -> Option<Instant> {
        let own = self.next_change(now);
        #[cfg(feature = "proactive")]
        let own = match (own, self.kairos_next_change(now)) {
            (Some(own), Some(kairos)) => Some(own.min(kairos)),
            (own, kairos) => own.or(kairos),
        };
        #[cfg(feature = "buddy")]
        let companion = self.companion.as_ref().and_then(|buddy| buddy.next_tick(now, self.is_busy()));
        #[cfg(not(feature = "buddy"))]
        let companion: Option<Instant> = None;
        match (own, companion) {
            (Some(own), Some(companion)) => Some(own.min(companion)),
            (own, companion) => own.or(companion),
        }
    }

    /// Called by `draw` before each frame, with whether the side pane is on screen.
    pub(crate) fn before_frame(&mut self, _now: Instant, _side_pane: bool) {
        #[cfg(feature = "proactive")]
        {
            self.status.kairos = self.kairos.status_text();
        }
        #[cfg(feature = "buddy")]
        {
            let busy = self.is_busy();
            if let Some(buddy) = &mut self.companion {
                buddy.before_frame(_now, busy, _side_pane);
            }
        }
    }

    /// Text of every cell, for tests and `/copy`-like inspection.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }
}
