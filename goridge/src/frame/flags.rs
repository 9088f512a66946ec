//! Typed values for the two flag bytes of a frame: byte 1 (`Flags`) and byte 10 (`StreamFlags`).
//!
//! The names follow Go's `pkg/frame/frame_flags.go` so the two codecs compare line by line
//! (see `docs/frames.md`).

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

macro_rules! bit_set {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$cmeta:meta])* $const:ident = $value:expr, )* }
        // Two named bits and the byte they make together, for the examples.
        examples: $a:ident | $b:ident = $both:literal
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(u8);

        impl $name {
            $( $(#[$cmeta])* pub const $const: Self = Self($value); )*

            /// No bit set.
            pub const EMPTY: Self = Self(0);

            /// Wraps a raw byte as read from the wire. Every bit pattern is kept, named or not.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" assert_eq!(", stringify!($name), "::from_bits(", stringify!($both), "), ", stringify!($name), "::", stringify!($a), " | ", stringify!($name), "::", stringify!($b), ");")]
            #[doc = concat!(" assert_eq!(", stringify!($name), "::from_bits(0xff).bits(), 0xff); // unnamed bits are kept too")]
            /// ```
            pub const fn from_bits(bits: u8) -> Self {
                Self(bits)
            }

            /// The raw byte as written on the wire.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" assert_eq!((", stringify!($name), "::", stringify!($a), " | ", stringify!($name), "::", stringify!($b), ").bits(), ", stringify!($both), ");")]
            /// ```
            pub const fn bits(self) -> u8 {
                self.0
            }

            /// `true` when every bit of `other` is set in `self`.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" let both = ", stringify!($name), "::", stringify!($a), " | ", stringify!($name), "::", stringify!($b), ";")]
            #[doc = concat!(" assert!(both.contains(", stringify!($name), "::", stringify!($b), "));")]
            #[doc = concat!(" assert!(!", stringify!($name), "::", stringify!($a), ".contains(both));")]
            /// ```
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// `true` when no bit is set.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" assert!(", stringify!($name), "::EMPTY.is_empty());")]
            #[doc = concat!(" assert!(!", stringify!($name), "::", stringify!($a), ".is_empty());")]
            /// ```
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// `self` with the bits of `other` added.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" assert_eq!(", stringify!($name), "::", stringify!($a), ".union(", stringify!($name), "::", stringify!($b), ").bits(), ", stringify!($both), ");")]
            /// ```
            pub const fn union(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }

            /// `self` with the bits of `other` removed.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" use goridge::", stringify!($name), ";")]
            ///
            #[doc = concat!(" let both = ", stringify!($name), "::", stringify!($a), " | ", stringify!($name), "::", stringify!($b), ";")]
            #[doc = concat!(" assert_eq!(both.difference(", stringify!($name), "::", stringify!($b), "), ", stringify!($name), "::", stringify!($a), ");")]
            /// ```
            pub const fn difference(self, other: Self) -> Self {
                Self(self.0 & !other.0)
            }
        }

        impl BitOr for $name {
            type Output = Self;
            fn bitor(self, rhs: Self) -> Self {
                self.union(rhs)
            }
        }

        impl BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: Self) {
                *self = self.union(rhs);
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:#04x}", stringify!($name), self.0)?;
                let mut sep = " = ";
                $(
                    if self.contains(Self::$const) && Self::$const.0 != 0 {
                        write!(f, "{sep}{}", stringify!($const))?;
                        sep = " | ";
                    }
                )*
                let _ = sep;
                f.write_str(")")
            }
        }
    };
}

bit_set! {
    /// Byte 1 of the header: control/error markers and the payload codec.
    ///
    /// ```text
    /// bit  7      6      5    4        3     2    1       0
    ///      PROTO  ERROR  GOB  MSGPACK  JSON  RAW  (unused) CONTROL
    /// ```
    Flags {
        /// `0x01`: a control frame; the payload is a JSON command (`{"pid":…}`, `{"stop":true}`).
        CONTROL = 0x01,
        /// `0x04`: raw bytes.
        CODEC_RAW = 0x04,
        /// `0x08`: JSON.
        CODEC_JSON = 0x08,
        /// `0x10`: MessagePack (RPC only, refused by goridge v4).
        CODEC_MSGPACK = 0x10,
        /// `0x20`: Go gob (RPC fallback).
        CODEC_GOB = 0x20,
        /// `0x40`: the payload is an error message.
        ERROR = 0x40,
        /// `0x80`: protobuf.
        CODEC_PROTO = 0x80,
    }
    examples: CONTROL | CODEC_JSON = 0x09
}

bit_set! {
    /// Byte 10 of the header: stream control. Not covered by the CRC.
    StreamFlags {
        /// `0x01`, worker → server: more frames of this response follow.
        STREAM = 0x01,
        /// `0x02`, server → worker: abort the stream being sent (the client went away).
        STOP = 0x02,
        /// `0x04`, worker → server: answer with a PONG.
        PING = 0x04,
        /// `0x08`, server → worker: the answer to a PING.
        PONG = 0x08,
    }
    examples: STREAM | PING = 0x05
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_combine_like_go() {
        // frame_edge_test.go: OR-ing JSON then GOB gives 0x28.
        let f = Flags::CODEC_JSON | Flags::CODEC_GOB;
        assert_eq!(f.bits(), 0x28);
        assert!(f.contains(Flags::CODEC_JSON));
        assert!(!f.contains(Flags::CODEC_PROTO));
        assert_eq!(f.difference(Flags::CODEC_GOB), Flags::CODEC_JSON);
    }

    #[test]
    fn debug_names_bits() {
        let f = Flags::CONTROL | Flags::CODEC_JSON;
        assert_eq!(format!("{f:?}"), "Flags(0x09 = CONTROL | CODEC_JSON)");
        assert_eq!(format!("{:?}", StreamFlags::EMPTY), "StreamFlags(0x00)");
    }
}
