//! The fixture curriculum and the ways the CLI tests drive the real `conc-lings` binary on it.
//!
//! Two kinds of workspace:
//! - [`scratch`]: a fresh copy in a temporary folder, per test, for everything that never builds a check program
//!   (list, hint, progress, reset, bad info.toml, …). Cheap.
//! - [`shared`]: one copy at a fixed path under cargo's `CARGO_TARGET_TMPDIR`, used by one test at a time, for
//!   the tests that build and run checks. Check programs are built under the workspace root and cargo's cache
//!   is keyed on that root (the runner remaps it in `RUSTFLAGS`), so only a fixed root lets the model checker's
//!   build be shared by every test and every later `cargo test`.
#![allow(dead_code)] // each test binary uses its own part of this module

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub const PROGRESS: &str = "conc-lings-progress.toml";

/// The fixture's three exercises, in info.toml order, with their concepts and files.
pub const EXERCISES: [(&str, &str, &str, &str); 3] = [
    (
        "count_solved",
        "counting",
        "model",
        "01_counting/count_solved.rs",
    ),
    (
        "count_racy",
        "counting",
        "model",
        "01_counting/count_racy.rs",
    ),
    (
        "compile_fix",
        "compiling",
        "compile",
        "02_compiling/compile_fix.rs",
    ),
];

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/curriculum")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runner/ has a parent")
        .to_path_buf()
}

/// A file of the fixture as shipped.
pub fn shipped(rel: &str) -> String {
    fs::read_to_string(fixture().join(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// Copies `from` into `to` (created), writing only files whose contents differ, so cargo's fingerprints of
/// files that did not change stay valid.
pub fn sync_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            sync_dir(&entry.path(), &target);
        } else {
            copy_if_changed(&entry.path(), &target);
        }
    }
}

fn copy_if_changed(from: &Path, to: &Path) {
    let new = fs::read(from).unwrap();
    if fs::read(to).ok().as_deref() != Some(&new[..]) {
        fs::write(to, new).unwrap_or_else(|e| panic!("writing {}: {e}", to.display()));
    }
}

/// Lays out a fixture workspace at `root`: the curriculum, `runner/conc` and `runner/conc-check` linked to the
/// real crates, and the repository's Cargo.lock (so cargo looks nothing up in a registry).
pub fn lay_out(root: &Path) {
    sync_dir(&fixture(), root);
    for krate in ["conc", "conc-check"] {
        let link = root.join("runner").join(krate);
        if fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink(repo_root().join("runner").join(krate), &link).unwrap();
        }
    }
    copy_if_changed(&repo_root().join("Cargo.lock"), &root.join("Cargo.lock"));
}

/// A private copy of the fixture, for a test that never builds a check program.
pub struct Scratch {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub fn scratch() -> Scratch {
    // On the project's disk rather than /tmp, which may be a tmpfs: the kill -9 test needs real fsyncs.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let root = dir.path().join("course");
    lay_out(&root);
    Scratch { _dir: dir, root }
}

/// A scratch workspace that another user can reach, with a copy of the runner beside it, for tests that run
/// the runner as that user. The checkout may live under a private folder (`/root`, a 0700 temp folder), so
/// neither `CARGO_TARGET_TMPDIR` nor the built binary is reachable from there: both are laid out under the
/// first of the usual temp folders whose every ancestor others may enter. `None` (with the reason) when none is.
pub fn scratch_for_others() -> Result<(Scratch, PathBuf), String> {
    use std::os::unix::fs::PermissionsExt;
    let enterable = |dir: &Path| {
        dir.ancestors().all(|a| {
            fs::metadata(a).is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o001 != 0)
        })
    };
    let candidates = [
        std::env::temp_dir(),
        "/tmp".into(),
        "/var/tmp".into(),
        "/dev/shm".into(),
    ];
    let base = candidates
        .iter()
        .find(|d| enterable(d))
        .ok_or_else(|| format!("no temp folder that every user may enter among {candidates:?}"))?;
    let dir = tempfile::tempdir_in(base).map_err(|e| format!("{}: {e}", base.display()))?;
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let root = dir.path().join("course");
    lay_out(&root);
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let runner = bin.join("conc-lings");
    fs::copy(env!("CARGO_BIN_EXE_conc-lings"), &runner).unwrap();
    fs::set_permissions(&runner, fs::Permissions::from_mode(0o755)).unwrap();
    Ok((Scratch { _dir: dir, root }, runner))
}

/// The shared, built workspace, locked for one test and restored to the fixture as shipped: exercise files as
/// shipped, no progress, no kept originals.
pub struct Shared {
    /// Held (an exclusive `flock`) while the test uses the workspace; released when dropped.
    _lock: fs::File,
    pub root: PathBuf,
}

pub fn shared() -> Shared {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fixture");
    // A file lock, not a mutex: the cli and classroom suites share the workspace, and `cargo nextest` runs each
    // test in a process of its own, suites side by side.
    // (libc's flock, not `File::lock`: that is newer than the workspace's rust-version.)
    let lock = fs::File::create(root.with_extension("lock")).unwrap();
    loop {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor `lock` owns; the lock ends when `lock` is dropped.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) } == 0 {
            break;
        }
        let e = std::io::Error::last_os_error();
        assert_eq!(e.kind(), std::io::ErrorKind::Interrupted, "flock: {e}");
    }
    lay_out(&root);
    for entry in fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name();
        if name.to_string_lossy().contains(PROGRESS) {
            let _ = fs::remove_file(root.join(&name));
        }
    }
    let _ = fs::remove_dir_all(root.join(".conc-lings"));
    Shared { _lock: lock, root }
}

/// The runner, started in `root` the way a learner starts it: no `--root`, no colours, English unless asked.
pub fn cmd(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_conc-lings"));
    // The repository's own build directory for check programs: the model checkers are compiled once for every
    // test suite and the curriculum gate.
    let checks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/conc-lings/target");
    cmd.current_dir(root)
        .env("CONC_LINGS_TARGET_DIR", checks)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        // Only against a hang: the first check in a fresh clone builds the model checker, which took over 300 s
        // on a 2-core machine busy with other builds. No test may depend on the machine's speed.
        .timeout(std::time::Duration::from_secs(20 * 60));
    cmd
}

/// What one run printed and how it ended.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn both(&self) -> String {
        format!(
            "--- exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the exit code and that nothing panicked; returns self for more checks.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, Some(expected), "{}", self.both());
        assert!(
            !self.stderr.contains("panicked"),
            "the runner panicked:\n{}",
            self.both()
        );
        self
    }
}

pub fn run(root: &Path, args: &[&str]) -> Out {
    run_cmd(cmd(root).args(args))
}

pub fn run_cmd(cmd: &mut Command) -> Out {
    let output = cmd.output().unwrap();
    Out {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The progress file as the runner would read it (same schema, same strictness).
#[derive(Debug, PartialEq, Eq, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub current: Option<String>,
    #[serde(default)]
    pub done: std::collections::BTreeSet<String>,
}

pub fn read_progress(root: &Path) -> Progress {
    let text = fs::read_to_string(root.join(PROGRESS)).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("progress does not parse: {e}\n{text}"))
}

pub fn write_progress(root: &Path, text: &str) {
    fs::write(root.join(PROGRESS), text).unwrap();
}

/// Every regular file under `root` (relative path → contents), skipping `target/`, the linked crates and the
/// runner's own state, for "nothing else changed" assertions.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if ["target", ".conc-lings", "runner/conc", "runner/conc-check"].contains(&rel.as_str())
            {
                continue;
            }
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}
