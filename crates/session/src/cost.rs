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

/// Usage and cost accumulated per model over a session, in the order models were first used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostLedger {
    models: Vec<ModelCost>,
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
        let index = match self.models.iter().position(|entry| entry.model == model) {
            Some(index) => index,
            None => {
                self.models.push(ModelCost { model: model.to_string(), ..ModelCost::default() });
                self.models.len() - 1
            }
        };
        let entry = &mut self.models[index];
        entry.requests += 1;
        entry.usage.accumulate(usage);
        match cost_usd {
            Some(cost) => entry.cost_usd += cost,
            None => entry.price_unknown = true,
        }
    }

    /// Whether some request's price is unknown.
    pub fn price_unknown(&self) -> bool {
        self.models.iter().any(|entry| entry.price_unknown)
    }

    /// Per-model totals, in the order models were first used.
    pub fn models(&self) -> &[ModelCost] {
        &self.models
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    pub fn total_usage(&self) -> Usage {
        let mut total = Usage::default();
        for entry in &self.models {
            total.accumulate(&entry.usage);
        }
        total
    }

    pub fn total_cost_usd(&self) -> f64 {
        self.models.iter().map(|entry| entry.cost_usd).sum()
    }

    /// The `/cost` report: a table of tokens and dollars per model, then the total.
    pub fn report(&self) -> String {
        if self.models.is_empty() {
            return "No model requests in this session yet.".to_string();
        }
        let mut rows: Vec<[String; 6]> = vec![[
            "Model".into(),
            "Input".into(),
            "Output".into(),
            "Cache write".into(),
            "Cache read".into(),
            "Cost".into(),
        ]];
        rows.extend(
            self.models
                .iter()
                .map(|entry| row(&entry.model, &entry.usage, entry.cost_usd, entry.price_unknown)),
        );
        if self.models.len() > 1 {
            rows.push(row("Total", &self.total_usage(), self.total_cost_usd(), self.price_unknown()));
        }
        let mut widths = [0usize; 6];
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut report = String::new();
        for row in &rows {
            let mut line = format!("{:<width$}", row[0], width = widths[0]);
            for (cell, width) in row.iter().zip(widths).skip(1) {
                let _ = write!(line, "  {cell:>width$}");
            }
            report.push_str(line.trim_end());
            report.push('\n');
        }
        let _ = write!(report, "Total cost: {}", cost_text(self.total_cost_usd(), self.price_unknown()));
        report
    }
}

/// Dollars, or "price unknown" (with the known part, if any): an unknown price is never shown as $0.
pub fn cost_text(known_usd: f64, price_unknown: bool) -> String {
    match (price_unknown, known_usd > 0.0) {
        (false, _) => dollars(known_usd),
        (true, false) => "price unknown".to_string(),
        (true, true) => format!("{} + price unknown", dollars(known_usd)),
    }
}

fn row(label: &str, usage: &Usage, cost: f64, price_unknown: bool) -> [String; 6] {
    [
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
}
