//! The calls that need the user themselves: `ask_user_question` puts questions to them, `exit_plan_mode`
//! has them review a plan, `enter_plan_mode` asks them to switch to plan mode. The tools only check their
//! input (`ToolUpdate`); here they are put to whoever can answer, and the answer becomes the call's result.
//!
//! Who answers: the user through the front-end (interactive sessions, an Agent SDK program answering
//! `can_use_tool`), else a permission prompt tool, else nobody (`-p`, sub-agents), and the model is told so.

use crate::agent::Agent;
use crate::config::ApprovalMode;
use crate::events::EventSink;
use crate::run_scope::RunScope;
use claurst_protocol::{
    AgentEvent, INTERRUPTED_TOOL_RESULT, PermissionMode, PlanChoice, PlanRequest, Question, QuestionOption,
    QuestionReply, QuestionRequest, Responder, ToolCallView,
};
use claurst_tools::{ToolResult, ToolUpdate};
use tokio_util::sync::CancellationToken;

/// What the model is told when no one can answer its questions.
pub(crate) const NO_USER_ANSWER: &str = "No user is available to answer — proceed with your best judgement \
     and state your assumptions.";
/// The option of the plan-mode question that confirms the switch.
const CONFIRM_PLAN_MODE: &str = "Yes, plan first";

/// Who can answer a request to the user in this run.
enum Answerer {
    User,
    Approver(String),
    Nobody,
}

/// Whether the user answered, and how.
enum Answer<T> {
    Given(T),
    /// Nobody could answer (the front-end has no user, or the run has none).
    NoOne,
    Interrupted,
}

impl Agent {
    /// The result of a call whose tool needs the user (`update` is `AskUser`, `ExitPlanMode` or
    /// `EnterPlanMode`); `None` for any other update.
    pub(crate) async fn ask_the_user(
        &self,
        scope: &RunScope,
        call: &ToolCallView,
        update: ToolUpdate,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> Option<ToolResult> {
        let result = match update {
            ToolUpdate::AskUser(questions) => self.ask_questions(scope, call, questions, sink, cancel).await,
            ToolUpdate::ExitPlanMode { plan } => self.review_plan(scope, call, plan, sink, cancel).await,
            ToolUpdate::EnterPlanMode { reason } => {
                self.propose_plan_mode(scope, call, reason, sink, cancel).await
            }
            _ => return None,
        };
        Some(result)
    }

    fn answerer(&self, scope: &RunScope, sink: &EventSink) -> Answerer {
        // A sub-agent's questions would reach the user out of context; it reports its assumptions instead.
        if scope.subagent.is_some() {
            return Answerer::Nobody;
        }
        match &self.config.approval {
            ApprovalMode::Interactive if sink.is_attached() => Answerer::User,
            ApprovalMode::Tool(approver) => Answerer::Approver(approver.clone()),
            _ => Answerer::Nobody,
        }
    }

    /// Put `questions` to whoever answers; a permission prompt tool is asked about the call itself.
    async fn put_questions(
        &self,
        scope: &RunScope,
        call: &ToolCallView,
        questions: Vec<Question>,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> Answer<QuestionReply> {
        match self.answerer(scope, sink) {
            Answerer::Nobody => Answer::NoOne,
            Answerer::Approver(approver) => {
                let tools = self.tools_in(scope);
                match self.ask_approval_tool(&approver, &tools, call, cancel).await {
                    Some(decision) => Answer::Given(QuestionReply::from_decision(decision, &questions)),
                    None => Answer::Interrupted,
                }
            }
            Answerer::User => {
                let (responder, reply) = Responder::channel();
                let request = QuestionRequest { call: call.clone(), questions, responder };
                sink.emit(AgentEvent::QuestionAsked(request)).await;
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => Answer::Interrupted,
                    reply = reply => reply.map_or(Answer::NoOne, Answer::Given),
                }
            }
        }
    }

    async fn ask_questions(
        &self,
        scope: &RunScope,
        call: &ToolCallView,
        questions: Vec<Question>,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> ToolResult {
        match self.put_questions(scope, call, questions.clone(), sink, cancel).await {
            Answer::Given(QuestionReply::Answered(answers)) => {
                ToolResult::ok(claurst_tools::answers_result(&questions, &answers))
            }
            Answer::Given(QuestionReply::Declined(None)) => ToolResult::ok(
                "The user declined to answer your questions. Do not ask them again unchanged: go on without \
                 the answers, or ask the user in plain text what they want.",
            ),
            Answer::Given(QuestionReply::Declined(Some(note))) => {
                ToolResult::ok(format!("The user declined to answer your questions and said: {note}"))
            }
            Answer::Given(QuestionReply::Allowed) | Answer::NoOne => ToolResult::ok(NO_USER_ANSWER),
            Answer::Interrupted => ToolResult::error(INTERRUPTED_TOOL_RESULT),
        }
    }

    async fn review_plan(
        &self,
        scope: &RunScope,
        call: &ToolCallView,
        plan: String,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> ToolResult {
        let mode = self.permission_mode();
        if scope.subagent.is_some() || mode != PermissionMode::Plan {
            return ToolResult::error(format!(
                "exit_plan_mode only works in plan mode, and the session is in {mode} mode: there is no plan \
                 to approve. Go on with the task."
            ));
        }
        let choice = match self.answerer(scope, sink) {
            Answerer::Nobody => Answer::NoOne,
            Answerer::Approver(approver) => {
                let tools = self.tools_in(scope);
                match self.ask_approval_tool(&approver, &tools, call, cancel).await {
                    Some(decision) => Answer::Given(PlanChoice::from_decision(decision)),
                    None => Answer::Interrupted,
                }
            }
            Answerer::User => {
                let (responder, reply) = Responder::channel();
                sink.emit(AgentEvent::PlanReviewRequested(PlanRequest {
                    call: call.clone(),
                    plan,
                    responder,
                }))
                .await;
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => Answer::Interrupted,
                    reply = reply => reply.map_or(Answer::NoOne, Answer::Given),
                }
            }
        };
        match choice {
            Answer::Given(PlanChoice::ApproveAcceptEdits) => {
                self.switch_mode(PermissionMode::AcceptEdits, sink).await;
                ToolResult::ok(
                    "The user approved your plan and switched to acceptEdits mode: file edits no longer need \
                     approval. Carry out the plan now.",
                )
            }
            Answer::Given(PlanChoice::ApproveAskFirst) => {
                self.switch_mode(PermissionMode::Default, sink).await;
                ToolResult::ok(
                    "The user approved your plan; plan mode is off and they will approve each change. Carry out \
                     the plan now.",
                )
            }
            Answer::Given(PlanChoice::KeepPlanning(feedback)) => ToolResult::ok(match feedback.trim() {
                "" => {
                    "The user wants you to keep planning: plan mode stays on. Revise the plan and present it \
                       again with exit_plan_mode."
                        .to_string()
                }
                feedback => format!(
                    "The user wants you to keep planning: plan mode stays on. Their feedback: {feedback}\nRevise \
                     the plan and present it again with exit_plan_mode."
                ),
            }),
            Answer::NoOne => ToolResult::error(
                "No one can review the plan in this non-interactive run, so plan mode stays on. Give the plan \
                 as your final answer instead.",
            ),
            Answer::Interrupted => ToolResult::error(INTERRUPTED_TOOL_RESULT),
        }
    }

    async fn propose_plan_mode(
        &self,
        scope: &RunScope,
        call: &ToolCallView,
        reason: String,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> ToolResult {
        let mode = self.permission_mode();
        if mode == PermissionMode::Plan {
            return ToolResult::error(
                "The session is already in plan mode: present your plan with exit_plan_mode.",
            );
        }
        let question = plan_mode_question(&reason, mode);
        match self.put_questions(scope, call, vec![question], sink, cancel).await {
            Answer::Given(QuestionReply::Answered(answers))
                if answers.first().map(String::as_str) == Some(CONFIRM_PLAN_MODE) =>
            {
                self.enter_plan_mode(sink).await
            }
            Answer::Given(QuestionReply::Allowed) => self.enter_plan_mode(sink).await,
            Answer::Given(QuestionReply::Answered(answers)) => {
                let said = answers.into_iter().next().unwrap_or_default();
                let said = if said == "No, go ahead" { String::new() } else { format!(" They said: {said}") };
                ToolResult::ok(format!(
                    "The user declined to switch to plan mode ({mode} mode stays on).{said} Go ahead without it."
                ))
            }
            Answer::Given(QuestionReply::Declined(note)) => {
                let said = note.map(|note| format!(" They said: {note}")).unwrap_or_default();
                ToolResult::ok(format!(
                    "The user declined to switch to plan mode ({mode} mode stays on).{said} Go ahead without it."
                ))
            }
            Answer::NoOne => ToolResult::ok(format!(
                "No user is available to confirm plan mode, so the session stays in {mode} mode: go ahead \
                 without it, carefully."
            )),
            Answer::Interrupted => ToolResult::error(INTERRUPTED_TOOL_RESULT),
        }
    }

    async fn enter_plan_mode(&self, sink: &EventSink) -> ToolResult {
        self.switch_mode(PermissionMode::Plan, sink).await;
        ToolResult::ok(
            "The user switched to plan mode: explore read-only (no edits, no commands that change anything), \
             then present your plan with exit_plan_mode.",
        )
    }

    /// Change the session's mode as `Op::SetPermissionMode` does, so every front-end shows it.
    async fn switch_mode(&self, mode: PermissionMode, sink: &EventSink) {
        self.set_permission_mode(mode);
        sink.emit(AgentEvent::PermissionModeChanged(mode)).await;
    }
}

/// The question `enter_plan_mode` puts to the user.
fn plan_mode_question(reason: &str, mode: PermissionMode) -> Question {
    let why = match reason {
        "" => "Explore read-only and agree on a plan before anything changes".to_string(),
        reason => reason.to_string(),
    };
    Question {
        question: "Switch to plan mode before starting?".to_string(),
        header: "Plan mode".to_string(),
        options: vec![
            QuestionOption { label: CONFIRM_PLAN_MODE.to_string(), description: why },
            QuestionOption {
                label: "No, go ahead".to_string(),
                description: format!("Stay in {mode} mode and start the work"),
            },
        ],
        multi_select: false,
    }
}
