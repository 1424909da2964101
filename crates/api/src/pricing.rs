//! What tokens cost, per model family.

use claurst_protocol::Usage;

/// US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrice {
    pub input: f64,
    pub output: f64,
    pub cache_write: f64,
    pub cache_read: f64,
}

impl ModelPrice {
    /// A price with the API's usual cache multipliers: writes cost 1.25× input, reads 0.1×.
    pub const fn standard(input: f64, output: f64) -> Self {
        Self { input, output, cache_write: input * 1.25, cache_read: input * 0.1 }
    }

    /// Cost of `usage` in US dollars.
    pub fn cost(&self, usage: &Usage) -> f64 {
        let per_token = |tokens: u64, per_million: f64| tokens as f64 * per_million / 1_000_000.0;
        per_token(usage.input_tokens, self.input)
            + per_token(usage.output_tokens, self.output)
            + per_token(usage.cache_creation_input_tokens, self.cache_write)
            + per_token(usage.cache_read_input_tokens, self.cache_read)
    }
}

/// Published list prices, matched by a fragment of the model id; the first match wins.
const PRICES: &[(&str, ModelPrice)] = &[
    ("opus-4-5", ModelPrice::standard(5.0, 25.0)),
    ("opus-4-6", ModelPrice::standard(5.0, 25.0)),
    ("opus", ModelPrice::standard(15.0, 75.0)),
    ("sonnet", ModelPrice::standard(3.0, 15.0)),
    ("haiku-4", ModelPrice::standard(1.0, 5.0)),
    ("haiku", ModelPrice::standard(0.8, 4.0)),
];

/// The price of a model; unknown models are priced like Sonnet so costs are never shown as zero.
pub fn price_for(model: &str) -> ModelPrice {
    PRICES
        .iter()
        .find(|(fragment, _)| model.contains(fragment))
        .map(|(_, price)| *price)
        .unwrap_or(ModelPrice::standard(3.0, 15.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_the_price_table() {
        let usage = Usage {
            input_tokens: 1_000_000,
            output_tokens: 1_000_000,
            cache_creation_input_tokens: 1_000_000,
            cache_read_input_tokens: 1_000_000,
        };
        let sonnet = price_for("claude-sonnet-4-5").cost(&usage);
        assert!((sonnet - (3.0 + 15.0 + 3.75 + 0.3)).abs() < 1e-9, "{sonnet}");
        assert_eq!(price_for("claude-opus-4-6").input, 5.0);
        assert_eq!(price_for("claude-opus-4-1").input, 15.0);
        assert_eq!(price_for("claude-haiku-4-5").output, 5.0);
        assert_eq!(price_for("mystery").input, 3.0);
    }
}
