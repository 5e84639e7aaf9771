//! A one-exercise workspace for tests that drive the real binary: `fix_the_race` copied from the bundled
//! curriculum, with links to the real facade crates and one shared build directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One build directory for every test workspace, and the one the repository's own checks build in
/// (`target/conc-lings/target`): each model checker and its dependencies are compiled once for the whole suite,
/// the curriculum gate included. Workspaces' programs do not clash there: each gets a suffix of its own.
pub fn shared_target_dir() -> PathBuf {
    repo().join("target/conc-lings/target")
}

/// A workspace with one exercise, `fix_the_race`, copied from the real curriculum; the facade crates are links
/// to the real ones.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = repo();
    for sub in [
        "exercises/04_race_condition",
        "solutions/04_race_condition",
        "runner/checks/04_race_condition",
    ] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    for file in [
        "exercises/04_race_condition/fix_the_race.rs",
        "solutions/04_race_condition/fix_the_race.rs",
        "runner/checks/04_race_condition/fix_the_race.rs",
        "Cargo.lock",
    ] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    for krate in ["conc", "conc-check"] {
        std::os::unix::fs::symlink(
            repo.join("runner").join(krate),
            root.join("runner").join(krate),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("exercises/Cargo.toml"),
        "[package]\nname = \"exercises\"\nversion = \"0.0.0\"\n\n[dependencies]\n",
    )
    .unwrap();
    let info = std::fs::read_to_string(repo.join("info.toml")).unwrap();
    // The first concept and exercise of the real curriculum, which are the race ones in this fixture.
    let concept_start = info
        .find("[[concepts]]\nid = \"race_condition\"")
        .expect("race_condition concept");
    let concept_end = info[concept_start + 1..]
        .find("[[")
        .map_or(info.len(), |i| concept_start + 1 + i);
    let exercise_start = info
        .find("[[exercises]]\nname = \"fix_the_race\"")
        .expect("fix_the_race");
    let exercise_end = info[exercise_start + 1..]
        .find("[[")
        .map_or(info.len(), |i| exercise_start + 1 + i);
    std::fs::write(
        root.join("info.toml"),
        format!(
            "format_version = 1\n\n{}\n{}",
            &info[concept_start..concept_end],
            &info[exercise_start..exercise_end]
        ),
    )
    .unwrap();
    dir
}

pub fn exercise(root: &Path) -> PathBuf {
    root.join("exercises/04_race_condition/fix_the_race.rs")
}

pub fn solution(root: &Path) -> String {
    std::fs::read_to_string(root.join("solutions/04_race_condition/fix_the_race.rs")).unwrap()
}

/// The runner, run in `root`, sharing the tests' build directory.
pub fn conc_lings(root: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("conc-lings").unwrap();
    cmd.current_dir(root)
        .env("CONC_LINGS_TARGET_DIR", shared_target_dir())
        .args(["--color", "never", "--lang", "en"]);
    cmd
}

/// Copies a directory tree (links are copied as links).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if kind.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}
