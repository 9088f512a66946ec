//! How one private RabbitMQ node is laid out: every path, port and name under its own
//! directory, its Erlang port mapper (epmd) on a private port too.

use std::fs;
use std::path::Path;
use std::process::Command;

/// The extra ports a RabbitMQ node needs besides AMQP.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RabbitPorts {
    pub(crate) amqp: u16,
    pub(crate) dist: u16,
    pub(crate) epmd: u16,
}

/// Writes the node's configuration files into `dir` and returns the command that starts it.
pub(crate) fn command(program: &str, dir: &Path, ports: RabbitPorts) -> std::io::Result<Command> {
    fs::create_dir_all(dir.join("mnesia"))?;
    fs::create_dir_all(dir.join("log"))?;
    // No plugins (no management UI): the quickest boot.
    fs::write(dir.join("enabled_plugins"), "[].\n")?;
    fs::write(
        dir.join("rabbitmq.conf"),
        format!(
            "listeners.tcp.1 = 127.0.0.1:{amqp}\n\
             loopback_users = none\n\
             log.console = true\n\
             log.console.level = warning\n\
             log.file = false\n",
            amqp = ports.amqp
        ),
    )?;
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        // The Erlang cookie goes to $HOME/.erlang.cookie: keep it out of the user's home.
        .env("HOME", dir)
        // A file that does not exist: /etc/rabbitmq/rabbitmq-env.conf is not read.
        .env("RABBITMQ_CONF_ENV_FILE", dir.join("no-rabbitmq-env.conf"))
        .env(
            "RABBITMQ_NODENAME",
            format!("rr-rs-{}@localhost", ports.amqp),
        )
        .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
        .env("RABBITMQ_NODE_PORT", ports.amqp.to_string())
        .env("RABBITMQ_DIST_PORT", ports.dist.to_string())
        .env("ERL_EPMD_PORT", ports.epmd.to_string())
        .env("ERL_EPMD_ADDRESS", "127.0.0.1")
        .env("RABBITMQ_MNESIA_BASE", dir.join("mnesia"))
        .env("RABBITMQ_LOG_BASE", dir.join("log"))
        .env("RABBITMQ_LOGS", "-")
        .env("RABBITMQ_CONFIG_FILE", dir.join("rabbitmq.conf"))
        .env("RABBITMQ_ADVANCED_CONFIG_FILE", dir.join("advanced.config"))
        .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir.join("enabled_plugins"))
        .env("RABBITMQ_PID_FILE", dir.join("rabbitmq.pid"));
    Ok(cmd)
}

/// Stops the private epmd the node started (it daemonizes and would outlive the node).
///
/// epmd refuses `-kill` while a node is still registered, which lasts a moment after the node
/// died, so this tries for up to 3 s, until `epmd -names` no longer connects.
pub(crate) fn kill_epmd(epmd_port: u16) {
    let epmd = |arg: &str| {
        Command::new("epmd")
            .arg(arg)
            .env("ERL_EPMD_PORT", epmd_port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    for _ in 0..30 {
        epmd("-kill");
        if !epmd("-names") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
