//! Images in the prompt: a pasted or dropped image path, and Ctrl+V's clipboard image, become chips.

use crate::app::App;
use crate::clipboard_image::{ClipboardImage, read_clipboard_image};
use crate::composer::{pasted_image_path, read_image};
use claurst_protocol::ImageSource;

impl App {
    /// Attach the image a paste names; says whether the paste was one (then nothing else is inserted).
    pub(crate) fn attach_pasted_image(&mut self, pasted: &str) -> bool {
        let Some(path) = pasted_image_path(pasted) else {
            return false;
        };
        match read_image(&path) {
            Ok(image) => {
                self.composer.attach_image(image);
            }
            Err(reason) => self.flash(format!("{reason}; not attached")),
        }
        true
    }

    /// Ctrl+V: attach the clipboard's image, or say why there is none.
    pub(crate) fn paste_clipboard_image(&mut self) {
        match read_clipboard_image() {
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
