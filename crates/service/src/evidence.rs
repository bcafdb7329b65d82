//! Evidence bytes at rest: each file item is sealed with XChaCha20-Poly1305 under the device's
//! item key before it reaches the item store (IndexedDB in the app), with its store key in the
//! associated data, so an item moved to another case or item does not open.
//!
//! The item key is a random 256-bit key kept as an ordinary stored value (`ITEM_KEY_NAME`), so
//! the lock seals it under the data key like every value. A lock set up or changed re-seals
//! that one value at once with all the others; the megabytes of evidence are never rewritten,
//! and a re-keying cannot leave some items under a key that has been dropped. Without the data
//! key the item key does not open, and without the item key no item does; wiping the device
//! removes the item key with every other value.

use crate::ports::{KeyValue, KvError};
use crate::xchacha::{Aead, TAG_LEN};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use stodrutin_domain::digest::{hex, sha256_hex};
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::CaseId;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The stored value that holds the item key (sealed by the lock like every value).
pub const ITEM_KEY_NAME: &str = "stodrutin.evidence-key";

/// The first bytes of a sealed item: the format's name and version, so a later format can be
/// told apart.
const SEALED_ITEM_MAGIC: &[u8] = b"stodrutin-item/1\n";
use crate::xchacha::NONCE_LEN;
const HEADER_LEN: usize = SEALED_ITEM_MAGIC.len() + NONCE_LEN;

/// The key every item on this device is sealed with. Wiped when dropped; no `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ItemKey([u8; 32]);

/// The item store's key of an item: its case, then its id, so a case's items can be removed
/// together.
pub fn store_key(case: &CaseId, item_id: &str) -> String {
    format!("{}/{item_id}", case.as_str())
}

/// The prefix of every item of a case in the item store.
pub fn case_prefix(case: &CaseId) -> String {
    format!("{}/", case.as_str())
}

/// Why an item's bytes are not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemError {
    /// The item store has no bytes under the item's key.
    Missing,
    /// The stored bytes do not open with this device's item key: changed or damaged.
    Damaged,
    /// They open, but their SHA-256 or size is not the one recorded.
    Mismatch,
    /// The item store did not answer (blocked, its connection lost, not there in this browser
    /// mode): the bytes may well be there, and another try may read them.
    Unavailable,
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ItemError::Missing => "the item's bytes are not on this device",
            ItemError::Damaged => "the stored item does not open",
            ItemError::Mismatch => "the item's bytes are not the ones recorded",
            ItemError::Unavailable => "the item store did not answer",
        })
    }
}

impl std::error::Error for ItemError {}

fn associated_data(store_key: &str) -> Vec<u8> {
    [b"stodrutin/item/".as_slice(), store_key.as_bytes()].concat()
}

/// An item being sealed a piece at a time (`ItemKey::sealing`): `push` its bytes in order, in
/// pieces of any size, then `finish`. The result is the same as `ItemKey::seal`'s.
pub struct ItemSealing {
    aead: Aead,
    sealed: Vec<u8>,
    /// The SHA-256 of what was pushed, when the bytes must still be checked against their
    /// record (`ItemKey::sealing_checked`): one pass over the bytes does both.
    digest: Option<Sha256>,
}

impl ItemSealing {
    fn new(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8], len: usize) -> ItemSealing {
        let mut sealed = Vec::with_capacity(HEADER_LEN + len + TAG_LEN);
        sealed.extend_from_slice(SEALED_ITEM_MAGIC);
        sealed.extend_from_slice(nonce);
        ItemSealing {
            aead: Aead::new(key, nonce, aad),
            sealed,
            digest: None,
        }
    }

    /// Encrypts the next `plain` bytes of the item onto the sealed value.
    pub fn push(&mut self, plain: &[u8]) {
        let start = self.sealed.len();
        self.sealed.extend_from_slice(plain);
        if let Some(digest) = &mut self.digest {
            digest.update(plain);
        }
        self.aead.apply_keystream(&mut self.sealed[start..]);
        self.aead.authenticate(&self.sealed[HEADER_LEN..]);
    }

    /// How many of the item's bytes have been pushed, for a progress bar.
    pub fn pushed(&self) -> usize {
        self.sealed.len() - HEADER_LEN
    }

    /// The sealed value: magic, nonce, ciphertext and tag.
    pub fn finish(self) -> Vec<u8> {
        let ItemSealing {
            aead, mut sealed, ..
        } = self;
        let tag = aead.tag(&sealed[HEADER_LEN..]);
        sealed.extend_from_slice(&tag);
        sealed
    }

    /// `finish`, if the bytes pushed are the ones `item` records (`Mismatch` otherwise: nothing
    /// is to be stored).
    pub fn finish_checked(mut self, item: &EvidenceItem) -> Result<Vec<u8>, ItemError> {
        let pushed = self.pushed();
        let digest = self.digest.take().map(|digest| hex(&digest.finalize()));
        match digest {
            Some(sha256) if is_recorded(item, pushed, &sha256) => Ok(self.finish()),
            _ => Err(ItemError::Mismatch),
        }
    }
}

/// A stored item being opened a piece at a time (`ItemKey::opening`): `step` until it returns
/// true, yielding between steps, then `finish`. Nothing decrypted is handed out before the tag
/// has been checked, and the SHA-256 the record is checked against is computed on the way, so
/// a large item is read only once.
pub struct ItemOpening<'a> {
    aead: Aead,
    ciphertext: &'a [u8],
    tag: &'a [u8],
    plain: Zeroizing<Vec<u8>>,
    digest: Sha256,
}

impl<'a> ItemOpening<'a> {
    fn new(key: &[u8; 32], aad: &[u8], stored: &'a [u8]) -> Result<ItemOpening<'a>, ItemError> {
        let rest = stored
            .strip_prefix(SEALED_ITEM_MAGIC)
            .filter(|rest| rest.len() >= NONCE_LEN + TAG_LEN)
            .ok_or(ItemError::Damaged)?;
        let (nonce, rest) = rest.split_at(NONCE_LEN);
        let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
        let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| ItemError::Damaged)?;
        Ok(ItemOpening {
            aead: Aead::new(key, nonce, aad),
            ciphertext,
            tag,
            // All of it at once, so a growing buffer never leaves a copy of the plaintext behind.
            plain: Zeroizing::new(Vec::with_capacity(ciphertext.len())),
            digest: Sha256::new(),
        })
    }

    /// Decrypts up to `budget` more bytes (at least one, when any is left); true once all of
    /// them are.
    pub fn step(&mut self, budget: usize) -> bool {
        let done = self.plain.len();
        let end = done + budget.max(1).min(self.ciphertext.len() - done);
        self.plain.extend_from_slice(&self.ciphertext[done..end]);
        self.aead.apply_keystream(&mut self.plain[done..]);
        self.digest.update(&self.plain[done..]);
        self.aead.authenticate(&self.ciphertext[..end]);
        end == self.ciphertext.len()
    }

    /// Bytes decrypted so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.plain.len(), self.ciphertext.len())
    }

    /// The item's bytes, once the rest is decrypted and the tag checked.
    pub fn finish(self) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        self.finish_with_digest().map(|(plain, _)| plain)
    }

    /// `finish`, and the bytes must also be the ones `item` records.
    pub fn finish_checked(self, item: &EvidenceItem) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        let (plain, sha256) = self.finish_with_digest()?;
        if is_recorded(item, plain.len(), &sha256) {
            Ok(plain)
        } else {
            Err(ItemError::Mismatch)
        }
    }

    /// The plaintext is dropped, and so wiped, unless the tag matches (compared in constant
    /// time, so a forger learns nothing from how long the comparison took).
    fn finish_with_digest(mut self) -> Result<(Zeroizing<Vec<u8>>, String), ItemError> {
        self.step(usize::MAX);
        let ItemOpening {
            aead,
            ciphertext,
            tag,
            plain,
            digest,
        } = self;
        if aead.verify(ciphertext, tag) {
            Ok((plain, hex(&digest.finalize())))
        } else {
            Err(ItemError::Damaged)
        }
    }
}

impl ItemKey {
    fn generate(rng: &mut (impl RngCore + CryptoRng)) -> ItemKey {
        let mut key = ItemKey([0; 32]);
        rng.fill_bytes(&mut key.0);
        key
    }

    /// The item key stored on this device, made and stored at the first item. A stored value
    /// that is not a key is `Damaged` and left as it is: a new key would make every item
    /// stored under the old one unreadable.
    pub fn load_or_create(
        kv: &mut impl KeyValue,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ItemKey, KvError> {
        if let Some(key) = ItemKey::load(kv)? {
            return Ok(key);
        }
        let key = ItemKey::generate(rng);
        let text = Zeroizing::new(STANDARD.encode(key.0));
        kv.set(ITEM_KEY_NAME, &text)?;
        Ok(key)
    }

    /// The item key stored on this device, if one was made: reading an item never makes one
    /// (a new key would open nothing stored).
    pub fn load(kv: &impl KeyValue) -> Result<Option<ItemKey>, KvError> {
        let Some(text) = kv.get(ITEM_KEY_NAME)?.map(Zeroizing::new) else {
            return Ok(None);
        };
        ItemKey::from_stored(&text)
            .map(Some)
            .ok_or_else(|| KvError::Damaged(ITEM_KEY_NAME.to_owned()))
    }

    /// The key from its stored value (base64 of its 32 bytes), if it is one.
    pub(crate) fn from_stored(text: &str) -> Option<ItemKey> {
        let bytes = Zeroizing::new(STANDARD.decode(text.trim()).ok()?);
        let mut key = ItemKey([0; 32]);
        key.0
            .copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
        Some(key)
    }

    /// Starts sealing an item of `len` bytes for the item store under `store_key`.
    pub fn sealing(
        &self,
        store_key: &str,
        len: usize,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> ItemSealing {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        ItemSealing::new(&self.0, &nonce, &associated_data(store_key), len)
    }

    /// Starts sealing the bytes `item` records (under its store key in `case`), hashing them on
    /// the way: `finish_checked` gives the sealed value only if they are the recorded ones.
    pub fn sealing_checked(
        &self,
        case: &CaseId,
        item: &EvidenceItem,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> ItemSealing {
        let len = usize::try_from(item.size).unwrap_or(0);
        let mut sealing = self.sealing(&store_key(case, &item.id), len, rng);
        sealing.digest = Some(Sha256::new());
        sealing
    }

    /// `bytes` sealed for the item store under `store_key`: magic, nonce, ciphertext and tag.
    pub fn seal(
        &self,
        store_key: &str,
        bytes: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Vec<u8> {
        let mut sealing = self.sealing(store_key, bytes.len(), rng);
        sealing.push(bytes);
        sealing.finish()
    }

    /// Starts opening what `seal` or `sealing` made for `store_key`; `Damaged` if `stored` is
    /// not a sealed item at all.
    pub fn opening<'a>(
        &self,
        store_key: &str,
        stored: &'a [u8],
    ) -> Result<ItemOpening<'a>, ItemError> {
        ItemOpening::new(&self.0, &associated_data(store_key), stored)
    }

    /// Opens what `seal` made for `store_key`.
    pub fn open(&self, store_key: &str, stored: &[u8]) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        self.opening(store_key, stored)?.finish()
    }

    /// Opens an item's stored bytes and checks them against what was recorded.
    pub fn open_checked(
        &self,
        case: &CaseId,
        item: &EvidenceItem,
        stored: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        let stored = stored.ok_or(ItemError::Missing)?;
        self.opening(&store_key(case, &item.id), stored)?
            .finish_checked(item)
    }
}

/// Whether `bytes` are the ones `item` records: the same size and SHA-256.
pub fn matches_record(item: &EvidenceItem, bytes: &[u8]) -> bool {
    is_recorded(item, bytes.len(), &sha256_hex(bytes))
}

fn is_recorded(item: &EvidenceItem, size: usize, sha256: &str) -> bool {
    size as u64 == item.size && sha256 == item.sha256
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemoryKv;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    use stodrutin_domain::testing::photo_item;

    const SIZES: [usize; 10] = [0, 1, 15, 16, 17, 63, 64, 65, 1000, 65536 + 7];
    const SPLITS: [usize; 6] = [1, 7, 16, 64, 4096, usize::MAX];

    fn one_shot(key: &[u8; 32], nonce: &[u8; NONCE_LEN], aad: &[u8], plain: &[u8]) -> Vec<u8> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(key.into());
        let sealed = cipher.encrypt(nonce.into(), Payload { msg: plain, aad });
        [SEALED_ITEM_MAGIC, nonce, &sealed.unwrap()].concat()
    }

    fn open_in_steps(opening: &mut ItemOpening, budget: usize) {
        let total = opening.progress().1;
        while !opening.step(budget) {
            let (done, _) = opening.progress();
            assert!(done < total && done % budget == 0);
        }
        assert_eq!(opening.progress(), (total, total));
    }

    #[test]
    fn sealing_in_pieces_is_the_one_shot_aead_and_opens_in_steps() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let key = ItemKey::generate(&mut rng);
        for size in SIZES {
            let mut plain = vec![0u8; size];
            rng.fill_bytes(&mut plain);
            for split in SPLITS {
                let mut nonce = [0u8; NONCE_LEN];
                rng.clone().fill_bytes(&mut nonce);
                let mut sealing = key.sealing("case/a", size, &mut rng);
                for piece in plain.chunks(split) {
                    sealing.push(piece);
                }
                assert_eq!(sealing.pushed(), size);
                let sealed = sealing.finish();
                let aad = associated_data("case/a");
                assert_eq!(
                    sealed,
                    one_shot(&key.0, &nonce, &aad, &plain),
                    "{size}/{split}"
                );
                for budget in SPLITS {
                    let mut opening = key.opening("case/a", &sealed).unwrap();
                    open_in_steps(&mut opening, budget);
                    assert_eq!(opening.finish().unwrap().as_slice(), plain);
                }
            }
        }
    }

    #[test]
    fn a_changed_or_cut_item_or_another_store_key_does_not_open() {
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        let key = ItemKey::generate(&mut rng);
        let sealed = key.seal("case/a", &[7; 100], &mut rng);
        let flipped = |at: usize| {
            let mut changed = sealed.clone();
            changed[at] ^= 1;
            changed
        };
        let damaged = [
            flipped(HEADER_LEN + 50),
            flipped(sealed.len() - 1),
            flipped(SEALED_ITEM_MAGIC.len()),
            flipped(0),
            sealed[..sealed.len() - 1].to_vec(),
            sealed[..HEADER_LEN + TAG_LEN - 1].to_vec(),
            Vec::new(),
        ];
        for stored in &damaged {
            assert_eq!(key.open("case/a", stored), Err(ItemError::Damaged));
        }
        let mut opening = key.opening("case/a", &damaged[0]).unwrap();
        open_in_steps(&mut opening, 16);
        assert_eq!(opening.finish(), Err(ItemError::Damaged));
        assert_eq!(key.open("case/b", &sealed), Err(ItemError::Damaged));
        assert_eq!(key.open("case/a", &sealed).unwrap().as_slice(), [7; 100]);
    }

    #[test]
    fn an_opened_item_is_checked_against_its_record() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let key = ItemKey::generate(&mut rng);
        let bytes = b"the photo";
        let item = photo_item('a', bytes);
        let case = CaseId("case".into());
        let sealed = key.seal(&store_key(&case, &item.id), bytes, &mut rng);
        let open = |item: &EvidenceItem| key.open_checked(&case, item, Some(&sealed));
        assert_eq!(open(&item).unwrap().as_slice(), bytes);
        let other_digest = photo_item('a', b"the photp");
        assert_eq!(open(&other_digest), Err(ItemError::Mismatch));
        let other_size = EvidenceItem {
            size: 10,
            ..item.clone()
        };
        assert_eq!(open(&other_size), Err(ItemError::Mismatch));
        assert_eq!(
            key.open_checked(&case, &item, None),
            Err(ItemError::Missing)
        );
        let mut opening = key.opening(&store_key(&case, &item.id), &sealed).unwrap();
        opening.step(4);
        assert_eq!(opening.finish_checked(&item).unwrap().as_slice(), bytes);
    }

    #[test]
    fn an_item_opens_only_under_its_own_store_key_and_key() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let mut kv = MemoryKv::default();
        let key = ItemKey::load_or_create(&mut kv, &mut rng).unwrap();
        let sealed = key.seal("case/a", b"the photo", &mut rng);
        assert!(!sealed.windows(9).any(|w| w == b"the photo"));
        assert_eq!(
            key.open("case/a", &sealed).unwrap().as_slice(),
            b"the photo"
        );
        assert_eq!(key.open("case/b", &sealed), Err(ItemError::Damaged));
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(key.open("case/a", &changed), Err(ItemError::Damaged));
        let again = ItemKey::load_or_create(&mut kv, &mut rng).unwrap();
        assert_eq!(
            again.open("case/a", &sealed).unwrap().as_slice(),
            b"the photo"
        );
        let other = ItemKey::load_or_create(&mut MemoryKv::default(), &mut rng).unwrap();
        assert_eq!(other.open("case/a", &sealed), Err(ItemError::Damaged));
    }

    #[test]
    fn a_damaged_item_key_is_not_replaced() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let mut kv = MemoryKv::default();
        kv.set(ITEM_KEY_NAME, "not a key").unwrap();
        assert_eq!(
            ItemKey::load_or_create(&mut kv, &mut rng).err(),
            Some(KvError::Damaged(ITEM_KEY_NAME.to_owned()))
        );
        assert_eq!(kv.get(ITEM_KEY_NAME).unwrap().as_deref(), Some("not a key"));
    }
}
