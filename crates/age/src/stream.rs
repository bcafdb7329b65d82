//! The payload: a 16-byte nonce, then STREAM, ChaCha20-Poly1305 over 64 KiB chunks
//! (c2sp.org/age, "Payload").
//!
//! Both directions work a chunk at a time, so a caller can seal or open a large file in steps and
//! give the browser's event loop a turn between them; the one-shot functions drive the same
//! steps to the end.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Tag};
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

/// The size of the encrypted chunks for `plain` bytes: each chunk adds its tag, and an empty
/// payload is still one (empty) chunk.
fn encrypted_len(plain: usize) -> usize {
    plain.saturating_add((plain / CHUNK + 1) * TAG)
}

/// Writes the payload as its plaintext arrives. A chunk's nonce says whether it is the final
/// one, so a full chunk is held back until more plaintext shows that it is not.
pub(crate) struct Encryptor {
    cipher: ChaCha20Poly1305,
    counter: u128,
    /// Plaintext not yet encrypted: at most one chunk, wiped when dropped. Allocated at full size
    /// so it never moves and leaves no copy behind.
    pending: Zeroizing<Vec<u8>>,
    /// The file so far: what came before the payload, the nonce, the encrypted chunks.
    out: Vec<u8>,
}

impl Encryptor {
    /// Appends the nonce to `out` (the header) and is ready for the plaintext.
    pub(crate) fn new(file_key: &FileKey, nonce: &[u8; NONCE_LEN], mut out: Vec<u8>) -> Self {
        out.extend_from_slice(nonce);
        Encryptor {
            cipher: cipher(file_key, nonce),
            counter: 0,
            pending: Zeroizing::new(Vec::with_capacity(CHUNK)),
            out,
        }
    }

    /// Makes room for `plain` more bytes of plaintext, so a large file is not copied as it grows.
    pub(crate) fn reserve(&mut self, plain: usize) {
        self.out.reserve(encrypted_len(plain));
    }

    /// Takes more plaintext; any split of the same bytes gives the same file.
    pub(crate) fn push(&mut self, mut plain: &[u8]) {
        while !plain.is_empty() {
            if self.pending.len() == CHUNK {
                // More plaintext follows, so the held chunk is not the final one.
                self.seal(false);
            }
            let (now, later) = plain.split_at(plain.len().min(CHUNK - self.pending.len()));
            self.pending.extend_from_slice(now);
            plain = later;
        }
    }

    /// Encrypts what is held as the final chunk (empty only when the whole payload is) and
    /// returns the file.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.seal(true);
        self.out
    }

    /// Encrypts the held plaintext as the next chunk, in place at the end of the file: the
    /// plaintext copied there is overwritten by its ciphertext.
    fn seal(&mut self, last: bool) {
        let start = self.out.len();
        self.out.extend_from_slice(&self.pending);
        let tag = self
            .cipher
            .encrypt_in_place_detached(
                &chunk_nonce(self.counter, last).into(),
                b"",
                &mut self.out[start..],
            )
            .expect("encryption in memory cannot fail");
        self.out.extend_from_slice(&tag);
        self.pending.clear();
        self.counter += 1;
    }
}

/// Reads the payload a chunk at a time.
pub(crate) struct Decryptor<'a> {
    cipher: ChaCha20Poly1305,
    /// The encrypted chunks (the payload after its nonce).
    chunks: &'a [u8],
    /// Where in `chunks` the next chunk starts.
    read: usize,
    counter: u128,
    /// How reading ended, once it has: every later call gives the same, so an error cannot be
    /// stepped past.
    end: Option<Result<(), AgeError>>,
}

impl<'a> Decryptor<'a> {
    /// The payload's nonce is read here; the chunks, by `next`.
    pub(crate) fn new(file_key: &FileKey, payload: &'a [u8]) -> Result<Self, AgeError> {
        let (nonce, chunks) = payload
            .split_first_chunk::<NONCE_LEN>()
            .ok_or(AgeError::Truncated)?;
        Ok(Decryptor {
            cipher: cipher(file_key, nonce),
            chunks,
            read: 0,
            counter: 0,
            end: None,
        })
    }

    /// Encrypted bytes read so far, and in all.
    pub(crate) fn progress(&self) -> (usize, usize) {
        (self.read, self.chunks.len())
    }

    /// Reads the next chunk, appending its plaintext to `plain` once it authenticates; true when
    /// it was the final one. On an error, what was appended is authentic but not the whole
    /// file. `plain` never needs more room than the encrypted chunks take.
    pub(crate) fn next(&mut self, plain: &mut Vec<u8>) -> Result<bool, AgeError> {
        if let Some(end) = self.end {
            return end.map(|()| true);
        }
        let read = self.read_chunk(plain);
        if read != Ok(false) {
            self.end = Some(read.map(|_| ()));
        }
        read
    }

    fn read_chunk(&mut self, plain: &mut Vec<u8>) -> Result<bool, AgeError> {
        let chunks = self.chunks;
        let rest = &chunks[self.read..];
        if rest.is_empty() {
            // Every payload ends with a chunk marked final: authentic chunks and then nothing is
            // a cut-off file.
            return Err(AgeError::Truncated);
        }
        let chunk = &rest[..rest.len().min(ENCRYPTED_CHUNK)];
        // Too short to hold a tag: no key opens it.
        let Some(body_len) = chunk.len().checked_sub(TAG) else {
            return Err(AgeError::Payload);
        };
        let (body, tag) = chunk.split_at(body_len);
        let start = plain.len();
        let mut open = |last: bool| {
            plain.truncate(start);
            plain.extend_from_slice(body);
            let opened = self
                .cipher
                .decrypt_in_place_detached(
                    &chunk_nonce(self.counter, last).into(),
                    b"",
                    &mut plain[start..],
                    Tag::from_slice(tag),
                )
                .is_ok();
            if !opened {
                plain.truncate(start);
            }
            opened
        };
        // A full chunk is a middle chunk or a full final one; a shorter one can only be final.
        let last = if chunk.len() == ENCRYPTED_CHUNK && open(false) {
            false
        } else if open(true) {
            true
        } else {
            return Err(AgeError::Payload);
        };
        // The final chunk is empty only when the whole payload is.
        if last && body.is_empty() && self.counter > 0 {
            return Err(AgeError::Payload);
        }
        self.read += chunk.len();
        self.counter += 1;
        // Nothing may follow the final chunk; the final chunk itself is authentic and stays.
        if last && self.read < chunks.len() {
            return Err(AgeError::Payload);
        }
        Ok(last)
    }
}
