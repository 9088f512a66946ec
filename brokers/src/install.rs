//! Installing the brokers' Debian packages when one is missing, without letting their
//! maintainer scripts start system-wide services on the default ports.
//!
//! A `policy-rc.d` that answers 101 ("action forbidden") is put in place for the install:
//! `invoke-rc.d` and `deb-systemd-invoke`, which every package's postinst goes through, then
//! skip the start and succeed, also where no init system could start anything (a container).
//! A `policy-rc.d` already there is set aside and put back afterwards.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{BrokerError, Kind};

const POLICY_RC_D: &str = "/usr/sbin/policy-rc.d";

/// Installs the packages of `kinds` that are missing (`apt-get update`, then `apt-get install`);
/// returns the packages it installed (empty when all were there).
///
/// Installing needs root and `apt-get`; without them the error names the command to run.
///
/// ```no_run
/// let installed = rr_brokers::ensure_installed(&rr_brokers::Kind::ALL)?;
/// println!("installed: {installed:?}");
/// # Ok::<(), rr_brokers::BrokerError>(())
/// ```
pub fn ensure_installed(kinds: &[Kind]) -> Result<Vec<&'static str>, BrokerError> {
    let missing: Vec<&'static str> = kinds
        .iter()
        .filter(|k| !installed(**k))
        .map(|k| k.package())
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let packages = missing.join(" ");
    let fail = |reason: String| BrokerError::Install {
        packages: packages.clone(),
        reason,
    };
    if !Path::new("/usr/bin/apt-get").is_file() {
        return Err(fail(format!(
            "no apt-get here: install {packages} with this system's package manager (the tests \
             start their own instances; no service needs to run)"
        )));
    }
    if !rustix::process::geteuid().is_root() {
        return Err(fail(format!(
            "installing needs root: run `sudo apt-get install -y {packages}` once, then again"
        )));
    }
    eprintln!("rr-brokers: installing {packages} (services kept from starting)");
    let _policy = DenyServiceStarts::install().map_err(|e| fail(format!("{POLICY_RC_D}: {e}")))?;
    apt(&["update", "-q"]).map_err(&fail)?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(missing.iter().copied());
    apt(&args).map_err(&fail)?;
    if let Some(kind) = kinds.iter().find(|k| !installed(**k)) {
        return Err(fail(format!(
            "apt-get succeeded, but {} is still missing",
            kind.program()
        )));
    }
    Ok(missing)
}

/// Installed means: dpkg says so and the program is there.
fn installed(kind: Kind) -> bool {
    let status = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", kind.package()])
        .output();
    let dpkg_ok = status.is_ok_and(|out| out.stdout.as_slice() == b"install ok installed");
    dpkg_ok && Path::new(kind.program()).is_file()
}

fn apt(args: &[&str]) -> Result<(), String> {
    let status = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        // Old-style maintainer scripts also look at the runlevel.
        .env("RUNLEVEL", "1")
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`apt-get {}` failed ({status})", args.join(" ")))
    }
}

/// A `policy-rc.d` forbidding every service start while it lives; the previous one (if any)
/// comes back on drop.
#[derive(Debug)]
struct DenyServiceStarts {
    saved: Option<PathBuf>,
}

impl DenyServiceStarts {
    fn install() -> std::io::Result<Self> {
        let path = Path::new(POLICY_RC_D);
        let saved = if path.exists() {
            let aside = PathBuf::from(format!("{POLICY_RC_D}.rr-rs-saved"));
            fs::rename(path, &aside)?;
            Some(aside)
        } else {
            None
        };
        let guard = Self { saved };
        fs::write(
            path,
            "#!/bin/sh\n# rr-rs: no service starts while its packages install\nexit 101\n",
        )?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
        Ok(guard)
    }
}

impl Drop for DenyServiceStarts {
    fn drop(&mut self) {
        let _ = fs::remove_file(POLICY_RC_D);
        if let Some(saved) = &self.saved {
            let _ = fs::rename(saved, POLICY_RC_D);
        }
    }
}
