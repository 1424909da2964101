"""Drives the real `claurst` binary through the official Python Agent SDK (claude-agent-sdk).

Usage: python scenarios.py CLAURST_BINARY SCENARIO

The model behind Claurst is the tests' scripted mock (ANTHROPIC_BASE_URL in the environment, which the SDK
hands down to the binary); the Rust test scripts its replies and then checks the summary this prints as the
last line of stdout: one JSON object with the messages the SDK parsed, in a shape shared with scenarios.mjs,
plus what the program's callbacks saw. An exception the SDK raises is reported in `error`, not thrown, so
that the test can show it next to everything else.
"""

import dataclasses
import json
import sys

import anyio
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    HookMatcher,
    PermissionResultAllow,
    PermissionResultDeny,
    ResultMessage,
    StreamEvent,
    SystemMessage,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
    create_sdk_mcp_server,
    query,
    tool,
)


class Run:
    """What one scenario saw, printed at the end as the summary."""

    def __init__(self, binary):
        self.binary = binary
        self.summary = {
            "sdk": "python",
            "messages": [],
            "results": [],
            "init": None,
            "assistant_text": [],
            "tool_uses": [],
            "tool_results": [],
            "permission_requests": [],
            "hook_calls": [],
            "mcp_calls": [],
            "control_answers": [],
            "cli_stderr": [],
            "error": None,
        }

    def options(self, **extra):
        return ClaudeAgentOptions(cli_path=self.binary, stderr=self.summary["cli_stderr"].append, **extra)

    def record(self, message):
        """Notes one parsed message; returns it."""
        s = self.summary
        s["messages"].append(type(message).__name__)
        if isinstance(message, SystemMessage) and message.subtype == "init":
            s["init"] = {
                "session_id": message.data.get("session_id"),
                "model": message.data.get("model"),
                "claude_code_version": message.data.get("claude_code_version"),
            }
        elif isinstance(message, AssistantMessage):
            for block in message.content:
                if isinstance(block, TextBlock):
                    s["assistant_text"].append(block.text)
                elif isinstance(block, ToolUseBlock):
                    s["tool_uses"].append({"name": block.name, "input": block.input})
        elif isinstance(message, UserMessage) and isinstance(message.content, list):
            for block in message.content:
                if isinstance(block, ToolResultBlock):
                    s["tool_results"].append(text_of(block.content))
        elif isinstance(message, ResultMessage):
            s["results"].append(
                {
                    "subtype": message.subtype,
                    "is_error": message.is_error,
                    "result": message.result,
                    "session_id": message.session_id,
                    "num_turns": message.num_turns,
                }
            )
        return message

    async def turn(self, client):
        """Reads one turn's messages up to its result."""
        async for message in client.receive_response():
            self.record(message)


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return json.dumps(content)


async def tool_session(run):
    """One-shot query(): the model runs a command, then answers."""
    options = run.options(allowed_tools=["Bash"])
    async for message in query(prompt="Run the greeting command.", options=options):
        run.record(message)


async def two_turns(run):
    """ClaudeSDKClient: the second question is asked in the same session, after the first answer."""
    async with ClaudeSDKClient(options=run.options()) as client:
        await client.query("first question")
        await run.turn(client)
        await client.query("second question")
        await run.turn(client)


async def can_use_tool(run):
    """The program answers approvals: one command allowed, one denied."""

    async def decide(tool_name, tool_input, context):
        command = tool_input.get("command", "")
        run.summary["permission_requests"].append({"tool_name": tool_name, "command": command})
        if "allowed" in command:
            return PermissionResultAllow(updated_input=tool_input)
        return PermissionResultDeny(message="the program refused this command")

    async with ClaudeSDKClient(options=run.options(can_use_tool=decide)) as client:
        await client.query("Create the marker files.")
        await run.turn(client)


async def interrupt(run):
    """interrupt() while the reply streams (the mock never finishes it), then a second turn."""
    async with ClaudeSDKClient(options=run.options(include_partial_messages=True)) as client:
        await client.query("Tell a long story.")
        interrupted = False
        async for message in client.receive_response():
            if isinstance(message, StreamEvent):
                delta = message.event.get("delta", {})
                if not interrupted and delta.get("type") == "text_delta":
                    interrupted = True
                    await client.interrupt()
                    run.summary["control_answers"].append("interrupt")
                continue
            run.record(message)
        await client.query("Are you still there?")
        async for message in client.receive_response():
            if not isinstance(message, StreamEvent):
                run.record(message)


async def set_permission_mode(run):
    """A command refused in the default mode runs after set_permission_mode('bypassPermissions')."""
    async with ClaudeSDKClient(options=run.options()) as client:
        await client.query("Make the first marker.")
        await run.turn(client)
        await client.set_permission_mode("bypassPermissions")
        run.summary["control_answers"].append("set_permission_mode")
        await client.query("Make the second marker.")
        await run.turn(client)


async def hook(run):
    """A PreToolUse hook callback in the program denies one command."""

    async def pre_tool_use(hook_input, tool_use_id, context):
        command = hook_input.get("tool_input", {}).get("command", "")
        run.summary["hook_calls"].append(
            {"event": hook_input.get("hook_event_name"), "tool_name": hook_input.get("tool_name"), "command": command}
        )
        if "hook-denied" in command:
            return {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": "the program's hook refused this command",
                }
            }
        return {}

    options = run.options(
        allowed_tools=["Bash"], hooks={"PreToolUse": [HookMatcher(matcher=None, hooks=[pre_tool_use])]}
    )
    async with ClaudeSDKClient(options=options) as client:
        await client.query("Create the hook marker files.")
        await run.turn(client)


async def sdk_mcp(run):
    """An in-process MCP server's tool, called by the model."""

    @tool("add", "Adds two numbers", {"a": float, "b": float})
    async def add(args):
        run.summary["mcp_calls"].append(args)
        total = args["a"] + args["b"]
        return {"content": [{"type": "text", "text": f"the sum is {total:g}"}]}

    calculator = create_sdk_mcp_server(name="calc", version="1.0.0", tools=[add])
    options = run.options(mcp_servers={"calc": calculator}, allowed_tools=["mcp__calc__add"])
    async with ClaudeSDKClient(options=options) as client:
        await client.query("What is 2 + 3?")
        await run.turn(client)


SCENARIOS = {
    "tool_session": tool_session,
    "two_turns": two_turns,
    "can_use_tool": can_use_tool,
    "interrupt": interrupt,
    "set_permission_mode": set_permission_mode,
    "hook": hook,
    "sdk_mcp": sdk_mcp,
}


async def main(binary, scenario):
    run = Run(binary)
    try:
        await SCENARIOS[scenario](run)
    except Exception as error:  # reported to the test, which shows it with everything else
        run.summary["error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(run.summary, default=lambda value: dataclasses.asdict(value) if dataclasses.is_dataclass(value) else str(value)))


if __name__ == "__main__":
    anyio.run(main, sys.argv[1], sys.argv[2])
