//! The locked export (docs/locked-export-format.md): when the PIN is forgotten, the phone — still
//! locked — hands the party security officer a file holding the recovery copy of the data key
//! (sealed to the officer's public key) and every sealed case value as stored. Only the officer's
//! private key opens it; nothing in it is readable on the way.

use super::crypto::{self, Purpose, SymmetricKey};
use super::kv::sealed_bytes;
use super::record::LockRecord;
use super::{LockError, LockedExportError};
use crate::ports::KeyValue;
use crate::store::{decode, CASE_PREFIX};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stodrutin_age::{AgeFile, PrivateKey};
use stodrutin_domain::Case;
use zeroize::Zeroizing;

pub const LOCKED_EXPORT_FORMAT: &str = "stodrutin-locked-export";
pub const LOCKED_EXPORT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct LockedExport {
    format: String,
    version: u32,
    /// The armored age file sealed to the officer's key; its plaintext is the data key.
    recovery: String,
    /// During a re-keying: the previous data key sealed under the data key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous_key: Option<String>,
    /// Storage key → base64 of the sealed value's nonce || ciphertext.
    cases: BTreeMap<String, String>,
}

/// The locked export of the storage under `record`. Case values still plain (sealing pending)
/// are left out: they must not travel unsealed, and without the data key they cannot be sealed.
pub(crate) fn build(record: &LockRecord, kv: &impl KeyValue) -> Result<String, LockError> {
    let recovery = record.recovery.as_ref().ok_or(LockError::NoRecovery)?;
    let mut cases = BTreeMap::new();
    for key in kv.keys()? {
        if !key.starts_with(CASE_PREFIX) {
            continue;
        }
        if let Some(bytes) = kv.get(&key)?.as_deref().and_then(sealed_bytes) {
            cases.insert(key, STANDARD.encode(bytes));
        }
    }
    let export = LockedExport {
        format: LOCKED_EXPORT_FORMAT.to_owned(),
        version: LOCKED_EXPORT_VERSION,
        recovery: recovery.sealed.clone(),
        previous_key: record.previous_key.map(|sealed| STANDARD.encode(sealed)),
        cases,
    };
    Ok(serde_json::to_string(&export).expect("a locked export always serializes"))
}

/// Opens a locked export with the officer's private key: every case in it.
pub fn open_locked_export(text: &str, key: &PrivateKey) -> Result<Vec<Case>, LockedExportError> {
    #[derive(Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head = serde_json::from_str(text).map_err(|_| LockedExportError::NotALockedExport)?;
    if head.format != LOCKED_EXPORT_FORMAT {
        return Err(LockedExportError::NotALockedExport);
    }
    if head.version > LOCKED_EXPORT_VERSION {
        return Err(LockedExportError::NewerVersion(head.version));
    }
    let export: LockedExport =
        serde_json::from_str(text).map_err(|_| LockedExportError::NotALockedExport)?;
    let recovery = AgeFile::parse(export.recovery.as_bytes())
        .and_then(|file| file.open_with_key(key))
        .map(Zeroizing::new)
        .map_err(LockedExportError::Recovery)?;
    let data_key = SymmetricKey::from_slice(&recovery).ok_or(LockedExportError::NotADataKey)?;
    let previous = match &export.previous_key {
        None => None,
        Some(sealed) => {
            let sealed = STANDARD
                .decode(sealed)
                .map_err(|_| LockedExportError::NotALockedExport)?;
            crypto::open_key(&data_key, Purpose::PreviousKey, &sealed).ok()
        }
    };
    let mut cases = Vec::with_capacity(export.cases.len());
    for (name, sealed) in &export.cases {
        let damaged = || LockedExportError::Damaged(name.clone());
        let sealed = STANDARD.decode(sealed).map_err(|_| damaged())?;
        let plain = crypto::open(&data_key, Purpose::Value(name), &sealed)
            .ok()
            .or_else(|| crypto::open(previous.as_ref()?, Purpose::Value(name), &sealed).ok())
            .ok_or_else(damaged)?;
        let text = std::str::from_utf8(&plain).map_err(|_| damaged())?;
        let case = decode(text).map_err(|error| LockedExportError::Case {
            key: name.clone(),
            error,
        })?;
        cases.push(case);
    }
    Ok(cases)
}
