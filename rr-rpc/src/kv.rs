//! [`Kv`]: one storage of rr's KV plugin (`kv.Set`, `kv.MGet`, `kv.Has`, `kv.TTL`, …).

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use goridge::{Flags, RpcClient, RpcError};
use prost::Message;
use rr_proto::kv::v1::{Item, Request, Response};

use crate::time::rfc3339;

/// One KV storage, borrowed from an [`Rpc`](crate::Rpc) connection.
#[derive(Debug)]
pub struct Kv<'a> {
    client: &'a mut RpcClient,
    storage: String,
}

impl<'a> Kv<'a> {
    pub(crate) fn new(client: &'a mut RpcClient, storage: &str) -> Self {
        Self {
            client,
            storage: storage.to_owned(),
        }
    }

    fn call(&mut self, method: &str, items: Vec<Item>) -> Result<Vec<Item>, RpcError> {
        let request = Request {
            storage: self.storage.clone(),
            items,
        };
        let reply = self
            .client
            .call_raw(method, Flags::CODEC_PROTO, &request.encode_to_vec())?;
        let response = Response::decode(reply).map_err(|_| RpcError::BadReply {
            method: method.to_owned(),
            reason: "the reply is not a kv.v1.Response",
        })?;
        Ok(response.items)
    }

    fn keys(keys: &[&str]) -> Vec<Item> {
        keys.iter()
            .map(|k| Item {
                key: (*k).to_owned(),
                ..Item::default()
            })
            .collect()
    }

    /// Stores `value` under `key`, expiring after `ttl` (never when `None`).
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown storage; other [`RpcError`]s when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("session:42", r#"{"user":7}"#, Some(Duration::from_secs(600)))?;
    /// assert!(local.has("session:42")?);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn set(
        &mut self,
        key: &str,
        value: impl AsRef<[u8]>,
        ttl: Option<Duration>,
    ) -> Result<(), RpcError> {
        let item = Item {
            key: key.to_owned(),
            value: Bytes::copy_from_slice(value.as_ref()),
            timeout: ttl
                .map(|t| rfc3339(SystemTime::now() + t))
                .unwrap_or_default(),
        };
        self.call("kv.Set", vec![item]).map(drop)
    }

    /// The value of `key`, if it is stored.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("greeting", "hello", None)?;
    /// assert_eq!(local.get("greeting")?.as_deref(), Some(&b"hello"[..]));
    /// assert_eq!(local.get("never stored")?, None);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn get(&mut self, key: &str) -> Result<Option<Bytes>, RpcError> {
        let items = self.call("kv.MGet", Self::keys(&[key]))?;
        Ok(items.into_iter().find(|i| i.key == key).map(|i| i.value))
    }

    /// The stored ones of `keys`, as `(key, value)`.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("a", "1", None)?;
    /// local.set("b", "2", None)?;
    /// let mut found = local.get_many(&["a", "b", "missing"])?;
    /// found.sort();
    /// assert_eq!(found, [("a".to_owned(), "1".into()), ("b".to_owned(), "2".into())]);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn get_many(&mut self, keys: &[&str]) -> Result<Vec<(String, Bytes)>, RpcError> {
        let items = self.call("kv.MGet", Self::keys(keys))?;
        Ok(items.into_iter().map(|i| (i.key, i.value)).collect())
    }

    /// Whether `key` is stored.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("flag", "on", None)?;
    /// assert!(local.has("flag")?);
    /// assert!(!local.has("never stored")?);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn has(&mut self, key: &str) -> Result<bool, RpcError> {
        let items = self.call("kv.Has", Self::keys(&[key]))?;
        Ok(items.iter().any(|i| i.key == key))
    }

    /// When `key` expires, as rr reports it (an RFC 3339 timestamp); `None` for a key that is
    /// not stored or never expires.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("token", "t0k3n", Some(Duration::from_secs(60)))?;
    /// let expires = local.expiry("token")?.expect("a key with a TTL");
    /// assert!(expires.contains('T'), "an RFC 3339 timestamp: {expires}");
    /// local.set("forever", "x", None)?;
    /// assert_eq!(local.expiry("forever")?, None);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn expiry(&mut self, key: &str) -> Result<Option<String>, RpcError> {
        let items = self.call("kv.TTL", Self::keys(&[key]))?;
        Ok(items
            .into_iter()
            .find(|i| i.key == key)
            .map(|i| i.timeout)
            .filter(|t| !t.is_empty()))
    }

    /// Removes `keys`.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("a", "1", None)?;
    /// local.delete(&["a"])?;
    /// assert!(!local.has("a")?);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn delete(&mut self, keys: &[&str]) -> Result<(), RpcError> {
        self.call("kv.Delete", Self::keys(keys)).map(drop)
    }

    /// Removes every key of the storage.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("a", "1", None)?;
    /// local.clear()?;
    /// assert!(local.get_many(&["a"])?.is_empty());
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn clear(&mut self) -> Result<(), RpcError> {
        self.call("kv.Clear", Vec::new()).map(drop)
    }
}
