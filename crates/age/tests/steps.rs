//! Sealing and opening in steps (`SealingInSteps`, `Opening`): the same bytes and the same
//! outcomes as the one-shot functions, however the work is split. The one-shot functions are
//! themselves these steps run to the end, so the first test pins their bytes to those the
//! crate made before it worked in steps.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};
use stodrutin_age::{
    open_with_key, open_with_passphrase, seal_to_key_binary, seal_to_key_in_steps,
    seal_with_passphrase_binary_at, seal_with_passphrase_in_steps_at, AgeError, AgeFile,
    PrivateKey, SealingInSteps,
};

const CHUNK: usize = 64 * 1024;
const ENCRYPTED_CHUNK: usize = CHUNK + 16;
const SIZES: [usize; 7] = [0, 1, 65535, 65536, 65537, 2 * 65536, 200_000];
const PASSPHRASE: &str = "lång nog fras";
/// A small work factor, so the tests spend their time on the payload.
const FAST: u8 = 4;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn officer() -> PrivateKey {
    PrivateKey::generate(&mut rng(1))
}

fn plain(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The pieces a caller might push: `split` bytes at a time.
fn pushed(mut sealing: SealingInSteps, plain: &[u8], split: usize) -> Vec<u8> {
    for piece in plain.chunks(split.max(1)) {
        sealing.push(piece);
    }
    sealing.finish()
}

#[test]
fn one_shot_sealing_gives_the_bytes_it_gave_before_steps() {
    // Length and SHA-256 of the binary file, to a key and to a passphrase, each sealed with
    // `rng(size)`, as the crate made them before sealing went in steps (commit bde4a74).
    let before: [(usize, usize, &str, usize, &str); 7] = [
        (
            0,
            200,
            "a23087a54367809c1805ae34fc4b788e3e80f3d0fca319a906202622c92cbe70",
            181,
            "fa607617beba6442c3a77ddadb7a0f127333c6c9d9fe8ea4a30e164054f3f990",
        ),
        (
            1,
            201,
            "56c15af0323e042929ccb93283e4f8dfd69637621519eefe5157177499d1fb14",
            182,
            "e72bdb22b3b7e00e29a0dd62273ad3b2a542e66f3bcb7466d6d7d4648b2811af",
        ),
        (
            65535,
            65735,
            "910b48c7e6b7b73b6bab2debc132f0668c7ed90dd38dd55edf971ed71a68c7b2",
            65716,
            "0dbc24759f5cf250a8a6006a3474f62edf63f92d8c925e6eb6875db8c3fb6e38",
        ),
        (
            65536,
            65736,
            "d5c6383dcf91a9e44203caacd2b8cb221af52781a943640979ab5fc65c2b0604",
            65717,
            "ffbd461da1710125a92159aebe2601cf028ad9c9821c1e8930172f90cad63dec",
        ),
        (
            65537,
            65753,
            "5b48427073b80ff5ac1543370274359a86a111e4804203d2ffabd729974c587d",
            65734,
            "58c49d8a6ddd77778e598927442671daeb1fe1249221605a822f997ee0d0f54e",
        ),
        (
            131072,
            131288,
            "4fc5c7b6262e92a9ba06cd8fb207adddb3afc0ed19436b44ef29d12ef3778c8a",
            131269,
            "8dadcace6cf532ef7f208a82f5ec3eeb2b5dc94940a07b13e9a0255d387e6102",
        ),
        (
            200000,
            200248,
            "710cc16ec69e9d240a82c25c27b3489149b39bb23c69667f393bd3da17e138d3",
            200229,
            "27f049ecd0e92b72d670464477e620912a65877101bfa3e3682e9d7caef88a86",
        ),
    ];
    let public = officer().public();
    for (size, key_len, key_hash, pass_len, pass_hash) in before {
        let plain = plain(size);
        let to_key = seal_to_key_binary(&plain, &public, &mut rng(size as u64)).unwrap();
        let to_pass =
            seal_with_passphrase_binary_at(&plain, PASSPHRASE, FAST, &mut rng(size as u64))
                .unwrap();
        assert_eq!(
            (to_key.len(), hex(&Sha256::digest(&to_key)).as_str()),
            (key_len, key_hash)
        );
        assert_eq!(
            (to_pass.len(), hex(&Sha256::digest(&to_pass)).as_str()),
            (pass_len, pass_hash)
        );
    }
}

#[test]
fn sealing_in_steps_gives_the_one_shot_file_for_any_split() {
    let key = officer();
    let public = key.public();
    for size in SIZES {
        let plain = plain(size);
        let seed = size as u64;
        let one_shot = seal_to_key_binary(&plain, &public, &mut rng(seed)).unwrap();
        let by_pass =
            seal_with_passphrase_binary_at(&plain, PASSPHRASE, FAST, &mut rng(seed)).unwrap();
        let mut splits = vec![1000, 65536, 70000, size];
        if size <= 65537 {
            splits.push(1);
        }
        for split in splits {
            let to_key = seal_to_key_in_steps(&public, &mut rng(seed)).unwrap();
            assert_eq!(pushed(to_key, &plain, split), one_shot, "{size} by {split}");
            let to_pass =
                seal_with_passphrase_in_steps_at(PASSPHRASE, FAST, &mut rng(seed)).unwrap();
            assert_eq!(pushed(to_pass, &plain, split), by_pass, "{size} by {split}");
        }
        // Uneven pieces, empty ones among them, and room reserved first: still the same file.
        let mut sealing = seal_to_key_in_steps(&public, &mut rng(seed)).unwrap();
        sealing.reserve(size);
        let mut rest = plain.as_slice();
        for piece in [0, 3, 65533, 0, 1, 65536, 7].into_iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (now, later) = rest.split_at(piece.min(rest.len()));
            sealing.push(now);
            rest = later;
        }
        sealing.push(&[]);
        assert_eq!(sealing.finish(), one_shot, "{size} in uneven pieces");
        // The standard readers open it.
        assert_eq!(open_with_key(&one_shot, &key), Ok(plain.clone()), "{size}");
        assert_eq!(
            open_with_passphrase(&by_pass, PASSPHRASE),
            Ok(plain),
            "{size}"
        );
    }
}

#[test]
fn sealing_in_steps_refuses_a_short_passphrase() {
    // (A low-order key is refused by the unit tests: `PublicKey::parse` cannot make one.)
    assert_eq!(
        seal_with_passphrase_in_steps_at("kort", FAST, &mut rng(0)).map(|_| ()),
        Err(stodrutin_age::PassphraseError::TooShort {
            min: stodrutin_age::MIN_PASSPHRASE_CHARS
        })
    );
}

/// Opens in steps of `budget`, checking the progress on the way: the plaintext, or the error.
fn open_in_steps(file: &AgeFile, key: &PrivateKey, budget: usize) -> Result<Vec<u8>, AgeError> {
    let mut opening = file.opening_with_key(key)?;
    let (mut done, total) = opening.progress();
    assert_eq!(done, 0);
    loop {
        let step = opening.step(budget);
        let (now, same_total) = opening.progress();
        assert_eq!(same_total, total);
        match step {
            Ok(false) => {
                // At least one chunk, and no more than the budget asks for. (All of it may be
                // read and no final chunk found: the next step says the file is cut off.)
                assert!(now > done && now <= total, "{done} to {now} of {total}");
                assert!(now - done < budget.max(1) + ENCRYPTED_CHUNK);
                done = now;
            }
            Ok(true) => {
                assert_eq!(now, total);
                // The end stays the end.
                assert_eq!(opening.step(budget), Ok(true));
                return opening.finish();
            }
            Err(err) => {
                // An error cannot be stepped past, and finishing gives it too.
                assert_eq!(opening.step(budget), Err(err));
                assert_eq!(opening.finish(), Err(err));
                return Err(err);
            }
        }
    }
}

const BUDGETS: [usize; 4] = [0, 1, 65536, 1_000_000];

#[test]
fn opening_in_steps_gives_the_plaintext_for_any_budget() {
    let key = officer();
    for size in SIZES {
        let plain = plain(size);
        let sealed = seal_to_key_binary(&plain, &key.public(), &mut rng(size as u64)).unwrap();
        let file = AgeFile::parse(&sealed).unwrap();
        for budget in BUDGETS {
            assert_eq!(
                open_in_steps(&file, &key, budget),
                Ok(plain.clone()),
                "{size} by {budget}"
            );
        }
        // A budget of one chunk reads one chunk a step.
        let mut opening = file.opening_with_key(&key).unwrap();
        let mut steps = 1;
        while !opening.step(ENCRYPTED_CHUNK).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, size.div_ceil(CHUNK).max(1), "{size}");
        // Finishing right away reads it all.
        assert_eq!(file.opening_with_key(&key).unwrap().finish(), Ok(plain));
    }
    let sealed = seal_with_passphrase_binary_at(b"hemligt", PASSPHRASE, FAST, &mut rng(0)).unwrap();
    let file = AgeFile::parse(&sealed).unwrap();
    let mut opening = file.opening_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(opening.step(1), Ok(true));
    assert_eq!(opening.finish().unwrap(), b"hemligt");
    assert_eq!(
        file.opening_with_passphrase("fel lösenfras").map(|_| ()),
        Err(AgeError::WrongPassphrase)
    );
    assert_eq!(
        file.opening_with_key(&key).map(|_| ()),
        Err(AgeError::NoMatch)
    );
}

#[test]
fn damage_gives_the_same_error_in_steps_as_in_one_call() {
    let key = officer();
    let plain = plain(200_000);
    let sealed = seal_to_key_binary(&plain, &key.public(), &mut rng(3)).unwrap();
    let payload_start = sealed.len() - stream_len(plain.len());
    let chunks_start = payload_start + 16;
    let flipped = |at: usize| {
        let mut bytes = sealed.clone();
        bytes[at] ^= 1;
        bytes
    };
    let damaged: Vec<(&str, Vec<u8>, AgeError)> = vec![
        ("header", with_stanza_added(&sealed), AgeError::HeaderMac),
        ("nonce", flipped(payload_start + 3), AgeError::Payload),
        ("first chunk", flipped(chunks_start + 5), AgeError::Payload),
        (
            "second tag",
            flipped(chunks_start + 2 * ENCRYPTED_CHUNK - 1),
            AgeError::Payload,
        ),
        ("last byte", flipped(sealed.len() - 1), AgeError::Payload),
        (
            "cut mid chunk",
            sealed[..sealed.len() - 100].to_vec(),
            AgeError::Payload,
        ),
        (
            "cut inside a tag",
            sealed[..chunks_start + 10].to_vec(),
            AgeError::Payload,
        ),
        (
            "final chunk gone",
            sealed[..chunks_start + 3 * ENCRYPTED_CHUNK].to_vec(),
            AgeError::Truncated,
        ),
        (
            "no chunks",
            sealed[..chunks_start].to_vec(),
            AgeError::Truncated,
        ),
        (
            "trailing byte",
            [&sealed[..], b"x"].concat(),
            AgeError::Payload,
        ),
        (
            "trailing chunk",
            [
                &sealed[..],
                &sealed[chunks_start..chunks_start + ENCRYPTED_CHUNK],
            ]
            .concat(),
            AgeError::Payload,
        ),
    ];
    for (what, bytes, expected) in damaged {
        let one_shot = open_with_key(&bytes, &key);
        assert_eq!(one_shot, Err(expected), "{what}");
        let file = AgeFile::parse(&bytes).unwrap();
        for budget in BUDGETS {
            assert_eq!(
                open_in_steps(&file, &key, budget),
                one_shot,
                "{what} by {budget}"
            );
        }
    }
}

/// The file with a stanza no one opens added to its header, as a meddler might: the header
/// still reads, and its MAC no longer matches.
fn with_stanza_added(sealed: &[u8]) -> Vec<u8> {
    let mac_line = sealed.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    [&sealed[..mac_line], b"-> grease\n\n", &sealed[mac_line..]].concat()
}

/// The payload's length (nonce and encrypted chunks) for `plain` bytes.
fn stream_len(plain: usize) -> usize {
    16 + plain + 16 * plain.div_ceil(CHUNK).max(1)
}
