//! `/model`: the models each provider offers, and what the current provider's endpoint adds (the picker
//! itself is `widgets::model_picker`).

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
        // An open picker shows them in place; a notice would only repeat the list behind it.
        if self.merge_into_model_picker(&provider, &new) {
            return;
        }
        let text = if new.is_empty() {
            format!("{provider} serves no models beyond those listed.")
        } else {
            format!("{provider} also serves:\n    {}", new.join("\n    "))
        };
        self.notice(NoticeKind::Info, text);
    }
}
