//! The primitives the lock composes, each from RustCrypto crates: XChaCha20-Poly1305 (`xchacha`)
//! for every sealed byte, Argon2id for a PIN or passphrase, HKDF-SHA-256 for a passkey's PRF
//! output, and a ChaCha20 keystream as the nonce source of sealed values. Nothing here chooses
//! what is sealed or why; `kv`, `record` and `service_api` do.

use argon2::{Algorithm, Argon2, AssociatedData, Block, ParamsBuilder, Version};
use chacha20::cipher::{KeyIvInit, StreamCipher};
use chacha20::ChaCha20;
use hkdf::Hkdf;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;
/// A sealed 256-bit key (a wrapped data key): nonce, key, tag.
pub(crate) const SEALED_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;

/// A 256-bit symmetric key: the data key, or a key-encryption key derived from a PIN, a
/// passphrase or a passkey. Wiped when dropped; it has no `Debug`, so it cannot reach a log.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct SymmetricKey([u8; KEY_LEN]);

impl SymmetricKey {
    pub(crate) fn generate(rng: &mut (impl RngCore + CryptoRng)) -> SymmetricKey {
        let mut key = SymmetricKey([0; KEY_LEN]);
        rng.fill_bytes(&mut key.0);
        key
    }

    /// The key in `bytes`, if they are exactly a key's length.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<SymmetricKey> {
        let mut key = SymmetricKey([0; KEY_LEN]);
        (bytes.len() == KEY_LEN).then(|| {
            key.0.copy_from_slice(bytes);
            key
        })
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

/// What a sealed byte string is for. Each purpose gives its own associated data, so a sealed
/// value opens only for the purpose (and, for a stored value, under the storage key) it was
/// sealed for. The prefixes are distinct and none is a prefix of another, so no storage key name
/// can make a value's associated data equal a wrap's.
#[derive(Clone, Copy)]
pub(crate) enum Purpose<'a> {
    /// A stored value under this storage key name.
    Value(&'a str),
    /// The data key wrapped under the key derived from a PIN.
    PinWrap,
    /// The data key wrapped under the key derived from a passphrase.
    PassphraseWrap,
    /// The data key wrapped under the key derived from this passkey's PRF output.
    PasskeyWrap(&'a str),
    /// The lock record's key check: a known constant sealed under the data key.
    KeyCheck,
    /// The data key before a re-keying, sealed under the new one until every value is re-sealed.
    PreviousKey,
    /// Bytes kept in memory across a lock (drafts, unsaved events).
    Memory,
}

impl Purpose<'_> {
    fn associated_data(self) -> Vec<u8> {
        let (prefix, name) = match self {
            Purpose::Value(name) => ("stodrutin/value/", name),
            Purpose::PinWrap => ("stodrutin/wrap/pin", ""),
            Purpose::PassphraseWrap => ("stodrutin/wrap/passphrase", ""),
            Purpose::PasskeyWrap(credential_id) => ("stodrutin/wrap/passkey/", credential_id),
            Purpose::KeyCheck => ("stodrutin/key-check", ""),
            Purpose::PreviousKey => ("stodrutin/previous-key", ""),
            Purpose::Memory => ("stodrutin/memory", ""),
        };
        [prefix.as_bytes(), name.as_bytes()].concat()
    }
}

/// A sealed byte string did not open: the key, the purpose or the bytes are not the ones it was
/// sealed with (AEAD cannot tell which).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotOpened;

/// XChaCha20-Poly1305 with the given nonce: `nonce || ciphertext || tag`. Callers draw the nonce
/// fresh for every call (`random_nonce`, `NonceStream`); the test vector fixes it.
fn seal_with_nonce(
    key: &SymmetricKey,
    nonce: &[u8; NONCE_LEN],
    associated_data: &[u8],
    plain: &[u8],
) -> Vec<u8> {
    let sealed = crate::xchacha::seal(key.expose(), nonce, associated_data, plain);
    [nonce.as_slice(), &sealed].concat()
}

fn open_with_associated_data(
    key: &SymmetricKey,
    associated_data: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, NotOpened> {
    let (nonce, ciphertext) = sealed.split_first_chunk::<NONCE_LEN>().ok_or(NotOpened)?;
    crate::xchacha::open(key.expose(), nonce, associated_data, ciphertext).ok_or(NotOpened)
}

/// Seals `plain` for `purpose` under `key` with a fresh `nonce`.
pub(crate) fn seal(
    key: &SymmetricKey,
    nonce: &[u8; NONCE_LEN],
    purpose: Purpose<'_>,
    plain: &[u8],
) -> Vec<u8> {
    seal_with_nonce(key, nonce, &purpose.associated_data(), plain)
}

pub(crate) fn open(
    key: &SymmetricKey,
    purpose: Purpose<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, NotOpened> {
    open_with_associated_data(key, &purpose.associated_data(), sealed)
}

/// Opens a sealed key (a wrap, the previous key).
pub(crate) fn open_key(
    key: &SymmetricKey,
    purpose: Purpose<'_>,
    sealed: &[u8],
) -> Result<SymmetricKey, NotOpened> {
    let plain = open(key, purpose, sealed)?;
    SymmetricKey::from_slice(&plain).ok_or(NotOpened)
}

pub(crate) fn random_nonce(rng: &mut (impl RngCore + CryptoRng)) -> [u8; NONCE_LEN] {
    let mut nonce = [0; NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    nonce
}

/// Nonces for the storage's writes, which go through `KeyValue::set` and so cannot take the
/// service's random source: a ChaCha20 keystream keyed with 256 bits from that source each time
/// a data key is put in place. Its output is indistinguishable from random, so nonces of
/// different writes and different sessions collide no more often than random 192-bit ones do;
/// unlike a counter, a nonce tells nothing about how many writes came before it.
pub(crate) struct NonceStream(ChaCha20);

impl NonceStream {
    pub(crate) fn seeded(rng: &mut (impl RngCore + CryptoRng)) -> NonceStream {
        let mut seed = Zeroizing::new([0u8; KEY_LEN]);
        rng.fill_bytes(seed.as_mut());
        // One stream per seed, so the ChaCha20 nonce can be fixed.
        NonceStream(ChaCha20::new(seed.as_ref().into(), &[0u8; 12].into()))
    }

    /// The next nonce, or `None` once the keystream (256 GiB, some ten billion nonces) is spent.
    pub(crate) fn next(&mut self) -> Option<[u8; NONCE_LEN]> {
        let mut nonce = [0; NONCE_LEN];
        self.0.try_apply_keystream(&mut nonce).ok()?;
        Some(nonce)
    }
}

/// Argon2id's cost: memory in KiB, passes, lanes. Stored in the lock record beside each salt, so
/// a later version can raise it and still open what this one wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argon2Params {
    m_kib: u32,
    t: u32,
    p: u32,
}

impl Argon2Params {
    /// m = 64 MiB, t = 2, p = 1. Measured in a browser: about 0.17 s on the 2-core development
    /// machine, 0.7–1.2 s at 4× CPU slowdown (our stand-in for a mid-range phone), within the
    /// "about one second" an unlock may take. One lane: wasm runs Argon2 on one thread, so more
    /// lanes would cost the phone as much and an attacker's GPU less.
    pub const LOCK: Argon2Params = Argon2Params {
        m_kib: 64 * 1024,
        t: 2,
        p: 1,
    };
    /// The most a lock record may ask for: the record is plain and could be edited to ask a phone
    /// for gigabytes; anything above these is a damaged record, refused before Argon2 runs.
    const MAX_M_KIB: u32 = 256 * 1024;
    const MAX_T: u32 = 16;
    const MAX_P: u32 = 4;

    /// Parameters within Argon2's rules and this app's bounds (tests use the smallest, m = 8).
    pub fn new(m_kib: u32, t: u32, p: u32) -> Option<Argon2Params> {
        let params = Argon2Params { m_kib, t, p };
        params.is_within_bounds().then_some(params)
    }

    pub(crate) fn is_within_bounds(&self) -> bool {
        (1..=Self::MAX_P).contains(&self.p)
            && (1..=Self::MAX_T).contains(&self.t)
            && (8 * self.p..=Self::MAX_M_KIB).contains(&self.m_kib)
    }

    pub fn m_kib(&self) -> u32 {
        self.m_kib
    }

    pub fn t(&self) -> u32 {
        self.t
    }

    pub fn p(&self) -> u32 {
        self.p
    }
}

/// The one Argon2id call (version 0x13). The secret `K` and associated data `X` of RFC 9106 are
/// empty in the app, which hashes exactly as leaving them out; they are parameters so the RFC's
/// test vector goes through this same call. The memory blocks are ours, to wipe after use.
fn argon2id_into(
    params: &Argon2Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated_data: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let params = ParamsBuilder::new()
        .m_cost(params.m_kib)
        .t_cost(params.t)
        .p_cost(params.p)
        .output_len(out.len())
        .data(AssociatedData::new(associated_data)?)
        .build()?;
    let blocks_needed = params.block_count();
    let argon2 = Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)?;
    let mut blocks = Zeroizing::new(vec![Block::default(); blocks_needed]);
    argon2.hash_password_into_with_memory(password, salt, out, blocks.as_mut_slice())
}

pub(crate) const SALT_LEN: usize = 16;

/// The key-encryption key of a PIN or passphrase.
pub(crate) fn secret_kek(
    params: &Argon2Params,
    secret: &str,
    salt: &[u8; SALT_LEN],
) -> Option<SymmetricKey> {
    let mut kek = SymmetricKey([0; KEY_LEN]);
    argon2id_into(params, secret.as_bytes(), salt, &[], &[], &mut kek.0).ok()?;
    Some(kek)
}

pub(crate) const PRF_LEN: usize = 32;
/// Names what the derived key is for, so the same PRF output used elsewhere gives another key.
const PASSKEY_INFO: &[u8] = "Stödrutin lock: passkey key-encryption key v1".as_bytes();

/// The key-encryption key of a passkey: HKDF-SHA-256 of its WebAuthn PRF output. The PRF output
/// is already a uniformly random secret of the authenticator's, so no salt is needed.
pub(crate) fn passkey_kek(prf_output: &[u8; PRF_LEN]) -> SymmetricKey {
    let mut kek = SymmetricKey([0; KEY_LEN]);
    Hkdf::<Sha256>::new(None, prf_output)
        .expand(PASSKEY_INFO, &mut kek.0)
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    kek
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let text: String = text.split_whitespace().collect();
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9106, section 5.3 (Argon2id test vector): m = 32 KiB, t = 3, p = 4, a 32-byte tag;
    /// password 32 × 0x01, salt 16 × 0x02, secret 8 × 0x03, associated data 12 × 0x04.
    #[test]
    fn argon2id_matches_rfc_9106_test_vector() {
        let params = Argon2Params::new(32, 3, 4).unwrap();
        let mut tag = [0u8; 32];
        argon2id_into(
            &params,
            &[0x01; 32],
            &[0x02; 16],
            &[0x03; 8],
            &[0x04; 12],
            &mut tag,
        )
        .unwrap();
        assert_eq!(
            tag.to_vec(),
            hex("0d 64 0d f5 8d 78 76 6c 08 c0 37 a3 4a 8b 53 c9
                 d0 1e f0 45 2d 75 b6 5e b5 25 20 e9 6b 01 e6 59")
        );
    }

    /// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 example): the
    /// sealed form is nonce || ciphertext || tag, so the vector's nonce, ciphertext and tag
    /// follow one another.
    #[test]
    fn xchacha20_poly1305_matches_draft_irtf_cfrg_xchacha_03_vector() {
        let plain = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip \
                      for the future, sunscreen would be it.";
        let associated_data = hex("50515253c0c1c2c3c4c5c6c7");
        let key = SymmetricKey::from_slice(&hex(
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
        ))
        .unwrap();
        let nonce: [u8; NONCE_LEN] = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
            .try_into()
            .unwrap();
        let expected = [
            nonce.to_vec(),
            hex(
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
                 731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
                 2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
                 21f9664c97637da9768812f615c68b13b52e",
            ),
            hex("c0875924c1c7987947deafd8780acf49"),
        ]
        .concat();
        let sealed = seal_with_nonce(&key, &nonce, &associated_data, plain);
        assert_eq!(sealed, expected);
        let opened = open_with_associated_data(&key, &associated_data, &sealed).unwrap();
        assert_eq!(opened.as_slice(), plain.as_slice());
        let mut flipped = sealed.clone();
        flipped[NONCE_LEN] ^= 1;
        assert_eq!(
            open_with_associated_data(&key, &associated_data, &flipped).unwrap_err(),
            NotOpened
        );
        assert_eq!(
            open_with_associated_data(&key, b"other", &sealed).unwrap_err(),
            NotOpened
        );
    }

    #[test]
    fn a_value_opens_only_under_its_own_storage_key_name() {
        let key = SymmetricKey::from_slice(&[7; KEY_LEN]).unwrap();
        let sealed = seal(
            &key,
            &[1; NONCE_LEN],
            Purpose::Value("stodrutin.case.a"),
            b"x",
        );
        assert!(open(&key, Purpose::Value("stodrutin.case.a"), &sealed).is_ok());
        assert!(open(&key, Purpose::Value("stodrutin.case.b"), &sealed).is_err());
        assert!(open(&key, Purpose::Memory, &sealed).is_err());
    }

    #[test]
    fn nonces_from_one_stream_differ() {
        use rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let mut stream = NonceStream::seeded(&mut rng);
        let a = stream.next().unwrap();
        let b = stream.next().unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0; NONCE_LEN]);
    }

    #[test]
    fn passkey_keys_differ_by_prf_output() {
        assert_ne!(
            passkey_kek(&[1; PRF_LEN]).expose(),
            passkey_kek(&[2; PRF_LEN]).expose()
        );
    }
}
