//! Control messages: the JSON carried by CONTROL frames (`docs/worker.md`).

use serde_json::{Map, Value};

use crate::WorkerError;

/// What a CONTROL frame from the server asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    /// `{"pid":…}`: answer with our process id.
    Pid,
    /// `{"stop":true}`: finish and exit.
    Stop,
}

impl Control {
    /// Parses a control payload. Like the PHP worker, any truthy `stop` stops and any truthy
    /// `pid` asks for the pid; `stop` wins when both are present.
    pub(crate) fn parse(payload: &[u8]) -> Result<Self, WorkerError> {
        let unknown = || WorkerError::UnknownControl(String::from_utf8_lossy(payload).into_owned());
        let map: Map<String, Value> = serde_json::from_slice(payload).map_err(|_| unknown())?;
        let truthy = |key: &str| map.get(key).is_some_and(is_truthy);
        if truthy("stop") {
            Ok(Self::Stop)
        } else if truthy("pid") {
            Ok(Self::Pid)
        } else {
            Err(unknown())
        }
    }
}

/// The payload of our answer to the pid request.
pub(crate) fn pid_reply() -> Vec<u8> {
    format!("{{\"pid\":{}}}", std::process::id()).into_bytes()
}

/// The context of a worker's own stop request: exactly these 13 bytes (`docs/worker.md`).
pub(crate) const STOP_REQUEST: &[u8] = b"{\"stop\":true}";

fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty() && s != "0",
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_commands() {
        assert_eq!(Control::parse(br#"{"pid":1000}"#).unwrap(), Control::Pid);
        assert_eq!(Control::parse(br#"{"pid":true}"#).unwrap(), Control::Pid);
        assert_eq!(Control::parse(br#"{"stop":true}"#).unwrap(), Control::Stop);
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        for bad in [
            &b"{}"[..],
            b"null",
            b"",
            b"{\"stop\":false}",
            b"[1]",
            b"{\"pid\":0}",
        ] {
            assert!(
                matches!(Control::parse(bad), Err(WorkerError::UnknownControl(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn pid_reply_is_our_pid() {
        let reply: Value = serde_json::from_slice(&pid_reply()).unwrap();
        assert_eq!(reply["pid"].as_u64(), Some(u64::from(std::process::id())));
    }
}
