//! The HTTP vectors of `docs/http.md` (A, B, C, D1–D4, E1–E4, G, J) as whole frames.

use super::frame_vectors;
use crate::unhex as hex;

/// HTTP vector A: the `http.v1.Request` context of vector A (123 bytes).
pub const A_CONTEXT: &str = "0a093132372e302e302e311208485454502f312e311a034745542226687474703a2f2f\
                         6c6f63616c686f73743a383038302f68656c6c6f3f6e616d653d776f726c642a0f0a06\
                         41636365707412050a032a2f2a2a1a0a0a557365722d4167656e74120c0a0a6375726c\
                         2f382e352e303a0a6e616d653d776f726c64";

/// HTTP vector G: the `http.v1.Request` context of vector G (179 bytes).
pub const G_CONTEXT: &str = "0a093132372e302e302e311208485454502f312e311a04504f5354221a687474703a2f\
                         2f6c6f63616c686f73743a383038302f666f726d2a160a0e436f6e74656e742d4c656e\
                         67746812040a0231352a330a0c436f6e74656e742d5479706512230a216170706c6963\
                         6174696f6e2f782d7777772d666f726d2d75726c656e636f6465642a190a06436f6f6b\
                         6965120f0a0d7369643d61626325323064656632100a0373696412090a076162632064\
                         65664001";

frame_vectors! {
    /// HTTP vector A: simple GET request, protobuf context, empty body.
    http_a_get_request {
        wire: "14807b00000021765d2400007b0000000a093132372e302e302e311208485454502f31
               2e311a034745542226687474703a2f2f6c6f63616c686f73743a383038302f68656c6c
               6f3f6e616d653d776f726c642a0f0a0641636365707412050a032a2f2a2a1a0a0a5573
               65722d4167656e74120c0a0a6375726c2f382e352e303a0a6e616d653d776f726c64",
        flags: 0x80, stream: 0, options: [123], parts: [hex(A_CONTEXT), ""],
    }
/// HTTP vector B: 200 response, `Content-Type`, body `Hello, World!`.
http_b_response_200 {
    wire: "14803d000000c071229a00003000000008c801122b0a0c436f6e74656e742d54797065
               121b0a19746578742f706c61696e3b20636861727365743d7574662d3848656c6c6f2c
               20576f726c6421",
    flags: 0x80, stream: 0, options: [48],
    parts: [
        hex(B_CONTEXT),
        "Hello, World!",
    ],
    }
/// HTTP vector C: 204 with two `Set-Cookie` values, no body.
http_c_multi_valued_header {
    wire: "14802d0000005f263bca00002d00000008cc0112280a0a5365742d436f6f6b6965121a
           0a0b613d313b20506174683d2f0a0b623d323b20506174683d2f",
    flags: 0x80, stream: 0, options: [45],
    parts: [
        hex(C_CONTEXT),
        "",
    ],
    }
/// HTTP vector D1: 103 early hint with `Link`, STREAM.
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
/// HTTP vector D2: 200 with `Content-Type: text/plain`, body `chunk-1\n`, STREAM.
http_d2_stream_head_and_first_chunk {
    wire: "14802900000008b1594501002100000008c801121c0a0c436f6e74656e742d54797065
           120c0a0a746578742f706c61696e6368756e6b2d310a",
    flags: 0x80, stream: 0x01, options: [33],
    parts: [
        hex("08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e"),
        "chunk-1\n",
    ],
    }
/// HTTP vector D3: empty context, body `chunk-2\n`, STREAM.
http_d3_stream_chunk {
    wire: "1480080000005379d75d0100000000006368756e6b2d320a",
    flags: 0x80, stream: 0x01, options: [0], parts: ["", "chunk-2\n"],
    }
/// HTTP vector D4: end of stream, empty, STREAM clear.
http_d4_stream_end {
    wire: "148000000000bc516398000000000000",
    flags: 0x80, stream: 0, options: [0], parts: ["", ""],
    }
/// HTTP vector E1: server STOP.
http_e1_server_stop {
    wire: "13000000000096d180340200",
    flags: 0x00, stream: 0x02, options: [], parts: [],
    }
/// HTTP vector E2: server PONG.
http_e2_server_pong {
    wire: "13000000000096d180340800",
    flags: 0x00, stream: 0x08, options: [], parts: [],
    }
/// HTTP vector E3: worker ack after STOP, as PHP sends it.
http_e3_worker_stop_ack {
    wire: "1400000000002ee18529000000000000",
    flags: 0x00, stream: 0, options: [0], parts: [],
    }
/// HTTP vector E4: worker ERROR frame `boom`.
http_e4_worker_error {
    wire: "134004000000881e11e30000626f6f6d",
    flags: 0x40, stream: 0, options: [], parts: ["boom"],
    }
/// HTTP vector G: urlencoded POST, parsed body, cookie.
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
/// HTTP vector J: legacy JSON request context (RoadRunner 2023.3), flags 0x08.
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
        J_CONTEXT,
        "",
    ],
}
/// HTTP vector J: legacy JSON response as the PHP library writes it, flags 0x08.
http_j_legacy_json_response {
    wire: "1408550000007f5526e50000480000007b22737461747573223a3230302c2268656164
               657273223a7b22436f6e74656e742d54797065223a5b22746578745c2f706c61696e3b
               20636861727365743d7574662d38225d7d7d48656c6c6f2c20576f726c6421",
    flags: 0x08, stream: 0, options: [72],
    parts: [
        r#"{"status":200,"headers":{"Content-Type":["text\/plain; charset=utf-8"]}}"#,
        "Hello, World!",
    ],
}}

/// HTTP vector B: the `http.v1.Response` context (status 200, `Content-Type`), 48 bytes.
pub const B_CONTEXT: &str = "08c801122b0a0c436f6e74656e742d54797065121b0a19746578742f706c61696e3b2063\
                             6861727365743d7574662d38";

/// HTTP vector J: the legacy JSON request context of the GET of vector A, 250 bytes.
pub const J_CONTEXT: &str = concat!(
    r#"{"remoteAddr":"127.0.0.1","protocol":"HTTP/1.1","method":"GET","#,
    r#""uri":"http://localhost:8080/hello?name=world","#,
    r#""headers":{"Accept":["*/*"],"User-Agent":["curl/8.5.0"]},"cookies":{},"#,
    r#""rawQuery":"name=world","parsed":false,"uploads":null,"attributes":{}}"#,
);

/// HTTP vector C: the `http.v1.Response` context (204, two `Set-Cookie` values), 45 bytes.
pub const C_CONTEXT: &str = "08cc0112280a0a5365742d436f6f6b6965121a0a0b613d313b20506174683d2f0a0b623d\
                             323b20506174683d2f";
