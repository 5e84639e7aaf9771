//! A class on GitHub Classroom: `verify --concept` and its points, the runner in a copy without solutions (a
//! class template), `dev template`, the workflow that reports points to Classroom, and `class-report`.
//!
//! Everything goes through the real binary on the small fixture curriculum (two concepts: `counting` with
//! `count_solved`, which passes, and `count_racy`, which fails; `compiling` with `compile_fix`, which fails).

mod common;

use common::{run, scratch, shared};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

fn json(out: &common::Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.both()))
}

fn verdict_names(report: &serde_json::Value) -> Vec<&str> {
    report["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| v["exercise"].as_str().unwrap())
        .collect()
}

/// When cargo last wrote the check program of `exercise` in the workspace's own build folder.
fn built_at(root: &Path, exercise: &str) -> SystemTime {
    let program = root.join("target/conc-lings/target/debug").join(exercise);
    std::fs::metadata(&program)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()))
}

// ---------------------------------------------------------------------------------------------------------------
// verify --concept

#[test]
fn verify_concept_checks_only_that_concept_reports_its_points_and_rebuilds_nothing_the_second_time()
{
    let ws = shared();
    let out = run(
        &ws.root,
        &["verify", "--concept", "counting", "--format", "json"],
    );
    out.code(1);
    let report = json(&out);
    assert_eq!(verdict_names(&report), ["count_solved", "count_racy"]);
    assert_eq!(
        report["concepts"],
        serde_json::json!([{ "name": "counting", "points": 1, "max": 2 }])
    );
    assert_eq!(
        report["total"],
        serde_json::json!({ "points": 1, "max": 2 })
    );
    assert_eq!(report["grading"], false);
    assert!(report.get("tampering").is_none(), "{report:#}");

    // The same concept again: the programs the first run built are used as they are.
    let before = (
        built_at(&ws.root, "count_solved"),
        built_at(&ws.root, "count_racy"),
    );
    let again = run(
        &ws.root,
        &["verify", "--concept", "counting", "--format", "json"],
    );
    again.code(1);
    assert_eq!(json(&again)["total"], report["total"]);
    assert_eq!(
        (
            built_at(&ws.root, "count_solved"),
            built_at(&ws.root, "count_racy")
        ),
        before,
        "a second `verify --concept` rebuilt a check program"
    );
    assert!(
        !again.stderr.contains("Building the checker"),
        "{}",
        again.both()
    );

    // A comma list, in any order, is graded in info.toml's order.
    let both = run(
        &ws.root,
        &[
            "verify",
            "--concept",
            "compiling,counting",
            "--format",
            "json",
        ],
    );
    both.code(1);
    let report = json(&both);
    assert_eq!(
        verdict_names(&report),
        ["count_solved", "count_racy", "compile_fix"]
    );
    assert_eq!(
        report["concepts"],
        serde_json::json!([
            { "name": "counting", "points": 1, "max": 2 },
            { "name": "compiling", "points": 0, "max": 1 },
        ])
    );
    assert_eq!(
        report["total"],
        serde_json::json!({ "points": 1, "max": 3 })
    );
}

#[test]
fn verify_concept_passes_when_every_exercise_of_the_concept_passes() {
    let ws = shared();
    std::fs::write(
        ws.root.join("exercises/01_counting/count_racy.rs"),
        common::shipped("solutions/01_counting/count_racy.rs"),
    )
    .unwrap();
    // `compiling` still fails, but it is not asked for: the exit status is the concept's alone, which is what a
    // Classroom step per concept needs.
    let out = run(&ws.root, &["verify", "--concept", "counting"]);
    out.code(0);
    assert!(
        out.stdout.contains("2 of 2 exercises pass."),
        "{}",
        out.both()
    );
    assert!(!out.stdout.contains("compile_fix"), "{}", out.both());
}

#[test]
fn an_unknown_concept_is_a_usage_error_that_lists_the_known_ones() {
    let ws = scratch();
    let out = run(&ws.root, &["verify", "--concept", "countin"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "there is no concept called `countin`; the concepts are: counting, compiling"
        ),
        "{}",
        out.both()
    );
    let ko = run(
        &ws.root,
        &["--lang", "ko", "verify", "--concept", "countin"],
    );
    ko.code(2);
    assert!(ko.stderr.contains("개념 목록"), "{}", ko.both());
    // Nothing was checked, so nothing was built.
    assert!(!ws.root.join("target").exists());
}

// ---------------------------------------------------------------------------------------------------------------
// a copy without solutions/

fn remove_solutions(root: &Path) {
    std::fs::remove_dir_all(root.join("solutions")).unwrap();
}

#[test]
fn without_solutions_list_hint_and_progress_work_and_dev_commands_say_why_they_cannot() {
    let ws = scratch();
    remove_solutions(&ws.root);
    let list = run(&ws.root, &["list"]);
    list.code(0);
    assert!(list.stdout.contains("count_racy"), "{}", list.both());
    let listed = run(&ws.root, &["list", "--json"]);
    listed.code(0);
    let entries = json(&listed);
    assert_eq!(entries.as_array().unwrap().len(), 3);
    for entry in entries.as_array().unwrap() {
        assert_eq!(entry["solution_path"], serde_json::Value::Null, "{entry}");
    }
    run(&ws.root, &["hint", "count_racy", "--level", "2"]).code(0);
    run(&ws.root, &["progress"]).code(0);
    for dev in [&["dev", "check"][..], &["dev", "mutate", "--list"]] {
        let out = run(&ws.root, dev);
        out.code(2);
        assert!(
            out.stderr.contains("needs the reference solutions")
                && out.stderr.contains("no solutions/ folder"),
            "{}",
            out.both()
        );
    }
    let ko = run(&ws.root, &["--lang", "ko", "dev", "check"]);
    ko.code(2);
    assert!(ko.stderr.contains("모범 답안이 필요한데"), "{}", ko.both());
}

/// Starts `watch` without a terminal on `exercise`, waits for the line after its verdict that says what to do
/// next, quits, and returns everything it printed.
fn watch_until_done(root: &Path, exercise: &str) -> String {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_conc-lings"));
    child
        .args(["watch", exercise])
        .current_dir(root)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = child.spawn().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = child.kill();
            panic!("no done line; watch printed:\n{}", seen.join("\n"));
        };
        let done = line.starts_with("Done!");
        seen.push(line);
        if done {
            break;
        }
    }
    writeln!(child.stdin.as_mut().unwrap(), "quit").unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{}", seen.join("\n"));
    seen.join("\n")
}

#[test]
fn without_solutions_run_passes_and_watch_says_there_is_nothing_to_compare_with() {
    let ws = shared();
    // With solutions, watch points at the reference solution after a pass.
    let with = watch_until_done(&ws.root, "count_solved");
    assert!(
        with.contains(
            "Done! Compare with the reference solution: solutions/01_counting/count_solved.rs"
        ),
        "{with}"
    );
    remove_solutions(&ws.root);
    let out = run(&ws.root, &["run", "count_solved"]);
    out.code(0);
    assert!(out.stdout.contains("count_solved passed"), "{}", out.both());
    let failing = run(&ws.root, &["run", "count_racy"]);
    failing.code(1);
    let without = watch_until_done(&ws.root, "count_solved");
    assert!(
        without.contains("Done! (This copy has no reference solutions to compare with.)")
            && !without.contains("solutions/"),
        "{without}"
    );
    // verify too: the same verdicts as with solutions.
    let verify = run(&ws.root, &["verify", "--format", "json"]);
    verify.code(1);
    assert_eq!(
        json(&verify)["total"],
        serde_json::json!({ "points": 1, "max": 3 })
    );
}
