//! rr's KV plugin on real backends beside the memory driver, through rr-rpc's KV calls:
//! Redis (`redis-server`) and memcached (`memcached`), each what the real server really does.
//!
//! | call | memory | redis | memcached |
//! |---|---|---|---|
//! | set/get/has/delete, binary and 1 MiB values | yes | yes | yes with `-I 2m`, as our instance runs; memcached's default `-I 1m` answers `SERVER_ERROR object too large for cache` to a value of exactly 1 MiB (1 MiB - 100 B fits) |
//! | TTL of a key set with a TTL | the stored timestamp | now + Redis's remaining seconds | an error: rr's memcached driver has no TTL |
//! | a set TTL expires the key | yes | yes | yes |
//! | clear | the storage | `FLUSHDB` of its `db` | `flush_all`: every key of the server |
//! | a key with a space | stored | stored | refused (memcached's protocol has no such keys) |
//!
//! Tests that clear run their own private Redis and memcached (a clear wipes the whole server or
//! db); the others use the shared instances `cargo xtask test` started, with keys unique to the
//! test.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rr_brokers::{Broker, Kind};
use rr_e2e::{RrServer, ServerConfig, test_worker};
use rr_rpc::{Rpc, RpcError};

const STORAGES: [&str; 3] = ["local", "redis", "memcached"];

/// rr with three storages: `local` (memory), `redis` and `memcached` on the given servers.
fn rr_with(redis: std::net::SocketAddr, db: u32, memcached: std::net::SocketAddr) -> RrServer {
    let yaml = format!(
        "  redis:\n    driver: redis\n    config:\n      addrs: [\"{redis}\"]\n      db: {db}\n\
         \x20 memcached:\n    driver: memcached\n    config:\n      addr: [\"{memcached}\"]\n"
    );
    RrServer::start(ServerConfig::new(test_worker()).kv_yaml(&yaml))
}

fn connect(rr: &RrServer) -> Rpc {
    Rpc::connect(rr.rpc.as_deref().unwrap(), Duration::from_secs(10)).unwrap()
}

fn shared_rr() -> RrServer {
    rr_with(
        rr_brokers::shared(Kind::Redis),
        0,
        rr_brokers::shared(Kind::Memcached),
    )
}

/// Keys no other run or test uses on the shared servers.
fn key(name: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("kvb-{}-{nanos}-{name}", std::process::id())
}

#[test]
fn every_backend_sets_gets_has_and_deletes_binary_values_up_to_1_mib() {
    let rr = shared_rr();
    let mut rpc = connect(&rr);
    let binary: Vec<u8> = (0..=255u8).chain([0, 0, 0xff, b'\r', b'\n']).collect();
    let big: Vec<u8> = (0..1024 * 1024u32).map(|i| (i * 7 % 251) as u8).collect();
    for storage in STORAGES {
        let mut kv = rpc.kv(storage);
        let (a, bin, large, missing) = (key("a"), key("bin"), key("big"), key("missing"));
        kv.set(&a, "1", None).unwrap();
        kv.set(&bin, &binary, None).unwrap();
        kv.set(&large, &big, None)
            .unwrap_or_else(|e| panic!("{storage}: 1 MiB set: {e}"));
        assert_eq!(kv.get(&a).unwrap().as_deref(), Some(&b"1"[..]), "{storage}");
        assert_eq!(
            kv.get(&bin).unwrap().as_deref(),
            Some(&binary[..]),
            "{storage}"
        );
        let got = kv
            .get(&large)
            .unwrap()
            .unwrap_or_else(|| panic!("{storage}: 1 MiB lost"));
        assert!(
            got == big,
            "{storage}: 1 MiB value changed ({} bytes back)",
            got.len()
        );
        assert_eq!(kv.get(&missing).unwrap(), None, "{storage}");
        assert!(kv.has(&a).unwrap(), "{storage}");
        assert!(!kv.has(&missing).unwrap(), "{storage}");
        let mut many = kv.get_many(&[&a, &bin, &missing]).unwrap();
        many.sort();
        let keys: Vec<&str> = many.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [a.as_str(), bin.as_str()],
            "{storage}: missing keys are left out"
        );
        kv.delete(&[&a, &bin, &large]).unwrap();
        assert!(!kv.has(&a).unwrap(), "{storage}");
        assert_eq!(kv.get(&large).unwrap(), None, "{storage}");
    }
}

#[test]
fn ttl_reporting_differs_per_backend_and_every_backend_expires_keys() {
    let rr = shared_rr();
    let mut rpc = connect(&rr);
    let ttl = Duration::from_secs(3600);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for storage in STORAGES {
        let mut kv = rpc.kv(storage);
        let (long, short, plain) = (key("long"), key("short"), key("plain"));
        kv.set(&long, "y", Some(ttl)).unwrap();
        kv.set(&short, "x", Some(Duration::from_secs(2))).unwrap();
        kv.set(&plain, "z", None).unwrap();
        match storage {
            "memcached" => {
                let err = kv.expiry(&long).unwrap_err();
                assert!(
                    matches!(err, RpcError::Remote { ref message, .. }
                        if message.contains("not valid request for memcached")),
                    "memcached: {err}"
                );
            }
            _ => {
                // An RFC 3339 timestamp about an hour ahead (Redis: now + the remaining TTL).
                let at = kv
                    .expiry(&long)
                    .unwrap()
                    .unwrap_or_else(|| panic!("{storage}: no TTL"));
                let secs = unix_seconds(&at).unwrap_or_else(|| panic!("{storage}: {at:?}"));
                assert!(
                    secs + 5 >= now + 3600 && secs <= now + 3600 + 120,
                    "{storage}: expiry {at} vs now {now}"
                );
                assert_eq!(
                    kv.expiry(&plain).unwrap(),
                    None,
                    "{storage}: no TTL, none reported"
                );
            }
        }
        assert!(kv.has(&short).unwrap(), "{storage}");
    }
    // Every backend drops the short key once its 2 s have passed.
    for storage in STORAGES {
        let mut kv = rpc.kv(storage);
        let short = key("short2");
        kv.set(&short, "x", Some(Duration::from_secs(1))).unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        while kv.has(&short).unwrap() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(!kv.has(&short).unwrap(), "{storage}: expired");
    }
}

#[test]
fn memcached_refuses_keys_redis_and_memory_accept() {
    let rr = shared_rr();
    let mut rpc = connect(&rr);
    let spaced = key("with space");
    for storage in ["local", "redis"] {
        let mut kv = rpc.kv(storage);
        kv.set(&spaced, "v", None).unwrap();
        assert_eq!(
            kv.get(&spaced).unwrap().as_deref(),
            Some(&b"v"[..]),
            "{storage}"
        );
        kv.delete(&[&spaced]).unwrap();
    }
    let err = rpc.kv("memcached").set(&spaced, "v", None).unwrap_err();
    assert!(matches!(err, RpcError::Remote { .. }), "memcached: {err}");
}

#[test]
fn clear_empties_the_storage_and_for_memcached_the_whole_server() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let redis = Broker::start(Kind::Redis, base).expect("start a private redis");
    let memcached = Broker::start(Kind::Memcached, base).expect("start a private memcached");
    // Two rr storages on one memcached server and on two dbs of one Redis.
    let yaml = format!(
        "  redis:\n    driver: redis\n    config:\n      addrs: [\"{r}\"]\n      db: 1\n\
         \x20 redis2:\n    driver: redis\n    config:\n      addrs: [\"{r}\"]\n      db: 2\n\
         \x20 memcached:\n    driver: memcached\n    config:\n      addr: [\"{m}\"]\n\
         \x20 memcached2:\n    driver: memcached\n    config:\n      addr: [\"{m}\"]\n",
        r = redis.addr(),
        m = memcached.addr(),
    );
    let rr = RrServer::start(ServerConfig::new(test_worker()).kv_yaml(&yaml));
    let mut rpc = connect(&rr);
    for storage in ["local", "redis", "redis2", "memcached", "memcached2"] {
        rpc.kv(storage).set("k", storage, None).unwrap();
    }
    for storage in ["local", "redis", "memcached"] {
        rpc.kv(storage).clear().unwrap();
        assert!(!rpc.kv(storage).has("k").unwrap(), "{storage}: cleared");
    }
    // Redis clears its own db only; memcached's flush_all took the other storage's key too.
    assert_eq!(
        rpc.kv("redis2").get("k").unwrap().as_deref(),
        Some(&b"redis2"[..])
    );
    assert_eq!(rpc.kv("memcached2").get("k").unwrap(), None);
}

/// Seconds since the epoch of an RFC 3339 UTC or offset timestamp (`2026-12-02T05:23:09Z`).
fn unix_seconds(ts: &str) -> Option<u64> {
    let (date, rest) = ts.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let time = &rest[..8];
    let mut t = time.split(':').map(|p| p.parse::<i64>());
    let (h, min, s) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    let zone = &rest[8..];
    let offset = match zone {
        "Z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (zh, zm) = z[1..].split_once(':')?;
            sign * (zh.parse::<i64>().ok()? * 3600 + zm.parse::<i64>().ok()? * 60)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + min * 60 + s - offset).ok()
}
