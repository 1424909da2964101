//! Ops that steer a session without being jobs of their own: they apply at once, even while a job runs.

use crate::agent::Agent;
use crate::events::EventSink;
use claurst_protocol::{AgentEvent, Op};
use tokio_util::sync::CancellationToken;

/// What the running job's ops asked for once it has ended.
#[derive(Default)]
pub(super) struct AfterJob {
    pub(super) clear: bool,
    /// The model was switched: noted in the transcript once the job no longer holds the conversation.
    pub(super) model_changed: Option<String>,
}

/// Ask the endpoint for its models without holding up the session; the answer arrives as an event.
fn list_models_in_background(agent: &Agent, sink: &EventSink) {
    let Ok((selection, client)) = agent.turn_client() else { return };
    let sink = sink.clone();
    tokio::spawn(async move {
        let provider = selection.provider.name.clone();
        match client.list_models().await {
            Ok(models) => {
                let models =
                    models.iter().map(|model| crate::provider::model_label(&provider, model)).collect();
                sink.emit(AgentEvent::ModelsListed { provider, models }).await;
            }
            Err(error) => {
                let text = format!("Could not list the models of {provider}: {error}");
                sink.emit(AgentEvent::Notice { text }).await;
            }
        }
    });
}

/// Apply an op that may arrive while a job runs. It borrows the actor's parts separately because the running
/// job holds the conversation.
pub(super) async fn apply_while_running(
    agent: &Agent,
    sink: &EventSink,
    op: Op,
    after: &mut AfterJob,
    cancel: &CancellationToken,
    shutting_down: &mut bool,
) {
    match op {
        Op::Interrupt => cancel.cancel(),
        Op::SetPermissionMode(mode) => {
            agent.set_permission_mode(mode);
            sink.emit(AgentEvent::PermissionModeChanged(mode)).await;
        }
        Op::SetModel(model) => match agent.set_model(&model) {
            Ok(model) => {
                after.model_changed = Some(model.clone());
                sink.emit(AgentEvent::ModelChanged(model)).await;
            }
            Err(error) => {
                let text = format!("Cannot switch to {model}: {error}");
                sink.emit(AgentEvent::Notice { text }).await;
            }
        },
        Op::ListModels => list_models_in_background(agent, sink),
        Op::SetThinking(budget) => {
            agent.set_thinking_budget(budget);
            sink.emit(AgentEvent::ThinkingChanged(agent.thinking_budget())).await;
        }
        Op::ClearConversation => {
            cancel.cancel();
            after.clear = true;
        }
        Op::ListPermissionRules => {
            let event = match agent.permission_rules() {
                Ok(view) => AgentEvent::PermissionRules(view),
                Err(text) => AgentEvent::Notice { text },
            };
            sink.emit(event).await;
        }
        Op::EditPermissionRule(edit) => agent.edit_permission_rule(edit, sink).await,
        Op::SaveUserSetting(setting) => agent.save_user_setting(setting, sink).await,
        Op::Shutdown => {
            cancel.cancel();
            *shutting_down = true;
        }
        Op::Rewind { .. } => {
            let text = "Rewind once the current turn has ended (Esc stops it).".to_string();
            sink.emit(AgentEvent::Notice { text }).await;
        }
        Op::AddDirectory(dir) => {
            let text = agent.add_directory(&dir);
            sink.emit(AgentEvent::Notice { text }).await;
        }
        Op::Worktrees(request) => {
            let text = agent.worktrees(request).await;
            sink.emit(AgentEvent::Notice { text }).await;
        }
        // Reports and listings are answered between jobs, when the session is idle.
        Op::Report(_) | Op::ListSessions | Op::ListCheckpoints | Op::WriteBugReport { .. } => {
            let text = "That will show when the current turn ends; ask again then.".to_string();
            sink.emit(AgentEvent::Notice { text }).await;
        }
        Op::Mcp(request) => agent.handle_mcp_request(request, sink).await,
        Op::FrontEndReady => {
            agent.start_gathering_environment();
            agent.start_mcp();
        }
        Op::TrustProjectHooks { choice } => agent.answer_project_hooks(choice, sink).await,
        Op::SetOutputStyle(name) => match agent.set_output_style(&name) {
            Ok(name) => sink.emit(AgentEvent::OutputStyleChanged(name)).await,
            Err(text) => sink.emit(AgentEvent::Notice { text }).await,
        },
        Op::DraftAgent { description } => agent.draft_agent_in_background(description, sink),
        Op::SaveAgent { scope, markdown } => agent.save_agent(scope, &markdown, sink).await,
        Op::AddAgents { json } => agent.add_agents(&json, sink).await,
        Op::RegisterHookCallbacks(registrations) => agent.apply_hook_registrations(registrations, sink).await,
        Op::Prompt { .. }
        | Op::PromptWithImages { .. }
        | Op::RunCommand { .. }
        | Op::RunShell { .. }
        | Op::Compact { .. }
        | Op::ResumeSession { .. }
        | Op::InitProject
        // Only a running job has a queue to withdraw from (the session's own loop handles it).
        | Op::WithdrawQueuedPrompt { .. } => {}
        // Only a session running KAIROS waits for a quiet moment; others have nothing to defer.
        Op::UserActivity => {}
        Op::Kairos(_) => {
            let text = "KAIROS is not running in this session: start Claurst with `--kairos` (in a build with \
                        the `proactive` feature) or set `[kairos] enabled = true`.";
            sink.emit(AgentEvent::Notice { text: text.to_string() }).await;
        }
    }
}
