//! Images in tool results, for a model that may not take them.

use crate::agent::Agent;
use claurst_protocol::ToolResultContent;
use claurst_tools::ToolResult;

impl Agent {
    /// `extra` as the current model can take it: a model known not to take images gets none of them, and
    /// the result tells it so (rather than a provider error, or the model guessing at what it cannot see).
    /// A model Claurst knows nothing about gets them: its server decides.
    pub(crate) fn images_for_model(
        &self,
        extra: Vec<ToolResultContent>,
        result: &mut ToolResult,
    ) -> Vec<ToolResultContent> {
        let has_image = extra.iter().any(|content| matches!(content, ToolResultContent::Image { .. }));
        let blind = self.provider().model(&self.model_id()).is_some_and(|info| !info.images);
        if !has_image || !blind {
            return extra;
        }
        result.output.push_str(&format!(
            "\n(The model in use, {}, does not take image input, so the image was not sent; switch to a model \
             that does, with /model, to look at it.)",
            self.model()
        ));
        extra.into_iter().filter(|content| !matches!(content, ToolResultContent::Image { .. })).collect()
    }
}
