//! Tokens and dollars per model, for `/cost` and the headless result.

use claurst_protocol::{ModelPrice, Usage};
use serde::Serialize;
use std::fmt::Write as _;

/// Totals for one model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelCost {
    pub model: String,
    /// Model requests made.
    pub requests: u64,
    pub usage: Usage,
    /// The cost of the requests whose price is known.
    pub cost_usd: f64,
    /// Some request was made at a price nobody knows: the cost is shown as "price unknown", never as $0.
    pub price_unknown: bool,
}

/// What one sub-agent run spent on its model, as reported by the agent that delegated to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SubagentCost {
    /// Who ran: the agent type and the task's short description, such as `explore: Find the config loader`.
    pub agent: String,
    pub model: String,
    /// Model requests the sub-agent made.
    pub requests: u64,
    pub usage: Usage,
    /// The cost of the requests whose price is known.
    pub cost_usd: f64,
    /// Some request was made at a price nobody knows.
    pub price_unknown: bool,
}

/// Usage and cost accumulated over a session: per model for the main conversation (in the order models were
/// first used), and one row per sub-agent run. Totals include both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostLedger {
    models: Vec<ModelCost>,
    subagents: Vec<SubagentCost>,
}

impl CostLedger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one request's `usage` by `model` at `price`; returns what it cost.
    pub fn record(&mut self, model: &str, usage: &Usage, price: &ModelPrice) -> f64 {
        let cost = price.cost(usage);
        self.record_cost(model, usage, Some(cost));
        cost
    }

    /// Add one request whose cost is already worked out (as recorded in a transcript); `None` when the
    /// model's price is unknown.
    pub fn record_cost(&mut self, model: &str, usage: &Usage, cost_usd: Option<f64>) {
        let entry = model_entry(&mut self.models, model);
        entry.requests += 1;
        entry.usage.accumulate(usage);
        match cost_usd {
            Some(cost) => entry.cost_usd += cost,
            None => entry.price_unknown = true,
        }
    }

    /// Add what one sub-agent run spent on one model (`cost.requests` requests). Each call is its own row of
    /// [`subagents`](Self::subagents), even for the same agent label: every run is a separate delegation.
    pub fn record_subagent(&mut self, agent: &str, cost: &ModelCost) {
        self.subagents.push(SubagentCost {
            agent: agent.to_string(),
            model: cost.model.clone(),
            requests: cost.requests,
            usage: cost.usage,
            cost_usd: cost.cost_usd,
            price_unknown: cost.price_unknown,
        });
    }

    /// Whether some request's price is unknown, sub-agents' included.
    pub fn price_unknown(&self) -> bool {
        self.models.iter().any(|entry| entry.price_unknown)
            || self.subagents.iter().any(|entry| entry.price_unknown)
    }

    /// Per-model totals of the main conversation only, in the order models were first used.
    pub fn models(&self) -> &[ModelCost] {
        &self.models
    }

    /// One row per sub-agent run, in the order they were recorded.
    pub fn subagents(&self) -> &[SubagentCost] {
        &self.subagents
    }

    /// Per-model totals with the main conversation and the sub-agents merged: the main conversation's models
    /// first (in first-use order), then models only sub-agents used.
    pub fn model_totals(&self) -> Vec<ModelCost> {
        let mut totals = self.models.clone();
        for run in &self.subagents {
            let entry = model_entry(&mut totals, &run.model);
            entry.requests += run.requests;
            entry.usage.accumulate(&run.usage);
            entry.cost_usd += run.cost_usd;
            entry.price_unknown |= run.price_unknown;
        }
        totals
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty() && self.subagents.is_empty()
    }

    /// Tokens of the whole session, sub-agents included.
    pub fn total_usage(&self) -> Usage {
        let mut total = main_usage(&self.models);
        for run in &self.subagents {
            total.accumulate(&run.usage);
        }
        total
    }

    /// The known cost of the whole session, sub-agents included.
    pub fn total_cost_usd(&self) -> f64 {
        self.models.iter().map(|entry| entry.cost_usd).sum::<f64>()
            + self.subagents.iter().map(|entry| entry.cost_usd).sum::<f64>()
    }

    /// The `/cost` report: a table of tokens and dollars per model, a table of sub-agent runs when there were
    /// any, then the total of everything.
    pub fn report(&self) -> String {
        if self.is_empty() {
            return "No model requests in this session yet.".to_string();
        }
        let mut report = String::new();
        if !self.models.is_empty() {
            write_table(&mut report, &self.model_rows(), 1);
        }
        if !self.subagents.is_empty() {
            if !report.is_empty() {
                report.push('\n');
            }
            report.push_str("Sub-agents\n");
            write_table(&mut report, &self.subagent_rows(), 2);
        }
        let _ = write!(report, "Total cost: {}", cost_text(self.total_cost_usd(), self.price_unknown()));
        report
    }

    fn model_rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![header(&["Model", "Input", "Output", "Cache write", "Cache read", "Cost"])];
        rows.extend(
            self.models
                .iter()
                .map(|entry| model_row(&entry.model, &entry.usage, entry.cost_usd, entry.price_unknown)),
        );
        if self.models.len() > 1 {
            let cost = self.models.iter().map(|entry| entry.cost_usd).sum();
            let unknown = self.models.iter().any(|entry| entry.price_unknown);
            rows.push(model_row("Total", &main_usage(&self.models), cost, unknown));
        }
        rows
    }

    fn subagent_rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![header(&["Agent", "Model", "Requests", "Input", "Output", "Cost"])];
        rows.extend(self.subagents.iter().map(|run| {
            vec![
                shortened(&run.agent, AGENT_LABEL_CHARS),
                run.model.clone(),
                thousands(run.requests),
                thousands(run.usage.input_tokens),
                thousands(run.usage.output_tokens),
                cost_text(run.cost_usd, run.price_unknown),
            ]
        }));
        rows
    }
}

/// Longest agent label shown in the `/cost` table, in characters: the task descriptions are free text.
const AGENT_LABEL_CHARS: usize = 40;

/// The entry for `model`, added at the end if it is not there yet.
fn model_entry<'a>(models: &'a mut Vec<ModelCost>, model: &str) -> &'a mut ModelCost {
    let index = match models.iter().position(|entry| entry.model == model) {
        Some(index) => index,
        None => {
            models.push(ModelCost { model: model.to_string(), ..ModelCost::default() });
            models.len() - 1
        }
    };
    &mut models[index]
}

fn main_usage(models: &[ModelCost]) -> Usage {
    let mut total = Usage::default();
    for entry in models {
        total.accumulate(&entry.usage);
    }
    total
}

fn header(titles: &[&str]) -> Vec<String> {
    titles.iter().map(|title| (*title).to_string()).collect()
}

/// Append `rows` as an aligned table: the first `left_columns` columns aligned left (names), the others right
/// (numbers), two spaces between columns, no trailing spaces.
fn write_table(out: &mut String, rows: &[Vec<String>], left_columns: usize) {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        widths.resize(widths.len().max(row.len()), 0);
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
            let gap = if column == 0 { "" } else { "  " };
            if column < left_columns {
                let _ = write!(line, "{gap}{cell:<width$}");
            } else {
                let _ = write!(line, "{gap}{cell:>width$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// `text` cut to `max` characters, ending in `…` when it was cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Dollars, or "price unknown" (with the known part, if any): an unknown price is never shown as $0.
pub fn cost_text(known_usd: f64, price_unknown: bool) -> String {
    match (price_unknown, known_usd > 0.0) {
        (false, _) => dollars(known_usd),
        (true, false) => "price unknown".to_string(),
        (true, true) => format!("{} + price unknown", dollars(known_usd)),
    }
}

fn model_row(label: &str, usage: &Usage, cost: f64, price_unknown: bool) -> Vec<String> {
    vec![
        label.to_string(),
        thousands(usage.input_tokens),
        thousands(usage.output_tokens),
        thousands(usage.cache_creation_input_tokens),
        thousands(usage.cache_read_input_tokens),
        cost_text(cost, price_unknown),
    ]
}

/// Dollars with four decimals: small sessions cost fractions of a cent.
fn dollars(amount: f64) -> String {
    format!("${amount:.4}")
}

/// `1234567` as `1,234,567`.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SONNET: ModelPrice = ModelPrice::standard(3.0, 15.0);

    fn usage(input: u64, output: u64, write: u64, read: u64) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            cache_creation_input_tokens: write,
            cache_read_input_tokens: read,
            ..Usage::default()
        }
    }

    #[test]
    fn costs_follow_the_price() {
        let cost = SONNET.cost(&usage(1_000_000, 1_000_000, 1_000_000, 1_000_000));
        assert!((cost - 22.05).abs() < 1e-9, "{cost}");
    }

    #[test]
    fn ledger_accumulates_per_model_in_first_use_order() {
        let mut ledger = CostLedger::new();
        let first = ledger.record("claude-sonnet-4-5", &usage(1000, 200, 0, 5000), &SONNET);
        ledger.record_cost("claude-haiku-4-5", &usage(10, 5, 0, 0), Some(0.5));
        ledger.record("claude-sonnet-4-5", &usage(1000, 200, 0, 5000), &SONNET);
        let models: Vec<&str> = ledger.models().iter().map(|m| m.model.as_str()).collect();
        assert_eq!(models, ["claude-sonnet-4-5", "claude-haiku-4-5"]);
        assert_eq!(ledger.models()[0].requests, 2);
        assert_eq!(ledger.models()[0].usage.input_tokens, 2000);
        assert!((ledger.total_cost_usd() - (2.0 * first + 0.5)).abs() < 1e-12);
        assert_eq!(ledger.total_usage().output_tokens, 405);
    }

    #[test]
    fn report_is_an_aligned_table_with_a_total() {
        let mut ledger = CostLedger::new();
        ledger.record("claude-sonnet-4-5", &usage(1_234_567, 2_000, 30_000, 400_000), &SONNET);
        ledger.record_cost("claude-haiku-4-5", &usage(800, 120, 0, 0), Some(0.0014));
        let report = ledger.report();
        let expected = "\
Model                  Input  Output  Cache write  Cache read     Cost
claude-sonnet-4-5  1,234,567   2,000       30,000     400,000  $3.9662
claude-haiku-4-5         800     120            0           0  $0.0014
Total              1,235,367   2,120       30,000     400,000  $3.9676
Total cost: $3.9676";
        assert_eq!(report, expected);
        assert_eq!(CostLedger::new().report(), "No model requests in this session yet.");
    }

    #[test]
    fn thousands_separators() {
        for (value, text) in [(0, "0"), (999, "999"), (1000, "1,000"), (1_000_000, "1,000,000")] {
            assert_eq!(thousands(value), text);
        }
    }

    #[test]
    fn an_unknown_price_is_never_shown_as_zero() {
        let mut ledger = CostLedger::new();
        ledger.record_cost("ollama/qwen3", &usage(1_000, 200, 0, 0), None);
        assert!(ledger.price_unknown());
        let report = ledger.report();
        assert!(report.contains("price unknown"), "{report}");
        assert!(report.ends_with("Total cost: price unknown"), "{report}");
        assert!(!report.contains("$0.0000"), "{report}");
        ledger.record("claude-sonnet-4-5", &usage(1_000_000, 0, 0, 0), &SONNET);
        assert!(ledger.report().ends_with("Total cost: $3.0000 + price unknown"), "{}", ledger.report());
    }

    fn run(model: &str, requests: u64, usage: Usage, cost: Option<f64>) -> ModelCost {
        ModelCost {
            model: model.into(),
            requests,
            usage,
            cost_usd: cost.unwrap_or(0.0),
            price_unknown: cost.is_none(),
        }
    }

    #[test]
    fn totals_include_sub_agents_but_models_stay_the_main_conversation() {
        let mut ledger = CostLedger::new();
        ledger.record_cost("claude-sonnet-4-5", &usage(1000, 100, 0, 0), Some(0.5));
        ledger.record_subagent(
            "explore: Find the loader",
            &run("claude-haiku-4-5", 3, usage(300, 30, 0, 9), Some(0.25)),
        );
        ledger
            .record_subagent("plan: Plan it", &run("claude-sonnet-4-5", 2, usage(20, 2, 0, 0), Some(0.125)));
        ledger.record_subagent(
            "explore: Find the loader",
            &run("claude-haiku-4-5", 1, usage(1, 1, 0, 0), Some(0.0)),
        );

        assert_eq!(ledger.total_usage(), usage(1321, 133, 0, 9));
        assert!((ledger.total_cost_usd() - 0.875).abs() < 1e-12);
        assert!(!ledger.price_unknown());
        assert_eq!(ledger.models().len(), 1, "sub-agents are not main-conversation models");
        assert_eq!(ledger.models()[0].requests, 1);
        let agents: Vec<&str> = ledger.subagents().iter().map(|run| run.agent.as_str()).collect();
        assert_eq!(agents, ["explore: Find the loader", "plan: Plan it", "explore: Find the loader"]);
        assert_eq!(ledger.subagents()[0].requests, 3);

        let totals = ledger.model_totals();
        let models: Vec<(&str, u64)> = totals.iter().map(|m| (m.model.as_str(), m.requests)).collect();
        assert_eq!(models, [("claude-sonnet-4-5", 3), ("claude-haiku-4-5", 4)]);
        assert_eq!(totals[0].usage, usage(1020, 102, 0, 0));
        assert!((totals[1].cost_usd - 0.25).abs() < 1e-12);

        ledger.record_subagent("general-purpose: x", &run("ollama/qwen3", 1, usage(1, 1, 0, 0), None));
        assert!(ledger.price_unknown(), "a sub-agent's unknown price makes the total unknown");
        assert!(ledger.model_totals()[2].price_unknown);
    }

    #[test]
    fn report_lists_sub_agent_runs_and_totals_everything() {
        let mut ledger = CostLedger::new();
        ledger.record_cost("claude-sonnet-4-5", &usage(1000, 100, 0, 0), Some(0.5));
        ledger.record_subagent(
            "explore: Find the config loader and every place that reads it",
            &run("claude-haiku-4-5", 3, usage(12_000, 800, 0, 0), Some(0.02)),
        );
        ledger.record_subagent("plan: Plan it", &run("claude-sonnet-4-5", 1, usage(50, 5, 0, 0), None));
        let expected = "\
Model              Input  Output  Cache write  Cache read     Cost
claude-sonnet-4-5  1,000     100            0           0  $0.5000

Sub-agents
Agent                                     Model              Requests   Input  Output           Cost
explore: Find the config loader and eve…  claude-haiku-4-5          3  12,000     800        $0.0200
plan: Plan it                             claude-sonnet-4-5         1      50       5  price unknown
Total cost: $0.5200 + price unknown";
        assert_eq!(ledger.report(), expected);
    }
}
