// Drives the real `claurst` binary through the official TypeScript Agent SDK (@anthropic-ai/claude-agent-sdk).
//
// Usage: node scenarios.mjs CLAURST_BINARY SCENARIO NODE_MODULES
//
// NODE_MODULES holds the SDK and zod (ES modules do not read NODE_PATH, so they are imported by path). The
// model behind Claurst is the tests' scripted mock (ANTHROPIC_BASE_URL in the environment, which the SDK hands
// down to the binary); the Rust test scripts its replies and then checks the summary printed as the last line
// of stdout, in the shape scenarios.py prints. An error the SDK throws is reported in `error`.

import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [binary, scenario, nodeModules] = process.argv.slice(2);
const load = (entry) => import(pathToFileURL(join(nodeModules, entry)).href);
const sdk = await load("@anthropic-ai/claude-agent-sdk/sdk.mjs");
const { z } = await load("zod/index.js");

const summary = {
  sdk: "typescript",
  messages: [],
  results: [],
  init: null,
  assistant_text: [],
  tool_uses: [],
  tool_results: [],
  permission_requests: [],
  hook_calls: [],
  mcp_calls: [],
  control_answers: [],
  cli_stderr: [],
  error: null,
};

function options(extra = {}) {
  return {
    pathToClaudeCodeExecutable: binary,
    stderr: (data) => summary.cli_stderr.push(data),
    ...extra,
  };
}

function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? "").join("");
  return JSON.stringify(content);
}

// Notes one message the SDK yielded.
function record(message) {
  summary.messages.push(message.subtype ? `${message.type}/${message.subtype}` : message.type);
  if (message.type === "system" && message.subtype === "init") {
    summary.init = {
      session_id: message.session_id,
      model: message.model,
      claude_code_version: message.claude_code_version ?? null,
    };
  } else if (message.type === "assistant") {
    for (const block of message.message.content) {
      if (block.type === "text") summary.assistant_text.push(block.text);
      if (block.type === "tool_use") summary.tool_uses.push({ name: block.name, input: block.input });
    }
  } else if (message.type === "user" && Array.isArray(message.message.content)) {
    for (const block of message.message.content) {
      if (block.type === "tool_result") summary.tool_results.push(textOf(block.content));
    }
  } else if (message.type === "result") {
    summary.results.push({
      subtype: message.subtype,
      is_error: message.is_error,
      result: message.result ?? null,
      session_id: message.session_id,
      num_turns: message.num_turns,
    });
  }
}

// A prompt stream the scenario feeds one user message at a time: `say(text)` sends, `end()` closes stdin.
function promptStream() {
  const queue = [];
  let wake = null;
  let ended = false;
  const notify = () => {
    if (wake) {
      wake();
      wake = null;
    }
  };
  return {
    say(text) {
      queue.push({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: "" });
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) yield queue.shift();
        else if (ended) return;
        else await new Promise((resolve) => (wake = resolve));
      }
    },
  };
}

// Reads messages from a running query until the next result (inclusive).
async function untilResult(iterator, onMessage = record) {
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) throw new Error("the conversation ended before a result");
    onMessage(value);
    if (value.type === "result") return;
  }
}

const scenarios = {
  // One-shot query(): the model runs a command, then answers.
  async tool_session() {
    for await (const message of sdk.query({ prompt: "Run the greeting command.", options: options({ allowedTools: ["Bash"] }) })) {
      record(message);
    }
  },

  // Streaming input: the second question goes to the same session after the first answer.
  async two_turns() {
    const prompts = promptStream();
    const conversation = sdk.query({ prompt: prompts, options: options() });
    prompts.say("first question");
    await untilResult(conversation);
    prompts.say("second question");
    await untilResult(conversation);
    prompts.end();
    for await (const message of conversation) record(message);
  },

  // The program answers approvals: one command allowed, one denied.
  async can_use_tool() {
    const canUseTool = async (toolName, input) => {
      const command = input.command ?? "";
      summary.permission_requests.push({ tool_name: toolName, command });
      if (command.includes("allowed")) return { behavior: "allow", updatedInput: input };
      return { behavior: "deny", message: "the program refused this command" };
    };
    for await (const message of sdk.query({ prompt: "Create the marker files.", options: options({ canUseTool }) })) {
      record(message);
    }
  },

  // interrupt() while the reply streams (the mock never finishes it), then a second turn.
  async interrupt() {
    const prompts = promptStream();
    const conversation = sdk.query({ prompt: prompts, options: options({ includePartialMessages: true }) });
    prompts.say("Tell a long story.");
    let interrupted = false;
    await untilResult(conversation, (message) => {
      if (message.type !== "stream_event") return record(message);
      if (!interrupted && message.event.delta?.type === "text_delta") {
        interrupted = true;
        conversation.interrupt().then(
          () => summary.control_answers.push("interrupt"),
          (error) => (summary.error = `interrupt: ${error.message}`),
        );
      }
    });
    prompts.say("Are you still there?");
    await untilResult(conversation, (message) => message.type !== "stream_event" && record(message));
    prompts.end();
    for await (const message of conversation) if (message.type !== "stream_event") record(message);
  },

  // A command refused in the default mode runs after setPermissionMode('bypassPermissions').
  async set_permission_mode() {
    const prompts = promptStream();
    const conversation = sdk.query({ prompt: prompts, options: options() });
    prompts.say("Make the first marker.");
    await untilResult(conversation);
    await conversation.setPermissionMode("bypassPermissions");
    summary.control_answers.push("set_permission_mode");
    prompts.say("Make the second marker.");
    await untilResult(conversation);
    prompts.end();
    for await (const message of conversation) record(message);
  },

  // A PreToolUse hook callback in the program denies one command.
  async hook() {
    const preToolUse = async (input) => {
      const command = input.tool_input?.command ?? "";
      summary.hook_calls.push({ event: input.hook_event_name, tool_name: input.tool_name, command });
      if (!command.includes("hook-denied")) return {};
      return {
        hookSpecificOutput: {
          hookEventName: "PreToolUse",
          permissionDecision: "deny",
          permissionDecisionReason: "the program's hook refused this command",
        },
      };
    };
    const hooks = { PreToolUse: [{ hooks: [preToolUse] }] };
    const prompt = "Create the hook marker files.";
    for await (const message of sdk.query({ prompt, options: options({ allowedTools: ["Bash"], hooks }) })) {
      record(message);
    }
  },

  // An in-process MCP server's tool, called by the model.
  async sdk_mcp() {
    const add = sdk.tool("add", "Adds two numbers", { a: z.number(), b: z.number() }, async (args) => {
      summary.mcp_calls.push(args);
      return { content: [{ type: "text", text: `the sum is ${args.a + args.b}` }] };
    });
    const calc = sdk.createSdkMcpServer({ name: "calc", version: "1.0.0", tools: [add] });
    const extra = { mcpServers: { calc }, allowedTools: ["mcp__calc__add"] };
    for await (const message of sdk.query({ prompt: "What is 2 + 3?", options: options(extra) })) {
      record(message);
    }
  },
};

try {
  await scenarios[scenario]();
} catch (error) {
  summary.error ??= `${error.name}: ${error.message}`;
}
console.log(JSON.stringify(summary));
// The SDK may keep handles open (a child that did not exit); the summary is out, so end here.
process.exit(0);
