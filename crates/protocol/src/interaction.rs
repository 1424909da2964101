//! What the model asks of the user beyond approvals: multiple-choice questions (`ask_user_question`,
//! `enter_plan_mode`) and the review of a plan (`exit_plan_mode`).
//!
//! Like an approval, each is a request event carrying a one-shot responder. A responder dropped unanswered
//! means nobody could answer (a front-end without a user); the agent then tells the model so.

use crate::event::{Decision, ToolCallView};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::oneshot;

/// One multiple-choice question, as the model wrote it (checked by the tool before it reaches a front-end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The full question (`Which database should the service use?`).
    pub question: String,
    /// A short label for it (`Database`), shown as the question's tab.
    pub header: String,
    /// Two to four choices; the user may also type an answer of their own.
    pub options: Vec<QuestionOption>,
    /// Whether several options may be chosen together.
    #[serde(default)]
    pub multi_select: bool,
}

/// One choice of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionOption {
    pub label: String,
    /// What choosing it means; may be empty.
    #[serde(default)]
    pub description: String,
}

/// How a question request was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionReply {
    /// One answer per question, in order: the chosen labels (joined by `, ` when several) or the user's text.
    Answered(Vec<String>),
    /// The user declined to answer, maybe saying why.
    Declined(Option<String>),
    /// A program approving in the user's place allowed the call without giving answers.
    Allowed,
}

impl QuestionReply {
    /// The reply a permission decision amounts to (an Agent SDK's `can_use_tool` or a permission prompt
    /// tool answered in the user's place): an allow whose rewritten input has `answers`, an object from
    /// question text to answer, answers; any other allow is `Allowed`; a deny declines.
    pub fn from_decision(decision: Decision, questions: &[Question]) -> QuestionReply {
        match decision {
            Decision::AllowWithInput(input) => match input.get("answers").and_then(Value::as_object) {
                Some(answers) => QuestionReply::Answered(
                    questions
                        .iter()
                        .map(|question| match answers.get(&question.question) {
                            Some(Value::String(answer)) => answer.clone(),
                            Some(other) => other.to_string(),
                            None => "(no answer)".to_string(),
                        })
                        .collect(),
                ),
                None => QuestionReply::Allowed,
            },
            Decision::AllowOnce | Decision::AllowAlways => QuestionReply::Allowed,
            Decision::Deny | Decision::DenyAndStop => QuestionReply::Declined(None),
            Decision::DenyWithFeedback(note) => QuestionReply::Declined(Some(note)),
        }
    }
}

/// The user's verdict on a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChoice {
    /// Carry it out, with file edits allowed without asking (mode `acceptEdits`).
    ApproveAcceptEdits,
    /// Carry it out, asking before each edit (mode `default`).
    ApproveAskFirst,
    /// Stay in plan mode and revise the plan; the feedback (maybe empty) goes to the model.
    KeepPlanning(String),
}

impl PlanChoice {
    /// The choice a permission decision amounts to: an allow approves asking first (a program chooses the
    /// mode itself with `set_permission_mode`); a deny keeps planning, with its message as feedback.
    pub fn from_decision(decision: Decision) -> PlanChoice {
        match decision {
            Decision::AllowOnce | Decision::AllowAlways | Decision::AllowWithInput(_) => {
                PlanChoice::ApproveAskFirst
            }
            Decision::Deny | Decision::DenyAndStop => PlanChoice::KeepPlanning(String::new()),
            Decision::DenyWithFeedback(note) => PlanChoice::KeepPlanning(note),
        }
    }
}

/// The reply half of a request to the user. Dropping it unanswered means nobody could answer.
#[derive(Debug)]
pub struct Responder<T>(oneshot::Sender<T>);

impl<T> Responder<T> {
    /// A responder and the receiver the agent awaits.
    pub fn channel() -> (Responder<T>, oneshot::Receiver<T>) {
        let (sender, receiver) = oneshot::channel();
        (Responder(sender), receiver)
    }

    /// Answer the request; harmless after the run was interrupted.
    pub fn respond(self, answer: T) {
        // The agent may have stopped waiting (interrupt); the answer is then moot.
        let _ = self.0.send(answer);
    }
}

/// Questions waiting for the user's answers.
#[derive(Debug)]
pub struct QuestionRequest {
    /// The tool call that asks.
    pub call: ToolCallView,
    pub questions: Vec<Question>,
    pub responder: Responder<QuestionReply>,
}

/// A plan waiting for the user's verdict (the model called `exit_plan_mode` in plan mode).
#[derive(Debug)]
pub struct PlanRequest {
    pub call: ToolCallView,
    /// The plan, in Markdown.
    pub plan: String,
    pub responder: Responder<PlanChoice>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(text: &str) -> Question {
        Question {
            question: text.into(),
            header: "H".into(),
            options: vec![
                QuestionOption { label: "a".into(), description: String::new() },
                QuestionOption { label: "b".into(), description: String::new() },
            ],
            multi_select: false,
        }
    }

    #[test]
    fn a_programs_answers_come_from_the_rewritten_input() {
        let questions = [question("Which?"), question("Why?")];
        let input = json!({"questions": [], "answers": {"Which?": "b"}});
        assert_eq!(
            QuestionReply::from_decision(Decision::AllowWithInput(input), &questions),
            QuestionReply::Answered(vec!["b".into(), "(no answer)".into()])
        );
        assert_eq!(QuestionReply::from_decision(Decision::AllowOnce, &questions), QuestionReply::Allowed);
        assert_eq!(
            QuestionReply::from_decision(Decision::DenyWithFeedback("later".into()), &questions),
            QuestionReply::Declined(Some("later".into()))
        );
    }

    #[test]
    fn a_programs_plan_verdict_approves_or_keeps_planning() {
        assert_eq!(PlanChoice::from_decision(Decision::AllowOnce), PlanChoice::ApproveAskFirst);
        assert_eq!(
            PlanChoice::from_decision(Decision::DenyWithFeedback("add tests".into())),
            PlanChoice::KeepPlanning("add tests".into())
        );
    }

    #[tokio::test]
    async fn a_dropped_responder_reads_as_no_answer() {
        let (responder, receiver) = Responder::<PlanChoice>::channel();
        drop(responder);
        assert!(receiver.await.is_err());
    }
}
