//! Evidence in a case: photos, screenshots and other files, pasted messages and links, each an
//! event in the log (`Payload::EvidenceAdded`), and the witnesses (`Payload::WitnessAdded`).
//!
//! A file's bytes are not in the log: they are kept beside it (the app's item store, the case
//! file's container) under the item's id, and the event holds their SHA-256 and size, so any copy
//! of the bytes can be checked against what was recorded. A message's words and a link are the
//! evidence itself and stand in the event; their digest is of their UTF-8 text, so every item in
//! the report has one.

use crate::digest::sha256_hex;
use crate::limits::{within_chars, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use crate::routine::Channel;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest file one item may hold: a photo from a phone is 2 to 8 MB, a short screen
/// recording more; above this, hand the original over separately.
pub const MAX_ITEM_BYTES: u64 = 25_000_000;

/// The largest case file with its items: what a share sheet, an e-mail or a phone's memory
/// handles without trouble.
pub const MAX_CASE_FILE_BYTES: u64 = 50_000_000;

/// The longest pasted message: a long e-mail.
pub const MAX_MESSAGE_CHARS: usize = 20_000;

/// The longest link.
pub const MAX_URL_CHARS: usize = 2048;

/// The longest media type and file name the phone may give.
pub const MAX_MEDIA_TYPE_CHARS: usize = 100;
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A photo taken now with the phone's camera.
    Photo,
    /// A screenshot or any other file chosen from the phone.
    File,
    /// The words of a message, pasted.
    Message,
    /// A link (URL) to a post, a profile or a page.
    Link,
}

impl EvidenceKind {
    /// Whether the item's bytes are kept beside the log (rather than standing in the event).
    pub fn has_file(self) -> bool {
        matches!(self, EvidenceKind::Photo | EvidenceKind::File)
    }
}

/// One item of evidence, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// A random 128-bit id, 32 lowercase hex digits: the name its bytes are kept under.
    pub id: String,
    pub kind: EvidenceKind,
    /// SHA-256 of the original bytes (a file) or of the UTF-8 text (a message, a link), in
    /// lowercase hex.
    pub sha256: String,
    /// The size in bytes of what `sha256` is of.
    pub size: u64,
    /// The media type the phone gave the file, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The file's own name on the phone, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// When the phone says the file was last changed (for a photo: usually when it was taken).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    pub file_modified: Option<DateTime<Utc>>,
    /// A message's words, or a link's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// How it arrived; `None` for another way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Which platform, for social media (or the app of a message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Who sent it: a name, a number, an address or a handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the original is kept ("kvar i telefonens bilder", "brevet i plastficka hos …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_where: Option<String>,
}

impl EvidenceItem {
    /// The name of the item's bytes in a case file's container: `evidence/<id>.<ext>`, the
    /// extension from the media type or the file's own name, so ordinary tools open it.
    pub fn archive_name(&self) -> String {
        format!("evidence/{}.{}", self.id, self.extension())
    }

    fn extension(&self) -> &str {
        let by_type = match self.media_type.as_deref() {
            Some("image/jpeg") => Some("jpg"),
            Some("image/png") => Some("png"),
            Some("image/gif") => Some("gif"),
            Some("image/webp") => Some("webp"),
            Some("image/heic") => Some("heic"),
            Some("application/pdf") => Some("pdf"),
            Some("text/plain") => Some("txt"),
            _ => None,
        };
        let by_name = || {
            let name = self.file_name.as_deref()?;
            let (_, ext) = name.rsplit_once('.')?;
            (!ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then_some(ext)
        };
        by_type.or_else(by_name).unwrap_or("bin")
    }

    /// Whether the app may show the item as a picture: the raster image types a browser shows
    /// without running anything. An SVG (which can hold script) or any other type is offered as
    /// a download only.
    pub fn is_viewable_image(&self) -> bool {
        self.kind.has_file()
            && matches!(
                self.media_type.as_deref(),
                Some("image/jpeg" | "image/png" | "image/gif" | "image/webp")
            )
    }
}

/// A witness: who saw or heard what happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Witness {
    /// A random 128-bit id, 32 lowercase hex digits.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What they saw or heard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saw: Option<String>,
}

/// Why an item or a witness is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceError {
    /// An id that is not 32 lowercase hex digits.
    BadId,
    /// A digest that is not 64 lowercase hex digits.
    BadDigest,
    /// A file larger than `MAX_ITEM_BYTES`.
    TooLarge { max: u64 },
    /// A file item with text, or a message or link without it.
    WrongShape,
    /// An empty message, link or witness name.
    Empty,
    /// A link that is not an `http` or `https` address.
    BadLink,
    /// A text longer than it may be.
    TextTooLong { max: usize },
    /// A message's or link's digest or size that is not of its text.
    DigestMismatch,
    /// The case already has an item or witness with this id.
    DuplicateId,
    /// A time the phone gave the file that lies in the future.
    TimeInFuture,
}

impl std::fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvidenceError::BadId => f.write_str("the id is not 32 lowercase hex digits"),
            EvidenceError::BadDigest => f.write_str("the SHA-256 is not 64 lowercase hex digits"),
            EvidenceError::TooLarge { max } => write!(f, "the file is larger than {max} bytes"),
            EvidenceError::WrongShape => {
                f.write_str("a file has no text, and a message or link has one")
            }
            EvidenceError::Empty => f.write_str("the text is empty"),
            EvidenceError::BadLink => f.write_str("the link is not an http or https address"),
            EvidenceError::TextTooLong { max } => {
                write!(f, "a text is longer than {max} characters")
            }
            EvidenceError::DigestMismatch => {
                f.write_str("the SHA-256 or size is not that of the text")
            }
            EvidenceError::DuplicateId => f.write_str("the case already has an item with this id"),
            EvidenceError::TimeInFuture => f.write_str("the file's time lies in the future"),
        }
    }
}

impl std::error::Error for EvidenceError {}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// An id as the app makes them: 32 lowercase hex digits.
pub fn is_item_id(text: &str) -> bool {
    is_lower_hex(text, 32)
}

fn check_short(text: &Option<String>, max: usize) -> Result<(), EvidenceError> {
    match text {
        Some(text) if !within_chars(text, max) => Err(EvidenceError::TextTooLong { max }),
        _ => Ok(()),
    }
}

/// A link as the app accepts it: an `http` or `https` address on one line.
pub fn is_link(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && text.len() > "http://".len()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks an item on its own (the case's other items and the clock are the caller's).
pub fn check_item(item: &EvidenceItem, latest: DateTime<Utc>) -> Result<(), EvidenceError> {
    if !is_item_id(&item.id) {
        return Err(EvidenceError::BadId);
    }
    if !is_lower_hex(&item.sha256, 64) {
        return Err(EvidenceError::BadDigest);
    }
    check_short(&item.media_type, MAX_MEDIA_TYPE_CHARS)?;
    check_short(&item.file_name, MAX_FILE_NAME_CHARS)?;
    check_short(&item.platform, MAX_SHORT_CHARS)?;
    check_short(&item.sender, MAX_SHORT_CHARS)?;
    check_short(&item.kept_where, MAX_SHORT_CHARS)?;
    check_short(&item.note, MAX_TEXT_CHARS)?;
    if item.file_modified.is_some_and(|at| at > latest) {
        return Err(EvidenceError::TimeInFuture);
    }
    match (item.kind.has_file(), &item.text) {
        (true, None) if item.size > MAX_ITEM_BYTES => Err(EvidenceError::TooLarge {
            max: MAX_ITEM_BYTES,
        }),
        (true, None) => Ok(()),
        (false, Some(text)) => {
            if text.trim().is_empty() {
                return Err(EvidenceError::Empty);
            }
            let max = match item.kind {
                EvidenceKind::Link => MAX_URL_CHARS,
                _ => MAX_MESSAGE_CHARS,
            };
            if !within_chars(text, max) {
                return Err(EvidenceError::TextTooLong { max });
            }
            if item.kind == EvidenceKind::Link && !is_link(text) {
                return Err(EvidenceError::BadLink);
            }
            if item.size != text.len() as u64 || item.sha256 != sha256_hex(text.as_bytes()) {
                return Err(EvidenceError::DigestMismatch);
            }
            Ok(())
        }
        _ => Err(EvidenceError::WrongShape),
    }
}

/// Checks a witness on its own.
pub fn check_witness(witness: &Witness) -> Result<(), EvidenceError> {
    if !is_item_id(&witness.id) {
        return Err(EvidenceError::BadId);
    }
    if witness.name.trim().is_empty() {
        return Err(EvidenceError::Empty);
    }
    if !within_chars(&witness.name, MAX_SHORT_CHARS) {
        return Err(EvidenceError::TextTooLong {
            max: MAX_SHORT_CHARS,
        });
    }
    check_short(&witness.phone, MAX_SHORT_CHARS)?;
    check_short(&witness.saw, MAX_TEXT_CHARS)
}

/// A message or link item with its digest and size computed from its text.
pub fn text_item(id: String, kind: EvidenceKind, text: String) -> EvidenceItem {
    EvidenceItem {
        text: Some(text.clone()),
        ..file_item(id, kind, sha256_hex(text.as_bytes()), text.len() as u64)
    }
}

/// A file item with its digest and size, every description member empty (the caller fills in
/// what the phone and the user give).
pub fn file_item(id: String, kind: EvidenceKind, sha256: String, size: u64) -> EvidenceItem {
    EvidenceItem {
        id,
        kind,
        sha256,
        size,
        media_type: None,
        file_name: None,
        file_modified: None,
        text: None,
        channel: None,
        platform: None,
        sender: None,
        note: None,
        kept_where: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap()
    }

    fn photo() -> EvidenceItem {
        EvidenceItem {
            kind: EvidenceKind::Photo,
            sha256: sha256_hex(b"jpeg"),
            size: 4,
            media_type: Some("image/jpeg".into()),
            text: None,
            ..text_item("a".repeat(32), EvidenceKind::Message, "x".into())
        }
    }

    #[test]
    fn a_message_or_link_carries_the_digest_of_its_text() {
        let message = text_item("b".repeat(32), EvidenceKind::Message, "Du ska få se".into());
        assert_eq!(check_item(&message, now()), Ok(()));
        let changed = EvidenceItem {
            text: Some("Du ska få se!".into()),
            ..message
        };
        assert_eq!(
            check_item(&changed, now()),
            Err(EvidenceError::DigestMismatch)
        );
        let link = text_item(
            "c".repeat(32),
            EvidenceKind::Link,
            "javascript:alert(1)".into(),
        );
        assert_eq!(check_item(&link, now()), Err(EvidenceError::BadLink));
        let link = text_item(
            "c".repeat(32),
            EvidenceKind::Link,
            "https://example.org/@x/1".into(),
        );
        assert_eq!(check_item(&link, now()), Ok(()));
    }

    #[test]
    fn a_file_has_no_text_and_a_bounded_size() {
        assert_eq!(check_item(&photo(), now()), Ok(()));
        let with_text = EvidenceItem {
            text: Some("x".into()),
            ..photo()
        };
        assert_eq!(
            check_item(&with_text, now()),
            Err(EvidenceError::WrongShape)
        );
        let large = EvidenceItem {
            size: MAX_ITEM_BYTES + 1,
            ..photo()
        };
        assert!(matches!(
            check_item(&large, now()),
            Err(EvidenceError::TooLarge { .. })
        ));
        let upper = EvidenceItem {
            sha256: photo().sha256.to_uppercase(),
            ..photo()
        };
        assert_eq!(check_item(&upper, now()), Err(EvidenceError::BadDigest));
    }

    #[test]
    fn the_archive_name_is_the_id_with_a_safe_extension() {
        assert_eq!(
            photo().archive_name(),
            format!("evidence/{}.jpg", "a".repeat(32))
        );
        let odd = EvidenceItem {
            media_type: Some("image/svg+xml".into()),
            file_name: Some("../../evil.s v g".into()),
            ..photo()
        };
        assert_eq!(
            odd.archive_name(),
            format!("evidence/{}.bin", "a".repeat(32))
        );
        assert!(!odd.is_viewable_image(), "an SVG is never shown in the app");
    }
}
