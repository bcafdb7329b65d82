//! Sealing a case file in the age format (age-encryption.org/v1, <https://c2sp.org/age>), so it
//! can travel by any channel and be opened by the party security officer's app, or by the
//! standard `age` tool.
//!
//! Two ways to seal: to the officer's X25519 public key (nothing to type at the scene), or to a
//! passphrase (scrypt, with a work factor chosen so a mid-range phone opens it in about a second).
//! Sealed files are ASCII-armored; binary age files are read too.
//!
//! A case file with its evidence can be tens of megabytes, which takes a phone's browser seconds
//! to encrypt or decrypt; done in one call, that freezes the page. So sealing
//! (`SealingInSteps`) and opening (`Opening`) also run in bounded steps, between which the app
//! gives the event loop a turn. The one-shot functions are those steps run to the end: one code
//! path, the same bytes.
//!
//! Why not the `age` crate: it links its Fluent localisation (every language's messages and the
//! Fluent runtime) into the payload reader, 151 KB of gzipped wasm, half the app. The format is
//! small and fixed; this crate writes it over the RustCrypto primitives the `age` crate itself
//! uses (X25519, HKDF-SHA-256, HMAC-SHA-256, ChaCha20-Poly1305, scrypt). The reader is held to
//! the age community test vectors (`tests/vectors.rs`), and the service's tests check files both
//! ways against the reference `age` tool.
//!
//! A file is untrusted input: the reader bounds the work a hostile file can ask for (stanzas,
//! scrypt work factor) before doing any of it, and every secret it derives is wiped when dropped.

mod armor;
mod header;
mod keys;
mod recipients;
mod stream;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use header::{Header, NewStanza, WorkFactor};
use recipients::FileKey;

pub use armor::armor;
pub use keys::{KeyError, PrivateKey, PublicKey};

/// scrypt work factor (N = 2^14) for files sealed with a passphrase. Measured by `make bench`
/// ("open a usual passphrase file"): at 2^15 a small case took 0.4 s in Chromium on this 2-core
/// machine and 1.8 s at 4× CPU slowdown, our stand-in for a mid-range phone; 2^14 halves both,
/// to about a second on such a phone. The passphrase's length (at least 8) carries the rest.
pub const PASSPHRASE_WORK_FACTOR: u8 = 14;
/// The largest work factor this app accepts when opening: 2^18 needs 256 MiB and several seconds
/// in a phone's browser; files asking for more (a hostile file, or one sealed on a fast desktop)
/// are refused with their own message, when the file is read and before scrypt runs, instead of
/// freezing the phone.
pub const MAX_OPEN_WORK_FACTOR: u8 = 18;
/// Shorter passphrases are refused when sealing: the file may travel through any channel.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The most recipient stanzas a file may have. The app seals to one recipient; a file made with
/// the `age` tool for a team has one stanza per member, and a few more with grease stanzas.
/// Opening with a key costs one X25519 operation per X25519 stanza, so 64 bounds a hostile
/// file's cost to 64 such operations (milliseconds even in a phone's browser), where 10,000
/// stanzas would freeze it; and no real team of security officers nears 64.
pub const MAX_STANZAS: usize = 64;

const BINARY_BEGIN: &[u8] = b"age-encryption.org/";
/// Base64 lines of the header bodies and of the armor are 64 columns.
const COLUMNS: usize = 64;

/// Why an age file could not be opened. Each is its own class, as the age test vectors class
/// them, so the app can say what went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeError {
    /// The file ends before its armor, header or payload does: a cut-off download or copy.
    Truncated,
    /// The ASCII armor is broken (lines, begin or end marker, base64).
    Armor,
    /// The header does not follow the format: damaged, or made by a faulty program.
    Header,
    /// An age format version this reader does not know.
    UnsupportedVersion,
    /// The header has more than `MAX_STANZAS` recipient stanzas: refused before any is tried.
    TooManyStanzas,
    /// No recipient stanza opens with the key given (or, for a passphrase, the file is not
    /// sealed to one).
    NoMatch,
    /// The passphrase does not open the file.
    WrongPassphrase,
    /// The passphrase's work factor is above `MAX_OPEN_WORK_FACTOR`: refused before scrypt runs.
    TooMuchWork,
    /// The header's MAC does not match: the header was changed.
    HeaderMac,
    /// The payload does not authenticate, or something follows its final chunk: changed or
    /// damaged after sealing.
    Payload,
}

impl std::fmt::Display for AgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AgeError::Truncated => "the age file is cut off",
            AgeError::Armor => "the age file's armor is damaged",
            AgeError::Header => "the age file's header is damaged",
            AgeError::UnsupportedVersion => "the age file has an unknown version",
            AgeError::TooManyStanzas => "the age file has too many recipients",
            AgeError::NoMatch => "no recipient in the age file matches the key",
            AgeError::WrongPassphrase => "the passphrase does not open the age file",
            AgeError::TooMuchWork => "the age file's passphrase work factor is too high",
            AgeError::HeaderMac => "the age file's header MAC does not match",
            AgeError::Payload => "the age file's payload does not authenticate",
        })
    }
}

impl std::error::Error for AgeError {}

/// How a file is sealed, read from its header before anything is asked of the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
    /// Plain JSON (or not a case file at all: the case file reader says which).
    None,
    ToKey,
    ToPassphrase,
}

/// Whether the bytes are an age file, and of which kind.
pub fn sealing(bytes: &[u8]) -> Result<Sealing, AgeError> {
    if !looks_sealed(bytes) {
        return Ok(Sealing::None);
    }
    Ok(AgeFile::parse(bytes)?.sealing())
}

/// Whether the bytes start as an age file does: a binary one at its first byte, an armored one
/// after any white space.
pub fn looks_sealed(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.starts_with(BINARY_BEGIN) || bytes[start..].starts_with(armor::BEGIN.as_bytes())
}

/// Seals text to the officer's public key, armored. Refuses a key whose shared secret is all
/// zeros (a low-order point, which `PublicKey::parse` already refuses): anyone could open it.
pub fn seal_to_key(
    plain: &[u8],
    key: &PublicKey,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<String, KeyError> {
    Ok(armor::armor(&seal_to_key_binary(plain, key, rng)?))
}

/// As `seal_to_key`, the binary file: a third smaller than armored, for files that hold
/// pictures.
pub fn seal_to_key_binary(
    plain: &[u8],
    key: &PublicKey,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Vec<u8>, KeyError> {
    Ok(seal_to_key_in_steps(key, rng)?.sealed(plain))
}

/// As `seal_to_key_binary`, the plaintext given in pieces (`SealingInSteps::push`), so a large
/// file is encrypted in steps between which the browser stays responsive.
pub fn seal_to_key_in_steps(
    key: &PublicKey,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<SealingInSteps, KeyError> {
    start_sealing(rng, |file_key, rng| {
        recipients::x25519_stanza(file_key, key, rng)
    })
}

/// Why a passphrase was not accepted for sealing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseError {
    /// Shorter than `min` characters.
    TooShort { min: usize },
    /// The two entries of a new passphrase differ.
    Differ,
}

/// Checks a new passphrase typed twice, before a file is sealed to it.
pub fn check_new_passphrase(first: &str, repeat: &str) -> Result<(), PassphraseError> {
    check_new_passphrase_of(first, repeat, MIN_PASSPHRASE_CHARS)
}

/// As `check_new_passphrase`, for a use that asks for at least `min` characters (never fewer
/// than `MIN_PASSPHRASE_CHARS`).
pub fn check_new_passphrase_of(
    first: &str,
    repeat: &str,
    min: usize,
) -> Result<(), PassphraseError> {
    let min = min.max(MIN_PASSPHRASE_CHARS);
    if first.chars().count() < min {
        Err(PassphraseError::TooShort { min })
    } else if first != repeat {
        Err(PassphraseError::Differ)
    } else {
        Ok(())
    }
}

/// Seals text to a passphrase, armored, at `PASSPHRASE_WORK_FACTOR`.
pub fn seal_with_passphrase(
    plain: &[u8],
    passphrase: &str,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<String, PassphraseError> {
    seal_with_passphrase_at(plain, passphrase, PASSPHRASE_WORK_FACTOR, rng)
}

/// As `seal_with_passphrase`, with a chosen work factor (tests use small ones).
///
/// # Panics
///
/// If `work_factor` is outside 1 to `MAX_OPEN_WORK_FACTOR`: the file could not be opened by this
/// app, and the work factor is the caller's constant, not input.
pub fn seal_with_passphrase_at(
    plain: &[u8],
    passphrase: &str,
    work_factor: u8,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<String, PassphraseError> {
    seal_with_passphrase_binary_at(plain, passphrase, work_factor, rng)
        .map(|binary| armor::armor(&binary))
}

/// As `seal_with_passphrase_at`, the binary file (for files that hold pictures).
///
/// # Panics
///
/// As `seal_with_passphrase_at`.
pub fn seal_with_passphrase_binary_at(
    plain: &[u8],
    passphrase: &str,
    work_factor: u8,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Vec<u8>, PassphraseError> {
    Ok(seal_with_passphrase_in_steps_at(passphrase, work_factor, rng)?.sealed(plain))
}

/// As `seal_with_passphrase_binary_at`, the plaintext given in pieces
/// (`SealingInSteps::push`). scrypt runs here, once.
///
/// # Panics
///
/// As `seal_with_passphrase_at`.
pub fn seal_with_passphrase_in_steps_at(
    passphrase: &str,
    work_factor: u8,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<SealingInSteps, PassphraseError> {
    let work_factor = WorkFactor::new(work_factor).unwrap_or_else(|| {
        panic!("work factor {work_factor} is outside 1..={MAX_OPEN_WORK_FACTOR}")
    });
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(PassphraseError::TooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    let sealing = start_sealing(rng, |file_key, rng| {
        Ok::<_, std::convert::Infallible>(recipients::scrypt_stanza(
            file_key,
            passphrase,
            work_factor,
            rng,
        ))
    });
    let Ok(sealing) = sealing;
    Ok(sealing)
}

/// The binary age file's start: header with one stanza and its MAC, and the payload's nonce.
/// The file key lives only here: the payload cipher derived from it is all that is kept.
fn start_sealing<R: RngCore + CryptoRng, E>(
    rng: &mut R,
    stanza: impl FnOnce(&FileKey, &mut R) -> Result<NewStanza, E>,
) -> Result<SealingInSteps, E> {
    let file_key = recipients::new_file_key(rng);
    let stanza = stanza(&file_key, rng)?;
    let header = header::write(&stanza, &file_key);
    let mut nonce = [0u8; stream::NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    Ok(SealingInSteps {
        payload: stream::Encryptor::new(&file_key, &nonce, header),
    })
}

/// A binary age file being sealed a piece of plaintext at a time (`seal_to_key_in_steps`,
/// `seal_with_passphrase_in_steps_at`): each `push` encrypts about as much as it is given, so
/// the caller bounds each step's work by the size of its pieces. How the plaintext is split
/// does not change the file: it is the one the one-shot function makes with the same
/// randomness.
///
/// At most one 64 KiB chunk of plaintext is held (wiped when dropped): a chunk is encrypted
/// only once more plaintext shows it is not the final one, since the final chunk is marked.
pub struct SealingInSteps {
    payload: stream::Encryptor,
}

impl SealingInSteps {
    /// Makes room for `plain` more bytes of plaintext, so a file of known size is built without
    /// being copied as it grows.
    pub fn reserve(&mut self, plain: usize) {
        self.payload.reserve(plain);
    }

    /// Encrypts more of the plaintext (pieces of any size, empty ones too).
    pub fn push(&mut self, plain: &[u8]) {
        self.payload.push(plain);
    }

    /// Encrypts the final chunk and returns the binary file (`armor` makes it text). With no
    /// plaintext pushed, the payload is one empty final chunk, as the format has it.
    pub fn finish(self) -> Vec<u8> {
        self.payload.finish()
    }

    /// The whole file in one call, for the one-shot functions.
    fn sealed(mut self, plain: &[u8]) -> Vec<u8> {
        self.reserve(plain.len());
        self.push(plain);
        self.finish()
    }
}

/// An age file whose armor is removed and whose header is read and checked, ready to be opened
/// once the key or passphrase is known: a caller that must ask the user for a passphrase parses
/// it once.
pub struct AgeFile {
    /// The binary file: header, nonce and encrypted chunks.
    binary: Vec<u8>,
    header: Header,
}

impl AgeFile {
    /// Reads an age file, armored or binary. Everything that can be checked without the key is
    /// checked here, the limits on work first.
    pub fn parse(bytes: &[u8]) -> Result<AgeFile, AgeError> {
        let binary = armor::dearmor(bytes)?.into_owned();
        let header = header::parse(&binary)?;
        // The nonce belongs to the header's side of the format: a file without one is cut off
        // however it is opened.
        if binary.len() - header.payload_start < stream::NONCE_LEN {
            return Err(AgeError::Truncated);
        }
        Ok(AgeFile { binary, header })
    }

    /// Whether it needs a passphrase or a private key.
    pub fn sealing(&self) -> Sealing {
        if self.header.is_scrypt() {
            Sealing::ToPassphrase
        } else {
            Sealing::ToKey
        }
    }

    /// Opens a file sealed to this device's private key. Nothing is returned unless the whole
    /// file authenticates.
    pub fn open_with_key(&self, key: &PrivateKey) -> Result<Vec<u8>, AgeError> {
        self.opening_with_key(key)?.finish()
    }

    /// Opens a file sealed to a passphrase. Nothing is returned unless the whole file
    /// authenticates.
    pub fn open_with_passphrase(&self, passphrase: &str) -> Result<Vec<u8>, AgeError> {
        self.opening_with_passphrase(passphrase)?.finish()
    }

    /// As `open_with_key`, the payload decrypted in steps (`Opening::step`) so a large file does
    /// not freeze the browser. The key is tried and the header's MAC checked here.
    pub fn opening_with_key(&self, key: &PrivateKey) -> Result<Opening<'_>, AgeError> {
        self.opening(&recipients::x25519_file_key(&self.header, key)?)
    }

    /// As `opening_with_key`, for a file sealed to a passphrase: scrypt runs here, once.
    pub fn opening_with_passphrase(&self, passphrase: &str) -> Result<Opening<'_>, AgeError> {
        self.opening(&recipients::scrypt_file_key(&self.header, passphrase)?)
    }

    /// Opens a file sealed to this device's private key, handing the plaintext to `release` one
    /// 64 KiB chunk at a time, each as soon as it authenticates. On an error, what was released
    /// is authentic but not the whole file: the caller must not treat it as the file.
    pub fn open_with_key_chunks(
        &self,
        key: &PrivateKey,
        mut release: impl FnMut(&[u8]),
    ) -> Result<(), AgeError> {
        self.opening_with_key(key)?.release_chunks(&mut release)
    }

    /// As `open_with_key_chunks`, for a file sealed to a passphrase.
    pub fn open_with_passphrase_chunks(
        &self,
        passphrase: &str,
        mut release: impl FnMut(&[u8]),
    ) -> Result<(), AgeError> {
        self.opening_with_passphrase(passphrase)?
            .release_chunks(&mut release)
    }

    /// Checks the header's MAC and reads the payload's nonce. The file key is dropped (wiped)
    /// here: the payload cipher derived from it is all that is kept.
    fn opening(&self, file_key: &FileKey) -> Result<Opening<'_>, AgeError> {
        header::verify_mac(file_key, &self.binary, &self.header)?;
        let payload = stream::Decryptor::new(file_key, &self.binary[self.header.payload_start..])?;
        // Large enough for the whole plaintext (never larger than its encrypted chunks), so it
        // never moves and leaves no copy behind.
        let plain = Zeroizing::new(Vec::with_capacity(payload.progress().1));
        Ok(Opening { payload, plain })
    }
}

/// An age file being opened a chunk at a time (`AgeFile::opening_with_key`,
/// `AgeFile::opening_with_passphrase`), so the app can give the browser's event loop a turn
/// between steps. Each step authenticates and decrypts whole 64 KiB chunks; their plaintext is
/// kept here, wiped when dropped, and handed out by `finish` only once the whole file has
/// authenticated, as the one-shot `open_with_*` functions (which are these steps) do.
pub struct Opening<'a> {
    payload: stream::Decryptor<'a>,
    /// The plaintext of the chunks read so far.
    plain: Zeroizing<Vec<u8>>,
}

impl Opening<'_> {
    /// Reads chunks until about `budget` encrypted bytes were read in this step (at least one
    /// chunk, of up to 64 KiB and 16 bytes). True once the final chunk was read. An error is
    /// the one the whole-file reader gives, and every later step gives it again.
    pub fn step(&mut self, budget: usize) -> Result<bool, AgeError> {
        let stop = self.progress().0.saturating_add(budget);
        loop {
            if self.payload.next(&mut self.plain)? {
                return Ok(true);
            }
            if self.progress().0 >= stop {
                return Ok(false);
            }
        }
    }

    /// Encrypted payload bytes read so far, and in all (the header and nonce not counted): for
    /// a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        self.payload.progress()
    }

    /// Reads what is left and returns the whole plaintext, only if the whole file authenticated;
    /// on an error, what was read is wiped.
    pub fn finish(mut self) -> Result<Vec<u8>, AgeError> {
        self.step(usize::MAX)?;
        Ok(std::mem::take(&mut *self.plain))
    }

    /// Hands out each chunk's plaintext as soon as it authenticates, and keeps none of it.
    fn release_chunks(mut self, release: &mut dyn FnMut(&[u8])) -> Result<(), AgeError> {
        loop {
            let read = self.step(0);
            // On an error too: what a failed step kept (a final chunk with something after it)
            // is authentic.
            release(&self.plain);
            self.plain.clear();
            if read? {
                return Ok(());
            }
        }
    }
}

/// Opens a file sealed to this device's private key.
pub fn open_with_key(bytes: &[u8], key: &PrivateKey) -> Result<Vec<u8>, AgeError> {
    AgeFile::parse(bytes)?.open_with_key(key)
}

/// Opens a file sealed to a passphrase.
pub fn open_with_passphrase(bytes: &[u8], passphrase: &str) -> Result<Vec<u8>, AgeError> {
    AgeFile::parse(bytes)?.open_with_passphrase(passphrase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    use base64::Engine;
    use rand_chacha::rand_core::SeedableRng;

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(7)
    }

    const FAST: u8 = 4;

    fn binary_to_key(plain: &[u8], key: &PublicKey) -> Vec<u8> {
        seal_to_key_binary(plain, key, &mut rng()).unwrap()
    }

    #[test]
    fn a_key_round_trips_and_the_public_key_is_stable() {
        let mut rng = rng();
        let key = PrivateKey::generate(&mut rng);
        let public = key.public();
        assert!(public.as_str().starts_with("age1"));
        assert_eq!(PublicKey::parse(public.as_str()), Ok(public.clone()));
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
        let mut rng = rng();
        let key = PrivateKey::generate(&mut rng);
        let sealed = seal_to_key(b"{\"a\":1}", &key.public(), &mut rng).unwrap();
        assert!(sealed.starts_with(armor::BEGIN));
        assert_eq!(sealing(sealed.as_bytes()), Ok(Sealing::ToKey));
        assert_eq!(
            open_with_key(sealed.as_bytes(), &key).unwrap(),
            b"{\"a\":1}"
        );
        let other = PrivateKey::generate(&mut rng);
        assert_eq!(
            open_with_key(sealed.as_bytes(), &other),
            Err(AgeError::NoMatch)
        );
        assert_eq!(
            open_with_passphrase(sealed.as_bytes(), "lösenfrasen"),
            Err(AgeError::NoMatch)
        );
    }

    #[test]
    fn sealing_refuses_an_all_zero_shared_secret() {
        // `PublicKey::parse` refuses these points; sealing checks the shared secret itself too.
        let mut one = [0u8; 32];
        one[0] = 1;
        for point in [[0u8; 32], one] {
            let low_order = PublicKey::from_bytes(point);
            assert_eq!(
                seal_to_key(b"x", &low_order, &mut rng()),
                Err(KeyError::LowOrder)
            );
        }
        // A key of large order seals: the refusal above is about the point.
        let good = PrivateKey::generate(&mut rng()).public();
        assert!(seal_to_key(b"x", &good, &mut rng()).is_ok());
    }

    #[test]
    fn sealed_to_a_passphrase_opens_only_with_it() {
        let mut rng = rng();
        let sealed = seal_with_passphrase_at(b"hemligt", "rätt lösenfras", FAST, &mut rng).unwrap();
        assert_eq!(sealing(sealed.as_bytes()), Ok(Sealing::ToPassphrase));
        assert_eq!(
            open_with_passphrase(sealed.as_bytes(), "rätt lösenfras").unwrap(),
            b"hemligt"
        );
        assert_eq!(
            open_with_passphrase(sealed.as_bytes(), "fel lösenfras"),
            Err(AgeError::WrongPassphrase)
        );
        let key = PrivateKey::generate(&mut rng);
        assert_eq!(
            open_with_key(sealed.as_bytes(), &key),
            Err(AgeError::NoMatch)
        );
        assert_eq!(
            seal_with_passphrase_at(b"x", "kort", FAST, &mut rng),
            Err(PassphraseError::TooShort {
                min: MIN_PASSPHRASE_CHARS
            })
        );
        assert_eq!(
            check_new_passphrase("kort", "kort"),
            Err(PassphraseError::TooShort {
                min: MIN_PASSPHRASE_CHARS
            })
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
    #[should_panic(expected = "outside")]
    fn sealing_above_the_opening_limit_is_a_bug() {
        let _ =
            seal_with_passphrase_at(b"x", "lång nog fras", MAX_OPEN_WORK_FACTOR + 1, &mut rng());
    }

    #[test]
    fn too_much_work_is_refused_before_it_starts() {
        let mut rng = rng();
        // A binary file whose scrypt stanza asks for 2^19: its header is edited by hand, as a
        // hostile sender would, since sealing at that cost here would take long.
        let file = seal_with_passphrase_binary_at(b"x", "lösenfrasen", FAST, &mut rng).unwrap();
        let text = String::from_utf8_lossy(&file).into_owned();
        let line_end = text.find(" 4\n").expect("stanza names its work factor");
        let mut hostile = file[..line_end].to_vec();
        hostile.extend_from_slice(format!(" {}", MAX_OPEN_WORK_FACTOR + 1).as_bytes());
        hostile.extend_from_slice(&file[line_end + 2..]);
        assert_eq!(
            open_with_passphrase(&hostile, "lösenfrasen"),
            Err(AgeError::TooMuchWork)
        );
        assert_eq!(sealing(&hostile), Err(AgeError::TooMuchWork));
    }

    #[test]
    fn plain_text_is_not_sealed() {
        assert_eq!(sealing(b"{\"format\":1}"), Ok(Sealing::None));
        assert_eq!(sealing(b""), Ok(Sealing::None));
        // A binary age file starts at the first byte.
        assert_eq!(sealing(b" age-encryption.org/v1\n"), Ok(Sealing::None));
    }

    #[test]
    fn damage_is_named() {
        let mut rng = rng();
        let key = PrivateKey::generate(&mut rng);
        let sealed = seal_to_key("x".repeat(200).as_bytes(), &key.public(), &mut rng).unwrap();
        let cut = &sealed[..sealed.len() / 2];
        assert_eq!(
            open_with_key(cut.as_bytes(), &key),
            Err(AgeError::Truncated)
        );
        let binary = binary_to_key(b"abc", &key.public());
        assert_eq!(open_with_key(&binary, &key).unwrap(), b"abc");
        let windows_lines = sealed.replace('\n', "\r\n");
        assert_eq!(
            open_with_key(windows_lines.as_bytes(), &key).unwrap(),
            "x".repeat(200).into_bytes()
        );
        let mut flipped = binary.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(open_with_key(&flipped, &key), Err(AgeError::Payload));
    }

    /// The MAC line of a binary file, and where it starts.
    fn mac_line(binary: &[u8]) -> (usize, usize) {
        let start = binary.windows(4).position(|w| w == b"\n---").unwrap() + 1;
        let end = start + binary[start..].iter().position(|b| *b == b'\n').unwrap();
        (start, end)
    }

    #[test]
    fn a_changed_header_fails_its_mac_and_a_damaged_mac_is_damage() {
        let key = PrivateKey::generate(&mut rng());
        let binary = binary_to_key(b"abc", &key.public());
        let (start, end) = mac_line(&binary);
        let mac = STANDARD_NO_PAD.decode(&binary[start + 4..end]).unwrap();
        let with_mac = |mac_text: &[u8]| {
            let mut changed = binary[..start + 4].to_vec();
            changed.extend_from_slice(mac_text);
            changed.extend_from_slice(&binary[end..]);
            open_with_key(&changed, &key)
        };
        let mut wrong = mac.clone();
        wrong[31] ^= 1;
        assert_eq!(
            with_mac(STANDARD_NO_PAD.encode(&wrong).as_bytes()),
            Err(AgeError::HeaderMac)
        );
        assert_eq!(
            with_mac(STANDARD_NO_PAD.encode(&mac[..31]).as_bytes()),
            Err(AgeError::Header)
        );
        assert_eq!(
            with_mac(
                STANDARD_NO_PAD
                    .encode([mac.as_slice(), &[0]].concat())
                    .as_bytes()
            ),
            Err(AgeError::Header)
        );
        assert_eq!(with_mac(b""), Err(AgeError::Header));
    }

    /// A binary file with `count` X25519 stanzas, none of them for `key`'s holder.
    fn file_with_x25519_stanzas(count: usize) -> Vec<u8> {
        let stranger = PrivateKey::generate(&mut rng()).public();
        let stanza = format!(
            "-> X25519 {}\n{}\n",
            STANDARD_NO_PAD.encode(stranger.bytes()),
            STANDARD_NO_PAD.encode([7u8; 32])
        );
        let mut file = format!("age-encryption.org/v1\n{}", stanza.repeat(count)).into_bytes();
        file.extend_from_slice(format!("--- {}\n", STANDARD_NO_PAD.encode([1u8; 32])).as_bytes());
        file.extend_from_slice(&[0u8; 16 + 32]);
        file
    }

    #[test]
    fn many_stanzas_are_refused_before_any_x25519_operation() {
        let key = PrivateKey::generate(&mut rng());
        let hostile = file_with_x25519_stanzas(10_000);
        let before = keys::x25519_operations();
        assert_eq!(open_with_key(&hostile, &key), Err(AgeError::TooManyStanzas));
        assert_eq!(sealing(&hostile), Err(AgeError::TooManyStanzas));
        assert_eq!(keys::x25519_operations() - before, 0);
        // At the limit the file is read, and each stanza costs its one operation: the counter
        // sees them, so the zero above means none was done.
        let at_limit = file_with_x25519_stanzas(MAX_STANZAS);
        let before = keys::x25519_operations();
        assert_eq!(open_with_key(&at_limit, &key), Err(AgeError::NoMatch));
        assert_eq!(keys::x25519_operations() - before, MAX_STANZAS);
    }

    #[test]
    fn payload_ends_are_checked() {
        let key = PrivateKey::generate(&mut rng());
        let chunk = 64 * 1024;
        let encrypted_chunk = chunk + 16;
        let plain: Vec<u8> = (0..2 * chunk).map(|i| (i % 251) as u8).collect();
        let binary = binary_to_key(&plain, &key.public());
        assert_eq!(open_with_key(&binary, &key).unwrap(), plain);
        let file = |bytes: &[u8]| AgeFile::parse(bytes).unwrap();
        let released = |bytes: &[u8]| {
            let mut got = Vec::new();
            let result = file(bytes).open_with_key_chunks(&key, |c| got.extend_from_slice(c));
            (result, got)
        };
        // The final chunk removed: a full middle chunk followed by nothing is a cut-off file,
        // and only that authentic first chunk was released.
        let cut = &binary[..binary.len() - encrypted_chunk];
        assert_eq!(
            released(cut),
            (Err(AgeError::Truncated), plain[..chunk].to_vec())
        );
        assert_eq!(open_with_key(cut, &key), Err(AgeError::Truncated));
        // Anything after the final chunk is refused, after the authentic chunks are released.
        let trailing = [&binary[..], b"x"].concat();
        assert_eq!(released(&trailing), (Err(AgeError::Payload), plain.clone()));
        assert_eq!(open_with_key(&trailing, &key), Err(AgeError::Payload));
        // No chunk at all after the nonce.
        let (_, mac_end) = mac_line(&binary);
        let nonce_only = &binary[..mac_end + 1 + 16];
        assert_eq!(released(nonce_only), (Err(AgeError::Truncated), vec![]));
        // Without its nonce the file is cut off before it can be opened at all.
        assert_eq!(
            AgeFile::parse(&binary[..mac_end + 1 + 15]).map(|_| ()),
            Err(AgeError::Truncated)
        );
        // An empty payload is one empty final chunk.
        let empty = binary_to_key(b"", &key.public());
        assert_eq!(open_with_key(&empty, &key), Ok(vec![]));
    }
}
