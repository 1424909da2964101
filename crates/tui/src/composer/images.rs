//! Images attached to the prompt: each shown in the text as a chip `[Image #N]` and sent beside the text
//! as an image block. They come from a pasted or dropped path of an image file, or from the clipboard.

use super::Composer;
use claurst_protocol::{ImageRefusal, ImageSource, MAX_IMAGE_BYTES, image_media_type};
use std::path::{Path, PathBuf};

impl Composer {
    /// Attach `image` at the caret as the chip `[Image #N]`; returns the chip.
    pub fn attach_image(&mut self, image: ImageSource) -> String {
        self.images_attached += 1;
        let chip = format!("[Image #{}]", self.images_attached);
        self.insert_str(&chip);
        self.images.push((chip.clone(), image));
        chip
    }

    /// The images whose chips are still in the text, in the order attached; call before
    /// `take_submission`, which forgets them.
    pub fn take_images(&mut self) -> Vec<ImageSource> {
        let text = &self.text;
        let images = self.images.drain(..).filter(|(chip, _)| text.contains(chip.as_str()));
        images.map(|(_, image)| image).collect()
    }

    pub(super) fn forget_images(&mut self) {
        self.images.clear();
        self.images_attached = 0;
        self.draft_images = None;
    }

    /// Leaving the draft for a history entry: set its images aside (an entry has none attached).
    pub fn set_draft_images_aside(&mut self) {
        let images = std::mem::take(&mut self.images);
        self.draft_images = Some((images, std::mem::take(&mut self.images_attached)));
    }

    /// Back at the draft: its images return with it.
    pub fn restore_draft_images(&mut self) {
        if let Some((images, attached)) = self.draft_images.take() {
            self.images = images;
            self.images_attached = attached;
        }
    }

    /// Backspace right after a chip removes the chip and its image; says whether it did.
    pub(super) fn remove_image_chip_before_caret(&mut self) -> bool {
        let before = &self.text[..self.cursor];
        let Some(position) = self.images.iter().position(|(chip, _)| before.ends_with(chip.as_str())) else {
            return false;
        };
        let (chip, _) = self.images.remove(position);
        let start = self.cursor - chip.len();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }
}

/// The image file a paste names, as terminals paste a dropped file: a path, quoted or with `\ ` escapes, or
/// a `file://` URL. `None` when the paste is anything else (text, a missing file, another kind of file).
pub fn pasted_image_path(pasted: &str) -> Option<PathBuf> {
    let trimmed = pasted.trim();
    if trimmed.is_empty() || trimmed.contains('\n') {
        return None;
    }
    let unquoted = ['\'', '"'].iter().find_map(|quote| {
        trimmed.strip_prefix(*quote).and_then(|rest| rest.strip_suffix(*quote)).map(str::to_string)
    });
    let raw = unquoted.unwrap_or_else(|| unescape(trimmed));
    let raw = raw.strip_prefix("file://").map(|rest| rest.replace("%20", " ")).unwrap_or(raw);
    let path = PathBuf::from(raw);
    (image_media_type(&path).is_some() && path.is_file()).then_some(path)
}

/// `a\ b` → `a b`: a shell's escapes, as terminals write a dropped path.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(character) = chars.next() {
        match character {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

/// The image at `path`, ready to attach, or why it cannot be (too large, not an image, unreadable).
pub fn read_image(path: &Path) -> Result<ImageSource, String> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
    let len = std::fs::metadata(path).map_err(|error| format!("Cannot read {name}: {error}"))?.len();
    if len > MAX_IMAGE_BYTES {
        return Err(format!("{name} is {}", ImageRefusal::TooLarge { bytes: len }));
    }
    let bytes = std::fs::read(path).map_err(|error| format!("Cannot read {name}: {error}"))?;
    ImageSource::from_image_bytes(&bytes).map_err(|refusal| format!("{name} is {refusal}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn dropped_paths_are_recognised_in_the_shapes_terminals_paste() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my shot.png");
        std::fs::write(&path, PNG).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let plain = path.display().to_string();
        for pasted in [
            format!("'{plain}'"),
            format!("\"{plain}\"\n"),
            plain.replace(' ', "\\ "),
            format!("file://{}", plain.replace(' ', "%20")),
        ] {
            assert_eq!(pasted_image_path(&pasted), Some(path.clone()), "{pasted}");
        }
        let text = dir.path().join("notes.txt").display().to_string();
        for pasted in [text, "hello world".into(), format!("{plain}\nmore"), "/no/such.png".into()] {
            assert_eq!(pasted_image_path(&pasted), None, "{pasted}");
        }
    }

    #[test]
    fn chips_number_up_go_with_the_text_and_backspace_removes_one_whole() {
        let mut composer = Composer::new();
        composer.insert_str("see ");
        let image = ImageSource::from_image_bytes(PNG).unwrap();
        assert_eq!(composer.attach_image(image.clone()), "[Image #1]");
        composer.insert_str(" and ");
        assert_eq!(composer.attach_image(image.clone()), "[Image #2]");
        assert_eq!(composer.text(), "see [Image #1] and [Image #2]");
        composer.backspace();
        assert_eq!(composer.text(), "see [Image #1] and ");
        assert_eq!(composer.attach_image(image.clone()), "[Image #3]", "chips are never renumbered");
        let images = composer.take_images();
        assert_eq!(images.len(), 2);
        assert_eq!(composer.take_submission(), "see [Image #1] and [Image #3]");
        assert!(composer.take_images().is_empty());
        assert_eq!(composer.attach_image(image), "[Image #1]", "a new prompt counts from one");
    }

    #[test]
    fn non_images_and_big_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("fake.png");
        std::fs::write(&fake, "text").unwrap();
        assert_eq!(read_image(&fake).unwrap_err(), "fake.png is not a PNG, JPEG, GIF or WebP image");
        let big = dir.path().join("big.png");
        let mut bytes = PNG.to_vec();
        bytes.resize(MAX_IMAGE_BYTES as usize + 10, 0);
        std::fs::write(&big, bytes).unwrap();
        assert!(read_image(&big).unwrap_err().starts_with("big.png is an image of 5.0 MiB"));
    }
}
