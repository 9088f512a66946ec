//! The 0..=10 `u32` options that follow the fixed 12-byte header.

use std::fmt;

use crate::FrameError;

/// At most this many options fit in a header (HL ≤ 13, `docs/frames.md`).
pub const MAX_OPTIONS: usize = 10;

/// The options of a frame: up to [`MAX_OPTIONS`] little-endian `u32` values.
///
/// Their meaning belongs to the layer above: one option (the context length) on worker
/// payload frames, two (`seq`, method length) on RPC frames, none on control frames.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Options {
    values: [u32; MAX_OPTIONS],
    len: u8,
}

impl Options {
    /// No options.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(goridge::Options::new().is_empty());
    /// ```
    pub const fn new() -> Self {
        Self {
            values: [0; MAX_OPTIONS],
            len: 0,
        }
    }

    /// One option: the shape of every worker payload frame (context length).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::Options::one(3).as_slice(), [3]);
    /// ```
    pub const fn one(value: u32) -> Self {
        let mut values = [0; MAX_OPTIONS];
        values[0] = value;
        Self { values, len: 1 }
    }

    /// Builds options from a slice.
    ///
    /// # Errors
    ///
    /// [`FrameError::TooManyOptions`] when the slice holds more than [`MAX_OPTIONS`] values.
    ///
    /// # Example
    ///
    /// ```
    /// let options = goridge::Options::from_slice(&[1, 16])?;
    /// assert_eq!(options.len(), 2);
    /// assert!(goridge::Options::from_slice(&[0; 11]).is_err());
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn from_slice(values: &[u32]) -> Result<Self, FrameError> {
        if values.len() > MAX_OPTIONS {
            return Err(FrameError::TooManyOptions(values.len()));
        }
        let mut out = Self::new();
        out.values[..values.len()].copy_from_slice(values);
        out.len = values.len() as u8;
        Ok(out)
    }

    /// Appends one option.
    ///
    /// # Errors
    ///
    /// [`FrameError::TooManyOptions`] when [`MAX_OPTIONS`] are already present.
    ///
    /// # Example
    ///
    /// ```
    /// let mut options = goridge::Options::new();
    /// options.push(7)?;
    /// assert_eq!(options.first(), Some(7));
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn push(&mut self, value: u32) -> Result<(), FrameError> {
        let len = usize::from(self.len);
        if len == MAX_OPTIONS {
            return Err(FrameError::TooManyOptions(len + 1));
        }
        self.values[len] = value;
        self.len += 1;
        Ok(())
    }

    /// The options as a slice.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::Options::from_slice(&[1, 2])?.as_slice(), [1, 2]);
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn as_slice(&self) -> &[u32] {
        &self.values[..usize::from(self.len)]
    }

    /// How many options there are.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::Options::one(0).len(), 1);
    /// ```
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// `true` when there are none.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!goridge::Options::one(0).is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first option, if any.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::Options::new().first(), None);
    /// ```
    pub fn first(&self) -> Option<u32> {
        self.as_slice().first().copied()
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_stops_at_ten() {
        let mut o = Options::from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9]).unwrap();
        o.push(10).unwrap();
        assert_eq!(o.len(), 10);
        assert!(matches!(o.push(11), Err(FrameError::TooManyOptions(11))));
        assert!(matches!(
            Options::from_slice(&[0; 11]),
            Err(FrameError::TooManyOptions(11))
        ));
    }
}
