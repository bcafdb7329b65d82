//! The X25519 keys of the age format in their Bech32 spelling: the officer's public key
//! (`age1…`, the recipient) and private key (`AGE-SECRET-KEY-1…`, the identity).
//!
//! Each key has exactly one accepted spelling: Bech32 (not Bech32m), zero padding bits, public
//! keys in lower case and private keys in upper case, as `age-keygen` writes them. A key that
//! could be written two ways could be stored twice or compared wrongly.

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Hrp};
use rand_core::{CryptoRng, RngCore};
use x25519_dalek::{SharedSecret, StaticSecret};
use zeroize::{ZeroizeOnDrop, Zeroizing};

const PUBLIC_HRP: &str = "age";
const SECRET_HRP: &str = "age-secret-key-";
/// What a private key starts with, in the one case it is written in.
const SECRET_START: &str = "AGE-SECRET-KEY-1";
const PUBLIC_START: &str = "age1";
const KEY_BYTES: usize = 32;

/// Why a key was refused, so the app can say what to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Not an age X25519 key of the kind asked for: other text, a public key where the private
    /// key belongs, or another kind of key (a post-quantum `age1pq1…` key, an SSH key).
    NotAKey,
    /// A private key (`AGE-SECRET-KEY-1…`) given where the public key (`age1…`) belongs: it must
    /// not be shared, and the app must not store it as the officer's public key.
    PrivateKeyGiven,
    /// Written in the wrong case: a public key is all lower case, a private key all upper case.
    WrongCase,
    /// Starts as a key does, but its characters, checksum or length do not add up: a typing or
    /// copying mistake, or a cut-off copy.
    Misspelt,
    /// A public key that is a low-order point: X25519 with it gives the all-zero shared secret
    /// whatever the sender's key, so anyone could open what is sealed to it.
    LowOrder,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyError::NotAKey => "not an age key of the expected kind",
            KeyError::PrivateKeyGiven => "a private key was given where a public key belongs",
            KeyError::WrongCase => "the key is written in the wrong case",
            KeyError::Misspelt => "the key's characters or checksum do not add up",
            KeyError::LowOrder => "the public key is a low-order point that anyone could open",
        })
    }
}

impl std::error::Error for KeyError {}

/// The officer's public key, checked: `age1…`.
#[derive(Clone)]
pub struct PublicKey {
    bytes: [u8; KEY_BYTES],
    /// The one canonical spelling of `bytes`.
    text: String,
}

impl PublicKey {
    /// Reads a public key as pasted: white space around it is dropped.
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        if starts_with_ignoring_case(text, SECRET_START) {
            return Err(KeyError::PrivateKeyGiven);
        }
        if !starts_with_ignoring_case(text, PUBLIC_START) {
            return Err(KeyError::NotAKey);
        }
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(KeyError::WrongCase);
        }
        let bytes = decode_key(text, PUBLIC_HRP)?;
        if is_low_order(&bytes) {
            return Err(KeyError::LowOrder);
        }
        Ok(PublicKey::from_bytes(*bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.bytes
    }

    /// The key for these bytes, unchecked: for points known to be of large order, and for tests
    /// that need a key `parse` refuses.
    pub(crate) fn from_bytes(bytes: [u8; KEY_BYTES]) -> PublicKey {
        let hrp = Hrp::parse(PUBLIC_HRP).expect("a valid prefix");
        let text = bech32::encode_lower::<Bech32>(hrp, &bytes).expect("32 bytes always encode");
        PublicKey { bytes, text }
    }
}

/// Two keys are the same key when their points are: the text is derived from the bytes.
impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for PublicKey {}

impl std::hash::Hash for PublicKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.text)
    }
}

/// The officer's private key (`AGE-SECRET-KEY-1…`), kept on the officer's device only. Every
/// copy of the secret it holds is wiped when it is dropped, and `Debug` shows only the public key.
#[derive(Clone)]
pub struct PrivateKey {
    /// Wiped on drop: x25519-dalek is built with its `zeroize` feature.
    secret: StaticSecret,
    /// The key as written, for storage and the identity file.
    text: Zeroizing<String>,
    /// Derived once, when the key is made or read.
    public: PublicKey,
}

/// Both secret fields wipe themselves on drop; this marker says so to callers.
impl ZeroizeOnDrop for PrivateKey {}

impl PrivateKey {
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> PrivateKey {
        let mut scalar = Zeroizing::new([0u8; KEY_BYTES]);
        rng.fill_bytes(scalar.as_mut_slice());
        let hrp = Hrp::parse(SECRET_HRP).expect("a valid prefix");
        let length = bech32::encoded_length::<Bech32>(hrp, scalar.as_slice())
            .expect("32 bytes always encode");
        // Allocated at its full length up front, so no reallocation leaves a copy behind.
        let mut text = Zeroizing::new(String::with_capacity(length));
        bech32::encode_upper_to_fmt::<Bech32, String>(&mut text, hrp, scalar.as_slice())
            .expect("writing to a String cannot fail");
        PrivateKey::from_scalar(&scalar, text)
    }

    /// Reads a private key as stored or pasted: white space around it is dropped.
    pub fn parse(text: &str) -> Result<PrivateKey, KeyError> {
        let text = text.trim();
        if !starts_with_ignoring_case(text, SECRET_START) {
            return Err(KeyError::NotAKey);
        }
        if text.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(KeyError::WrongCase);
        }
        let scalar = decode_key(text, SECRET_HRP)?;
        Ok(PrivateKey::from_scalar(
            &scalar,
            Zeroizing::new(text.to_owned()),
        ))
    }

    fn from_scalar(scalar: &[u8; KEY_BYTES], text: Zeroizing<String>) -> PrivateKey {
        let secret = StaticSecret::from(*scalar);
        let public = PublicKey::from_bytes(public_point(&secret));
        PrivateKey {
            secret,
            text,
            public,
        }
    }

    pub fn expose(&self) -> &str {
        &self.text
    }

    /// Reads the key from an age identity file (comment lines and the key line), as a backup
    /// holds it or `age-keygen` writes it.
    pub fn from_identity_file(text: &str) -> Option<PrivateKey> {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(SECRET_START))
            .and_then(|line| PrivateKey::parse(line).ok())
    }

    /// The key as an age identity file: `age -d -i` reads it. It holds the secret, so it is
    /// wiped when dropped.
    pub fn to_identity_file(&self, created: &str) -> Zeroizing<String> {
        let lines = [
            "# Stödrutin: the party security officer's key. Keep it secret.\n# created: ",
            created,
            "\n# public key: ",
            self.public.as_str(),
            "\n",
            self.expose(),
            "\n",
        ];
        // Allocated at its full length up front, so no reallocation leaves a copy behind.
        let mut file = Zeroizing::new(String::with_capacity(lines.iter().map(|l| l.len()).sum()));
        lines.iter().for_each(|line| file.push_str(line));
        file
    }

    pub fn public(&self) -> PublicKey {
        self.public.clone()
    }

    pub(crate) fn secret(&self) -> &StaticSecret {
        &self.secret
    }

    pub(crate) fn public_bytes(&self) -> &[u8; KEY_BYTES] {
        self.public.bytes()
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(public: {})", self.public.as_str())
    }
}

fn starts_with_ignoring_case(text: &str, start: &str) -> bool {
    text.get(..start.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(start))
}

/// The 32 bytes of a Bech32 key whose case the caller has checked. The bytes go straight into
/// wiped memory: no intermediate vector holds them.
fn decode_key(text: &str, hrp: &str) -> Result<Zeroizing<[u8; KEY_BYTES]>, KeyError> {
    // Checking against Bech32 refuses Bech32m: the two differ only in the checksum's constant.
    let checked = CheckedHrpstring::new::<Bech32>(text).map_err(|_| KeyError::Misspelt)?;
    if !checked.hrp().as_str().eq_ignore_ascii_case(hrp) {
        // `age1pq1…` has the prefix `age1pq`: another kind of key.
        return Err(KeyError::NotAKey);
    }
    // 32 bytes take 52 five-bit characters, 4 bits more than needed; those must be zero, or the
    // same key would have 16 spellings.
    checked
        .validate_segwit_padding()
        .map_err(|_| KeyError::Misspelt)?;
    let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
    let mut count = 0;
    for byte in checked.byte_iter() {
        *bytes.get_mut(count).ok_or(KeyError::Misspelt)? = byte;
        count += 1;
    }
    if count != KEY_BYTES {
        return Err(KeyError::Misspelt);
    }
    Ok(bytes)
}

/// Any fixed private key serves: see `is_low_order`.
const LOW_ORDER_PROBE: [u8; KEY_BYTES] = [0x5a; KEY_BYTES];

/// Whether X25519 with this point gives the all-zero shared secret.
///
/// Computed rather than looked up in a list of known small-order points: X25519 clamps every
/// private key to a multiple of the cofactor 8 that is, divided by 8, below the large prime
/// orders of both the curve's and its twist's subgroups. So X25519 with any one fixed key gives
/// zero for exactly the points of small order, in every encoding they have (values of p and
/// above, the ignored top bit), which a list would have to spell out one by one. It is also the
/// very test sealing applies to the real shared secret.
fn is_low_order(point: &[u8; KEY_BYTES]) -> bool {
    let probe = StaticSecret::from(LOW_ORDER_PROBE);
    !diffie_hellman(&probe, point).was_contributory()
}

#[cfg(test)]
thread_local! {
    /// X25519 scalar multiplications done on this thread, so tests can check that hostile files
    /// are refused before any.
    static X25519_OPERATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
pub(crate) fn x25519_operations() -> usize {
    X25519_OPERATIONS.with(|count| count.get())
}

fn count_x25519_operation() {
    #[cfg(test)]
    X25519_OPERATIONS.with(|count| count.set(count.get() + 1));
}

/// X25519 of a secret and a point. Every X25519 operation of the crate goes through here or
/// `public_point`.
pub(crate) fn diffie_hellman(secret: &StaticSecret, point: &[u8; KEY_BYTES]) -> SharedSecret {
    count_x25519_operation();
    secret.diffie_hellman(&x25519_dalek::PublicKey::from(*point))
}

/// X25519 of a secret and the base point: its public key.
pub(crate) fn public_point(secret: &StaticSecret) -> [u8; KEY_BYTES] {
    count_x25519_operation();
    x25519_dalek::PublicKey::from(secret).to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bech32::primitives::iter::{ByteIterExt, Fe32IterExt};
    use bech32::Bech32m;
    use rand_chacha::rand_core::SeedableRng;

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(3)
    }

    fn spell<Ck: bech32::primitives::checksum::Checksum>(hrp: &str, bytes: &[u8]) -> String {
        bech32::encode_lower::<Ck>(Hrp::parse(hrp).unwrap(), bytes).unwrap()
    }

    /// Points of small order on Curve25519 and its twist, little-endian, as the literature
    /// lists them (0, 1, the two points of order 8, p - 1, p, p + 1), and one with the top bit
    /// set, which X25519 ignores.
    const LOW_ORDER_POINTS: [&str; 8] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
    ];

    fn unhex(text: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn low_order_public_keys_are_refused() {
        assert_eq!(
            PublicKey::parse("age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq5cu47z")
                .map(|k| k.as_str().to_owned()),
            Err(KeyError::LowOrder)
        );
        for point in LOW_ORDER_POINTS {
            let text = spell::<Bech32>(PUBLIC_HRP, &unhex(point));
            assert_eq!(
                PublicKey::parse(&text).map(|k| k.bytes),
                Err(KeyError::LowOrder),
                "{point}"
            );
        }
        // A key of large order next to them passes: the check is not refusing everything.
        let good = PrivateKey::generate(&mut rng()).public();
        assert_eq!(PublicKey::parse(good.as_str()), Ok(good));
    }

    #[test]
    fn each_key_has_one_spelling() {
        let key = PrivateKey::generate(&mut rng());
        let public = key.public();
        let bytes = *public.bytes();
        assert_eq!(
            PublicKey::parse(&spell::<Bech32m>(PUBLIC_HRP, &bytes)),
            Err(KeyError::Misspelt),
            "Bech32m checksum"
        );
        assert_eq!(
            PublicKey::parse(&public.as_str().to_uppercase()),
            Err(KeyError::WrongCase)
        );
        assert_eq!(
            PrivateKey::parse(&key.expose().to_lowercase()).map(|k| k.public()),
            Err(KeyError::WrongCase)
        );
        // The same bytes with a non-zero bit in the 4 padding bits, checksummed correctly.
        let hrp = Hrp::parse(PUBLIC_HRP).unwrap();
        let mut fes: Vec<_> = bytes.iter().copied().bytes_to_fes().collect();
        let last = fes.len() - 1;
        fes[last] = bech32::Fe32::try_from(fes[last].to_u8() | 1).unwrap();
        let padded: String = fes
            .into_iter()
            .with_checksum::<Bech32>(&hrp)
            .chars()
            .collect();
        assert_ne!(padded, public.as_str());
        assert_eq!(PublicKey::parse(&padded), Err(KeyError::Misspelt));
        // The canonical spelling, with white space around it as pasted, is the same key.
        assert_eq!(
            PublicKey::parse(&format!("  {}\n", public.as_str())),
            Ok(public.clone())
        );
    }

    #[test]
    fn refusals_say_why() {
        let key = PrivateKey::generate(&mut rng());
        let public = key.public();
        assert_eq!(
            PublicKey::parse(key.expose()),
            Err(KeyError::PrivateKeyGiven)
        );
        assert_eq!(
            PrivateKey::parse(public.as_str()).map(|k| k.public()),
            Err(KeyError::NotAKey)
        );
        assert_eq!(PublicKey::parse("ssh-ed25519 AAAA"), Err(KeyError::NotAKey));
        assert_eq!(PublicKey::parse(""), Err(KeyError::NotAKey));
        let pq = spell::<Bech32>("age1pq", &[7u8; 64]);
        assert_eq!(PublicKey::parse(&pq), Err(KeyError::NotAKey));
        let mut typo = public.as_str().to_owned();
        let swapped = if typo.ends_with('q') { "p" } else { "q" };
        typo.replace_range(typo.len() - 1.., swapped);
        assert_eq!(PublicKey::parse(&typo), Err(KeyError::Misspelt));
        assert_eq!(
            PublicKey::parse(&public.as_str()[..40]),
            Err(KeyError::Misspelt)
        );
        let long = spell::<Bech32>(PUBLIC_HRP, &[9u8; 33]);
        assert_eq!(PublicKey::parse(&long), Err(KeyError::Misspelt));
    }

    #[test]
    fn public_keys_compare_by_their_bytes() {
        let public = PrivateKey::generate(&mut rng()).public();
        let same_bytes = PublicKey {
            bytes: *public.bytes(),
            text: String::from("another spelling"),
        };
        assert_eq!(public, same_bytes);
        let other = PublicKey::from_bytes([9u8; 32]);
        assert_ne!(public, other);
    }

    #[test]
    fn a_private_key_keeps_its_secret() {
        let key = PrivateKey::generate(&mut rng());
        let shown = format!("{key:?}");
        assert!(shown.contains(key.public().as_str()));
        assert!(!shown.contains(key.expose()));
        assert!(!shown.to_uppercase().contains("AGE-SECRET-KEY"));
        let file = key.to_identity_file("2026-11-28");
        assert_eq!(file.len(), file.capacity(), "allocated once, at its length");
        // The secret fields wipe themselves when dropped. x25519-dalek's `zeroize` feature gives
        // `StaticSecret` a wiping `Drop` (its bytes need no drop of their own otherwise) without
        // the `ZeroizeOnDrop` marker.
        fn wiped_on_drop<T: ZeroizeOnDrop>(_: &T) {}
        wiped_on_drop(&key.text);
        assert!(std::mem::needs_drop::<StaticSecret>());
        assert!(std::mem::needs_drop::<SharedSecret>());
    }
}
