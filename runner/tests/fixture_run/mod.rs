//! A fixture curriculum under `runner/tests/fixtures/<name>`, run through the real `conc-lings` binary: the
//! fault suite and the attack suite share it. Processes and named objects a run leaves are found by its marker.
#![allow(dead_code)] // each test binary uses its own part of this module

use conc_check::supervise::{MARKER_ENV, SHM_DIR};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runner/ has a parent")
        .to_path_buf()
}

/// Writes `to` unless it already holds exactly `bytes` (unchanged files keep cargo's builds fresh).
pub fn sync(bytes: &[u8], to: &Path) {
    if std::fs::read(to).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::write(to, bytes).unwrap();
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            sync(&std::fs::read(entry.path()).unwrap(), &target);
        }
    }
}

/// The fixture curriculum `runner/tests/fixtures/<name>`, ready to run at a fixed place (so its check programs
/// are built once per machine): its files, the real `conc` and `conc-check` linked in, and a workspace manifest
/// so that they resolve their `workspace = true` dependencies inside the fixture.
pub fn prepare(name: &str) -> PathBuf {
    {
        let repo = repo();
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-fixture"));
        copy_tree(&repo.join("runner/tests/fixtures").join(name), &root);
        // A fixture exercise is its own solution (the suites judge what the runner says about it): the copies
        // the runner requires are made here, not kept twice in the repository.
        copy_tree(&root.join("exercises"), &root.join("solutions"));
        let _ = std::fs::remove_file(root.join("solutions/Cargo.toml"));
        for name in ["conc", "conc-check"] {
            let link = root.join("runner").join(name);
            if std::fs::read_link(&link).ok() != Some(repo.join("runner").join(name)) {
                let _ = std::fs::remove_file(&link);
                std::os::unix::fs::symlink(repo.join("runner").join(name), &link).unwrap();
            }
        }
        let manifest = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
        let manifest: String = manifest
            .lines()
            .filter(|l| !l.starts_with("default-members"))
            .map(|l| {
                if l.starts_with("members") {
                    r#"members = ["runner/conc", "runner/conc-check"]"#.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        sync(manifest.as_bytes(), &root.join("Cargo.toml"));
        sync(
            &std::fs::read(repo.join("Cargo.lock")).unwrap(),
            &root.join("Cargo.lock"),
        );
        root
    }
}

/// Runs `conc-lings` on the fixture; returns its output and its pid (the start of every marker it hands out).
pub fn conc_lings(root: &Path, args: &[&str]) -> (Output, u32) {
    conc_lings_with(root, args, &[])
}

/// [`conc_lings`] with more variables in its environment.
pub fn conc_lings_with(root: &Path, args: &[&str], env: &[(&str, &str)]) -> (Output, u32) {
    // The repository's own build directory for check programs: the model checkers are compiled once for every
    // test suite and the curriculum gate.
    let checks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/conc-lings/target");
    let child = Command::new(env!("CARGO_BIN_EXE_conc-lings"))
        .env("CONC_LINGS_TARGET_DIR", checks)
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .env_remove(MARKER_ENV)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    (child.wait_with_output().unwrap(), pid)
}

/// Live processes started by the `conc-lings` run with pid `runner` (they carry its marker).
pub fn processes_of(runner: u32) -> Vec<i32> {
    let prefix = format!("{MARKER_ENV}={runner}-");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| Some(s.rsplit_once(')')?.1.trim_start().chars().next()? != 'Z'))
                .unwrap_or(false);
            let marked = std::fs::read(format!("/proc/{pid}/environ"))
                .unwrap_or_default()
                .split(|&b| b == 0)
                .any(|var| var.starts_with(prefix.as_bytes()));
            alive && marked
        })
        .collect()
}

/// Named objects and private directories of the run `runner` still present.
pub fn objects_of(runner: u32) -> Vec<String> {
    let prefix = format!("cl-{runner}-");
    let mut out = Vec::new();
    for dir in [SHM_DIR, "/tmp", "/dev/mqueue"] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    out.push(e.path().display().to_string());
                }
            }
        }
    }
    out
}

pub fn assert_nothing_left(runner: u32) {
    assert_eq!(
        processes_of(runner),
        Vec::<i32>::new(),
        "processes of the run still alive"
    );
    assert_eq!(
        objects_of(runner),
        Vec::<String>::new(),
        "named objects of the run left behind"
    );
}
