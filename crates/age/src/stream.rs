//! The payload: a 16-byte nonce, then STREAM, ChaCha20-Poly1305 over 64 KiB chunks
//! (c2sp.org/age, "Payload").

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use zeroize::Zeroizing;

use crate::recipients::{hkdf, FileKey};
use crate::AgeError;

pub(crate) const NONCE_LEN: usize = 16;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const ENCRYPTED_CHUNK: usize = CHUNK + TAG;

/// The payload cipher: its key is wiped when it is dropped (chacha20poly1305 does so).
fn cipher(file_key: &FileKey, nonce: &[u8; NONCE_LEN]) -> ChaCha20Poly1305 {
    let key = hkdf(nonce, file_key.as_slice(), b"payload");
    ChaCha20Poly1305::new(key.as_slice().into())
}

/// STREAM's nonce: an 11-byte big-endian counter and a flag for the final chunk.
fn chunk_nonce(counter: u128, last: bool) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[..11].copy_from_slice(&counter.to_be_bytes()[5..]);
    nonce[11] = u8::from(last);
    nonce
}

/// Appends the encrypted payload (nonce and chunks) to `out`.
pub(crate) fn encrypt(
    file_key: &FileKey,
    nonce: &[u8; NONCE_LEN],
    plain: &[u8],
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(nonce);
    let cipher = cipher(file_key, nonce);
    // An empty payload is one empty final chunk; no other chunk is ever empty.
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
}

/// Decrypts the payload chunk by chunk, handing each chunk's plaintext to `release` as soon as it
/// authenticates. On an error, what was released is authentic but not the whole file.
pub(crate) fn decrypt(
    file_key: &FileKey,
    payload: &[u8],
    release: &mut dyn FnMut(&[u8]),
) -> Result<(), AgeError> {
    let (nonce, mut rest) = payload
        .split_first_chunk::<NONCE_LEN>()
        .ok_or(AgeError::Truncated)?;
    let cipher = cipher(file_key, nonce);
    // One buffer for every chunk, allocated at full size so it never moves, and wiped on drop.
    let mut buffer = Zeroizing::new(Vec::with_capacity(ENCRYPTED_CHUNK));
    let mut counter: u128 = 0;
    loop {
        if rest.is_empty() {
            // Every payload ends with a chunk marked final: authentic chunks and then nothing is
            // a cut-off file.
            return Err(AgeError::Truncated);
        }
        let (chunk, after) = rest.split_at(rest.len().min(ENCRYPTED_CHUNK));
        let mut open = |last: bool| {
            buffer.clear();
            buffer.extend_from_slice(chunk);
            cipher
                .decrypt_in_place(&chunk_nonce(counter, last).into(), b"", &mut *buffer)
                .is_ok()
        };
        // A full chunk is a middle chunk or a full final one; a shorter one can only be final.
        let last = if chunk.len() == ENCRYPTED_CHUNK {
            if open(false) {
                false
            } else if open(true) {
                true
            } else {
                return Err(AgeError::Payload);
            }
        } else if open(true) {
            true
        } else {
            return Err(AgeError::Payload);
        };
        // The final chunk is empty only when the whole payload is.
        if last && buffer.is_empty() && counter > 0 {
            return Err(AgeError::Payload);
        }
        release(&buffer);
        if last {
            // Nothing may follow the final chunk.
            return match after.is_empty() {
                true => Ok(()),
                false => Err(AgeError::Payload),
            };
        }
        rest = after;
        counter += 1;
    }
}
