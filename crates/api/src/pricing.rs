//! What tokens cost, per model family.

pub use claurst_protocol::ModelPrice;

/// Published list prices, matched by a fragment of the model id; the first match wins.
const PRICES: &[(&str, ModelPrice)] = &[
    ("opus-4-5", ModelPrice::standard(5.0, 25.0)),
    ("opus-4-6", ModelPrice::standard(5.0, 25.0)),
    ("opus", ModelPrice::standard(15.0, 75.0)),
    ("sonnet", ModelPrice::standard(3.0, 15.0)),
    ("haiku-4", ModelPrice::standard(1.0, 5.0)),
    ("haiku", ModelPrice::standard(0.8, 4.0)),
];

/// The price of a model at list prices; unknown models are priced like Sonnet so costs are never shown as zero.
pub fn price_for(model: &str) -> ModelPrice {
    PriceTable::default().price(model)
}

/// List prices with the user's own entries (`[prices]` in the configuration) taking precedence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable {
    /// Model-id fragment and price; the first matching entry wins.
    overrides: Vec<(String, ModelPrice)>,
}

impl PriceTable {
    pub fn with_overrides(overrides: Vec<(String, ModelPrice)>) -> Self {
        Self { overrides }
    }

    pub fn price(&self, model: &str) -> ModelPrice {
        self.overrides
            .iter()
            .map(|(fragment, price)| (fragment.as_str(), price))
            .chain(PRICES.iter().map(|(fragment, price)| (*fragment, price)))
            .find(|(fragment, _)| model.contains(fragment))
            .map(|(_, price)| *price)
            .unwrap_or(ModelPrice::standard(3.0, 15.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::Usage;

    #[test]
    fn costs_follow_the_price_table() {
        let usage = Usage {
            input_tokens: 1_000_000,
            output_tokens: 1_000_000,
            cache_creation_input_tokens: 1_000_000,
            cache_read_input_tokens: 1_000_000,
            ..Usage::default()
        };
        let sonnet = price_for("claude-sonnet-4-5").cost(&usage);
        assert!((sonnet - (3.0 + 15.0 + 3.75 + 0.3)).abs() < 1e-9, "{sonnet}");
        // Each server-side web search costs a cent on top of the tokens.
        let mut searched = usage;
        searched.server_tool_use.web_search_requests = 3;
        let with_searches = price_for("claude-sonnet-4-5").cost(&searched);
        assert!((with_searches - sonnet - 0.03).abs() < 1e-9, "{with_searches}");
        assert_eq!(price_for("claude-opus-4-6").input, 5.0);
        assert_eq!(price_for("claude-opus-4-1").input, 15.0);
        assert_eq!(price_for("claude-haiku-4-5").output, 5.0);
        assert_eq!(price_for("mystery").input, 3.0);
    }

    #[test]
    fn configured_prices_take_precedence() {
        let table = PriceTable::with_overrides(vec![("sonnet".into(), ModelPrice::standard(1.0, 2.0))]);
        assert_eq!(table.price("claude-sonnet-4-5").output, 2.0);
        assert_eq!(table.price("claude-opus-4-6").input, 5.0);
    }
}
