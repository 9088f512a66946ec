//! Payload limits and allocation.

use super::*;

#[test]
fn payload_over_the_configured_max_is_refused() {
    let bytes = wire(data_head(3), b"ctxbody");
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(6));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Frame(FrameError::PayloadTooLarge {
            len: 7,
            max: 6
        }))
    ));
}

#[test]
fn payload_exactly_at_the_configured_max_is_accepted() {
    let bytes = wire(data_head(3), b"ctxbody");
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(7));
    assert_eq!(&relay.receive().expect("receive").payload[..], b"ctxbody");
}

#[test]
fn payload_over_the_max_is_refused_from_the_header_alone() {
    // Only the header was sent: the relay must refuse it without waiting for the payload.
    let header = header_with_crc(0x13, 0, 0xFFFF_FFFF).to_vec();
    let mut relay = reading(header).with_codec(FrameCodec::new().with_max_payload(1 << 20));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Frame(FrameError::PayloadTooLarge {
            len: 0xFFFF_FFFF,
            max: 0x10_0000
        }))
    ));
}

#[test]
fn codec_refuses_payload_over_the_configured_max_from_the_header_alone() {
    let mut buf = BytesMut::from(&header_with_crc(0x13, 0, 1001)[..]);
    assert!(matches!(
        FrameCodec::new().with_max_payload(1000).decode(&mut buf),
        Err(FrameError::PayloadTooLarge {
            len: 1001,
            max: 1000
        })
    ));
}

/// Set in the child process that [`under_memory_limit`] starts.
const MEMORY_LIMIT_CHILD: &str = "GORIDGE_TEST_MEMORY_LIMIT_CHILD";

/// Runs the test `name` of this binary again in a child process whose address space is capped
/// at 1 GiB (`ulimit -v`), so that any attempt to allocate gigabytes aborts the child. Returns
/// `true` in the child, where the caller then runs the test body.
fn under_memory_limit(name: &str) -> bool {
    if std::env::var_os(MEMORY_LIMIT_CHILD).is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary path");
    // Test names carry their module path.
    let name = format!(
        "{}::{name}",
        module_path!().split_once("::").map_or("", |(_, m)| m)
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
        .arg(exe)
        .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env(MEMORY_LIMIT_CHILD, "1")
        .output()
        .expect("run sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "under a 1 GiB address-space limit the test failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    false
}

#[test]
fn announced_4_gib_payload_with_10_bytes_sent_is_truncated_without_allocating_4_gib() {
    if !under_memory_limit(
        "announced_4_gib_payload_with_10_bytes_sent_is_truncated_without_allocating_4_gib",
    ) {
        return;
    }
    let mut bytes = header_with_crc(0x13, 0, 0xFFFF_FFFF).to_vec();
    bytes.extend_from_slice(&pattern(10));
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(u32::MAX));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Truncated {
            part: "payload",
            got: 10,
            expected: 0xFFFF_FFFF
        })
    ));
}

#[test]
fn codec_waiting_for_a_4_gib_payload_reserves_only_a_bounded_buffer() {
    if !under_memory_limit("codec_waiting_for_a_4_gib_payload_reserves_only_a_bounded_buffer") {
        return;
    }
    let mut buf = BytesMut::from(&header_with_crc(0x13, 0, 0xFFFF_FFFF)[..]);
    buf.extend_from_slice(&pattern(10));
    let codec = FrameCodec::new().with_max_payload(u32::MAX);
    assert_eq!(codec.decode(&mut buf).expect("valid header"), None);
    assert_eq!(buf.len(), 22, "nothing consumed");
    assert!(
        buf.capacity() <= 64 << 20,
        "reserved {} bytes up front",
        buf.capacity()
    );
}
