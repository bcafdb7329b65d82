//! What a new PIN or passphrase must be. A PIN is guessed by hand at the lock screen (with the
//! delays of `policy`) and, from a copy of the storage, by machine against Argon2id; both
//! succeed first with the PINs people choose most, so those are refused.

use zeroize::Zeroizing;

/// The fewest digits of a PIN.
pub const MIN_PIN_DIGITS: usize = 6;
/// The fewest characters of a lock passphrase (as the officer's key backup asks).
pub const MIN_LOCK_PASSPHRASE_CHARS: usize = 12;

/// Six-digit PINs chosen far more often than others and not caught by the rules on sequences,
/// repetitions and repeated patterns below: keypad shapes, mirrored halves, pairs counted up.
/// Studies of chosen PINs (Bonneau, Preibusch and Anderson, "A birthday present every eleven
/// wallets?", FC 2012; Wang et al., "Understanding Human-Chosen PINs", CCS 2017; Markert et al.,
/// "This PIN Can Be Easily Guessed", IEEE S&P 2020) report such PINs at the top of every
/// frequency list; this short list is written from those patterns, not copied from their data.
const COMMON_PINS: [&str; 13] = [
    "112233", "159753", "147258", "789456", "123321", "159357", "147852", "258369", "963852",
    "741852", "102030", "456123", "112358",
];

/// Why a new PIN is refused. Each has its own message in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinError {
    /// Something other than the digits 0–9.
    NotDigits,
    /// Fewer than `min` digits.
    TooShort { min: usize },
    /// One digit repeated: 000000, 777777.
    OneDigit,
    /// Digits counting up or down by one: 123456, 654321, 890123.
    Sequence,
    /// A short group repeated: 121212, 123123, 12341234.
    RepeatedPattern,
    /// One of the PINs people choose most.
    Common,
    /// A date, as a birthday is written: DDMMYY, YYMMDD, DDMMYYYY or YYYYMMDD (an elected
    /// official's birthday is public), or a personal identity number (YYMMDDNNNN,
    /// YYYYMMDDNNNN, the day plus 60 for a coordination number), which is public too.
    Date,
}

impl std::fmt::Display for PinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PinError::NotDigits => f.write_str("a PIN is digits only"),
            PinError::TooShort { min } => write!(f, "a PIN has at least {min} digits"),
            PinError::OneDigit => f.write_str("the PIN is one digit repeated"),
            PinError::Sequence => f.write_str("the PIN is a sequence of digits"),
            PinError::RepeatedPattern => f.write_str("the PIN repeats a short pattern"),
            PinError::Common => f.write_str("the PIN is one of the most common"),
            PinError::Date => f.write_str("the PIN is a date"),
        }
    }
}

impl std::error::Error for PinError {}

/// Why a new lock passphrase is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockPassphraseError {
    /// Fewer than `min` characters.
    TooShort { min: usize },
    /// One character or a short group repeated, or digits only that a PIN's rules refuse.
    TooSimple,
}

impl std::fmt::Display for LockPassphraseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockPassphraseError::TooShort { min } => {
                write!(f, "a passphrase has at least {min} characters")
            }
            LockPassphraseError::TooSimple => f.write_str("the passphrase is too easy to guess"),
        }
    }
}

impl std::error::Error for LockPassphraseError {}

/// Checks a new PIN against the rules, in the order of `PinError`'s variants.
pub fn check_new_pin(pin: &str) -> Result<(), PinError> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::NotDigits);
    }
    if pin.len() < MIN_PIN_DIGITS {
        return Err(PinError::TooShort {
            min: MIN_PIN_DIGITS,
        });
    }
    let digits = Zeroizing::new(pin.bytes().map(|b| b - b'0').collect::<Vec<u8>>());
    if digits.iter().all(|&d| d == digits[0]) {
        return Err(PinError::OneDigit);
    }
    // Counting past 9 goes on from 0 (7890123), as such PINs are typed on a keypad row.
    let steps_by = |step: u8| digits.windows(2).all(|w| (w[0] + step) % 10 == w[1]);
    if steps_by(1) || steps_by(9) {
        return Err(PinError::Sequence);
    }
    if repeats_a_group(&digits, 2) {
        return Err(PinError::RepeatedPattern);
    }
    if COMMON_PINS.contains(&pin) {
        return Err(PinError::Common);
    }
    if is_date(&digits) {
        return Err(PinError::Date);
    }
    Ok(())
}

/// Whether `items` are one group of at least `shortest` and at most half their length, repeated
/// (a last repetition may stop short): 121212, 1231231, "abcabcabcabc".
fn repeats_a_group<T: PartialEq>(items: &[T], shortest: usize) -> bool {
    let repeats_with_period =
        |period: usize| (period..items.len()).all(|i| items[i] == items[i - period]);
    (shortest..=items.len() / 2).any(repeats_with_period)
}

/// Whether six or eight digits read as a date (day-month-year or year-month-day, with two
/// digits for the year or four from 1900 to 2099), or ten or twelve as a personal identity or
/// coordination number (the date, year first, then four digits).
fn is_date(digits: &[u8]) -> bool {
    let at = |range: std::ops::Range<usize>| {
        digits[range]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d))
    };
    let day_month = |day: u32, month: u32| (1..=31).contains(&day) && (1..=12).contains(&month);
    let id_day_month = |day: u32, month: u32| {
        day_month(day, month) || day.checked_sub(60).is_some_and(|day| day_month(day, month))
    };
    let long_year = |year: u32| (1900..=2099).contains(&year);
    match digits.len() {
        6 => day_month(at(0..2), at(2..4)) || day_month(at(4..6), at(2..4)),
        8 => {
            (day_month(at(0..2), at(2..4)) && long_year(at(4..8)))
                || (long_year(at(0..4)) && day_month(at(6..8), at(4..6)))
        }
        10 => id_day_month(at(4..6), at(2..4)),
        12 => long_year(at(0..4)) && id_day_month(at(6..8), at(4..6)),
        _ => false,
    }
}

/// Checks a new lock passphrase: long enough, and not one character or a short group repeated;
/// one of digits only is a long PIN, held to a PIN's rules too.
pub fn check_new_lock_passphrase(passphrase: &str) -> Result<(), LockPassphraseError> {
    let chars = Zeroizing::new(passphrase.chars().collect::<Vec<char>>());
    if chars.len() < MIN_LOCK_PASSPHRASE_CHARS {
        return Err(LockPassphraseError::TooShort {
            min: MIN_LOCK_PASSPHRASE_CHARS,
        });
    }
    if chars.iter().all(char::is_ascii_digit) && check_new_pin(passphrase).is_err() {
        return Err(LockPassphraseError::TooSimple);
    }
    if repeats_a_group(&chars, 1) {
        return Err(LockPassphraseError::TooSimple);
    }
    Ok(())
}
