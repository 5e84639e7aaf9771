//! The verdict channel: how a check program tells the runner what its checks concluded, so that learner code
//! cannot say it for them.
//!
//! The runner hands the check program two pipes by descriptor number ([`CHANNEL_ENV`]: `report,key`): it has
//! already written a fresh random key into the key pipe and closed its end. Before anything else runs, the check
//! program reads the key, closes the key pipe, marks the report pipe close-on-exec (no child inherits it), makes
//! itself non-dumpable (no other process may open its `/proc/<pid>/fd` or attach to it), and forgets the variable.
//! Every line it then writes is sealed: `SEQ MAC JSON`, where MAC is HMAC-SHA-256 under the key of `SEQ JSON`.
//! The runner accepts the lines only if every one is sealed with its key and they are numbered 0, 1, 2, … with
//! none missing; a single line that is not is tampering, and the run fails.
//!
//! So nothing on disk holds a verdict, no child process holds the channel, and a line written into the report
//! pipe by anything but the checks (learner code in the same process that found the descriptor) does not carry
//! a valid seal: the key lives only in this module's private memory. What remains is documented in
//! docs/SECURITY.md.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::{self, Read, Write};

/// `REPORT_FD,KEY_FD`: the descriptors of the report pipe's write end and of the key pipe's read end.
pub const CHANNEL_ENV: &str = "CONC_LINGS_CHANNEL";
/// Bytes of key.
pub const KEY_LEN: usize = 32;

type Seal = Hmac<Sha256>;

fn mac(key: &[u8; KEY_LEN], seq: u64, json: &str) -> String {
    let mut m = Seal::new_from_slice(key).expect("HMAC takes any key length");
    m.update(seq.to_string().as_bytes());
    m.update(b" ");
    m.update(json.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The check program's end: writes sealed lines.
pub struct Reporter {
    pipe: std::fs::File,
    key: [u8; KEY_LEN],
    seq: u64,
}

impl Reporter {
    /// Takes the channel the runner handed over, if it did (a check program started by hand reports nowhere).
    /// Call first thing in `main`, before any learner code can run: it also makes the process non-dumpable.
    pub fn take() -> Option<Reporter> {
        use std::os::fd::FromRawFd;
        let value = std::env::var(CHANNEL_ENV).ok()?;
        // SAFETY: called before any other thread exists (the start of the check program's `main`).
        unsafe { std::env::remove_var(CHANNEL_ENV) };
        let (report, key) = value.split_once(',')?;
        let (report, key): (i32, i32) = (report.parse().ok()?, key.parse().ok()?);
        // SAFETY: the runner opened both descriptors for this program and nothing else in it uses them.
        let (pipe, mut key_pipe) = unsafe {
            (
                std::fs::File::from_raw_fd(report),
                std::fs::File::from_raw_fd(key),
            )
        };
        let mut bytes = [0u8; KEY_LEN];
        key_pipe.read_exact(&mut bytes).ok()?;
        drop(key_pipe);
        // SAFETY: plain fcntl and prctl calls on this process's own descriptor and attributes.
        unsafe {
            libc::fcntl(report, libc::F_SETFD, libc::FD_CLOEXEC);
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
        Some(Reporter {
            pipe,
            key: bytes,
            seq: 0,
        })
    }

    /// Writes one sealed line.
    pub fn send(&mut self, json: &str) -> io::Result<()> {
        debug_assert!(!json.contains('\n'));
        let line = format!("{} {} {json}\n", self.seq, mac(&self.key, self.seq, json));
        self.seq += 1;
        self.pipe.write_all(line.as_bytes())
    }
}

/// Why a report was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Tampered {
    /// Line `line` (from 0) is not sealed with the run's key, or not numbered in order.
    BadLine { line: usize },
}

/// The runner's end: the key and the pipes to hand to the check program.
pub struct Channel {
    key: [u8; KEY_LEN],
    /// The read end of the report pipe (the runner's), until taken.
    report: Option<std::os::fd::OwnedFd>,
    /// The write end of the report pipe and the read end of the key pipe, already holding the key: the check
    /// program's, closed in the runner once it has started.
    for_child: Option<[std::os::fd::OwnedFd; 2]>,
}

impl Channel {
    /// A fresh key and two close-on-exec pipes, the key already written into its pipe.
    pub fn new() -> io::Result<Channel> {
        let mut key = [0u8; KEY_LEN];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut key)?;
        let (report, report_for_child) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
        let (key_for_child, key_in) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
        std::fs::File::from(key_in).write_all(&key)?;
        Ok(Channel {
            key,
            report: Some(report),
            for_child: Some([report_for_child, key_for_child]),
        })
    }

    /// The check program's two descriptors (report, key), while the runner still holds them.
    pub fn child_fds(&self) -> [i32; 2] {
        use std::os::fd::AsRawFd;
        self.for_child
            .as_ref()
            .map_or([-1, -1], |[r, k]| [r.as_raw_fd(), k.as_raw_fd()])
    }

    /// The value of [`CHANNEL_ENV`] for the check program.
    pub fn env_value(&self) -> String {
        let [report, key] = self.child_fds();
        format!("{report},{key}")
    }

    /// Closes the runner's copies of the check program's descriptors (once it has started), so that end-of-file
    /// on the report comes when the check program ends.
    pub fn close_child_ends(&mut self) {
        self.for_child = None;
    }

    /// The read end of the report pipe (once).
    pub fn take_report(&mut self) -> Option<std::os::fd::OwnedFd> {
        self.report.take()
    }

    /// The JSON of every line the check program sent, if every line is sealed with this run's key and numbered
    /// in order; a half line at the end (the program was killed while writing) is dropped.
    pub fn open(&self, text: &str) -> Result<Vec<String>, Tampered> {
        let complete = match text.rfind('\n') {
            Some(end) => &text[..end],
            None => "",
        };
        let mut out = Vec::new();
        for (i, line) in complete.lines().enumerate() {
            let mut parts = line.splitn(3, ' ');
            let (seq, seal, json) = (parts.next(), parts.next(), parts.next());
            let sealed = match (seq.and_then(|s| s.parse::<u64>().ok()), seal, json) {
                (Some(seq), Some(seal), Some(json)) => {
                    seq == i as u64 && constant_time_eq(seal, &mac(&self.key, seq, json))
                }
                _ => false,
            };
            if !sealed {
                return Err(Tampered::BadLine { line: i });
            }
            out.push(json.expect("checked").to_string());
        }
        Ok(out)
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Clears close-on-exec on the child's two descriptors. For `pre_exec`: async-signal-safe, allocates nothing.
pub fn keep_across_exec(fds: [i32; 2]) -> io::Result<()> {
    for fd in fds {
        // SAFETY: fcntl on a descriptor the parent opened for this child.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_lines_open_and_anything_else_is_tampering() {
        let channel = Channel::new().unwrap();
        let mut reporter = Reporter {
            pipe: std::fs::File::open("/dev/null").unwrap(),
            key: channel.key,
            seq: 0,
        };
        let line = |r: &mut Reporter, json: &str| {
            let text = format!("{} {} {json}\n", r.seq, mac(&r.key, r.seq, json));
            r.seq += 1;
            text
        };
        let a = line(&mut reporter, r#"{"index":0}"#);
        let b = line(&mut reporter, r#"{"index":1}"#);
        assert_eq!(
            channel.open(&format!("{a}{b}")).unwrap(),
            [r#"{"index":0}"#, r#"{"index":1}"#]
        );
        // A half line at the end: the program was killed while writing it.
        assert_eq!(channel.open(&format!("{a}{}", &b[..10])).unwrap().len(), 1);
        // Out of order, repeated, forged, or sealed with another key: refused.
        assert_eq!(
            channel.open(&format!("{b}{a}")),
            Err(Tampered::BadLine { line: 0 })
        );
        assert_eq!(
            channel.open(&format!("{a}{a}")),
            Err(Tampered::BadLine { line: 1 })
        );
        let forged = format!("1 {} {{\"index\":1}}\n", "0".repeat(64));
        assert_eq!(
            channel.open(&format!("{a}{forged}")),
            Err(Tampered::BadLine { line: 1 })
        );
        let other = Channel::new().unwrap();
        assert_eq!(channel.open(&a), Ok(vec![r#"{"index":0}"#.to_string()]));
        assert_eq!(other.open(&a), Err(Tampered::BadLine { line: 0 }));
        assert_eq!(channel.open("passed\n"), Err(Tampered::BadLine { line: 0 }));
    }
}
