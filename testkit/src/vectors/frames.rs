//! The frame vectors of `docs/frames.md`: V1–V22, V5b and two headers of goridge's Go tests.

use super::frame_vectors;
use crate::unhex as hex;

/// Go's `TestPayload` from `pkg/frame/frame_test.go`, 135 bytes.
const GO_TEST_PAYLOAD: &str = "alsdjf;lskjdgljasg;lkjsalfkjaskldjflkasjdf;lkasjfdalksdjflkajsdf;\
                               lfasdgnslsnblna;sldjjfawlkejr;lwjenlksndlfjawl;ejr;lwjelkrjaldfjl;sdjf";

frame_vectors! {

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
}
