# A small MCP server over stdio for the client's tests: it logs every message it receives to the file named
# by its first argument, and its tools misbehave on purpose (crash, hang, answer 50 MB, change the list).
import json
import os
import subprocess
import sys

log = open(sys.argv[1], "a", buffering=1)
log.write(f"PID {os.getpid()}\n")
# A helper in the server's process group that outlives the server unless the group is killed.
helper = subprocess.Popen(["sleep", "1000"], stdin=subprocess.DEVNULL)
log.write(f"HELPER {helper.pid}\n")
tools = [
    {"name": "ok", "description": "Answers ok.", "inputSchema": {"type": "object"}},
    {"name": "crash", "description": "Exits mid-call.", "inputSchema": {"type": "object"}},
    {"name": "hang", "description": "Never answers.", "inputSchema": {"type": "object"}},
    {"name": "big", "description": "Answers 50 MB.", "inputSchema": {"type": "object"}},
    {"name": "grow", "description": "Adds a tool.", "inputSchema": {"properties": {}}},
]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def answer(request, result):
    send({"jsonrpc": "2.0", "id": request["id"], "result": result})


def text(value):
    return {"content": [{"type": "text", "text": value}]}


for line in sys.stdin:
    log.write(line)
    message = json.loads(line)
    method = message.get("method")
    if "id" not in message:
        continue
    if method == "initialize":
        answer(message, {
            "protocolVersion": "2025-06-18",
            "capabilities": {"tools": {"listChanged": True}},
            "serverInfo": {"name": "stub", "version": "1"},
        })
    elif method == "tools/list":
        answer(message, {"tools": tools})
    elif method == "tools/call":
        name = message["params"]["name"]
        if name == "ok":
            answer(message, text("ok"))
        elif name == "crash":
            sys.stderr.write("boom: the stub crashed on purpose\n")
            sys.stderr.flush()
            sys.exit(3)
        elif name == "hang":
            log.write("HANGING\n")
        elif name == "big":
            answer(message, text("x" * 50_000_000))
        elif name == "grow":
            tools.append({"name": "extra", "description": "Added later.", "inputSchema": {"type": "object"}})
            answer(message, text("grown"))
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        else:
            answer(message, {"content": [{"type": "text", "text": "no such tool"}], "isError": True})
    else:
        send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "unknown method"}})
