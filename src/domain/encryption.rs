//! Sealing a case file with age (age-encryption.org/v1), so it can travel by any channel and be
//! opened by the party security officer's app, or by the standard `age` tool.
//!
//! Two ways to seal: to the officer's X25519 public key (nothing to type at the scene), or to a
//! passphrase (age's scrypt, with a work factor fixed so a mid-range phone opens it in about a
//! second). Sealed files are ASCII-armored; binary age files are read too.

use crate::domain::case_file::ImportError;
use age::secrecy::{ExposeSecret, SecretString};
use age::{x25519, DecryptError, Decryptor};
use std::io::{self, Read};
use std::str::FromStr;

/// scrypt work factor (N = 2^14) for files sealed with a passphrase. Measured by `make bench`
/// ("open a usual passphrase file"): at 2^15 a small case took 0.4 s in Chromium on this 2-core
/// machine and 1.8 s at 4× CPU slowdown, our stand-in for a mid-range phone; 2^14 halves both,
/// to about a second on such a phone. The passphrase's length (at least 8) carries the rest.
pub const PASSPHRASE_WORK_FACTOR: u8 = 14;
/// The largest work factor this app accepts when opening: 2^18 needs 256 MiB and several seconds
/// in a phone's browser; files asking for more (a hostile file, or one sealed on a fast desktop)
/// are refused with their own message instead of freezing the phone.
pub const MAX_OPEN_WORK_FACTOR: u8 = 18;
/// Shorter passphrases are refused when sealing: the file may travel through any channel.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
const BINARY_BEGIN: &[u8] = b"age-encryption.org/";

/// The officer's public key, checked: `age1…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(String);

impl PublicKey {
    pub fn parse(text: &str) -> Option<PublicKey> {
        let text = text.trim();
        x25519::Recipient::from_str(text)
            .ok()
            .map(|r| PublicKey(r.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn recipient(&self) -> x25519::Recipient {
        x25519::Recipient::from_str(&self.0).expect("checked when parsed")
    }
}

/// The officer's private key (`AGE-SECRET-KEY-1…`), kept on the officer's device only.
#[derive(Clone)]
pub struct PrivateKey(SecretString);

impl PrivateKey {
    pub fn generate() -> PrivateKey {
        PrivateKey(x25519::Identity::generate().to_string())
    }

    pub fn parse(text: &str) -> Option<PrivateKey> {
        let text = text.trim();
        x25519::Identity::from_str(text)
            .ok()
            .map(|_| PrivateKey(SecretString::from(text.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Reads the key from an age identity file (comment lines and the key line), as a backup
    /// holds it or `age-keygen` writes it.
    pub fn from_identity_file(text: &str) -> Option<PrivateKey> {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with("AGE-SECRET-KEY-"))
            .and_then(PrivateKey::parse)
    }

    /// The key as an age identity file: `age -d -i` reads it.
    pub fn to_identity_file(&self, created: &str) -> String {
        format!(
            "# Stödrutin: the party security officer's key. Keep it secret.\n# created: {created}\n# public key: {}\n{}\n",
            self.public().as_str(),
            self.expose()
        )
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.identity().to_public().to_string())
    }

    fn identity(&self) -> x25519::Identity {
        x25519::Identity::from_str(self.0.expose_secret()).expect("checked when made")
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(…)")
    }
}

/// How a file is sealed, read from its header before anything is asked of the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
    /// Plain JSON (or not a case file at all: the case file reader says which).
    None,
    ToKey,
    ToPassphrase,
}

/// Whether the bytes are an age file, and of which kind.
pub fn sealing(bytes: &[u8]) -> Result<Sealing, ImportError> {
    if !looks_sealed(bytes) {
        return Ok(Sealing::None);
    }
    let decryptor = decryptor(bytes)?;
    Ok(if decryptor.is_scrypt() {
        Sealing::ToPassphrase
    } else {
        Sealing::ToKey
    })
}

fn looks_sealed(bytes: &[u8]) -> bool {
    let bytes = trim_start(bytes);
    bytes.starts_with(ARMOR_BEGIN.as_bytes()) || bytes.starts_with(BINARY_BEGIN)
}

/// Seals text to the officer's public key, armored.
pub fn seal_to_key(plain: &str, key: &PublicKey) -> String {
    age::encrypt_and_armor(&key.recipient(), plain.as_bytes())
        .expect("sealing to an X25519 key into memory cannot fail")
}

/// Why a passphrase was not accepted for sealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseError {
    TooShort,
}

/// Seals text to a passphrase, armored, at `PASSPHRASE_WORK_FACTOR`.
pub fn seal_with_passphrase(plain: &str, passphrase: &str) -> Result<String, PassphraseError> {
    seal_with_passphrase_at(plain, passphrase, PASSPHRASE_WORK_FACTOR)
}

/// As `seal_with_passphrase`, with a chosen work factor (tests use small ones).
pub fn seal_with_passphrase_at(
    plain: &str,
    passphrase: &str,
    work_factor: u8,
) -> Result<String, PassphraseError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(PassphraseError::TooShort);
    }
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(work_factor);
    Ok(age::encrypt_and_armor(&recipient, plain.as_bytes())
        .expect("sealing to a passphrase into memory cannot fail"))
}

/// Opens a file sealed to this device's private key.
pub fn open_with_key(bytes: &[u8], key: &PrivateKey) -> Result<String, ImportError> {
    let identity = key.identity();
    open(bytes, &identity, ImportError::WrongKey)
}

/// Opens a file sealed to a passphrase.
pub fn open_with_passphrase(bytes: &[u8], passphrase: &str) -> Result<String, ImportError> {
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_OPEN_WORK_FACTOR);
    open(bytes, &identity, ImportError::WrongPassphrase)
}

type Reader<'a> = age::armor::ArmoredReader<io::BufReader<&'a [u8]>>;

fn decryptor(bytes: &[u8]) -> Result<Decryptor<Reader<'_>>, ImportError> {
    Decryptor::new_buffered(age::armor::ArmoredReader::new(trim_start(bytes)))
        .map_err(|err| classify(err, ImportError::WrongKey))
}

fn is_armored(bytes: &[u8]) -> bool {
    trim_start(bytes).starts_with(ARMOR_BEGIN.as_bytes())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Armored text pasted from a mail or a Windows editor may carry CR LF line ends, which the
/// armor format forbids; they change nothing in the content, so they are made LF.
fn normalize_armor(bytes: &[u8]) -> Option<Vec<u8>> {
    (is_armored(bytes) && bytes.contains(&b'\r'))
        .then(|| bytes.iter().copied().filter(|b| *b != b'\r').collect())
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn open(
    bytes: &[u8],
    identity: &dyn age::Identity,
    wrong_secret: ImportError,
) -> Result<String, ImportError> {
    if bytes.len() > crate::domain::case_file::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let normalized = normalize_armor(bytes);
    let bytes = normalized.as_deref().unwrap_or(bytes);
    if is_armored(bytes) && !contains(bytes, ARMOR_END.as_bytes()) {
        return Err(ImportError::Truncated);
    }
    let decryptor = decryptor(bytes)?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|err| classify(err, wrong_secret.clone()))?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|err| classify(DecryptError::Io(err), wrong_secret))?;
    String::from_utf8(plain).map_err(|_| ImportError::NotACaseFile)
}

/// Each age failure as one of the import errors the app explains.
fn classify(err: DecryptError, wrong_secret: ImportError) -> ImportError {
    match err {
        // No stanza for this key, or the passphrase does not unwrap the file key.
        DecryptError::NoMatchingKeys
        | DecryptError::DecryptionFailed
        | DecryptError::KeyDecryptionFailed => wrong_secret,
        DecryptError::ExcessiveWork { .. } => ImportError::TooMuchWork,
        DecryptError::UnknownFormat => ImportError::NewerFormat(0),
        // The header's MAC, or a payload chunk, fails authentication: changed after sealing.
        DecryptError::InvalidMac => ImportError::Tampered,
        DecryptError::Io(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
            ImportError::Truncated
        }
        DecryptError::Io(err)
            if err
                .get_ref()
                .is_some_and(|inner| inner.is::<age::armor::ArmoredReadError>()) =>
        {
            ImportError::Damaged
        }
        DecryptError::Io(err) if err.kind() == io::ErrorKind::InvalidData => ImportError::Tampered,
        _ => ImportError::Damaged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: u8 = 4;

    #[test]
    fn a_key_round_trips_and_the_public_key_is_stable() {
        let key = PrivateKey::generate();
        let public = key.public();
        assert!(public.as_str().starts_with("age1"));
        assert_eq!(PublicKey::parse(public.as_str()), Some(public.clone()));
        let again = PrivateKey::parse(key.expose()).expect("own key parses");
        assert_eq!(again.public(), public);
        assert!(!format!("{key:?}").contains("AGE-SECRET"));
        let file = key.to_identity_file("2026-11-28");
        assert!(file.contains(public.as_str()));
        assert_eq!(
            PrivateKey::from_identity_file(&file).map(|k| k.public()),
            Some(public)
        );
        assert!(PrivateKey::from_identity_file("# nothing here").is_none());
    }

    #[test]
    fn sealed_to_a_key_opens_only_with_that_key() {
        let key = PrivateKey::generate();
        let sealed = seal_to_key("{\"a\":1}", &key.public());
        assert!(sealed.starts_with(ARMOR_BEGIN));
        assert_eq!(sealing(sealed.as_bytes()), Ok(Sealing::ToKey));
        assert_eq!(open_with_key(sealed.as_bytes(), &key).unwrap(), "{\"a\":1}");
        let other = PrivateKey::generate();
        assert_eq!(
            open_with_key(sealed.as_bytes(), &other),
            Err(ImportError::WrongKey)
        );
    }

    #[test]
    fn sealed_to_a_passphrase_opens_only_with_it() {
        let sealed = seal_with_passphrase_at("hemligt", "rätt lösenfras", FAST).unwrap();
        assert_eq!(sealing(sealed.as_bytes()), Ok(Sealing::ToPassphrase));
        assert_eq!(
            open_with_passphrase(sealed.as_bytes(), "rätt lösenfras").unwrap(),
            "hemligt"
        );
        assert_eq!(
            open_with_passphrase(sealed.as_bytes(), "fel lösenfras"),
            Err(ImportError::WrongPassphrase)
        );
        assert_eq!(
            seal_with_passphrase_at("x", "kort", FAST),
            Err(PassphraseError::TooShort)
        );
    }

    #[test]
    fn too_much_work_is_refused_before_it_starts() {
        // A binary file whose scrypt stanza asks for 2^19: its header is edited by hand, as a
        // hostile sender would, since sealing at that cost here would take long.
        let mut recipient =
            age::scrypt::Recipient::new(SecretString::from("lösenfrasen".to_owned()));
        recipient.set_work_factor(FAST);
        let file = age::encrypt(&recipient, b"x").unwrap();
        let text = String::from_utf8_lossy(&file).into_owned();
        let line_end = text.find(" 4\n").expect("stanza names its work factor");
        let mut hostile = file[..line_end].to_vec();
        hostile.extend_from_slice(format!(" {}", MAX_OPEN_WORK_FACTOR + 1).as_bytes());
        hostile.extend_from_slice(&file[line_end + 2..]);
        assert_eq!(
            open_with_passphrase(&hostile, "lösenfrasen"),
            Err(ImportError::TooMuchWork)
        );
    }

    #[test]
    fn plain_text_is_not_sealed() {
        assert_eq!(sealing(b"{\"format\":1}"), Ok(Sealing::None));
        assert_eq!(sealing(b""), Ok(Sealing::None));
    }

    #[test]
    fn damage_is_named() {
        let key = PrivateKey::generate();
        let sealed = seal_to_key(&"x".repeat(200), &key.public());
        let cut = &sealed[..sealed.len() / 2];
        assert_eq!(
            open_with_key(cut.as_bytes(), &key),
            Err(ImportError::Truncated)
        );
        let binary = age::encrypt(&key.public().recipient(), b"abc").unwrap();
        assert_eq!(open_with_key(&binary, &key).unwrap(), "abc");
        let windows_lines = sealed.replace('\n', "\r\n");
        assert_eq!(
            open_with_key(windows_lines.as_bytes(), &key).unwrap(),
            "x".repeat(200)
        );
        let mut flipped = binary.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(open_with_key(&flipped, &key), Err(ImportError::Tampered));
    }
}
