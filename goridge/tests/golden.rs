//! Golden frames: every test vector of `shared/spec/protocol.md` §6 (V1–V22, V5b and the two
//! Go test headers) and the frames of `shared/spec/http.md` §12, as literal hex.
//!
//! Each vector is checked in both directions and through every public path:
//!
//! * encoding with `FrameCodec::encode_parts` (payload given as its parts, e.g. context and
//!   body), with `Frame::to_bytes` and with `StreamRelay::send` gives exactly the bytes;
//! * decoding the bytes with `FrameCodec::decode` and with `StreamRelay::receive` gives exactly
//!   the flags, stream bits, options and payload, and consumes exactly the frame.
//!
//! The wire hex is written independently of the expected fields, so neither direction can
//! vouch for the other.

use std::io::{self, Cursor};

use bytes::BytesMut;
use goridge::{
    Flags, Frame, FrameCodec, FrameHead, Options, Relay, RelayError, StreamFlags, StreamRelay,
};

/// Decodes hex, ignoring whitespace.
fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            other => panic!("not a hex digit: {:?}", other as char),
        })
        .collect();
    assert!(
        digits.len() % 2 == 0,
        "odd number of hex digits in {text:?}"
    );
    digits.chunks_exact(2).map(|p| p[0] << 4 | p[1]).collect()
}

/// Encodes bytes as lower-case hex, for readable failure messages.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One golden frame: its wire bytes and what they mean.
struct Vector {
    name: &'static str,
    wire: Vec<u8>,
    flags: u8,
    stream: u8,
    options: Vec<u32>,
    /// The payload as the sender hands it over (e.g. context, body); concatenated on the wire.
    parts: Vec<Vec<u8>>,
}

impl Vector {
    fn head(&self) -> FrameHead {
        FrameHead::new(Flags::from_bits(self.flags))
            .with_stream(StreamFlags::from_bits(self.stream))
            .with_options(Options::from_slice(&self.options).expect("at most 10 options"))
    }

    fn payload(&self) -> Vec<u8> {
        self.parts.concat()
    }

    fn parts(&self) -> Vec<&[u8]> {
        self.parts.iter().map(Vec::as_slice).collect()
    }

    fn assert_wire(&self, what: &str, got: &[u8]) {
        assert!(
            got == self.wire.as_slice(),
            "{}: {what} wrote\n  {}\nbut the spec says\n  {}",
            self.name,
            to_hex(got),
            to_hex(&self.wire),
        );
    }

    fn assert_frame(&self, what: &str, frame: &Frame) {
        assert_eq!(
            frame.flags().bits(),
            self.flags,
            "{}: {what}: flags",
            self.name
        );
        assert_eq!(
            frame.stream().bits(),
            self.stream,
            "{}: {what}: stream byte",
            self.name
        );
        assert_eq!(
            frame.options(),
            self.options.as_slice(),
            "{}: {what}: options",
            self.name
        );
        assert!(
            frame.payload[..] == self.payload()[..],
            "{}: {what}: payload\n  {}\nexpected\n  {}",
            self.name,
            to_hex(&frame.payload),
            to_hex(&self.payload()),
        );
        assert_eq!(
            frame,
            &Frame::new(self.head(), self.payload()),
            "{}: {what}",
            self.name
        );
    }
}

fn encode_parts(v: &Vector) {
    let mut out = BytesMut::new();
    FrameCodec::new()
        .encode_parts(&v.head(), &v.parts(), &mut out)
        .expect("encodable");
    v.assert_wire("FrameCodec::encode_parts", &out);
}

fn frame_to_bytes(v: &Vector) {
    let bytes = Frame::new(v.head(), v.payload())
        .to_bytes()
        .expect("encodable");
    v.assert_wire("Frame::to_bytes", &bytes);
}

fn relay_send(v: &Vector) {
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    relay.send(&v.head(), &v.parts()).expect("send");
    let (_, written) = relay.into_inner();
    v.assert_wire("StreamRelay::send", &written);
}

fn codec_decode(v: &Vector) {
    let mut buf = BytesMut::from(&v.wire[..]);
    let frame = FrameCodec::new()
        .decode(&mut buf)
        .expect("valid frame")
        .expect("a whole frame");
    v.assert_frame("FrameCodec::decode", &frame);
    assert!(
        buf.is_empty(),
        "{}: {} bytes left after the frame",
        v.name,
        buf.len()
    );
}

fn relay_receive(v: &Vector) {
    let mut relay = StreamRelay::new(Cursor::new(v.wire.clone()), io::sink());
    let frame = relay.receive().expect("valid frame");
    v.assert_frame("StreamRelay::receive", &frame);
    assert!(
        matches!(relay.receive(), Err(RelayError::Closed)),
        "{}: the relay read past the frame",
        v.name
    );
}

macro_rules! vectors {
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
            mod $name {
                use super::*;

                pub(super) fn vector() -> Vector {
                    Vector {
                        name: stringify!($name),
                        wire: hex($wire),
                        flags: $flags,
                        stream: $stream,
                        options: vec![$($opt),*],
                        parts: vec![$(Vec::<u8>::from($part)),*],
                    }
                }

                #[test]
                fn encode_parts_writes_the_spec_bytes() {
                    encode_parts(&vector());
                }

                #[test]
                fn frame_to_bytes_writes_the_spec_bytes() {
                    frame_to_bytes(&vector());
                }

                #[test]
                fn stream_relay_send_writes_the_spec_bytes() {
                    relay_send(&vector());
                }

                #[test]
                fn codec_decode_reads_the_spec_fields_and_consumes_the_frame() {
                    codec_decode(&vector());
                }

                #[test]
                fn stream_relay_receive_reads_the_spec_fields_and_stops_at_the_frame_end() {
                    relay_receive(&vector());
                }
            }
        )*

        /// Every vector, in the order of this file.
        fn all_vectors() -> Vec<Vector> {
            vec![$($name::vector()),*]
        }
    };
}

/// Go's `TestPayload` from `pkg/frame/frame_test.go`, 135 bytes.
const GO_TEST_PAYLOAD: &str = "alsdjf;lskjdgljasg;lkjsalfkjaskldjflkasjdf;lkasjfdalksdjflkajsdf;\
                               lfasdgnslsnblna;sldjjfawlkejr;lwjenlksndlfjawl;ejr;lwjelkrjaldfjl;sdjf";

/// http.md §12.1: the `http.v1.Request` context of vector A (123 bytes).
const A_CONTEXT: &str = "0a093132372e302e302e311208485454502f312e311a034745542226687474703a2f2f\
                         6c6f63616c686f73743a383038302f68656c6c6f3f6e616d653d776f726c642a0f0a06\
                         41636365707412050a032a2f2a2a1a0a0a557365722d4167656e74120c0a0a6375726c\
                         2f382e352e303a0a6e616d653d776f726c64";

/// http.md §12.6: the `http.v1.Request` context of vector G (179 bytes).
const G_CONTEXT: &str = "0a093132372e302e302e311208485454502f312e311a04504f5354221a687474703a2f\
                         2f6c6f63616c686f73743a383038302f666f726d2a160a0e436f6e74656e742d4c656e\
                         67746812040a0231352a330a0c436f6e74656e742d5479706512230a216170706c6963\
                         6174696f6e2f782d7777772d666f726d2d75726c656e636f6465642a190a06436f6f6b\
                         6965120f0a0d7369643d61626325323064656632100a0373696412090a076162632064\
                         65664001";

vectors! {
    /// V1: empty CONTROL frame.
    v01_empty_control {
        wire: "13 01 00 00 00 00 26 f8 e0 09 00 00",
        flags: 0x01, stream: 0, options: [], parts: [],
    }
    /// V2: RR→W PID request `{"pid":1000}`.
    v02_pid_request {
        wire: "13 09 0c 00 00 00 5f 0c 46 73 00 00 7b22706964223a313030307d",
        flags: 0x09, stream: 0, options: [], parts: [r#"{"pid":1000}"#],
    }
    /// V3: W→RR PID reply `{"pid":4242}`, PHP style.
    v03_pid_reply {
        wire: "13 01 0c 00 00 00 9e 47 36 43 00 00 7b22706964223a343234327d",
        flags: 0x01, stream: 0, options: [], parts: [r#"{"pid":4242}"#],
    }
    /// V4: RR→W stop `{"stop":true}`.
    v04_stop_command {
        wire: "13 09 0d 00 00 00 3a 6b fa cb 00 00 7b2273746f70223a747275657d",
        flags: 0x09, stream: 0, options: [], parts: [r#"{"stop":true}"#],
    }
    /// V5: data frame, context `ctx`, body `body`, flags 0.
    v05_data_context_and_body {
        wire: "14 00 07 00 00 00 97 d9 52 b4 00 00 03 00 00 00 637478626f6479",
        flags: 0x00, stream: 0, options: [3], parts: ["ctx", "body"],
    }
    /// V5b: V5 with CODEC_PROTO.
    v05b_data_context_and_body_proto {
        wire: "14 80 07 00 00 00 05 69 b4 05 00 00 03 00 00 00 637478626f6479",
        flags: 0x80, stream: 0, options: [3], parts: ["ctx", "body"],
    }
    /// V6: W→RR ERROR `oops`, no options.
    v06_error_frame {
        wire: "13 40 04 00 00 00 88 1e 11 e3 00 00 6f6f7073",
        flags: 0x40, stream: 0, options: [], parts: ["oops"],
    }
    /// V7: stream chunk with STREAM.
    v07_stream_chunk {
        wire: "14 00 07 00 00 00 97 d9 52 b4 01 00 03 00 00 00 637478626f6479",
        flags: 0x00, stream: 0x01, options: [3], parts: ["ctx", "body"],
    }
    /// V8: stream end, empty payload, options `[0]`.
    v08_stream_end {
        wire: "14 00 00 00 00 00 2e e1 85 29 00 00 00 00 00 00",
        flags: 0x00, stream: 0, options: [0], parts: [],
    }
    /// V9: RR→W stream STOP.
    v09_stop {
        wire: "13 00 00 00 00 00 96 d1 80 34 02 00",
        flags: 0x00, stream: 0x02, options: [], parts: [],
    }
    /// V10: RR→W PONG.
    v10_pong {
        wire: "13 00 00 00 00 00 96 d1 80 34 08 00",
        flags: 0x00, stream: 0x08, options: [], parts: [],
    }
    /// V11: stream chunk with STREAM|PING.
    v11_stream_chunk_with_ping {
        wire: "14 00 07 00 00 00 97 d9 52 b4 05 00 03 00 00 00 637478626f6479",
        flags: 0x00, stream: 0x05, options: [3], parts: ["ctx", "body"],
    }
    /// V12: W→RR stop request: context `{"stop":true}`, empty body.
    v12_stop_request {
        wire: "14 00 0d 00 00 00 f3 39 ef db 00 00 0d 00 00 00 7b2273746f70223a747275657d",
        flags: 0x00, stream: 0, options: [13], parts: [r#"{"stop":true}"#, ""],
    }
    /// V13: RPC request `informer.Workers`, JSON `"http"`, seq 1.
    v13_rpc_request_informer_workers {
        wire: "15 08 16 00 00 00 09 71 db a7 00 00 01 00 00 00 10 00 00 00
               696e666f726d65722e576f726b657273226874747022",
        flags: 0x08, stream: 0, options: [1, 16], parts: ["informer.Workers", r#""http""#],
    }
    /// V14: RPC error reply to V13, `boom`.
    v14_rpc_error_reply {
        wire: "15 48 14 00 00 00 cb e1 21 55 00 00 01 00 00 00 10 00 00 00
               696e666f726d65722e576f726b657273626f6f6d",
        flags: 0x48, stream: 0, options: [1, 16], parts: ["informer.Workers", "boom"],
    }
    /// V15: RPC request `resetter.Reset`, JSON `"http"`, seq 7.
    v15_rpc_request_resetter_reset {
        wire: "15 08 14 00 00 00 82 b9 d2 0d 00 00 07 00 00 00 0e 00 00 00
               72657365747465722e5265736574226874747022",
        flags: 0x08, stream: 0, options: [7, 14], parts: ["resetter.Reset", r#""http""#],
    }
    /// V16: PHP StreamTest frame, `hello world`, options `[100, 9001]`, CODEC_RAW.
    v16_php_stream_test {
        wire: "15 04 0b 00 00 00 4a 13 58 c0 00 00 64 00 00 00 29 23 00 00
               68656c6c6f20776f726c64",
        flags: 0x04, stream: 0, options: [100, 9001], parts: ["hello world"],
    }
    /// V17: options `[1, 2, 3]` only, no payload.
    v17_options_only {
        wire: "16 00 00 00 00 00 25 40 4d 64 00 00 01 00 00 00 02 00 00 00 03 00 00 00",
        flags: 0x00, stream: 0, options: [1, 2, 3], parts: [],
    }
    /// V18: RPC request `App.Hi`, JSON `"Antony"`, seq 1.
    v18_rpc_request_app_hi {
        wire: "15 08 0e 00 00 00 79 0e 76 32 00 00 01 00 00 00 06 00 00 00
               4170702e486922416e746f6e7922",
        flags: 0x08, stream: 0, options: [1, 6], parts: ["App.Hi", r#""Antony""#],
    }
    /// V19: RPC reply `App.Hi`, JSON `"Hello, Antony!"`, seq 1.
    v19_rpc_reply_app_hi {
        wire: "15 08 16 00 00 00 09 71 db a7 00 00 01 00 00 00 06 00 00 00
               4170702e48692248656c6c6f2c20416e746f6e792122",
        flags: 0x08, stream: 0, options: [1, 6], parts: ["App.Hi", r#""Hello, Antony!""#],
    }
    /// V20: Go-client proto request `kv.Set`, empty body, flags 0xA0, seq 3.
    v20_rpc_proto_request_kv_set {
        wire: "15 a0 06 00 00 00 c1 f2 95 b7 00 00 03 00 00 00 06 00 00 00 6b762e536574",
        flags: 0xa0, stream: 0, options: [3, 6], parts: ["kv.Set", ""],
    }
    /// V21: the largest header, 10 options `[1..=10]`, no payload (52 bytes).
    v21_ten_options {
        wire: "1d 00 00 00 00 00 e6 b0 8a 0e 00 00
               01000000 02000000 03000000 04000000 05000000
               06000000 07000000 08000000 09000000 0a000000",
        flags: 0x00, stream: 0, options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], parts: [],
    }
    /// V22: data frame, empty context, body `hello`.
    v22_empty_context_body_hello {
        wire: "14 00 05 00 00 00 1c 11 5b 1e 00 00 00 00 00 00 68656c6c6f",
        flags: 0x00, stream: 0, options: [0], parts: ["", "hello"],
    }
    /// Go `TestNewFrame`: version 1, CONTROL, Go's 135-byte `TestPayload`.
    go_test_new_frame {
        wire: "13 01 87 00 00 00 a4 76 6e 79 00 00
               616c73646a663b6c736b6a64676c6a6173673b6c6b6a73616c666b6a61736b6c
               646a666c6b61736a64663b6c6b61736a6664616c6b73646a666c6b616a736466
               3b6c66617364676e736c736e626c6e613b736c646a6a6661776c6b656a723b6c
               776a656e6c6b736e646c666a61776c3b656a723b6c776a656c6b726a616c6466
               6a6c3b73646a66",
        flags: 0x01, stream: 0, options: [], parts: [GO_TEST_PAYLOAD],
    }
    /// Go `TestFrame_Options`: CONTROL|GOB, options `[323423432, 1213231]`, same payload.
    go_test_frame_options {
        wire: "15 21 87 00 00 00 bd ba f6 6e 00 00 c8 0c 47 13 2f 83 12 00
               616c73646a663b6c736b6a64676c6a6173673b6c6b6a73616c666b6a61736b6c
               646a666c6b61736a64663b6c6b61736a6664616c6b73646a666c6b616a736466
               3b6c66617364676e736c736e626c6e613b736c646a6a6661776c6b656a723b6c
               776a656e6c6b736e646c666a61776c3b656a723b6c776a656c6b726a616c6466
               6a6c3b73646a66",
        flags: 0x21, stream: 0, options: [323_423_432, 1_213_231], parts: [GO_TEST_PAYLOAD],
    }
    /// http.md A: simple GET request, protobuf context, empty body.
    http_a_get_request {
        wire: "14807b00000021765d2400007b0000000a093132372e302e302e311208485454502f31
               2e311a034745542226687474703a2f2f6c6f63616c686f73743a383038302f68656c6c
               6f3f6e616d653d776f726c642a0f0a0641636365707412050a032a2f2a2a1a0a0a5573
               65722d4167656e74120c0a0a6375726c2f382e352e303a0a6e616d653d776f726c64",
        flags: 0x80, stream: 0, options: [123], parts: [hex(A_CONTEXT), ""],
    }
    /// http.md B: 200 response, `Content-Type`, body `Hello, World!`.
    http_b_response_200 {
        wire: "14803d000000c071229a00003000000008c801122b0a0c436f6e74656e742d54797065
               121b0a19746578742f706c61696e3b20636861727365743d7574662d3848656c6c6f2c
               20576f726c6421",
        flags: 0x80, stream: 0, options: [48],
        parts: [
            hex("08c801122b0a0c436f6e74656e742d54797065121b0a19746578742f706c61696e3b2063
                 6861727365743d7574662d38"),
            "Hello, World!",
        ],
    }
    /// http.md C: 204 with two `Set-Cookie` values, no body.
    http_c_multi_valued_header {
        wire: "14802d0000005f263bca00002d00000008cc0112280a0a5365742d436f6f6b6965121a
               0a0b613d313b20506174683d2f0a0b623d323b20506174683d2f",
        flags: 0x80, stream: 0, options: [45],
        parts: [
            hex("08cc0112280a0a5365742d436f6f6b6965121a0a0b613d313b20506174683d2f0a0b623d
                 323b20506174683d2f"),
            "",
        ],
    }
    /// http.md D1: 103 early hint with `Link`, STREAM.
    http_d1_early_hint {
        wire: "14803100000078cef4d00100310000000867122d0a044c696e6b12250a233c2f737479
               6c652e6373733e3b2072656c3d7072656c6f61643b2061733d7374796c65",
        flags: 0x80, stream: 0x01, options: [49],
        parts: [
            [hex("0867122d0a044c696e6b12250a23"), b"</style.css>; rel=preload; as=style".to_vec()]
                .concat(),
            "",
        ],
    }
    /// http.md D2: 200 with `Content-Type: text/plain`, body `chunk-1\n`, STREAM.
    http_d2_stream_head_and_first_chunk {
        wire: "14802900000008b1594501002100000008c801121c0a0c436f6e74656e742d54797065
               120c0a0a746578742f706c61696e6368756e6b2d310a",
        flags: 0x80, stream: 0x01, options: [33],
        parts: [
            hex("08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e"),
            "chunk-1\n",
        ],
    }
    /// http.md D3: empty context, body `chunk-2\n`, STREAM.
    http_d3_stream_chunk {
        wire: "1480080000005379d75d0100000000006368756e6b2d320a",
        flags: 0x80, stream: 0x01, options: [0], parts: ["", "chunk-2\n"],
    }
    /// http.md D4: end of stream, empty, STREAM clear.
    http_d4_stream_end {
        wire: "148000000000bc516398000000000000",
        flags: 0x80, stream: 0, options: [0], parts: ["", ""],
    }
    /// http.md E1: server STOP.
    http_e1_server_stop {
        wire: "13000000000096d180340200",
        flags: 0x00, stream: 0x02, options: [], parts: [],
    }
    /// http.md E2: server PONG.
    http_e2_server_pong {
        wire: "13000000000096d180340800",
        flags: 0x00, stream: 0x08, options: [], parts: [],
    }
    /// http.md E3: worker ack after STOP, as PHP sends it.
    http_e3_worker_stop_ack {
        wire: "1400000000002ee18529000000000000",
        flags: 0x00, stream: 0, options: [0], parts: [],
    }
    /// http.md E4: worker ERROR frame `boom`.
    http_e4_worker_error {
        wire: "134004000000881e11e30000626f6f6d",
        flags: 0x40, stream: 0, options: [], parts: ["boom"],
    }
    /// http.md G: urlencoded POST, parsed body, cookie.
    http_g_post_urlencoded_parsed {
        wire: "1480ca000000de5f93810000b30000000a093132372e302e302e311208485454502f31
               2e311a04504f5354221a687474703a2f2f6c6f63616c686f73743a383038302f666f72
               6d2a160a0e436f6e74656e742d4c656e67746812040a0231352a330a0c436f6e74656e
               742d5479706512230a216170706c69636174696f6e2f782d7777772d666f726d2d7572
               6c656e636f6465642a190a06436f6f6b6965120f0a0d7369643d616263253230646566
               32100a0373696412090a076162632064656640017b2261223a2231222c2262223a5b22
               78222c2279225d7d",
        flags: 0x80, stream: 0, options: [179],
        parts: [hex(G_CONTEXT), r#"{"a":"1","b":["x","y"]}"#],
    }
    /// http.md J: legacy JSON request context (RoadRunner 2023.3), flags 0x08.
    http_j_legacy_json_request {
        wire: "1408fa0000002c5c2ef00000fa0000007b2272656d6f746541646472223a223132372e
               302e302e31222c2270726f746f636f6c223a22485454502f312e31222c226d6574686f
               64223a22474554222c22757269223a22687474703a2f2f6c6f63616c686f73743a3830
               38302f68656c6c6f3f6e616d653d776f726c64222c2268656164657273223a7b224163
               63657074223a5b222a2f2a225d2c22557365722d4167656e74223a5b226375726c2f38
               2e352e30225d7d2c22636f6f6b696573223a7b7d2c227261775175657279223a226e61
               6d653d776f726c64222c22706172736564223a66616c73652c2275706c6f616473223a
               6e756c6c2c2261747472696275746573223a7b7d7d",
        flags: 0x08, stream: 0, options: [250],
        parts: [
            concat!(
                r#"{"remoteAddr":"127.0.0.1","protocol":"HTTP/1.1","method":"GET","#,
                r#""uri":"http://localhost:8080/hello?name=world","#,
                r#""headers":{"Accept":["*/*"],"User-Agent":["curl/8.5.0"]},"cookies":{},"#,
                r#""rawQuery":"name=world","parsed":false,"uploads":null,"attributes":{}}"#,
            ),
            "",
        ],
    }
    /// http.md J: legacy JSON response as the PHP library writes it, flags 0x08.
    http_j_legacy_json_response {
        wire: "1408550000007f5526e50000480000007b22737461747573223a3230302c2268656164
               657273223a7b22436f6e74656e742d54797065223a5b22746578745c2f706c61696e3b
               20636861727365743d7574662d38225d7d7d48656c6c6f2c20576f726c6421",
        flags: 0x08, stream: 0, options: [72],
        parts: [
            r#"{"status":200,"headers":{"Content-Type":["text\/plain; charset=utf-8"]}}"#,
            "Hello, World!",
        ],
    }
}

/// All vectors back to back, as one byte stream.
fn concatenated() -> (Vec<Vector>, Vec<u8>) {
    let vectors = all_vectors();
    let stream = vectors
        .iter()
        .flat_map(|v| v.wire.iter().copied())
        .collect();
    (vectors, stream)
}

#[test]
fn every_vector_has_a_distinct_name_and_the_list_is_complete() {
    let vectors = all_vectors();
    // V1–V22 and V5b, 2 Go headers, http.md: A, B, C, D1–D4, E1–E4, G, 2 × J.
    assert_eq!(vectors.len(), 23 + 2 + 14);
    let mut names: Vec<_> = vectors.iter().map(|v| v.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), vectors.len());
}

#[test]
fn codec_decodes_all_vectors_concatenated_in_one_buffer() {
    let (vectors, stream) = concatenated();
    let codec = FrameCodec::new();
    let mut buf = BytesMut::from(&stream[..]);
    for v in &vectors {
        let frame = codec.decode(&mut buf).expect("valid").expect("whole frame");
        v.assert_frame("FrameCodec::decode (concatenated)", &frame);
    }
    assert!(buf.is_empty());
    assert_eq!(codec.decode(&mut buf).expect("empty buffer is fine"), None);
}

#[test]
fn codec_decodes_all_vectors_concatenated_when_fed_one_byte_at_a_time() {
    let (vectors, stream) = concatenated();
    let codec = FrameCodec::new();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for &byte in &stream {
        buf.extend_from_slice(&[byte]);
        while let Some(frame) = codec.decode(&mut buf).expect("valid") {
            frames.push(frame);
        }
    }
    assert!(buf.is_empty());
    assert_eq!(frames.len(), vectors.len());
    for (v, frame) in vectors.iter().zip(&frames) {
        v.assert_frame("FrameCodec::decode (byte by byte)", frame);
    }
}

#[test]
fn stream_relay_receives_all_vectors_concatenated_then_reports_closed() {
    let (vectors, stream) = concatenated();
    let mut relay = StreamRelay::new(&stream[..], io::sink());
    for v in &vectors {
        let frame = relay.receive().expect("valid frame");
        v.assert_frame("StreamRelay::receive (concatenated)", &frame);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
}

#[test]
fn stream_relay_sends_all_vectors_back_to_back_as_the_concatenated_bytes() {
    let (vectors, stream) = concatenated();
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    for v in &vectors {
        relay.send(&v.head(), &v.parts()).expect("send");
    }
    let (_, written) = relay.into_inner();
    assert!(written == stream, "concatenated encoding differs");
}

#[test]
fn v13_and_v19_share_the_crc_because_it_covers_bytes_0_to_5_only() {
    let (v13, v19) = (
        v13_rpc_request_informer_workers::vector(),
        v19_rpc_reply_app_hi::vector(),
    );
    assert_eq!(v13.wire[..10], v19.wire[..10]);
    assert_ne!(v13.wire[12..], v19.wire[12..]);
}

#[test]
fn v9_and_v10_differ_only_in_the_stream_byte() {
    let (v9, v10) = (v09_stop::vector(), v10_pong::vector());
    let differing: Vec<usize> = (0..v9.wire.len())
        .filter(|&i| v9.wire[i] != v10.wire[i])
        .collect();
    assert_eq!(differing, [10]);
}

#[test]
fn hex_helper_ignores_whitespace_and_accepts_both_cases() {
    assert_eq!(hex(" 0a FF\n 7b "), [0x0a, 0xff, 0x7b]);
    assert_eq!(to_hex(&[0x0a, 0xff]), "0aff");
}
