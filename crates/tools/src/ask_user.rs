//! `ask_user_question`: the model asks the user one to four multiple-choice questions.
//!
//! The tool only checks the questions; the agent loop puts them to the user (see `ToolUpdate::AskUser`) and
//! the answers become the call's result.

use crate::tool::{Tool, ToolOutcome, ToolResult, ToolUpdate};
use async_trait::async_trait;
use claurst_protocol::{Question, QuestionOption};
use serde_json::{Value, json};

/// The tool's name.
pub const ASK_USER_QUESTION: &str = "ask_user_question";
/// Questions one call may ask.
pub const MAX_QUESTIONS: usize = 4;
/// Options a question offers, at least and at most (the user may always type an answer of their own).
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 4;

#[derive(Default)]
pub struct AskUserQuestionTool;

impl AskUserQuestionTool {
    pub fn new() -> Self {
        Self
    }
}

/// The questions of `input`, or what is wrong with them, in words the model can act on.
pub fn parse_questions(input: &Value) -> Result<Vec<Question>, String> {
    let Some(list) = input.get("questions").and_then(Value::as_array) else {
        return Err("ask_user_question needs `questions`: a list of 1 to 4 questions.".into());
    };
    if list.is_empty() || list.len() > MAX_QUESTIONS {
        return Err(format!("Ask 1 to {MAX_QUESTIONS} questions at a time; this call has {}.", list.len()));
    }
    let mut questions: Vec<Question> = Vec::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        let question =
            parse_question(item).map_err(|problem| format!("Question {}: {problem}", index + 1))?;
        if questions.iter().any(|earlier| earlier.question == question.question) {
            return Err(format!(
                "Question {} repeats an earlier question: `{}`.",
                index + 1,
                question.question
            ));
        }
        questions.push(question);
    }
    Ok(questions)
}

fn parse_question(item: &Value) -> Result<Question, String> {
    let text = |field: &str| item.get(field).and_then(Value::as_str).map(str::trim).unwrap_or_default();
    let question = text("question");
    if question.is_empty() {
        return Err("`question` is missing or empty.".into());
    }
    let header = match text("header") {
        "" => return Err("`header` (a short label such as `Database`) is missing or empty.".into()),
        header => header,
    };
    let Some(options) = item.get("options").and_then(Value::as_array) else {
        return Err(format!("`options` is missing: give {MIN_OPTIONS} to {MAX_OPTIONS} choices."));
    };
    if options.len() < MIN_OPTIONS || options.len() > MAX_OPTIONS {
        return Err(format!("give {MIN_OPTIONS} to {MAX_OPTIONS} options; it has {}.", options.len()));
    }
    let mut parsed: Vec<QuestionOption> = Vec::with_capacity(options.len());
    for (index, option) in options.iter().enumerate() {
        let field = |name: &str| option.get(name).and_then(Value::as_str).map(str::trim).unwrap_or_default();
        let label = field("label");
        if label.is_empty() {
            return Err(format!("option {} has no `label`.", index + 1));
        }
        if parsed.iter().any(|earlier| earlier.label == label) {
            return Err(format!("two options are labelled `{label}`."));
        }
        parsed
            .push(QuestionOption { label: label.to_string(), description: field("description").to_string() });
    }
    // Models trained on Claude Code write `multiSelect`.
    let multi_select = ["multiSelect", "multi_select"]
        .iter()
        .find_map(|name| item.get(*name).and_then(Value::as_bool))
        .unwrap_or(false);
    Ok(Question { question: question.to_string(), header: header.to_string(), options: parsed, multi_select })
}

/// The call's result once the user answered: each question with its answer, one per line.
pub fn answers_result(questions: &[Question], answers: &[String]) -> String {
    let lines: Vec<String> = questions
        .iter()
        .zip(answers)
        .map(|(question, answer)| format!("\"{}\" = \"{answer}\"", question.question))
        .collect();
    format!("The user answered your questions:\n{}\nGo on with these answers in mind.", lines.join("\n"))
}

#[async_trait]
impl Tool for AskUserQuestionTool {
    fn name(&self) -> &str {
        ASK_USER_QUESTION
    }

    fn description(&self) -> &str {
        "Ask the user 1 to 4 multiple-choice questions and wait for the answers. Use it when a choice is \
         theirs to make (a design decision, an ambiguous requirement, a preference) and guessing would waste \
         work; not for things you can find out yourself. Each question has a short header (up to 12 \
         characters) and 2 to 4 options with a label and a description of what it means; put the option you \
         recommend first. The user may always type an answer of their own instead. Set multiSelect when \
         several options may be chosen together."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "questions": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_QUESTIONS,
                    "items": {
                        "type": "object",
                        "properties": {
                            "question": {"type": "string", "description": "The full question, ending with a question mark"},
                            "header": {"type": "string", "description": "A very short label for the question (`Auth method`)"},
                            "options": {
                                "type": "array",
                                "minItems": MIN_OPTIONS,
                                "maxItems": MAX_OPTIONS,
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "label": {"type": "string", "description": "The choice, in 1 to 5 words"},
                                        "description": {"type": "string", "description": "What choosing it means"}
                                    },
                                    "required": ["label", "description"]
                                }
                            },
                            "multiSelect": {"type": "boolean", "description": "Whether several options may be chosen"}
                        },
                        "required": ["question", "header", "options", "multiSelect"]
                    }
                }
            },
            "required": ["questions"]
        })
    }

    fn title(&self) -> String {
        "ask user".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        let first = input.get("questions")?.as_array()?.first()?;
        first.get("question").and_then(Value::as_str).map(str::to_string)
    }

    /// Asking changes nothing; it is the question itself, so it never needs an approval.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        match parse_questions(&input) {
            Ok(questions) => ToolOutcome {
                update: Some(ToolUpdate::AskUser(questions)),
                ..ToolResult::error(
                    "Questions can only be asked inside a Claurst agent session; none was started.",
                )
                .into()
            },
            Err(problem) => ToolResult::error(problem).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(label: &str) -> Value {
        json!({"label": label, "description": format!("about {label}")})
    }

    fn question(text: &str, options: Vec<Value>) -> Value {
        json!({"question": text, "header": "Pick", "options": options, "multiSelect": false})
    }

    fn problem(input: Value) -> String {
        parse_questions(&input).unwrap_err()
    }

    #[test]
    fn valid_questions_are_parsed() {
        let input = json!({"questions": [
            question("Which database?", vec![option("Postgres"), option("SQLite")]),
            {"question": "Which extras?", "header": "Extras", "multiSelect": true,
             "options": [option("Auth"), option("Metrics"), option("Tracing")]},
        ]});
        let questions = parse_questions(&input).unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].options[1].label, "SQLite");
        assert_eq!(questions[0].options[1].description, "about SQLite");
        assert!(!questions[0].multi_select);
        assert!(questions[1].multi_select);
    }

    #[test]
    fn question_counts_are_bounded() {
        assert!(problem(json!({})).contains("needs `questions`"));
        assert!(problem(json!({"questions": []})).contains("1 to 4 questions"));
        let five: Vec<Value> =
            (0..5).map(|n| question(&format!("Q{n}?"), vec![option("a"), option("b")])).collect();
        assert!(problem(json!({"questions": five})).contains("this call has 5"));
    }

    #[test]
    fn option_counts_and_labels_are_checked() {
        let one = question("Which?", vec![option("a")]);
        assert!(problem(json!({"questions": [one]})).contains("Question 1: give 2 to 4 options; it has 1"));
        let five = question("Which?", (0..5).map(|n| option(&n.to_string())).collect());
        assert!(problem(json!({"questions": [five]})).contains("it has 5"));
        let blank = question("Which?", vec![option("a"), json!({"label": "  ", "description": "x"})]);
        assert!(problem(json!({"questions": [blank]})).contains("option 2 has no `label`"));
        let twice = question("Which?", vec![option("a"), option("a")]);
        assert!(problem(json!({"questions": [twice]})).contains("two options are labelled `a`"));
    }

    #[test]
    fn questions_need_text_a_header_and_must_differ() {
        let same = question("Which?", vec![option("a"), option("b")]);
        assert!(problem(json!({"questions": [same.clone(), same]})).contains("Question 2 repeats"));
        let empty = question(" ", vec![option("a"), option("b")]);
        assert!(problem(json!({"questions": [empty]})).contains("`question` is missing or empty"));
        let headless = json!({"question": "Which?", "options": [option("a"), option("b")]});
        assert!(problem(json!({"questions": [headless]})).contains("`header`"));
    }

    #[test]
    fn answers_read_as_question_and_answer_pairs() {
        let questions = parse_questions(&json!({"questions": [
            question("Which database?", vec![option("Postgres"), option("SQLite")])
        ]}))
        .unwrap();
        let text = answers_result(&questions, &["SQLite".to_string()]);
        assert!(text.contains("\"Which database?\" = \"SQLite\""), "{text}");
    }

    #[tokio::test]
    async fn outside_an_agent_loop_the_call_says_no_one_can_answer() {
        let input = json!({"questions": [question("Which?", vec![option("a"), option("b")])]});
        let outcome = AskUserQuestionTool::new().run(input).await;
        assert!(outcome.result.is_error);
        assert!(matches!(outcome.update, Some(ToolUpdate::AskUser(questions)) if questions.len() == 1));
    }
}
