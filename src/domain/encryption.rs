//! Sealing a case file in the age format (age-encryption.org/v1, <https://c2sp.org/age>), so it
//! can travel by any channel and be opened by the party security officer's app, or by the
//! standard `age` tool.
//!
//! Two ways to seal: to the officer's X25519 public key (nothing to type at the scene), or to a
//! passphrase (scrypt, with a work factor chosen so a mid-range phone opens it in about a second).
//! Sealed files are ASCII-armored; binary age files are read too.
//!
//! Why not the `age` crate: it links its Fluent localisation (every language's messages and the
//! Fluent runtime) into the payload reader, 151 KB of gzipped wasm, half the app. The format is
//! small and fixed; this module writes it over the RustCrypto primitives the crate itself uses
//! (X25519, HKDF-SHA-256, HMAC-SHA-256, ChaCha20-Poly1305, scrypt), and the tests check it both
//! ways against the reference `age` tool.

use crate::domain::case_file::{ImportError, MAX_FILE_BYTES};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

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

const VERSION_LINE: &str = "age-encryption.org/v1";
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
const BINARY_BEGIN: &[u8] = b"age-encryption.org/";
const X25519_LABEL: &[u8] = b"age-encryption.org/v1/X25519";
const SCRYPT_LABEL: &[u8] = b"age-encryption.org/v1/scrypt";
const PUBLIC_HRP: &str = "age";
const SECRET_HRP: &str = "age-secret-key-";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const FILE_KEY: usize = 16;
const COLUMNS: usize = 64;

/// The officer's public key, checked: `age1…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(String);

impl PublicKey {
    pub fn parse(text: &str) -> Option<PublicKey> {
        let text = text.trim();
        // Bech32 is all lower or all upper case; a public key is written in lower case.
        (text == text.to_lowercase())
            .then(|| decode_key(text, PUBLIC_HRP))
            .flatten()
            .map(|_| PublicKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn point(&self) -> x25519_dalek::PublicKey {
        x25519_dalek::PublicKey::from(decode_key(&self.0, PUBLIC_HRP).expect("checked when parsed"))
    }
}

/// The officer's private key (`AGE-SECRET-KEY-1…`), kept on the officer's device only.
#[derive(Clone)]
pub struct PrivateKey(String);

impl PrivateKey {
    pub fn generate() -> PrivateKey {
        let scalar: [u8; 32] = random();
        PrivateKey(encode_key(SECRET_HRP, &scalar).to_uppercase())
    }

    pub fn parse(text: &str) -> Option<PrivateKey> {
        let text = text.trim();
        (text == text.to_uppercase())
            .then(|| decode_key(text, SECRET_HRP))
            .flatten()
            .map(|_| PrivateKey(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
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
        let point = x25519_dalek::PublicKey::from(&self.secret());
        PublicKey(encode_key(PUBLIC_HRP, point.as_bytes()))
    }

    fn secret(&self) -> x25519_dalek::StaticSecret {
        x25519_dalek::StaticSecret::from(
            decode_key(&self.0, SECRET_HRP).expect("checked when made"),
        )
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(…)")
    }
}

fn decode_key(text: &str, hrp: &str) -> Option<[u8; 32]> {
    let (found, data) = bech32::decode(text).ok()?;
    (found.as_str().eq_ignore_ascii_case(hrp))
        .then(|| data.try_into().ok())
        .flatten()
}

fn encode_key(hrp: &str, bytes: &[u8; 32]) -> String {
    let hrp = bech32::Hrp::parse(hrp).expect("a valid prefix");
    bech32::encode::<bech32::Bech32>(hrp, bytes).expect("32 bytes always encode")
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the platform has a random source");
    bytes
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
    let binary = dearmor(bytes)?;
    let (header, _) = parse_header(&binary)?;
    Ok(if header.is_scrypt() {
        Sealing::ToPassphrase
    } else {
        Sealing::ToKey
    })
}

fn looks_sealed(bytes: &[u8]) -> bool {
    let bytes = trim_start(bytes);
    bytes.starts_with(ARMOR_BEGIN.as_bytes()) || bytes.starts_with(BINARY_BEGIN)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// One recipient stanza of the header: `-> type args…` and its body.
#[derive(Debug)]
struct Stanza {
    kind: String,
    args: Vec<String>,
    body: Vec<u8>,
}

#[derive(Debug)]
struct Header {
    stanzas: Vec<Stanza>,
    /// The header up to and including `---`, which the MAC covers.
    covered: Vec<u8>,
    mac: Vec<u8>,
}

impl Header {
    fn is_scrypt(&self) -> bool {
        self.stanzas.iter().any(|s| s.kind == "scrypt")
    }
}

/// Seals text to the officer's public key, armored.
pub fn seal_to_key(plain: &str, key: &PublicKey) -> String {
    armor(&seal(plain.as_bytes(), |file_key| {
        x25519_stanza(file_key, &key.point())
    }))
}

/// Why a passphrase was not accepted for sealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseError {
    TooShort,
    /// The two entries of a new passphrase differ.
    Differ,
}

/// Checks a new passphrase typed twice, before a file or backup is sealed to it.
pub fn check_new_passphrase(first: &str, repeat: &str) -> Result<(), PassphraseError> {
    if first.chars().count() < MIN_PASSPHRASE_CHARS {
        Err(PassphraseError::TooShort)
    } else if first != repeat {
        Err(PassphraseError::Differ)
    } else {
        Ok(())
    }
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
    Ok(armor(&seal(plain.as_bytes(), |file_key| {
        scrypt_stanza(file_key, passphrase, work_factor)
    })))
}

/// The binary age file: header with one stanza and its MAC, nonce, STREAM payload.
fn seal(plain: &[u8], stanza: impl FnOnce(&[u8; FILE_KEY]) -> Stanza) -> Vec<u8> {
    let file_key: [u8; FILE_KEY] = random();
    let stanza = stanza(&file_key);
    let mut out = format!("{VERSION_LINE}\n-> {}", stanza.kind).into_bytes();
    for arg in &stanza.args {
        out.push(b' ');
        out.extend_from_slice(arg.as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(wrap_base64(&STANDARD_NO_PAD.encode(&stanza.body), true).as_bytes());
    out.extend_from_slice(b"---");
    let mac = header_mac(&file_key, &out);
    out.push(b' ');
    out.extend_from_slice(STANDARD_NO_PAD.encode(mac).as_bytes());
    out.push(b'\n');
    let nonce: [u8; 16] = random();
    out.extend_from_slice(&nonce);
    let cipher = payload_cipher(&file_key, &nonce);
    let chunks: Vec<&[u8]> = if plain.is_empty() {
        vec![&[]]
    } else {
        plain.chunks(CHUNK).collect()
    };
    let last = chunks.len() - 1;
    for (counter, chunk) in chunks.into_iter().enumerate() {
        let sealed = cipher
            .encrypt(&chunk_nonce(counter as u128, counter == last).into(), chunk)
            .expect("encryption in memory cannot fail");
        out.extend_from_slice(&sealed);
    }
    out
}

fn x25519_stanza(file_key: &[u8; FILE_KEY], recipient: &x25519_dalek::PublicKey) -> Stanza {
    let ephemeral = x25519_dalek::StaticSecret::from(random::<32>());
    let share = x25519_dalek::PublicKey::from(&ephemeral);
    let shared = ephemeral.diffie_hellman(recipient);
    let wrap_key = x25519_wrap_key(shared.as_bytes(), share.as_bytes(), recipient.as_bytes());
    Stanza {
        kind: "X25519".into(),
        args: vec![STANDARD_NO_PAD.encode(share.as_bytes())],
        body: wrap(&wrap_key, file_key),
    }
}

fn x25519_wrap_key(shared: &[u8; 32], share: &[u8; 32], recipient: &[u8; 32]) -> [u8; 32] {
    let mut salt = Vec::with_capacity(64);
    salt.extend_from_slice(share);
    salt.extend_from_slice(recipient);
    hkdf(&salt, shared, X25519_LABEL)
}

fn scrypt_stanza(file_key: &[u8; FILE_KEY], passphrase: &str, work_factor: u8) -> Stanza {
    let salt: [u8; 16] = random();
    let key = scrypt_key(passphrase, &salt, work_factor).expect("the app's work factor is valid");
    Stanza {
        kind: "scrypt".into(),
        args: vec![STANDARD_NO_PAD.encode(salt), work_factor.to_string()],
        body: wrap(&key, file_key),
    }
}

fn scrypt_key(passphrase: &str, salt: &[u8], work_factor: u8) -> Option<[u8; 32]> {
    let mut labelled = SCRYPT_LABEL.to_vec();
    labelled.extend_from_slice(salt);
    let params = scrypt::Params::new(work_factor, 8, 1, 32).ok()?;
    let mut key = [0u8; 32];
    scrypt::scrypt(passphrase.as_bytes(), &labelled, &params, &mut key).ok()?;
    Some(key)
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, &mut out)
        .expect("32 bytes is a valid length");
    out
}

/// The file key wrapped for one recipient: ChaCha20-Poly1305 with a zero nonce (each wrap key
/// is used once).
fn wrap(key: &[u8; 32], file_key: &[u8; FILE_KEY]) -> Vec<u8> {
    ChaCha20Poly1305::new(key.into())
        .encrypt(&[0u8; 12].into(), file_key.as_slice())
        .expect("encryption in memory cannot fail")
}

fn unwrap(key: &[u8; 32], body: &[u8]) -> Option<[u8; FILE_KEY]> {
    let plain = ChaCha20Poly1305::new(key.into())
        .decrypt(&[0u8; 12].into(), body)
        .ok()?;
    plain.try_into().ok()
}

fn header_mac(file_key: &[u8; FILE_KEY], covered: &[u8]) -> [u8; 32] {
    let key = hkdf(&[], file_key, b"header");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("any key length");
    mac.update(covered);
    mac.finalize().into_bytes().into()
}

fn payload_cipher(file_key: &[u8; FILE_KEY], nonce: &[u8; 16]) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(&hkdf(nonce, file_key, b"payload").into())
}

/// STREAM's nonce: an 11-byte big-endian counter and a flag for the last chunk.
fn chunk_nonce(counter: u128, last: bool) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[..11].copy_from_slice(&counter.to_be_bytes()[5..]);
    nonce[11] = u8::from(last);
    nonce
}

/// Base64 in lines of 64 columns, each ending in a newline. For a stanza body the last line is
/// always shorter than 64 (an empty line when the text fills its lines exactly).
fn wrap_base64(text: &str, stanza_body: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / COLUMNS + 2);
    for line in text.as_bytes().chunks(COLUMNS) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    if stanza_body && text.len().is_multiple_of(COLUMNS) {
        out.push('\n');
    }
    out
}

fn armor(binary: &[u8]) -> String {
    format!(
        "{ARMOR_BEGIN}\n{}{ARMOR_END}\n",
        wrap_base64(&STANDARD.encode(binary), false)
    )
}

/// The binary file inside the armor (or the bytes as they are when not armored). Pasted text may
/// carry CR LF line ends and surrounding white space; both change nothing in the content.
fn dearmor(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let bytes = trim_start(bytes);
    if !bytes.starts_with(ARMOR_BEGIN.as_bytes()) {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::Damaged)?;
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    lines.next();
    let mut encoded = String::with_capacity(text.len());
    let mut short_seen = false;
    for line in lines.by_ref() {
        if line == ARMOR_END {
            // Only white space may follow the end line.
            return match lines.all(|rest| rest.trim().is_empty()) {
                true => STANDARD.decode(&encoded).map_err(|_| ImportError::Damaged),
                false => Err(ImportError::Damaged),
            };
        }
        // Every line but the last is 64 columns: anything else is damage, not a cut.
        if short_seen || line.len() > COLUMNS {
            return Err(ImportError::Damaged);
        }
        short_seen = line.len() < COLUMNS;
        encoded.push_str(line);
    }
    Err(ImportError::Truncated)
}

/// Splits the binary file into its header and the payload (nonce and chunks).
fn parse_header(binary: &[u8]) -> Result<(Header, &[u8]), ImportError> {
    let mut rest = binary;
    let mut line = || -> Result<&[u8], ImportError> {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or(ImportError::Truncated)?;
        let (line, after) = rest.split_at(end);
        rest = &after[1..];
        Ok(line)
    };
    let version = line()?;
    if version != VERSION_LINE.as_bytes() {
        return Err(if version.starts_with(BINARY_BEGIN) {
            ImportError::NewerFormat(0)
        } else {
            ImportError::Damaged
        });
    }
    let mut stanzas = Vec::new();
    loop {
        let text = std::str::from_utf8(line()?).map_err(|_| ImportError::Damaged)?;
        if let Some(mac) = text.strip_prefix("--- ") {
            let mac = STANDARD_NO_PAD
                .decode(mac)
                .map_err(|_| ImportError::Damaged)?;
            // The MAC line starts after what was read before it; the MAC covers up to its "---".
            let line_start = binary.len() - rest.len() - text.len() - 1;
            let covered_len = line_start + "---".len();
            let header = Header {
                stanzas,
                covered: binary[..covered_len].to_vec(),
                mac,
            };
            return Ok((header, rest));
        }
        let Some(start) = text.strip_prefix("-> ") else {
            return Err(ImportError::Damaged);
        };
        let mut words = start.split(' ');
        let kind = words.next().unwrap_or_default().to_owned();
        let args: Vec<String> = words.map(str::to_owned).collect();
        if kind.is_empty() || args.iter().any(String::is_empty) {
            return Err(ImportError::Damaged);
        }
        let mut body_text = String::new();
        loop {
            let body_line = std::str::from_utf8(line()?).map_err(|_| ImportError::Damaged)?;
            if body_line.len() > COLUMNS {
                return Err(ImportError::Damaged);
            }
            body_text.push_str(body_line);
            if body_line.len() < COLUMNS {
                break;
            }
        }
        let body = STANDARD_NO_PAD
            .decode(&body_text)
            .map_err(|_| ImportError::Damaged)?;
        stanzas.push(Stanza { kind, args, body });
    }
}

/// Opens a file sealed to this device's private key.
pub fn open_with_key(bytes: &[u8], key: &PrivateKey) -> Result<String, ImportError> {
    open(bytes, |header| {
        if header.is_scrypt() {
            return Err(ImportError::WrongKey);
        }
        let secret = key.secret();
        let own = x25519_dalek::PublicKey::from(&secret);
        for stanza in header.stanzas.iter().filter(|s| s.kind == "X25519") {
            let share: [u8; 32] = match (stanza.args.as_slice(), stanza.body.len()) {
                ([share], 32) => STANDARD_NO_PAD
                    .decode(share)
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or(ImportError::Damaged)?,
                _ => return Err(ImportError::Damaged),
            };
            let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(share));
            if shared.as_bytes().iter().all(|b| *b == 0) {
                return Err(ImportError::Damaged);
            }
            let wrap_key = x25519_wrap_key(shared.as_bytes(), &share, own.as_bytes());
            if let Some(file_key) = unwrap(&wrap_key, &stanza.body) {
                return Ok(file_key);
            }
        }
        Err(ImportError::WrongKey)
    })
}

/// Opens a file sealed to a passphrase.
pub fn open_with_passphrase(bytes: &[u8], passphrase: &str) -> Result<String, ImportError> {
    open(bytes, |header| {
        // A passphrase file has exactly one stanza (the format forbids mixing).
        let [stanza] = header.stanzas.as_slice() else {
            return Err(if header.is_scrypt() {
                ImportError::Damaged
            } else {
                ImportError::WrongPassphrase
            });
        };
        if stanza.kind != "scrypt" {
            return Err(ImportError::WrongPassphrase);
        }
        let [salt, work] = stanza.args.as_slice() else {
            return Err(ImportError::Damaged);
        };
        let salt = STANDARD_NO_PAD
            .decode(salt)
            .ok()
            .filter(|s| s.len() == 16)
            .ok_or(ImportError::Damaged)?;
        let work: u8 = work
            .parse()
            .ok()
            .filter(|w: &u8| (1..64).contains(w) && !work.starts_with('0'))
            .ok_or(ImportError::Damaged)?;
        if work > MAX_OPEN_WORK_FACTOR {
            return Err(ImportError::TooMuchWork);
        }
        if stanza.body.len() != FILE_KEY + TAG {
            return Err(ImportError::Damaged);
        }
        let key = scrypt_key(passphrase, &salt, work).ok_or(ImportError::Damaged)?;
        unwrap(&key, &stanza.body).ok_or(ImportError::WrongPassphrase)
    })
}

/// Checks size and armor, reads the header, finds the file key, checks the header's MAC and
/// decrypts the payload chunk by chunk.
fn open(
    bytes: &[u8],
    file_key: impl FnOnce(&Header) -> Result<[u8; FILE_KEY], ImportError>,
) -> Result<String, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let binary = dearmor(bytes)?;
    let (header, payload) = parse_header(&binary)?;
    let file_key = file_key(&header)?;
    let expected = header_mac(&file_key, &header.covered);
    if expected.as_slice() != header.mac.as_slice() {
        return Err(ImportError::Tampered);
    }
    let plain = decrypt_payload(&file_key, payload)?;
    String::from_utf8(plain).map_err(|_| ImportError::NotACaseFile)
}

fn decrypt_payload(file_key: &[u8; FILE_KEY], payload: &[u8]) -> Result<Vec<u8>, ImportError> {
    if payload.len() < 16 + TAG {
        return Err(ImportError::Truncated);
    }
    let (nonce, mut rest) = payload.split_at(16);
    let cipher = payload_cipher(file_key, nonce.try_into().expect("16 bytes"));
    let mut plain = Vec::with_capacity(rest.len());
    let mut counter: u128 = 0;
    loop {
        let last = rest.len() <= CHUNK + TAG;
        let (chunk, after) = rest.split_at(rest.len().min(CHUNK + TAG));
        match cipher.decrypt(&chunk_nonce(counter, last).into(), chunk) {
            Ok(opened) if last && opened.is_empty() && counter > 0 => {
                return Err(ImportError::Tampered)
            }
            Ok(opened) => plain.extend_from_slice(&opened),
            // A full chunk that opens as a middle chunk, with nothing after it: the end is cut.
            Err(_)
                if last
                    && chunk.len() == CHUNK + TAG
                    && cipher
                        .decrypt(&chunk_nonce(counter, false).into(), chunk)
                        .is_ok() =>
            {
                return Err(ImportError::Truncated)
            }
            Err(_) => return Err(ImportError::Tampered),
        }
        if last {
            return Ok(plain);
        }
        rest = after;
        counter += 1;
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
        assert_eq!(
            check_new_passphrase("kort", "kort"),
            Err(PassphraseError::TooShort)
        );
        assert_eq!(
            check_new_passphrase("lång nog fras", "lång nog frás"),
            Err(PassphraseError::Differ)
        );
        assert_eq!(
            check_new_passphrase("lång nog fras", "lång nog fras"),
            Ok(())
        );
    }

    #[test]
    fn too_much_work_is_refused_before_it_starts() {
        // A binary file whose scrypt stanza asks for 2^19: its header is edited by hand, as a
        // hostile sender would, since sealing at that cost here would take long.
        let file = seal(b"x", |file_key| {
            scrypt_stanza(file_key, "lösenfrasen", FAST)
        });
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
        let binary = seal(b"abc", |file_key| {
            x25519_stanza(file_key, &key.public().point())
        });
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
