//! The header: version line, recipient stanzas, MAC (c2sp.org/age, "Header").
//!
//! Read strictly: every line ends in LF alone, arguments are printable ASCII, base64 is
//! canonical and unpadded, and the stanzas this crate knows (X25519, scrypt) are checked in full
//! while the header is read, before any key or passphrase is tried. The number of stanzas is
//! bounded before any of them is looked at further.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::recipients::FileKey;
use crate::{AgeError, BINARY_BEGIN, COLUMNS, MAX_OPEN_WORK_FACTOR, MAX_STANZAS};

const VERSION_LINE: &[u8] = b"age-encryption.org/v1";
pub(crate) const X25519_KIND: &str = "X25519";
pub(crate) const SCRYPT_KIND: &str = "scrypt";
/// A wrapped file key: 16 bytes and a 16-byte tag.
pub(crate) const WRAPPED_KEY: usize = 32;

/// A scrypt work factor this crate computes: 1 to `MAX_OPEN_WORK_FACTOR`. Made only after that
/// check, so scrypt never runs at a cost a hostile file chose beyond it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WorkFactor(u8);

impl WorkFactor {
    pub(crate) fn new(log_n: u8) -> Option<WorkFactor> {
        (1..=MAX_OPEN_WORK_FACTOR)
            .contains(&log_n)
            .then_some(WorkFactor(log_n))
    }

    pub(crate) fn log_n(self) -> u8 {
        self.0
    }

    /// Reads the third argument of a scrypt stanza.
    fn parse(text: &[u8]) -> Result<WorkFactor, AgeError> {
        // The spec's grammar, ^[1-9][0-9]*$: decimal, no sign, no leading zero, no white space.
        let well_formed =
            matches!(text.first(), Some(b'1'..=b'9')) && text.iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(AgeError::Header);
        }
        // Two digits hold every work factor allowed; longer numbers are larger still.
        let value = std::str::from_utf8(text)
            .ok()
            .filter(|digits| digits.len() <= 2)
            .and_then(|digits| digits.parse::<u8>().ok());
        value.and_then(WorkFactor::new).ok_or(AgeError::TooMuchWork)
    }
}

/// A recipient stanza as read, checked in full when its kind is one this crate knows.
#[derive(Debug)]
pub(crate) enum Recipient {
    X25519 {
        share: [u8; 32],
        body: [u8; WRAPPED_KEY],
    },
    Scrypt {
        salt: [u8; 16],
        work_factor: WorkFactor,
        body: [u8; WRAPPED_KEY],
    },
    /// Another kind: ignored when opening, as the format requires.
    Other,
}

impl Recipient {
    fn read(arguments: &[&[u8]], body: &[u8]) -> Result<Recipient, AgeError> {
        let wrapped = || -> Result<[u8; WRAPPED_KEY], AgeError> {
            // Checked before anything is decrypted, against partitioning-oracle attacks.
            body.try_into().map_err(|_| AgeError::Header)
        };
        match arguments {
            [kind, rest @ ..] if *kind == X25519_KIND.as_bytes() => {
                let [share] = rest else {
                    return Err(AgeError::Header);
                };
                Ok(Recipient::X25519 {
                    share: decode_exact(share)?,
                    body: wrapped()?,
                })
            }
            [kind, rest @ ..] if *kind == SCRYPT_KIND.as_bytes() => {
                let [salt, work_factor] = rest else {
                    return Err(AgeError::Header);
                };
                let salt = decode_exact(salt)?;
                let body = wrapped()?;
                Ok(Recipient::Scrypt {
                    salt,
                    work_factor: WorkFactor::parse(work_factor)?,
                    body,
                })
            }
            _ => Ok(Recipient::Other),
        }
    }
}

/// The header as read.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) recipients: Vec<Recipient>,
    /// The length of the header up to and including the MAC line's `---`: what the MAC covers.
    pub(crate) covered: usize,
    pub(crate) mac: [u8; 32],
    /// Where the payload starts: just after the MAC line.
    pub(crate) payload_start: usize,
}

impl Header {
    pub(crate) fn is_scrypt(&self) -> bool {
        matches!(self.recipients.as_slice(), [Recipient::Scrypt { .. }])
    }
}

/// The header's lines, each ending in LF. The input ending without one is a cut-off file.
struct Lines<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Result<&'a [u8], AgeError> {
        let rest = &self.bytes[self.position..];
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or(AgeError::Truncated)?;
        self.position += end + 1;
        Ok(&rest[..end])
    }
}

/// Printable ASCII without the space: what an argument and a version are made of.
fn is_vchar(byte: &u8) -> bool {
    (0x21..=0x7e).contains(byte)
}

/// Canonical unpadded base64 of exactly N bytes.
fn decode_exact<const N: usize>(text: &[u8]) -> Result<[u8; N], AgeError> {
    // Text of any other length is refused before it is decoded.
    if text.len() != (N * 4).div_ceil(3) {
        return Err(AgeError::Header);
    }
    STANDARD_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(AgeError::Header)
}

/// Reads the header at the start of a binary age file.
pub(crate) fn parse(binary: &[u8]) -> Result<Header, AgeError> {
    let mut lines = Lines {
        bytes: binary,
        position: 0,
    };
    let version = lines.next()?;
    if version != VERSION_LINE {
        return Err(match version.strip_prefix(BINARY_BEGIN) {
            Some(name) if !name.is_empty() && name.iter().all(is_vchar) => {
                AgeError::UnsupportedVersion
            }
            _ => AgeError::Header,
        });
    }
    let mut recipients = Vec::new();
    loop {
        let line_start = lines.position;
        let line = lines.next()?;
        if let Some(after) = line.strip_prefix(b"---") {
            let mac = after
                .strip_prefix(b" ")
                .ok_or(AgeError::Header)
                .and_then(decode_exact)?;
            if recipients.is_empty() {
                return Err(AgeError::Header);
            }
            // An scrypt stanza must be alone: a passphrase file has no other way in.
            let scrypt = recipients
                .iter()
                .any(|r| matches!(r, Recipient::Scrypt { .. }));
            if scrypt && recipients.len() > 1 {
                return Err(AgeError::Header);
            }
            return Ok(Header {
                recipients,
                covered: line_start + b"---".len(),
                mac,
                payload_start: lines.position,
            });
        }
        let arguments = line.strip_prefix(b"-> ").ok_or(AgeError::Header)?;
        // Refused before this stanza is read further, so a hostile header costs at most this
        // many stanzas' work.
        if recipients.len() == MAX_STANZAS {
            return Err(AgeError::TooManyStanzas);
        }
        let arguments: Vec<&[u8]> = arguments.split(|b| *b == b' ').collect();
        if arguments
            .iter()
            .any(|a| a.is_empty() || !a.iter().all(is_vchar))
        {
            return Err(AgeError::Header);
        }
        let body = read_body(&mut lines)?;
        recipients.push(Recipient::read(&arguments, &body)?);
    }
}

/// A stanza's body: base64 in lines of 64 columns, ended by the first shorter line (which may be
/// empty).
fn read_body(lines: &mut Lines<'_>) -> Result<Vec<u8>, AgeError> {
    let mut text = Vec::new();
    loop {
        let line = lines.next()?;
        if line.len() > COLUMNS {
            return Err(AgeError::Header);
        }
        text.extend_from_slice(line);
        if line.len() < COLUMNS {
            break;
        }
    }
    STANDARD_NO_PAD.decode(&text).map_err(|_| AgeError::Header)
}

/// A stanza to write: its kind, further arguments and body.
pub(crate) struct NewStanza {
    pub(crate) kind: &'static str,
    pub(crate) arguments: Vec<String>,
    pub(crate) body: Vec<u8>,
}

/// The header of a file with one stanza, its MAC line included.
pub(crate) fn write(stanza: &NewStanza, file_key: &FileKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(VERSION_LINE);
    out.extend_from_slice(b"\n-> ");
    out.extend_from_slice(stanza.kind.as_bytes());
    for argument in &stanza.arguments {
        out.push(b' ');
        out.extend_from_slice(argument.as_bytes());
    }
    out.push(b'\n');
    let body = STANDARD_NO_PAD.encode(&stanza.body);
    for line in body.as_bytes().chunks(COLUMNS) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    // A body ends with a line shorter than 64 columns: an empty one after a full one.
    if body.len().is_multiple_of(COLUMNS) {
        out.push(b'\n');
    }
    out.extend_from_slice(b"---");
    let mac = mac(file_key, &out).finalize().into_bytes();
    out.push(b' ');
    out.extend_from_slice(STANDARD_NO_PAD.encode(mac).as_bytes());
    out.push(b'\n');
    out
}

/// HMAC-SHA-256 over the covered header, keyed from the file key.
fn mac(file_key: &FileKey, covered: &[u8]) -> Hmac<Sha256> {
    let key = crate::recipients::hkdf(&[], file_key.as_slice(), b"header");
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key.as_slice()).expect("HMAC takes any key length");
    mac.update(covered);
    mac
}

/// Checks the header's MAC in constant time.
pub(crate) fn verify_mac(
    file_key: &FileKey,
    binary: &[u8],
    header: &Header,
) -> Result<(), AgeError> {
    mac(file_key, &binary[..header.covered])
        .verify_slice(&header.mac)
        .map_err(|_| AgeError::HeaderMac)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARE: &str = "TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc";
    const BODY: &str = "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE";
    const MAC: &str = "WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg";
    const SALT: &str = "rF0/NwblUHHTpgQgRpe5CQ";

    fn header(stanzas: &str) -> Vec<u8> {
        format!("age-encryption.org/v1\n{stanzas}--- {MAC}\n").into_bytes()
    }

    fn x25519() -> String {
        format!("-> X25519 {SHARE}\n{BODY}\n")
    }

    #[test]
    fn a_well_formed_header_reads() {
        let bytes = header(&format!("-> other a b\n\n{}", x25519()));
        let read = parse(&bytes).unwrap();
        assert!(matches!(
            read.recipients.as_slice(),
            [Recipient::Other, Recipient::X25519 { .. }]
        ));
        assert_eq!(read.payload_start, bytes.len());
        assert_eq!(&bytes[read.covered - 4..read.covered + 1], b"\n--- ");
    }

    #[test]
    fn work_factors_follow_the_grammar() {
        let with_work = |work: &str| {
            parse(&header(&format!("-> scrypt {SALT} {work}\n{BODY}\n")))
                .map(|h| h.recipients.len())
        };
        assert_eq!(with_work("10"), Ok(1));
        assert_eq!(with_work(&MAX_OPEN_WORK_FACTOR.to_string()), Ok(1));
        for bad in [
            "+10", "010", " 10", "0", "-1", "0xa", "1e1", "10 ", "1O", "",
        ] {
            assert_eq!(with_work(bad), Err(AgeError::Header), "{bad:?}");
        }
        let above = (MAX_OPEN_WORK_FACTOR + 1).to_string();
        for huge in [
            above.as_str(),
            "64",
            "255",
            "256",
            "99999999999999999999999",
        ] {
            assert_eq!(with_work(huge), Err(AgeError::TooMuchWork), "{huge:?}");
        }
    }

    #[test]
    fn arguments_are_printable_ascii() {
        for bad in [
            "-> \n\n",
            "->  x\n\n",
            "-> x \n\n",
            "-> x  y\n\n",
            "-> x\ty\n\n",
            "-> x\x7f\n\n",
            "-> x\x01\n\n",
            "-> é\n\n",
            "->\n\n",
            "-> x\r\n\n",
        ] {
            let bytes = header(&format!("{bad}{}", x25519()));
            assert_eq!(parse(&bytes).map(|_| ()), Err(AgeError::Header), "{bad:?}");
        }
        let every_vchar: String = (0x21u8..=0x7e).map(char::from).collect();
        let bytes = header(&format!("-> {every_vchar}\n\n{}", x25519()));
        assert!(parse(&bytes).is_ok());
    }

    #[test]
    fn the_mac_is_32_bytes_of_canonical_base64() {
        let good = header(&x25519());
        assert!(parse(&good).is_ok());
        let text = String::from_utf8(good).unwrap();
        for bad in [
            MAC[..40].to_owned(),
            format!("{MAC}AAAA"),
            format!("{}h", &MAC[..42]),
            format!("{MAC}="),
            format!(" {MAC}"),
        ] {
            let changed = text.replace(MAC, &bad);
            assert_eq!(
                parse(changed.as_bytes()).map(|_| ()),
                Err(AgeError::Header),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn stanzas_are_bounded_before_they_are_read() {
        let at_limit = header(&x25519().repeat(MAX_STANZAS));
        assert_eq!(
            parse(&at_limit).map(|h| h.recipients.len()),
            Ok(MAX_STANZAS)
        );
        let over = header(&x25519().repeat(MAX_STANZAS + 1));
        assert_eq!(parse(&over).map(|_| ()), Err(AgeError::TooManyStanzas));
        // The stanza past the limit is refused even when it is malformed: its turn never comes.
        let over_malformed = header(&format!("{}-> \x01\n", x25519().repeat(MAX_STANZAS)));
        assert_eq!(
            parse(&over_malformed).map(|_| ()),
            Err(AgeError::TooManyStanzas)
        );
    }

    #[test]
    fn scrypt_stands_alone() {
        let scrypt = format!("-> scrypt {SALT} 10\n{BODY}\n");
        assert!(parse(&header(&scrypt)).unwrap().is_scrypt());
        for mixed in [
            format!("{scrypt}{}", x25519()),
            format!("{}{scrypt}", x25519()),
            scrypt.repeat(2),
            format!("{scrypt}-> other\n\n"),
        ] {
            assert_eq!(parse(&header(&mixed)).map(|_| ()), Err(AgeError::Header));
        }
    }
}
