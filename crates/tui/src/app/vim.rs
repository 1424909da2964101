//! `/vim`: Vim-style editing of the composer, and its mode in the status line.

use super::{App, Effect};
use crate::composer::vim::{Vim, VimOutcome};
use claurst_protocol::{Op, UserSetting};
use crossterm::event::KeyEvent;

impl App {
    /// Give a composer key to Vim first, when it is on; true when Vim handled it.
    pub(crate) fn vim_key(&mut self, key: KeyEvent) -> bool {
        let Some(vim) = &mut self.vim else {
            return false;
        };
        // Esc on an empty prompt while Claurst works interrupts, whatever the mode: switching to NORMAL there
        // would leave the run going while the line above says "esc to interrupt".
        let busy = self.busy.is_some() || self.compacting;
        if key.code == crossterm::event::KeyCode::Esc && busy && self.composer.is_empty() {
            return false;
        }
        let handled = vim.handle_key(&mut self.composer, key) == VimOutcome::Handled;
        self.status.editor_mode = Some(vim.mode().label());
        handled
    }

    /// Switch Vim-style editing on or off, for this session and (saved by the session) the next ones.
    pub(crate) fn toggle_vim(&mut self) -> Vec<Effect> {
        let on = self.vim.is_none();
        self.vim = on.then(Vim::default);
        self.status.editor_mode = self.vim.as_ref().map(|vim| vim.mode().label());
        self.flash(if on {
            "Vim mode on: Esc for NORMAL, i to type; /vim again turns it off"
        } else {
            "Vim mode off"
        });
        vec![Effect::Send(Op::SaveUserSetting(UserSetting::VimMode(on)))]
    }
}
