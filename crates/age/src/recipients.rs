//! The file key, and how the two native recipient types wrap and unwrap it: X25519 (to the
//! officer's key) and scrypt (to a passphrase). Every key on the way is wiped when dropped.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Tag};
use hkdf::Hkdf;
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;
use x25519_dalek::{SharedSecret, StaticSecret};
use zeroize::Zeroizing;

use crate::header::{Header, NewStanza, Recipient, WorkFactor, SCRYPT_KIND, X25519_KIND};
use crate::keys::{diffie_hellman, public_point};
use crate::{AgeError, KeyError, PrivateKey, PublicKey};

pub(crate) const FILE_KEY_LEN: usize = 16;
/// The 16-byte key the whole file is sealed with, wiped when dropped.
pub(crate) type FileKey = Zeroizing<[u8; FILE_KEY_LEN]>;
/// A derived 32-byte key, wiped when dropped.
pub(crate) type DerivedKey = Zeroizing<[u8; 32]>;

const X25519_LABEL: &[u8] = b"age-encryption.org/v1/X25519";
const SCRYPT_LABEL: &[u8] = b"age-encryption.org/v1/scrypt";
/// Each wrap key is used once, so the nonce is fixed.
const WRAP_NONCE: [u8; 12] = [0; 12];

pub(crate) fn new_file_key(rng: &mut (impl RngCore + CryptoRng)) -> FileKey {
    let mut file_key = Zeroizing::new([0u8; FILE_KEY_LEN]);
    rng.fill_bytes(file_key.as_mut_slice());
    file_key
}

pub(crate) fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8]) -> DerivedKey {
    let mut out = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, out.as_mut_slice())
        .expect("32 bytes is a valid length");
    out
}

/// The file key wrapped: ChaCha20-Poly1305 under the wrap key.
fn wrap(wrap_key: &DerivedKey, file_key: &FileKey) -> Vec<u8> {
    // Encrypted in place, so the only copy of the file key made here is overwritten by its
    // ciphertext.
    let mut sealed = [0u8; FILE_KEY_LEN + 16];
    sealed[..FILE_KEY_LEN].copy_from_slice(file_key.as_slice());
    let tag = ChaCha20Poly1305::new(wrap_key.as_slice().into())
        .encrypt_in_place_detached(&WRAP_NONCE.into(), b"", &mut sealed[..FILE_KEY_LEN])
        .expect("encryption in memory cannot fail");
    sealed[FILE_KEY_LEN..].copy_from_slice(&tag);
    sealed.to_vec()
}

/// The file key from a wrapped one, or nothing when the wrap key is not the right one.
fn unwrap(wrap_key: &DerivedKey, body: &[u8; 32]) -> Option<FileKey> {
    let mut file_key = Zeroizing::new([0u8; FILE_KEY_LEN]);
    file_key.copy_from_slice(&body[..FILE_KEY_LEN]);
    ChaCha20Poly1305::new(wrap_key.as_slice().into())
        .decrypt_in_place_detached(
            &WRAP_NONCE.into(),
            b"",
            file_key.as_mut_slice(),
            Tag::from_slice(&body[FILE_KEY_LEN..]),
        )
        .ok()?;
    Some(file_key)
}

fn x25519_wrap_key(shared: &SharedSecret, share: &[u8; 32], recipient: &[u8; 32]) -> DerivedKey {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(share);
    salt[32..].copy_from_slice(recipient);
    hkdf(&salt, shared.as_bytes(), X25519_LABEL)
}

/// The X25519 stanza wrapping the file key to a public key. Refuses a key that gives the
/// all-zero shared secret: the file would then open for anyone who knows the share.
pub(crate) fn x25519_stanza(
    file_key: &FileKey,
    recipient: &PublicKey,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<NewStanza, KeyError> {
    let mut ephemeral = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(ephemeral.as_mut_slice());
    let ephemeral = StaticSecret::from(*ephemeral);
    let share = public_point(&ephemeral);
    let shared = diffie_hellman(&ephemeral, recipient.bytes());
    if !shared.was_contributory() {
        return Err(KeyError::LowOrder);
    }
    let wrap_key = x25519_wrap_key(&shared, &share, recipient.bytes());
    Ok(NewStanza {
        kind: X25519_KIND,
        arguments: vec![STANDARD_NO_PAD.encode(share)],
        body: wrap(&wrap_key, file_key),
    })
}

/// The file key from the first X25519 stanza the key opens.
pub(crate) fn x25519_file_key(header: &Header, key: &PrivateKey) -> Result<FileKey, AgeError> {
    for recipient in &header.recipients {
        let Recipient::X25519 { share, body } = recipient else {
            continue;
        };
        let shared = diffie_hellman(key.secret(), share);
        // A low-order share gives the all-zero secret whatever the key: the format says abort.
        if !shared.was_contributory() {
            return Err(AgeError::Header);
        }
        let wrap_key = x25519_wrap_key(&shared, share, key.public_bytes());
        if let Some(file_key) = unwrap(&wrap_key, body) {
            return Ok(file_key);
        }
    }
    Err(AgeError::NoMatch)
}

fn scrypt_key(passphrase: &str, salt: &[u8; 16], work_factor: WorkFactor) -> DerivedKey {
    let mut labelled = [0u8; SCRYPT_LABEL.len() + 16];
    labelled[..SCRYPT_LABEL.len()].copy_from_slice(SCRYPT_LABEL);
    labelled[SCRYPT_LABEL.len()..].copy_from_slice(salt);
    let params = scrypt::Params::new(work_factor.log_n(), 8, 1, 32)
        .expect("work factors 1 to 18 with r = 8, p = 1 are valid");
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(
        passphrase.as_bytes(),
        &labelled,
        &params,
        key.as_mut_slice(),
    )
    .expect("32 bytes is a valid length");
    key
}

/// The scrypt stanza wrapping the file key to a passphrase.
pub(crate) fn scrypt_stanza(
    file_key: &FileKey,
    passphrase: &str,
    work_factor: WorkFactor,
    rng: &mut (impl RngCore + CryptoRng),
) -> NewStanza {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let wrap_key = scrypt_key(passphrase, &salt, work_factor);
    NewStanza {
        kind: SCRYPT_KIND,
        arguments: vec![
            STANDARD_NO_PAD.encode(salt),
            work_factor.log_n().to_string(),
        ],
        body: wrap(&wrap_key, file_key),
    }
}

/// The file key from the file's scrypt stanza (alone in its header, as reading checked).
pub(crate) fn scrypt_file_key(header: &Header, passphrase: &str) -> Result<FileKey, AgeError> {
    let Some(Recipient::Scrypt {
        salt,
        work_factor,
        body,
    }) = header.recipients.first().filter(|_| header.is_scrypt())
    else {
        return Err(AgeError::NoMatch);
    };
    let wrap_key = scrypt_key(passphrase, salt, *work_factor);
    unwrap(&wrap_key, body).ok_or(AgeError::WrongPassphrase)
}
