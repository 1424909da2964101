//! Images sent to the model, from a file read by a tool or one pasted into the prompt: which kinds the
//! Messages API takes, how large, and how they are encoded. One definition, so every way in agrees.

use crate::message::ImageSource;
use base64::Engine;
use std::fmt;
use std::path::Path;

/// The largest image sent: the Messages API refuses bigger ones.
pub const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// The media type a path's extension names, when the API takes that kind of image.
pub fn image_media_type(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// The media type the bytes' own signature shows, whatever the file is called.
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Why bytes cannot be sent as an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRefusal {
    /// Not a PNG, JPEG, GIF or WebP image.
    NotAnImage,
    /// Over [`MAX_IMAGE_BYTES`].
    TooLarge { bytes: u64 },
}

impl fmt::Display for ImageRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageRefusal::NotAnImage => f.write_str("not a PNG, JPEG, GIF or WebP image"),
            ImageRefusal::TooLarge { bytes } => write!(
                f,
                "an image of {:.1} MiB, more than the 5 MiB the API takes; resize it first",
                *bytes as f64 / (1024.0 * 1024.0)
            ),
        }
    }
}

impl std::error::Error for ImageRefusal {}

impl ImageSource {
    /// `bytes` as base64 image data of `media_type`.
    pub fn base64(media_type: &str, bytes: &[u8]) -> ImageSource {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        ImageSource { kind: "base64".into(), media_type: media_type.into(), data }
    }

    /// The image `bytes` hold, typed by their signature; refused when they are no image the API takes or
    /// are too large to send.
    pub fn from_image_bytes(bytes: &[u8]) -> Result<ImageSource, ImageRefusal> {
        let media_type = sniff_media_type(bytes).ok_or(ImageRefusal::NotAnImage)?;
        let len = bytes.len() as u64;
        if len > MAX_IMAGE_BYTES {
            return Err(ImageRefusal::TooLarge { bytes: len });
        }
        Ok(ImageSource::base64(media_type, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_extensions_name_the_kind() {
        assert_eq!(sniff_media_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff_media_type(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
        assert_eq!(sniff_media_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff_media_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_media_type(b"hello"), None);
        assert_eq!(image_media_type(Path::new("a/B.JPG")), Some("image/jpeg"));
        assert_eq!(image_media_type(Path::new("a.txt")), None);
    }

    #[test]
    fn bytes_become_base64_images_or_a_refusal() {
        let image = ImageSource::from_image_bytes(b"\x89PNG\r\n\x1a\n").unwrap();
        assert_eq!((image.kind.as_str(), image.media_type.as_str()), ("base64", "image/png"));
        assert_eq!(image.data, "iVBORw0KGgo=");
        assert_eq!(ImageSource::from_image_bytes(b"text"), Err(ImageRefusal::NotAnImage));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_IMAGE_BYTES as usize + 1, 0);
        let refusal = ImageSource::from_image_bytes(&big).unwrap_err();
        assert!(refusal.to_string().contains("more than the 5 MiB"), "{refusal}");
    }
}
