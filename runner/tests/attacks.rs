//! The attack suite: learner code that tries to forge its verdict, reach outside its scratch folder or exhaust the
//! machine, run through the real `conc-lings` binary on the tiny curriculum in `tests/fixtures/attacks` (see
//! docs/SECURITY.md). Every attack must end as a failed (never a passed) verdict with a clear message, write
//! nothing outside its scratch folder, and leave no process behind; the honest exercise in the same run passes.

mod fixture_run;

use fixture_run::assert_nothing_left;
use serde_json::Value;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where an attack tries to write outside the workspace, and the secret it tries to read: a folder of this test
/// run beside the fixture, outside the workspace and outside the run's scratch folder.
fn outside() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("attack-home-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("secret.txt"), "the-secret-of-this-test").unwrap();
        dir
    })
}

struct Run {
    verdicts: Vec<Value>,
    /// Whether the attack's connection reached the listener.
    connected: bool,
    /// What `run` printed for some attacks, in English.
    shown: Vec<(String, String)>,
}

/// `verify --format json` over the whole fixture (once for all tests), with a listener on a loopback port that no
/// exercise is given, and the places to attack in the environment.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = fixture_run::prepare("attacks");
        // Left by an earlier run of this suite against a runner without the sandbox: not this run's doing.
        let _ = std::fs::remove_file(root.join("pwned-by-attack.txt"));
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port().to_string();
        let secret = outside().join("secret.txt");
        let env = [
            ("ATTACK_PORT", port.as_str()),
            ("ATTACK_SECRET", secret.to_str().unwrap()),
            ("ATTACK_OUTSIDE", outside().to_str().unwrap()),
        ];
        let (output, pid) = fixture_run::conc_lings_with(
            &root,
            &["verify", "--format", "json", "--jobs", "2"],
            &env,
        );
        assert_nothing_left(pid);
        let text = String::from_utf8_lossy(&output.stdout);
        let verdicts = serde_json::from_str::<Value>(&text)
            .map(|report| report["verdicts"].as_array().cloned().unwrap_or_default())
            .unwrap_or_else(|e| {
                panic!(
                    "verify did not print JSON ({e}):\n{text}\n{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            });
        let connected = listener.accept().is_ok();
        let mut shown = Vec::new();
        for name in [
            "attack_forge_fd",
            "attack_memory",
            "attack_disk_fill",
            "attack_model_escape",
        ] {
            let (output, pid) =
                fixture_run::conc_lings_with(&root, &["--lang", "en", "run", name], &env);
            assert_nothing_left(pid);
            shown.push((
                name.to_string(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
            ));
        }
        Run {
            verdicts,
            connected,
            shown,
        }
    })
}

fn verdict(name: &str) -> &'static Value {
    run()
        .verdicts
        .iter()
        .find(|v| v["exercise"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name}"))
}

fn shown(name: &str) -> &'static str {
    &run()
        .shown
        .iter()
        .find(|(n, _)| n == name)
        .expect("shown")
        .1
}

/// The verdict's kind, after asserting it is not a pass.
fn refused(name: &str) -> &'static str {
    let v = verdict(name);
    assert_ne!(v["verdict"], "passed", "{name} passed: {v:#}");
    v["verdict"].as_str().unwrap()
}

/// The failure of the role or check that failed, as JSON.
fn failure(name: &str) -> &'static Value {
    let v = verdict(name);
    assert_eq!(v["verdict"], "failed", "{name}: {v:#}");
    &v["failure"]
}

fn role_stderr(f: &Value) -> String {
    format!(
        "{}{}",
        f["stderr"]["head"].as_str().unwrap_or(""),
        f["stderr"]["tail"].as_str().unwrap_or("")
    )
}

#[test]
fn the_honest_exercise_in_the_same_run_passes() {
    assert_eq!(
        verdict("attack_none")["verdict"],
        "passed",
        "{:#}",
        verdict("attack_none")
    );
}

#[test]
fn lines_written_into_the_report_pipe_by_learner_code_are_tampering() {
    assert_eq!(
        refused("attack_forge_fd"),
        "tampered",
        "{:#}",
        verdict("attack_forge_fd")
    );
    assert_eq!(verdict("attack_forge_fd")["line"], 0);
    let text = shown("attack_forge_fd");
    assert!(text.contains("was not written by the checks"), "{text}");
}

#[test]
fn a_child_cannot_write_into_the_check_programs_descriptors() {
    // Not dumpable, and without capabilities even as root: the child cannot open /proc/<check program>/fd.
    let f = failure("attack_forge_parent");
    assert!(
        role_stderr(f).contains("reached 0 descriptors of the check program"),
        "{f:#}"
    );
}

#[test]
fn exiting_early_with_status_zero_is_a_crash() {
    assert_eq!(
        refused("attack_exit_early"),
        "crashed",
        "{:#}",
        verdict("attack_exit_early")
    );
}

#[test]
fn code_before_main_symbol_replacement_and_included_files_are_refused_before_building() {
    for (name, uses) in [
        (
            "attack_constructor",
            &["#[link_section]", "#[used]", "#[no_mangle]"][..],
        ),
        ("attack_include", &["include_str!", "option_env!"]),
        ("attack_model_escape", &["std::fs", "nix::", "std::process"]),
    ] {
        assert_eq!(refused(name), "forbidden", "{name}");
        let v = verdict(name);
        let found: Vec<&str> = v["escapes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["what"].as_str().unwrap())
            .collect();
        for what in uses {
            assert!(found.contains(what), "{name}: {what} not among {found:?}");
        }
        assert_eq!(v["build_ms"], 0, "{name} was built");
    }
    let text = shown("attack_model_escape");
    assert!(text.contains("parts of `std` it needs"), "{text}");
}

#[test]
fn nothing_is_written_outside_the_scratch_folder() {
    refused("attack_write_outside");
    let workspace = fixture_run::prepare("attacks");
    for place in [
        workspace.join("pwned-by-attack.txt"),
        outside().join("pwned-by-attack.txt"),
    ] {
        assert!(!place.exists(), "{} was written", place.display());
    }
}

#[test]
fn a_file_outside_the_workspace_cannot_be_read() {
    let f = failure("attack_read_home");
    let all = verdict("attack_read_home").to_string();
    assert!(
        !all.contains("the-secret-of-this-test"),
        "the secret was read: {all}"
    );
    assert!(
        role_stderr(f).contains("Permission denied") || role_stderr(f).contains("EACCES"),
        "{f:#}"
    );
}

#[test]
fn a_loopback_port_the_exercise_was_not_given_cannot_be_reached() {
    let f = failure("attack_connect");
    assert!(!run().connected, "the attack reached the listener");
    assert!(role_stderr(f).contains("Permission denied"), "{f:#}");
}

#[test]
fn allocating_without_end_stops_at_the_memory_limit_with_a_message() {
    assert_eq!(
        refused("attack_memory"),
        "crashed",
        "{:#}",
        verdict("attack_memory")
    );
    let text = shown("attack_memory");
    assert!(
        text.contains("It ran out of memory: each process of a check may use at most 2048 MiB"),
        "{text}"
    );
}

#[test]
fn starting_processes_without_end_stops_at_the_process_limit() {
    let v = verdict("attack_spawn_loop");
    let limit = conc_check::supervise::MAX_PROCESSES;
    let told = match v["verdict"].as_str().unwrap() {
        "too_many_processes" => true,
        "failed" => v["failure"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("more than {limit} processes alive at once")),
        _ => false,
    };
    assert!(told, "{v:#}");
    assert!(v["run_ms"].as_u64().unwrap() < 8000, "{v:#}");
}

#[test]
fn filling_the_disk_stops_at_the_file_size_limit_with_a_message() {
    let f = failure("attack_disk_fill");
    assert_eq!(f["signal"], libc::SIGXFSZ, "{f:#}");
    let text = shown("attack_disk_fill");
    assert!(text.contains("A file it wrote grew past 256 MiB"), "{text}");
}
