//! XChaCha20-Poly1305 as RFC 8439 §2.8 builds ChaCha20-Poly1305, with XChaCha20
//! (draft-irtf-cfrg-xchacha-03), put together from its two RustCrypto primitives so that a 25 MB
//! evidence item can be sealed or opened a piece at a time, with pauses for the page between
//! pieces (`evidence`); the lock's small values are sealed by the same code in one call (`seal`,
//! `open`). The `chacha20poly1305` crate makes exactly the same bytes, but only in one blocking
//! call (the tests hold the two to each other and to the draft's test vector).

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20::XChaCha20;
use poly1305::universal_hash::{KeyInit, UniversalHash};
use poly1305::Poly1305;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;

/// One message's cipher and MAC, fed as its ciphertext grows.
pub(crate) struct Aead {
    cipher: XChaCha20,
    mac: Poly1305,
    aad_len: u64,
    /// How much of the ciphertext the MAC has seen: always whole 16-byte blocks, so the
    /// ciphertext can arrive in pieces of any size.
    authenticated: usize,
}

impl Aead {
    pub(crate) fn new(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8]) -> Aead {
        let mut cipher = XChaCha20::new(key.into(), nonce.into());
        // The MAC's one-time key is the start of keystream block 0; the text starts at block 1.
        let mut mac_key = Zeroizing::new([0u8; 32]);
        cipher.apply_keystream(mac_key.as_mut_slice());
        cipher.seek(64u64);
        let mut mac = Poly1305::new((&*mac_key).into());
        mac.update_padded(aad);
        Aead {
            cipher,
            mac,
            aad_len: aad.len() as u64,
            authenticated: 0,
        }
    }

    /// Encrypts or decrypts the next bytes of the message in place.
    pub(crate) fn apply_keystream(&mut self, bytes: &mut [u8]) {
        self.cipher.apply_keystream(bytes);
    }

    /// Feeds the MAC the whole blocks of `ciphertext` (all of it so far) it has not seen yet;
    /// a last partial block waits for more ciphertext or for `tag`.
    pub(crate) fn authenticate(&mut self, ciphertext: &[u8]) {
        let whole = ciphertext.len() - ciphertext.len() % 16;
        self.mac
            .update_padded(&ciphertext[self.authenticated..whole]);
        self.authenticated = whole;
    }

    /// The tag over all of `ciphertext`: its last block padded, then both lengths.
    pub(crate) fn tag(mut self, ciphertext: &[u8]) -> [u8; TAG_LEN] {
        self.mac.update_padded(&ciphertext[self.authenticated..]);
        let mut lengths = [0u8; 16];
        lengths[..8].copy_from_slice(&self.aad_len.to_le_bytes());
        lengths[8..].copy_from_slice(&(ciphertext.len() as u64).to_le_bytes());
        self.mac.update(&[lengths.into()]);
        self.mac.finalize().into()
    }

    /// Whether `tag` is the tag over all of `ciphertext`, compared in constant time, so a forger
    /// learns nothing from how long the comparison took.
    pub(crate) fn verify(self, ciphertext: &[u8], tag: &[u8]) -> bool {
        bool::from(self.tag(ciphertext).ct_eq(tag))
    }
}

/// `plain` sealed: its ciphertext, then the tag.
pub(crate) fn seal(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let mut aead = Aead::new(key, nonce, aad);
    let mut sealed = Vec::with_capacity(plain.len() + TAG_LEN);
    sealed.extend_from_slice(plain);
    aead.apply_keystream(&mut sealed);
    let tag = aead.tag(&sealed);
    sealed.extend_from_slice(&tag);
    sealed
}

/// Opens what `seal` made; nothing is decrypted unless the tag is right.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let (ciphertext, tag) = sealed.split_at_checked(sealed.len().checked_sub(TAG_LEN)?)?;
    let mut aead = Aead::new(key, nonce, aad);
    aead.authenticate(ciphertext);
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    aead.apply_keystream(&mut plain);
    aead.verify(ciphertext, tag).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    fn one_shot(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8], plain: &[u8]) -> Vec<u8> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(key.into());
        cipher
            .encrypt(nonce.into(), Payload { msg: plain, aad })
            .unwrap()
    }

    /// draft-irtf-cfrg-xchacha-03, Appendix A.3.1 (AEAD_XChaCha20_Poly1305): IETF test vector
    /// data, copied as data. The one-shot crate must agree, so a mistyped byte shows.
    #[test]
    fn the_xchacha20_poly1305_draft_vector() {
        let plain: &[u8] = b"Ladies and Gentlemen of the class of '99: \
            If I could offer you only one tip for the future, sunscreen would be it.";
        let aad = [
            0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
        ];
        let key: [u8; 32] = std::array::from_fn(|i| 0x80 + i as u8);
        let nonce: [u8; NONCE_LEN] = std::array::from_fn(|i| 0x40 + i as u8);
        let ciphertext_and_tag = [
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb",
            "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452",
            "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9",
            "21f9664c97637da9768812f615c68b13b52e",
            "c0875924c1c7987947deafd8780acf49",
        ]
        .concat();
        let sealed = seal(&key, &nonce, &aad, plain);
        assert_eq!(stodrutin_domain::digest::hex(&sealed), ciphertext_and_tag);
        assert_eq!(sealed, one_shot(&key, &nonce, &aad, plain));
        assert_eq!(open(&key, &nonce, &aad, &sealed).unwrap().as_slice(), plain);
    }

    #[test]
    fn sealing_is_the_one_shot_aead_and_only_the_right_bytes_open() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for size in [0, 1, 15, 16, 17, 64, 65, 1000] {
            let mut key = [0u8; 32];
            let mut nonce = [0u8; NONCE_LEN];
            let mut plain = vec![0u8; size];
            rng.fill_bytes(&mut key);
            rng.fill_bytes(&mut nonce);
            rng.fill_bytes(&mut plain);
            let sealed = seal(&key, &nonce, b"purpose", &plain);
            assert_eq!(sealed, one_shot(&key, &nonce, b"purpose", &plain));
            assert_eq!(
                open(&key, &nonce, b"purpose", &sealed).unwrap().as_slice(),
                plain
            );
            assert!(open(&key, &nonce, b"another", &sealed).is_none());
            for at in [0, sealed.len() - 1] {
                let mut changed = sealed.clone();
                changed[at] ^= 1;
                assert!(open(&key, &nonce, b"purpose", &changed).is_none());
            }
            assert!(open(&key, &nonce, b"purpose", &sealed[..sealed.len() - 1]).is_none());
        }
        assert!(open(&[0; 32], &[0; NONCE_LEN], b"", &[0; TAG_LEN - 1]).is_none());
    }
}
