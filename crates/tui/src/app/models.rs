//! `/model`: the models each provider offers, and what the current provider's endpoint adds.

use super::App;
use crate::ProviderModels;
use crate::transcript::NoticeKind;
use crate::widgets::popup::PopupItem;

impl App {
    /// `/model`'s completions: every known model containing `query`, with its provider; the current one marked.
    pub(crate) fn model_choices(&self, query: &str) -> Vec<PopupItem> {
        let query = query.to_lowercase();
        self.models
            .iter()
            .flat_map(|provider| provider.models.iter().map(move |model| (provider, model)))
            .filter(|(_, model)| model.to_lowercase().contains(&query))
            .map(|(provider, model)| PopupItem {
                label: model.clone(),
                detail: if *model == self.status.model {
                    format!("{} · current", provider.provider)
                } else {
                    provider.provider.clone()
                },
            })
            .collect()
    }

    /// The models per provider, the current one marked, and how to switch.
    pub(crate) fn model_list(&self) -> String {
        let mut text = format!("Model: {}", self.status.model);
        if self.status.thinking.is_some() {
            text.push_str(" (thinking on; Tab on an empty prompt turns it off)");
        }
        for provider in &self.models {
            text.push_str(&format!("\n  {}", provider.provider));
            if provider.models.is_empty() {
                text.push_str(": no models listed (ask the server, or name one)");
            }
            for model in &provider.models {
                let marker = if *model == self.status.model { "●" } else { " " };
                text.push_str(&format!("\n    {marker} {model}"));
            }
        }
        text.push_str(
            "\nChange it with /model <name> or /model <provider>/<model>, e.g. /model ollama/qwen3",
        );
        text
    }

    /// The endpoint answered `/model`: remember its models and show the ones not listed yet.
    pub(crate) fn models_listed(&mut self, provider: String, models: Vec<String>) {
        let index = match self.models.iter().position(|entry| entry.provider == provider) {
            Some(index) => index,
            None => {
                self.models.push(ProviderModels { provider: provider.clone(), models: Vec::new() });
                self.models.len() - 1
            }
        };
        let known = &mut self.models[index].models;
        let new: Vec<String> = models.into_iter().filter(|model| !known.contains(model)).collect();
        known.extend(new.iter().cloned());
        let text = if new.is_empty() {
            format!("{provider} serves no models beyond those listed.")
        } else {
            format!("{provider} also serves:\n    {}", new.join("\n    "))
        };
        self.notice(NoticeKind::Info, text);
    }
}
