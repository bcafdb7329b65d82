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
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{CryptoRng, RngCore};
use stodrutin_domain::digest::sha256_hex;
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::CaseId;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The stored value that holds the item key (sealed by the lock like every value).
pub const ITEM_KEY_NAME: &str = "stodrutin.evidence-key";

/// The first bytes of a sealed item: the format's name and version, so a later format can be
/// told apart.
const SEALED_ITEM_MAGIC: &[u8] = b"stodrutin-item/1\n";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

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
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ItemError::Missing => "the item's bytes are not on this device",
            ItemError::Damaged => "the stored item does not open",
            ItemError::Mismatch => "the item's bytes are not the ones recorded",
        })
    }
}

impl std::error::Error for ItemError {}

fn associated_data(store_key: &str) -> Vec<u8> {
    [b"stodrutin/item/".as_slice(), store_key.as_bytes()].concat()
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
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| KvError::Damaged(ITEM_KEY_NAME.to_owned()))?,
        );
        let mut key = ItemKey([0; 32]);
        if bytes.len() != key.0.len() {
            return Err(KvError::Damaged(ITEM_KEY_NAME.to_owned()));
        }
        key.0.copy_from_slice(&bytes);
        Ok(Some(key))
    }

    /// `bytes` sealed for the item store under `store_key`: magic, nonce, ciphertext and tag.
    pub fn seal(
        &self,
        store_key: &str,
        bytes: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: bytes,
                    aad: &associated_data(store_key),
                },
            )
            .expect("XChaCha20-Poly1305 seals any item this app stores");
        [SEALED_ITEM_MAGIC, &nonce, &sealed].concat()
    }

    /// Opens what `seal` made for `store_key`.
    pub fn open(&self, store_key: &str, stored: &[u8]) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        let rest = stored
            .strip_prefix(SEALED_ITEM_MAGIC)
            .filter(|rest| rest.len() >= NONCE_LEN + TAG_LEN)
            .ok_or(ItemError::Damaged)?;
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        XChaCha20Poly1305::new((&self.0).into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &associated_data(store_key),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| ItemError::Damaged)
    }

    /// Opens an item's stored bytes and checks them against what was recorded.
    pub fn open_checked(
        &self,
        case: &CaseId,
        item: &EvidenceItem,
        stored: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ItemError> {
        let stored = stored.ok_or(ItemError::Missing)?;
        let bytes = self.open(&store_key(case, &item.id), stored)?;
        if matches_record(item, &bytes) {
            Ok(bytes)
        } else {
            Err(ItemError::Mismatch)
        }
    }
}

/// Whether `bytes` are the ones `item` records: the same size and SHA-256.
pub fn matches_record(item: &EvidenceItem, bytes: &[u8]) -> bool {
    bytes.len() as u64 == item.size && sha256_hex(bytes) == item.sha256
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemoryKv;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

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
