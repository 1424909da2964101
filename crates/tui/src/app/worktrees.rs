//! `/worktrees [clean]`: asked of the agent, which answers with a notice.

use crate::app::{App, Effect};
use crate::transcript::NoticeKind;
use claurst_protocol::{Op, WorktreesRequest};

impl App {
    pub(crate) fn worktrees_command(&mut self, argument: Option<&str>) -> Vec<Effect> {
        let request = match argument.map(str::trim) {
            None | Some("") | Some("list") => WorktreesRequest::List,
            Some("clean") => WorktreesRequest::Clean,
            Some(other) => {
                let text = format!("/worktrees takes `clean` or nothing, not `{other}`.");
                self.notice(NoticeKind::Warning, text);
                return Vec::new();
            }
        };
        vec![Effect::Send(Op::Worktrees(request))]
    }
}
