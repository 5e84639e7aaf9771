//! The fault suite: process exercises that misbehave on purpose (deadlock, busy loop, 100 MB of output, a child
//! left running, a setsid grandchild, leaked FIFO/queue/shared memory, FIFO open order, a socket never shut
//! down), checked through the real `conc-lings` binary on the tiny curriculum in `tests/fixtures/faults`.
//! Each must be reported clearly, within its timeout + 1 s, and leave no process and no named object behind.
//!
//! The fixture is copied to a fixed place under cargo's test temp dir, so its check programs are built once per
//! machine (the first run takes a minute) and later runs take seconds.

mod fixture_run;

use fixture_run::assert_nothing_left;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

fn fixture() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| fixture_run::prepare("faults"))
}

fn conc_lings(args: &[&str]) -> (Output, u32) {
    fixture_run::conc_lings(fixture(), args)
}

/// `verify --format json` over the whole fixture, once for all tests.
fn verdicts() -> &'static [Value] {
    static VERDICTS: OnceLock<Vec<Value>> = OnceLock::new();
    VERDICTS.get_or_init(|| {
        let (output, pid) = conc_lings(&["verify", "--format", "json", "--jobs", "2"]);
        assert_nothing_left(pid);
        let text = String::from_utf8_lossy(&output.stdout);
        serde_json::from_str::<Value>(&text)
            .map(|report| report["verdicts"].as_array().cloned().unwrap_or_default())
            .unwrap_or_else(|e| {
                panic!(
                    "verify did not print JSON ({e}):\n{text}\n{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })
    })
}

fn verdict(name: &str) -> &'static Value {
    verdicts()
        .iter()
        .find(|v| v["exercise"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name}"))
}

/// The process failure of a failed exercise.
fn failure(name: &str) -> &'static Value {
    let v = verdict(name);
    assert_eq!(v["verdict"], "failed", "{name}: {v:#}");
    assert_eq!(v["failure"]["kind"], "process", "{name}: {v:#}");
    &v["failure"]
}

fn finding_kinds(f: &Value) -> Vec<&str> {
    f["diagnosis"]["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default()
}

/// A timed-out role is diagnosed and the check reports within its timeout + 1 s.
fn assert_timed_out_in_time(name: &str) {
    let f = failure(name);
    assert_eq!(f["timed_out"], true, "{name}: {f:#}");
    let timeout = f["timeout_ms"].as_u64().unwrap();
    let took = verdict(name)["run_ms"].as_u64().unwrap();
    assert!(
        took <= timeout + 1000,
        "{name}: the check program took {took} ms for a {timeout} ms timeout"
    );
}

#[test]
fn two_processes_writing_into_full_pipes_are_a_deadlock() {
    assert_timed_out_in_time("fault_deadlock");
    let f = failure("fault_deadlock");
    assert_eq!(finding_kinds(f), ["pipe_write_deadlock"], "{f:#}");
    let writers = &f["diagnosis"]["findings"][0]["writers"];
    let roles: Vec<&str> = writers
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["parent", "child"], "{f:#}");
    for p in f["diagnosis"]["processes"].as_array().unwrap() {
        assert!(
            p["threads"][0]["wchan"]
                .as_str()
                .unwrap()
                .contains("pipe_write"),
            "{p:#}"
        );
    }
}

#[test]
fn a_busy_loop_is_seen_using_the_cpu() {
    assert_timed_out_in_time("fault_spin");
    let f = failure("fault_spin");
    assert_eq!(finding_kinds(f), ["busy_loop"], "{f:#}");
    assert_eq!(
        f["diagnosis"]["processes"][0]["threads"][0]["activity"]["kind"],
        "busy"
    );
}

#[test]
fn a_fifo_opened_in_the_wrong_order_is_named_with_its_path() {
    assert_timed_out_in_time("fault_fifo_order");
    let f = failure("fault_fifo_order");
    assert_eq!(finding_kinds(f), ["fifo_open", "fifo_open"], "{f:#}");
    let mut paths: Vec<&str> = f["diagnosis"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["replies", "requests"], "{f:#}");
    assert_eq!(
        f["role"],
        "server …/requests …/replies, client …/requests …/replies"
    );
}

#[test]
fn a_blocked_fifo_open_leads_and_a_deliberate_read_write_open_is_not_blamed() {
    assert_timed_out_in_time("fault_fifo_rw");
    let f = failure("fault_fifo_rw");
    // Not "end-of-file never comes because the server holds the write end": it opened it so on purpose.
    assert_eq!(finding_kinds(f), ["fifo_open"], "{f:#}");
    let finding = &f["diagnosis"]["findings"][0];
    assert!(
        finding["path"].as_str().unwrap().ends_with("/replies"),
        "{f:#}"
    );
    assert_eq!(
        finding["who"]["role"], "client …/requests …/replies",
        "{f:#}"
    );
}

#[test]
fn pipe_ends_the_check_itself_holds_are_named_as_the_check_not_as_nobody() {
    assert_timed_out_in_time("fault_check_peer");
    let f = failure("fault_check_peer");
    // The reader waits on the silent check; the writer's full pipe is the check's slow reading, said last.
    assert_eq!(finding_kinds(f), ["eof_never_comes", "pipe_full"], "{f:#}");
    let findings = &f["diagnosis"]["findings"];
    assert_eq!(findings[0]["reader"]["role"], "read …/news", "{f:#}");
    assert_eq!(findings[0]["holders"][0]["role"], "(the check)", "{f:#}");
    assert_eq!(findings[1]["writer"]["role"], "write …/mail", "{f:#}");
    assert_eq!(findings[1]["readers"][0]["role"], "(the check)", "{f:#}");
    let (en, pid) = conc_lings(&["--lang", "en", "run", "fault_check_peer"]);
    assert_nothing_left(pid);
    let en = String::from_utf8_lossy(&en.stdout);
    for words in [
        "whose write end only the check holds",
        "that only the check reads",
    ] {
        assert!(en.contains(words), "missing {words:?} in:\n{en}");
    }
    assert!(!en.contains("no process of the run"), "{en}");
}

#[test]
fn a_socket_never_shut_down_is_explained() {
    assert_timed_out_in_time("fault_socket");
    let f = failure("fault_socket");
    assert_eq!(
        finding_kinds(f),
        ["socket_no_shutdown", "socket_no_shutdown"],
        "{f:#}"
    );
}

#[test]
fn a_hundred_megabytes_of_output_is_cut_in_the_middle() {
    let f = failure("fault_flood");
    assert_eq!(f["exit_code"], 3);
    let out = &f["stdout"];
    assert_eq!(out["total_bytes"], 100_000_000);
    assert!(out["cut_bytes"].as_u64().unwrap() > 99_000_000, "{out:#}");
    assert!(out["head"].as_str().unwrap().starts_with("yyy"));
    assert!(out["tail"].as_str().unwrap().ends_with("y!"));
    assert!(verdict("fault_flood")["run_ms"].as_u64().unwrap() < 8000);
}

#[test]
fn a_child_left_running_is_named_and_killed() {
    let f = failure("fault_orphan");
    assert_eq!(f["left_running"][0]["role"], "linger", "{f:#}");
}

#[test]
fn a_child_that_ended_but_was_never_waited_for_is_named() {
    let f = failure("fault_zombie");
    assert_eq!(f["left_running"], serde_json::json!([]), "{f:#}");
    assert_eq!(f["unreaped"].as_array().map(Vec::len), Some(1), "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("without waiting for a child"), "{f:#}");
}

#[test]
fn a_setsid_grandchild_is_found_by_its_marker_and_killed() {
    let f = failure("fault_setsid");
    assert_eq!(f["left_running"][0]["role"], "linger", "{f:#}");
}

#[test]
fn leaked_fifo_queue_shared_memory_and_temporary_file_are_named_and_removed() {
    let f = failure("fault_leaks");
    let leaked = f["leaked"].as_array().unwrap();
    let mut named: Vec<(&str, &str)> = leaked
        .iter()
        .map(|l| (l["kind"].as_str().unwrap(), l["name"].as_str().unwrap()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        [
            ("fifo", "requests"),
            ("file", "notes.tmp"),
            ("message_queue", "/jobs"),
            ("shared_memory", "region")
        ],
        "out/result is under a path the check claimed: not left behind"
    );
    for l in leaked {
        let path = l["path"].as_str().unwrap();
        if l["kind"] == "message_queue" {
            assert!(
                !conc_check::supervise::unlink_queue(path),
                "queue {path} still exists"
            );
        } else {
            assert!(!Path::new(path).exists(), "{path} still exists");
        }
    }
}

/// Live processes running a program built from `exercise` (its file, a solution or a variant), found by their
/// executable: a process started with `env_clear()` carries no marker.
fn processes_running(exercise: &str) -> Vec<i32> {
    let variant = format!("{exercise}__");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe")) else {
                return false;
            };
            let name = exe.file_name().unwrap_or_default().to_string_lossy();
            name == exercise || name.starts_with(&variant)
        })
        .collect()
}

#[test]
fn a_child_started_with_an_empty_environment_runs_the_learners_main() {
    // Before the check program chose its part by an argument, this child (no marker, no role) became a second
    // copy of the checks, which started the program again, and so on until the time limit.
    let v = verdict("fault_env_clear");
    assert_eq!(v["verdict"], "passed", "{v:#}");
    let took = v["run_ms"].as_u64().unwrap();
    assert!(took < 5000, "took {took} ms");
    assert_eq!(processes_running("fault_env_clear"), Vec::<i32>::new());
}

#[test]
fn a_program_that_multiplies_without_end_is_stopped_at_the_process_limit() {
    let limit = conc_check::supervise::MAX_PROCESSES;
    for name in ["fault_respawn", "fault_fork_loop"] {
        // The check stops the role when its group passes the limit; a loop that doubles faster than the check
        // looks may reach the run's task cap first, and then the runner stops the whole run. Either is told.
        let v = verdict(name);
        if v["verdict"] == "too_many_processes" {
            assert_eq!(v["limit"], limit, "{name}: {v:#}");
        } else {
            let f = failure(name);
            let message = f["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("more than {limit} processes alive at once")),
                "{name}: {f:#}"
            );
            assert_eq!(f["timed_out"], false, "{name}: {f:#}");
        }
        // Stopped when it passed the limit, not at its 8 s time limit.
        let took = verdict(name)["run_ms"].as_u64().unwrap();
        assert!(took < 5000, "{name}: took {took} ms");
        assert_eq!(processes_running(name), Vec::<i32>::new(), "{name}");
    }
}

#[test]
fn a_program_that_cleans_up_passes() {
    let v = verdict("fault_clean");
    assert_eq!(v["verdict"], "passed", "{v:#}");
}

#[test]
fn the_learner_reads_the_diagnosis_in_english_and_korean() {
    // Built (and run once) by `verify` first, so that only the check runs here.
    verdicts();
    let (en, pid) = conc_lings(&["--lang", "en", "run", "fault_deadlock"]);
    assert_nothing_left(pid);
    let en = String::from_utf8_lossy(&en.stdout);
    for words in [
        "role `parent` was stopped at its time limit (1 s)",
        "What each process was doing when it was stopped:",
        "writing into a full pipe",
        "Deadlock: `parent` and `child` are each writing into a full pipe",
    ] {
        assert!(en.contains(words), "missing {words:?} in:\n{en}");
    }
    let (ko, pid) = conc_lings(&["--lang", "ko", "run", "fault_orphan"]);
    assert_nothing_left(pid);
    let ko = String::from_utf8_lossy(&ko.stdout);
    for words in [
        "프로세스를 남겨 두었습니다",
        "역할이 끝난 뒤에도 돌고 있던 프로세스",
        "`linger`",
    ] {
        assert!(ko.contains(words), "missing {words:?} in:\n{ko}");
    }
}
