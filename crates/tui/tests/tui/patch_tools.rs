//! `apply_patch` and `notebook_edit` drawn as edits: a patch's approval shows every file's changes under its
//! own name, and a notebook edit's result shows the cell's change. Snapshots at 80×24 and 200×60.

use crate::{assert_screen, screen};
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, FileChange, ToolFinished,
};
use claurst_tui::{App, FileIndex, Theme};
use serde_json::json;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

const PATCH: &str = "*** Begin Patch\n*** Update File: src/app.py\n@@ def greet():\n-    return 'hi'\n+    return 'hello'\n\
                     *** Add File: src/util.py\n+VALUE = 1\n*** Delete File: old.py\n*** End Patch";

/// The combined diff `apply_patch` shows for `PATCH` (one unified diff per file, in patch order).
const PATCH_DIFF: &str = "--- src/app.py\n+++ src/app.py\n@@ -1,4 +1,4 @@\n def greet():\n-    return 'hi'\n+    return 'hello'\n \n print(greet())\n\
                          --- /dev/null\n+++ src/util.py\n@@ -0,0 +1 @@\n+VALUE = 1\n\
                          --- old.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-import os\n-print(os.getcwd())\n";

const CELL_DIFF: &str = "--- analysis.ipynb\n+++ analysis.ipynb\n@@ -1,3 +1 @@\n-totals = df.groupby(\"quarter\").sum()\n-totals.plot()\n-totals\n+totals.describe()\n";

fn app() -> App {
    let mut app = App::new(&crate::options(), Theme::monochrome(), FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::SessionStarted(crate::session_info()));
    app
}

#[test]
fn a_patch_approval_shows_each_file_under_its_name() {
    for (width, height) in SIZES {
        let mut app = app();
        let call = crate::call("p1", "apply_patch", json!({ "input": PATCH }));
        assert_eq!(call.key_argument, "src/app.py (+2 more)");
        app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
        let (responder, _) = ApprovalResponder::channel();
        app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
            call,
            title: "apply_patch(src/app.py (+2 more))".into(),
            detail: ApprovalDetail::Diff {
                path: "src/app.py, src/util.py, old.py".into(),
                diff: PATCH_DIFF.into(),
            },
            suggested_rule: "edit_file(src/**)".into(),
            responder,
        }));
        let shown = screen(&mut app, width, height);
        assert!(shown.contains("3 files · Added 2 lines, removed 3 lines"), "{shown}");
        assert_screen!(format!("apply_patch_approval_{width}x{height}"), shown);
    }
}

#[test]
fn a_notebook_edit_result_shows_the_cell_change() {
    for (width, height) in SIZES {
        let mut app = app();
        app.handle_agent_event(AgentEvent::RunStarted { prompt: "summarise instead".into() });
        let input = json!({"notebook_path": "analysis.ipynb", "cell_id": "c0ffee12", "new_source": "totals.describe()"});
        app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call("n1", "notebook_edit", input)));
        app.handle_agent_event(AgentEvent::ToolCallStarted { id: "n1".into() });
        app.handle_agent_event(AgentEvent::ToolCallFinished(ToolFinished {
            id: "n1".into(),
            name: "notebook_edit".into(),
            output: format!("Replaced the source of cell 2 (id c0ffee12) in analysis.ipynb.\n\n{CELL_DIFF}"),
            is_error: false,
            duration_ms: 40,
            summary: "Replaced the source of cell 2 (id c0ffee12) in analysis.ipynb.".into(),
            change: Some(FileChange { path: "analysis.ipynb".into(), diff: CELL_DIFF.into() }),
        }));
        let shown = screen(&mut app, width, height);
        assert!(shown.contains("analysis.ipynb") && shown.contains("totals.describe()"), "{shown}");
        assert_screen!(format!("notebook_edit_result_{width}x{height}"), shown);
    }
}
