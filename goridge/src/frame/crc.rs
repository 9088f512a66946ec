//! The header checksum: CRC-32/IEEE (zlib's `crc32`, Go's `crc32.ChecksumIEEE`) from a table
//! computed at compile time.
//!
//! Only the first 6 bytes of a header are ever checksummed. A table lookup per byte is as fast
//! as any library for 6 bytes, and it needs no detection of CPU features at run time. That
//! matters for a worker's start: on a virtual machine every `cpuid` instruction traps to the
//! hypervisor, and the detection `crc32fast` ran before the first frame (7 of them) added about
//! 0.1 ms to the time from spawn to the pid reply (`pipes-bench --starts`).

/// The reflected polynomial of CRC-32/IEEE.
const POLY: u32 = 0xEDB8_8320;

/// The CRC of every byte value.
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// CRC-32/IEEE of `bytes`.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| {
        (crc >> 8) ^ TABLE[usize::from((crc as u8) ^ b)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_check_value() {
        // The check value of CRC-32/IEEE: the CRC of the ASCII digits 1 to 9.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn matches_crc32fast_on_headers() {
        arbtest::arbtest(|u| {
            let head: [u8; 6] = u.arbitrary()?;
            assert_eq!(crc32(&head), crc32fast::hash(&head), "{head:02x?}");
            Ok(())
        });
        for len in 0..=64 {
            let bytes: Vec<u8> = (0..len as u8).map(|b| b.wrapping_mul(37) ^ 0xA5).collect();
            assert_eq!(crc32(&bytes), crc32fast::hash(&bytes), "length {len}");
        }
    }
}
