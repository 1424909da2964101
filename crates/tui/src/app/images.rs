//! Images in the prompt: a pasted or dropped image path, and Ctrl+V's clipboard image, become chips.

use crate::app::App;
use crate::clipboard_image::ClipboardImage;
use crate::composer::{pasted_image_path, read_image};
use claurst_protocol::ImageSource;

impl App {
    /// Attach the image a paste names; says whether it did (then nothing else is inserted). A path that
    /// cannot be attached (too large, not really an image) stays pasted as text: what the user pasted is
    /// never lost.
    pub(crate) fn attach_pasted_image(&mut self, pasted: &str) -> bool {
        let Some(path) = pasted_image_path(pasted) else {
            return false;
        };
        match read_image(&path) {
            Ok(image) => {
                self.composer.attach_image(image);
                true
            }
            Err(reason) => {
                self.flash(format!("{reason}; not attached"));
                false
            }
        }
    }

    /// Ctrl+V's clipboard read ended: attach its image, or say why there is none.
    pub(crate) fn clipboard_image_read(&mut self, clipboard: ClipboardImage) {
        match clipboard {
            ClipboardImage::Image(bytes) => match ImageSource::from_image_bytes(&bytes) {
                Ok(image) => {
                    self.composer.attach_image(image);
                }
                Err(refusal) => self.flash(format!("The clipboard holds {refusal}; not attached")),
            },
            ClipboardImage::NoImage => {
                self.flash("No image in the clipboard (paste text with your terminal)")
            }
            ClipboardImage::NoTool(hint) => self.flash(format!("Cannot read the clipboard: {hint}")),
        }
    }
}
