//! Confinement of learner code with Landlock: the check program confines itself, before any learner code runs,
//! and every process it starts inherits the confinement (see docs/SECURITY.md).
//!
//! What a confined process may do with files: read and run the system (`/usr`, `/lib`, `/bin`, `/etc`, …), read
//! the workspace and the check program itself, read `/proc` and `/sys`; write only beneath the run's scratch
//! folders and `/dev/shm` (plus `/dev/null` and the terminal-less standard devices). With TCP: bind and connect
//! nowhere, except in an exercise that needs sockets (`tcp`): bind a port the kernel picks, and connect to ports
//! the kernel hands out that way. It may not signal processes outside the run, nor connect to abstract Unix
//! sockets made outside it. Which parts the kernel enforces depends on its Landlock version (file rules since
//! Linux 5.13, TCP since 6.7, signals since 6.12); the runner says so once when learner code is not confined.

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, NetPort, Ruleset, RulesetAttr,
    RulesetCreatedAttr, RulesetStatus, Scope, path_beneath_rules,
};
use std::path::{Path, PathBuf};

/// The policy, from the runner: lines `write PATH`, `read PATH`, `tcp`.
pub const SANDBOX_ENV: &str = "CONC_LINGS_SANDBOX";

/// The newest Landlock ABI this code was written and tested against; newer kernels enforce this much.
const TESTED_ABI: ABI = ABI::V6;

/// What the runner allows a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Folders (and files) the run may write beneath.
    pub write: Vec<PathBuf>,
    /// Folders (and files) the run may read and execute beneath, besides the system's.
    pub read: Vec<PathBuf>,
    /// Whether the exercise uses TCP (bind a kernel-picked port, connect to such ports).
    pub tcp: bool,
    /// Whether the exercise uses POSIX message queues. `mq_open` is checked against the mqueue file system, which
    /// a rule can name only where it is mounted (`/dev/mqueue`); where it is not, such an exercise's files are
    /// not confined (its network and signals still are).
    pub mqueue: bool,
}

impl Policy {
    pub fn to_env(&self) -> String {
        let mut out = String::new();
        for p in &self.write {
            out.push_str(&format!("write {}\n", p.display()));
        }
        for p in &self.read {
            out.push_str(&format!("read {}\n", p.display()));
        }
        if self.tcp {
            out.push_str("tcp\n");
        }
        if self.mqueue {
            out.push_str("mqueue\n");
        }
        out
    }

    pub fn from_env(text: &str) -> Policy {
        let mut policy = Policy::default();
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("write", p)) => policy.write.push(p.into()),
                Some(("read", p)) => policy.read.push(p.into()),
                _ if line == "tcp" => policy.tcp = true,
                _ if line == "mqueue" => policy.mqueue = true,
                _ => {}
            }
        }
        policy
    }
}

/// How far the kernel confined this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confinement {
    Full,
    /// Some rules are beyond this kernel's Landlock (an older version).
    Partial,
    /// No Landlock here (or it is disabled).
    None,
}

/// What the system lets every process read and run.
const SYSTEM: [&str; 9] = [
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys",
];
/// Devices every process may read and write.
const DEVICES: [&str; 5] = [
    "/dev/null",
    "/dev/zero",
    "/dev/urandom",
    "/dev/random",
    "/dev/full",
];

/// Confines this process and all it will start to `policy`. Call once, before learner code runs.
pub fn enter(policy: &Policy) -> Result<Confinement, landlock::RulesetError> {
    let abi = TESTED_ABI;
    let read = AccessFs::from_read(abi);
    let all = AccessFs::from_all(abi);
    let device = AccessFs::ReadFile | AccessFs::WriteFile | AccessFs::IoctlDev;
    let files = !policy.mqueue || mqueue_mounted();
    let mut ruleset = Ruleset::default().set_compatibility(CompatLevel::BestEffort);
    if files {
        ruleset = ruleset.handle_access(all)?;
    }
    let mut ruleset = ruleset
        .handle_access(AccessNet::from_all(abi))?
        .scope(Scope::Signal | Scope::AbstractUnixSocket)?
        .create()?
        .add_rules(path_beneath_rules(SYSTEM, read))?
        .add_rules(path_beneath_rules(&policy.read, read))?
        .add_rules(path_beneath_rules(DEVICES, device))?
        .add_rules(path_beneath_rules(&policy.write, all))?
        // POSIX message queues live in the mqueue file system: its root is where `mq_open` checks access.
        .add_rules(path_beneath_rules(["/dev/shm", "/dev/mqueue"], all))?;
    if policy.tcp {
        ruleset = ruleset.add_rule(NetPort::new(0, AccessNet::BindTcp))?;
        let (low, high) = ephemeral_ports();
        for port in low..=high {
            ruleset = ruleset.add_rule(NetPort::new(port, AccessNet::ConnectTcp))?;
        }
    }
    let status = ruleset.restrict_self()?;
    Ok(match status.ruleset {
        RulesetStatus::FullyEnforced if !files => Confinement::Partial,
        RulesetStatus::FullyEnforced => Confinement::Full,
        RulesetStatus::PartiallyEnforced => Confinement::Partial,
        RulesetStatus::NotEnforced => Confinement::None,
    })
}

/// As root, gives up every capability, for good: a process of the run that is root by user id then cannot
/// `ptrace` the check program or open its `/proc/<pid>/fd` (it is not dumpable), nor step around file
/// permissions. Nothing a check does needs a capability. Not root: nothing to give up.
fn drop_capabilities() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    // SAFETY: prctl and capset on this process only, with valid pointers to plain structs.
    unsafe {
        for cap in 0..64 {
            libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
        }
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        );
        let header = Header {
            version: VERSION_3,
            pid: 0,
        };
        let none = [Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        }; 2];
        libc::syscall(libc::SYS_capset, &header, none.as_ptr());
    }
}

/// Whether the mqueue file system is mounted at `/dev/mqueue` (so a rule can name it).
fn mqueue_mounted() -> bool {
    std::fs::read_to_string("/proc/self/mounts").is_ok_and(|m| {
        m.lines()
            .any(|l| l.split_whitespace().nth(1) == Some("/dev/mqueue"))
    })
}

/// The ports the kernel picks from for a bind to port 0 (`ip_local_port_range`).
fn ephemeral_ports() -> (u16, u16) {
    let text =
        std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap_or_default();
    let mut parts = text.split_whitespace().filter_map(|p| p.parse().ok());
    match (parts.next(), parts.next()) {
        (Some(low), Some(high)) if low <= high => (low, high),
        _ => (32768, 60999),
    }
}

/// The check program's part: takes the runner's policy, if it gave one, and confines this process. `extra`:
/// folders this process made for itself beforehand (a short folder for sockets).
pub fn enter_from_env(extra: &[&Path]) -> Option<Confinement> {
    let text = std::env::var(SANDBOX_ENV).ok()?;
    // SAFETY: the check program's `main` calls this before any other thread exists.
    unsafe { std::env::remove_var(SANDBOX_ENV) };
    let mut policy = Policy::from_env(&text);
    policy.write.extend(extra.iter().map(|p| p.to_path_buf()));
    drop_capabilities();
    match enter(&policy) {
        Ok(confinement) => Some(confinement),
        Err(e) => {
            eprintln!("conc-lings: could not confine the check program: {e}");
            Some(Confinement::None)
        }
    }
}

/// Whether this kernel can confine processes with Landlock (file rules at least).
pub fn available() -> bool {
    // SAFETY: a query of the Landlock ABI version; no pointer is read.
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    version >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_round_trips_through_its_variable() {
        let policy = Policy {
            write: vec!["/tmp/cl-1".into(), "/tmp/a b".into()],
            read: vec!["/work/course".into()],
            tcp: true,
            mqueue: true,
        };
        assert_eq!(Policy::from_env(&policy.to_env()), policy);
        assert_eq!(Policy::from_env(""), Policy::default());
    }
}
