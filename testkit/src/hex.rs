//! Hex text to bytes and back, for golden vectors and readable failure messages.

use std::fmt;

/// Why a text is not hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HexError {
    /// A character that is neither a hex digit nor whitespace, at this byte offset.
    NotADigit {
        /// Byte offset in the text.
        at: usize,
        /// The character.
        found: char,
    },
    /// An odd number of digits.
    OddLength(usize),
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADigit { at, found } => write!(f, "not a hex digit at {at}: {found:?}"),
            Self::OddLength(n) => write!(f, "odd number of hex digits: {n}"),
        }
    }
}

impl std::error::Error for HexError {}

/// Decodes hex digits (either case), ignoring whitespace, so vectors can be laid out in groups.
///
/// # Errors
///
/// [`HexError`] on a character that is not a digit or on an odd number of digits.
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::try_unhex("13 01\n00")?, [0x13, 0x01, 0x00]);
/// assert!(rr_testkit::try_unhex("1").is_err());
/// # Ok::<(), rr_testkit::HexError>(())
/// ```
pub fn try_unhex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut digits = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let d = c.to_digit(16).ok_or(HexError::NotADigit { at, found: c })?;
        digits.push(d as u8);
    }
    if digits.len() % 2 != 0 {
        return Err(HexError::OddLength(digits.len()));
    }
    Ok(digits.chunks_exact(2).map(|p| (p[0] << 4) | p[1]).collect())
}

/// [`try_unhex`] for literals in tests.
///
/// # Panics
///
/// When `text` is not hex (a broken test vector).
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::unhex("7b7d"), b"{}");
/// ```
pub fn unhex(text: &str) -> Vec<u8> {
    try_unhex(text).unwrap_or_else(|e| panic!("bad hex in a test vector ({e}): {text:?}"))
}

/// Lower-case hex without separators.
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::hex(b"{}"), "7b7d");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&all)), all);
        assert_eq!(unhex(&hex(&all).to_uppercase()), all);
    }

    #[test]
    fn reports_the_bad_character_and_odd_lengths() {
        assert_eq!(
            try_unhex("0g"),
            Err(HexError::NotADigit { at: 1, found: 'g' })
        );
        assert_eq!(try_unhex("a b c"), Err(HexError::OddLength(3)));
    }
}
