//! `/agents new`: the model drafts a sub-agent definition from the user's short description; the user reviews
//! it and saves it, and the new kind is offered to the model from its next turn.

use crate::agent::Agent;
use crate::events::EventSink;
use crate::turn::{TurnFailure, stream_turn};
use claurst_api::MessagesRequest;
use claurst_extensions::agents::{AgentSource, parse_definition, save_definition};
use claurst_extensions::{Origin, Roots};
use claurst_protocol::{AgentEvent, AgentScope, Message};
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// What the model is told to write.
const DRAFTING_INSTRUCTIONS: &str = "You write sub-agent definitions for Claurst, a coding agent. A \
sub-agent is a focused helper the main agent hands a task to; it works alone and answers with one report.

Reply with the definition file only, no commentary and no code fence:
---
name: <lowercase-words-with-hyphens>
description: <one sentence: what it does and when the main agent should use it>
tools: <comma-separated tool names, only if it should be limited; leave the line out for every tool>
---
<its system prompt: who it is, how it works step by step, what it must not do, and what its final report \
contains>

Tools are named: read_file, grep, search_files, list_dir, bash, edit_file, multi_edit, write_file, web_fetch, \
todo_write. An agent that only studies code gets read_file, grep, search_files and list_dir. Write the \
system prompt in the second person, specific to the task the user described, in under 300 words.";

impl Agent {
    /// Ask the model for a definition without holding up the session; the draft (or why there is none)
    /// arrives as an event.
    pub(crate) fn draft_agent_in_background(&self, description: String, sink: &EventSink) {
        let sink = sink.clone();
        let request = self.turn_client().map(|(selection, client)| {
            let request = MessagesRequest {
                system: vec![DRAFTING_INSTRUCTIONS.to_string()],
                messages: vec![Message::user(format!("Write a sub-agent for this: {description}"))],
                thinking_budget: None,
                ..self.request_base(&selection)
            };
            (request, client)
        });
        tokio::spawn(async move {
            let event = match request {
                Ok((request, client)) => {
                    let (reply, _) = stream_turn(
                        client.as_ref(),
                        &request,
                        &EventSink::discard(),
                        &CancellationToken::new(),
                        crate::turn::RawEvents::Drop,
                    )
                    .await;
                    match reply {
                        Ok(response) => drafted(&response.message.text(), &description),
                        Err(TurnFailure::Api(error)) => not_drafted(&error.to_string(), &description),
                        Err(TurnFailure::Interrupted { .. }) => not_drafted("interrupted", &description),
                    }
                }
                Err(error) => not_drafted(&error.to_string(), &description),
            };
            sink.emit(event).await;
        });
    }

    /// Save a reviewed definition, and offer it to the model from its next turn.
    pub(crate) async fn save_agent(&self, scope: AgentScope, markdown: &str, sink: &EventSink) {
        let roots = self.extension_roots();
        let saved = save_definition(&roots, scope, markdown).and_then(|path| {
            let origin = match scope {
                AgentScope::Project => Origin::Project,
                AgentScope::User => Origin::User,
            };
            let mut definition = parse_definition(markdown, &path, AgentSource::File(origin))?;
            definition.path = Some(path.clone());
            Ok((path, definition))
        });
        let text = match saved {
            Ok((path, definition)) => {
                let name = definition.name.clone();
                self.agent_types.add(definition);
                sink.emit(AgentEvent::AgentTypes(self.agent_types.views())).await;
                format!(
                    "Saved the sub-agent `{name}` to {}; the model can use it from its next turn.",
                    path.display()
                )
            }
            Err(problem) => format!("The sub-agent was not saved: {problem}"),
        };
        sink.emit(AgentEvent::Notice { text }).await;
    }

    /// Add the kinds of sub-agent a program driving the session sent (`--agents` JSON shape); they take
    /// precedence over files and built-ins of the same name, as `--agents` does.
    pub(crate) async fn add_agents(&self, json: &str, sink: &EventSink) {
        match claurst_extensions::agents::parse_command_line(json) {
            Ok(definitions) => {
                for definition in definitions {
                    self.agent_types.add(definition);
                }
                sink.emit(AgentEvent::AgentTypes(self.agent_types.views())).await;
            }
            Err(problem) => {
                let text = format!("The sub-agents sent by the driving program were not added: {problem}");
                sink.emit(AgentEvent::Notice { text }).await;
            }
        }
    }

    /// Where extension files live: those the catalog was loaded from, else the project and `$HOME`.
    fn extension_roots(&self) -> Roots {
        self.config
            .extensions
            .roots
            .clone()
            .unwrap_or_else(|| Roots::new(&self.project_root, std::env::var_os("HOME").map(PathBuf::from)))
    }
}

/// The draft as the user reviews it, or why the model's reply is not a usable definition.
fn drafted(reply: &str, description: &str) -> AgentEvent {
    let markdown = without_fence(reply);
    match parse_definition(&markdown, Path::new("the drafted definition"), AgentSource::File(Origin::Project))
    {
        Ok(definition) => AgentEvent::AgentDrafted { name: definition.name, markdown },
        Err(problem) => {
            not_drafted(&format!("the model's draft is not a valid definition ({problem})"), description)
        }
    }
}

fn not_drafted(why: &str, description: &str) -> AgentEvent {
    AgentEvent::Notice {
        text: format!(
            "Could not draft a sub-agent for \"{description}\": {why}. Try again, or write the file yourself."
        ),
    }
}

/// The reply without a Markdown code fence around it (models add one despite being asked not to).
fn without_fence(reply: &str) -> String {
    let trimmed = reply.trim();
    let Some(rest) = trimmed.strip_prefix("```") else { return format!("{trimmed}\n") };
    let body = rest.split_once('\n').map_or("", |(_, body)| body);
    let body = body.trim_end().strip_suffix("```").unwrap_or(body);
    format!("{}\n", body.trim())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const DRAFT: &str = "---\nname: test-runner\ndescription: Runs the tests and reports failures\ntools: bash, read_file\n---\nYou run the project's tests.\n";

    #[test]
    fn a_fenced_or_bare_draft_is_offered_for_review() {
        for reply in [DRAFT.to_string(), format!("```markdown\n{DRAFT}```\n")] {
            let AgentEvent::AgentDrafted { name, markdown } = drafted(&reply, "run tests") else { panic!() };
            assert_eq!((name.as_str(), markdown.as_str()), ("test-runner", DRAFT));
        }
    }

    #[test]
    fn a_reply_that_is_no_definition_says_so_and_keeps_the_description() {
        let AgentEvent::Notice { text } = drafted("Sure! Here is an agent.", "run tests") else { panic!() };
        assert!(text.contains("\"run tests\"") && text.contains("not a valid definition"), "{text}");
    }
}
