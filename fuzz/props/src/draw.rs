//! [`Draw`]: the random-number calls a generator makes (`usize(..n)`, `bool()`, …), answered
//! from `arbitrary`'s unstructured bytes, so one generator serves libFuzzer and arbtest alike.
//! When the bytes run out every draw gives the smallest value, which ends lists and recursion.

use std::ops::{Bound, RangeBounds};

use arbitrary::Unstructured;

/// Draws values from a byte string.
#[derive(Debug)]
pub struct Draw<'a>(Unstructured<'a>);

impl<'a> Draw<'a> {
    /// Draws from `data`.
    ///
    /// ```
    /// let mut draw = rr_fuzz_props::Draw::new(&[3, 0, 0, 0, 0, 0, 0, 0]);
    /// assert!(draw.usize(..10) < 10);
    /// ```
    pub fn new(data: &'a [u8]) -> Self {
        Self(Unstructured::new(data))
    }

    /// A number in `range` (which must not be empty).
    ///
    /// ```
    /// let mut draw = rr_fuzz_props::Draw::new(&[]);
    /// assert_eq!(draw.usize(5..=9), 5);
    /// ```
    pub fn usize(&mut self, range: impl RangeBounds<usize>) -> usize {
        let lo = match range.start_bound() {
            Bound::Included(&n) => n,
            Bound::Excluded(&n) => n + 1,
            Bound::Unbounded => 0,
        };
        let hi = match range.end_bound() {
            Bound::Included(&n) => n,
            Bound::Excluded(&n) => n.checked_sub(1).expect("a non-empty range"),
            Bound::Unbounded => usize::MAX,
        };
        assert!(lo <= hi, "a non-empty range");
        self.0.int_in_range(lo..=hi).unwrap_or(lo)
    }

    /// Any `u64` (the range argument mirrors `fastrand`'s `u64(..)`).
    ///
    /// ```
    /// let _ = rr_fuzz_props::Draw::new(&[1; 8]).u64(..);
    /// ```
    pub fn u64(&mut self, _all: std::ops::RangeFull) -> u64 {
        self.0.arbitrary().unwrap_or(0)
    }

    /// A coin flip.
    ///
    /// ```
    /// assert!(!rr_fuzz_props::Draw::new(&[]).bool());
    /// ```
    pub fn bool(&mut self) -> bool {
        self.0.arbitrary().unwrap_or(false)
    }

    /// Fills `buf` (with zeros once the bytes run out).
    ///
    /// ```
    /// let mut buf = [9; 4];
    /// rr_fuzz_props::Draw::new(&[1, 2]).fill(&mut buf);
    /// assert_eq!(buf, [1, 2, 0, 0]);
    /// ```
    pub fn fill(&mut self, buf: &mut [u8]) {
        let _ = self.0.fill_buffer(buf);
    }
}
