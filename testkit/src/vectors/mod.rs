//! Golden vectors: frames written out byte by byte in `docs/frames.md` and `docs/http.md`,
//! each with the fields it must decode to. One copy for the whole workspace: goridge's golden
//! tests, rr-http's wire tests, the benches and the fuzz seeds read them from here, and a test
//! of this crate checks that the docs show exactly these bytes.

use goridge::{Flags, FrameHead, Options, StreamFlags};

pub mod frames;
pub mod http;

/// One golden frame: its wire bytes and what they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameVector {
    /// Its name in the docs, e.g. `v01_empty_control` (V1) or `http_a_get_request` (A).
    pub name: &'static str,
    /// The wire bytes as written in the docs (hex, spaces and line breaks allowed).
    pub wire_hex: &'static str,
    /// The wire bytes.
    pub wire: Vec<u8>,
    /// Byte 1.
    pub flags: u8,
    /// Byte 10.
    pub stream: u8,
    /// The options.
    pub options: Vec<u32>,
    /// The payload as the sender hands it over (e.g. context, body); concatenated on the wire.
    pub parts: Vec<Vec<u8>>,
}

impl FrameVector {
    /// The frame head the fields describe.
    ///
    /// # Example
    ///
    /// ```
    /// let v = rr_testkit::vectors::frames::v05_data_context_and_body();
    /// assert_eq!(v.head().options, goridge::Options::one(3));
    /// ```
    pub fn head(&self) -> FrameHead {
        FrameHead::new(Flags::from_bits(self.flags))
            .with_stream(StreamFlags::from_bits(self.stream))
            .with_options(Options::from_slice(&self.options).expect("at most 10 options"))
    }

    /// The payload: the parts joined.
    ///
    /// # Example
    ///
    /// ```
    /// let v = rr_testkit::vectors::frames::v05_data_context_and_body();
    /// assert_eq!(v.payload(), b"ctxbody");
    /// ```
    pub fn payload(&self) -> Vec<u8> {
        self.parts.concat()
    }

    /// The parts as slices, the way [`goridge::Relay::send`] takes them.
    ///
    /// # Example
    ///
    /// ```
    /// let v = rr_testkit::vectors::frames::v05_data_context_and_body();
    /// assert_eq!(v.parts(), [&b"ctx"[..], &b"body"[..]]);
    /// ```
    pub fn parts(&self) -> Vec<&[u8]> {
        self.parts.iter().map(Vec::as_slice).collect()
    }
}

/// Every vector: the frame vectors, then the HTTP ones.
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::vectors::all().len(), 39);
/// ```
pub fn all() -> Vec<FrameVector> {
    let mut all = frames::all();
    all.extend(http::all());
    all
}

/// Defines one function per vector (named as the vector) and `all()` returning them in order.
macro_rules! frame_vectors {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident {
            wire: $wire:expr,
            flags: $flags:expr,
            stream: $stream:expr,
            options: [$($opt:expr),* $(,)?],
            parts: [$($part:expr),* $(,)?] $(,)?
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!(" let v = ", module_path!(), "::", stringify!($name), "();")]
            /// let payload: usize = v.parts.iter().map(Vec::len).sum();
            /// assert_eq!(v.wire.len(), 12 + 4 * v.options.len() + payload);
            /// assert_eq!(v.wire[1], v.flags);
            /// ```
            pub fn $name() -> $crate::vectors::FrameVector {
                $crate::vectors::FrameVector {
                    name: stringify!($name),
                    wire_hex: $wire,
                    wire: hex($wire),
                    flags: $flags,
                    stream: $stream,
                    options: vec![$($opt),*],
                    parts: vec![$(Vec::<u8>::from($part)),*],
                }
            }
        )*

        /// Every vector of this module, in order.
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!(" let all = ", module_path!(), "::all();")]
        /// assert!(!all.is_empty());
        /// assert!(all.iter().all(|v| v.wire == rr_testkit::unhex(v.wire_hex)));
        /// ```
        pub fn all() -> Vec<$crate::vectors::FrameVector> {
            vec![$($name()),*]
        }
    };
}
pub(crate) use frame_vectors;
