//! A tiny MCP server over stdio, in Python, whose behaviour a test chooses: for the cases real servers cannot
//! be made to show (a server that never answers `initialize`, one that crashes mid-call, one that logs every
//! message it receives), and for the start-up benchmark.
//!
//! It speaks newline-delimited JSON-RPC 2.0 on stdin/stdout. Tools: `echo {text}` (answers the text),
//! `slow {seconds}` (answers after sleeping), `big {chars}` (answers that many `x`), `crash` (writes a line to
//! stderr and exits with status 3, without answering), `hang` (never answers, and keeps reading), `grow`
//! (adds a tool `extra`, which has no handler, and sends `notifications/tools/list_changed`; its own schema
//! has no `type`). Every message received is appended, one JSON object per line, to `$MCP_STUB_LOG` when that
//! is set, after a first line `PID <pid>`; `$MCP_STUB_MARKER` is created when the process starts.
//! `MCP_STUB_MODE=silent` never answers anything. `$MCP_STUB_INSTRUCTIONS`, when set, is sent as the server's
//! `instructions` in its answer to `initialize`. `MCP_STUB_APPROVER=1` adds a tool `approve` that answers permission questions
//! (`--permission-prompt-tool`): deny when the asked-about input mentions `forbidden`, allow with the command
//! rewritten to `touch rewritten.txt` when it mentions `rewrite-me`, else allow. `MCP_STUB_HELPER=1` starts a `sleep 1000` in the stub's
//! process group that outlives the stub unless the group is killed, and logs `HELPER <pid>`.

use std::path::{Path, PathBuf};

const SCRIPT: &str = r#"
import json, os, sys, time

log_path = os.environ.get("MCP_STUB_LOG")
marker = os.environ.get("MCP_STUB_MARKER")
mode = os.environ.get("MCP_STUB_MODE", "")
if marker:
    open(marker, "a").close()

def note(text):
    if log_path:
        with open(log_path, "a") as log_file:
            log_file.write(text + "\n")

note("PID %d" % os.getpid())
if os.environ.get("MCP_STUB_HELPER"):
    import subprocess
    helper = subprocess.Popen(["sleep", "1000"], stdin=subprocess.DEVNULL)
    note("HELPER %d" % helper.pid)

def log(message):
    if log_path:
        with open(log_path, "a") as log_file:
            log_file.write(json.dumps(message) + "\n")

def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

TOOLS = [
    {"name": "echo", "description": "Answer the text back.",
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
     "annotations": {"readOnlyHint": True}},
    {"name": "slow", "description": "Answer after sleeping.",
     "inputSchema": {"type": "object", "properties": {"seconds": {"type": "number"}}}},
    {"name": "big", "description": "Answer a long text.",
     "inputSchema": {"type": "object", "properties": {"chars": {"type": "integer"}}}},
    {"name": "crash", "description": "Exit without answering.",
     "inputSchema": {"type": "object", "properties": {}}},
    {"name": "hang", "description": "Never answer.", "inputSchema": {"type": "object"}},
    {"name": "grow", "description": "Add a tool.", "inputSchema": {"properties": {}}},
]

if os.environ.get("MCP_STUB_APPROVER"):
    TOOLS.append({"name": "approve", "description": "Answer a permission question.",
                  "inputSchema": {"type": "object", "properties": {"tool_name": {"type": "string"},
                                  "input": {"type": "object"}, "tool_use_id": {"type": "string"}}}})

def text_result(request_id, text):
    send({"jsonrpc": "2.0", "id": request_id, "result": {"content": [{"type": "text", "text": text}]}})

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    message = json.loads(line)
    log(message)
    if mode == "silent":
        continue
    method = message.get("method")
    request_id = message.get("id")
    if method == "initialize":
        version = message["params"].get("protocolVersion", "2025-06-18")
        result = {
            "protocolVersion": version,
            "capabilities": {"tools": {"listChanged": True}},
            "serverInfo": {"name": "claurst-test-stub", "version": "1.0.0"}}
        if os.environ.get("MCP_STUB_INSTRUCTIONS"):
            result["instructions"] = os.environ["MCP_STUB_INSTRUCTIONS"]
        send({"jsonrpc": "2.0", "id": request_id, "result": result})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": request_id, "result": {"tools": TOOLS}})
    elif method == "tools/call":
        name = message["params"]["name"]
        arguments = message["params"].get("arguments") or {}
        if name == "echo":
            text_result(request_id, "echo: " + str(arguments.get("text", "")))
        elif name == "slow":
            time.sleep(float(arguments.get("seconds", 30)))
            text_result(request_id, "slept")
        elif name == "big":
            text_result(request_id, "x" * int(arguments.get("chars", 1000)))
        elif name == "crash":
            sys.stderr.write("boom: the stub crashed on purpose\n")
            sys.stderr.flush()
            sys.exit(3)
        elif name == "hang":
            pass
        elif name == "approve":
            asked = json.dumps(arguments.get("input", {}))
            if "forbidden" in asked:
                answer = {"behavior": "deny", "message": "the approver refuses forbidden things"}
            elif "rewrite-me" in asked:
                answer = {"behavior": "allow", "updatedInput": {"command": "touch rewritten.txt"}}
            else:
                answer = {"behavior": "allow", "updatedInput": arguments.get("input", {})}
            text_result(request_id, json.dumps(answer))
        elif name == "grow":
            TOOLS.append({"name": "extra", "description": "Added later.", "inputSchema": {"type": "object"}})
            text_result(request_id, "grown")
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        else:
            send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32602, "message": "unknown tool " + name}})
    elif method == "ping":
        send({"jsonrpc": "2.0", "id": request_id, "result": {}})
    elif request_id is not None:
        send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32601, "message": "no method " + str(method)}})
"#;

/// Write the stub server into `dir` and return its path (run it with `python3 <path>`).
pub fn write_mcp_stub(dir: &Path) -> PathBuf {
    let path = dir.join("mcp_stub.py");
    std::fs::write(&path, SCRIPT).expect("the MCP stub script can be written");
    path
}

/// The messages the stub logged, in order.
pub fn mcp_stub_log(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}
