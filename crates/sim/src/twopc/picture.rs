//! The picture store's data: a picture with its generated image, and filename
//! validation.
//!
//! The image is a tiny 8×8 mirrored bitmap ("identicon") derived from the filename
//! with FNV-1a, so every node that stores `cat.png` holds the same image and the page
//! can draw a thumbnail without any real bytes. Nothing here knows about 2PC.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::time::Tick;

/// The longest filename accepted.
pub const MAX_FILENAME_LEN: usize = 64;

/// A generated 8×8 image: one colour and a left-right mirrored pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Foreground colour (RGB).
    pub color: [u8; 3],
    /// 32 pattern bits: row `y`, column `x < 4` is bit `y * 4 + x`; columns 4..8 mirror.
    pub bits: u32,
}

impl Image {
    /// The image every node generates for `filename`.
    pub fn from_filename(filename: &str) -> Image {
        // FNV-1a 64: portable and stable, unlike `std`'s randomly keyed hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in filename.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let [r, g, b, ..] = (h >> 32).to_be_bytes();
        // Keep the colour away from white so the thumbnail stays visible.
        let color = [r / 2 + 32, g / 2 + 32, b / 2 + 32];
        Image {
            color,
            bits: (h & 0xffff_ffff) as u32,
        }
    }

    /// Whether pixel `(x, y)` (both `0..8`) is set.
    pub fn pixel(&self, x: usize, y: usize) -> bool {
        let col = if x < 4 { x } else { 7 - x };
        (self.bits >> (y * 4 + col)) & 1 == 1
    }

    /// The image's size in bytes as a download reports it (one byte per pixel).
    pub fn byte_len(&self) -> usize {
        64
    }

    /// An SVG thumbnail (`viewBox 0 0 8 8`), ready to inline in the page.
    pub fn thumbnail_svg(&self) -> String {
        let [r, g, b] = self.color;
        let mut svg = String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\" shape-rendering=\"crispEdges\">\
             <rect width=\"8\" height=\"8\" fill=\"#f4f4f4\"/>",
        );
        for y in 0..8 {
            for x in 0..8 {
                if self.pixel(x, y) {
                    let _ = write!(
                        svg,
                        "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>"
                    );
                }
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// One stored picture (the seed's metadata `{likes, node, upload_time}` plus the image).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    /// The image, generated from the filename.
    pub image: Image,
    /// Like counter; an upload (re)sets it to 0, as in the seed.
    pub likes: u32,
    /// The node that stored it.
    pub node: String,
    /// When it was uploaded (for upload-2pc, when the transaction began, so every
    /// replica agrees).
    pub upload_time: Tick,
}

impl Picture {
    /// A fresh picture for `filename`, stored on `node` at `upload_time`.
    pub fn new(filename: &str, node: String, upload_time: Tick) -> Picture {
        Picture {
            image: Image::from_filename(filename),
            likes: 0,
            node,
            upload_time,
        }
    }

    /// The SVG thumbnail.
    pub fn thumbnail_svg(&self) -> String {
        self.image.thumbnail_svg()
    }
}

/// Check a filename the way a careful server would (the seed's gRPC upload did not):
/// not empty, at most [`MAX_FILENAME_LEN`] bytes, no path separators, no `..`, no
/// control characters, not a hidden or relative name.
///
/// # Errors
/// The reason, in plain words.
pub fn validate_filename(filename: &str) -> Result<(), String> {
    if filename.is_empty() {
        return Err("empty filename".into());
    }
    if filename.len() > MAX_FILENAME_LEN {
        return Err(format!("filename longer than {MAX_FILENAME_LEN} bytes"));
    }
    if filename.contains(['/', '\\']) {
        return Err(format!(
            "unsafe filename {}: path separators are not allowed",
            crate::text::quoted(filename)
        ));
    }
    if filename.contains("..") {
        return Err(format!(
            "unsafe filename {}: \"..\" is not allowed",
            crate::text::quoted(filename)
        ));
    }
    if filename.chars().any(char::is_control) {
        return Err(format!(
            "unsafe filename {}: control characters are not allowed",
            crate::text::quoted(filename)
        ));
    }
    if filename.starts_with('.') || filename.trim() != filename {
        return Err(format!(
            "unsafe filename {}: leading dot or surrounding spaces",
            crate::text::quoted(filename)
        ));
    }
    Ok(())
}
