//! A class on GitHub Classroom: `verify --concept` and its points, the runner in a copy without solutions (a
//! class template), `dev template`, the workflow that reports points to Classroom, and `class-report`.
//!
//! Everything goes through the real binary on the small fixture curriculum (two concepts: `counting` with
//! `count_solved`, which passes, and `count_racy`, which fails; `compiling` with `compile_fix`, which fails).

mod common;

use common::{run, run_cmd, scratch, shared};
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

/// When cargo last wrote the check program of `exercise` of the workspace at `root`, in the build folder the
/// tests share (where a workspace's programs carry a suffix made from its path, as the runner's `bin_name`).
fn built_at(root: &Path, exercise: &str) -> SystemTime {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    std::fs::canonicalize(root).unwrap().hash(&mut hasher);
    let program = shared_target_dir()
        .join("debug")
        .join(format!("{exercise}__ws{:08x}", hasher.finish() as u32));
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

// ---------------------------------------------------------------------------------------------------------------
// dev template

/// The tests' shared build folder for workspaces at new paths each time (as in grading.rs).
fn shared_target_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/conc-lings/target")
}

fn in_shared_target(root: &Path, args: &[&str]) -> common::Out {
    run_cmd(
        common::cmd(root)
            .env("CONC_LINGS_TARGET_DIR", shared_target_dir())
            .args(args),
    )
}

/// A student's repository made from `from`: every file but build output, links kept as links.
fn copy_source(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if entry.file_name() == "target" {
            continue;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&source).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_source(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

fn files_under(root: &Path) -> Vec<String> {
    common::snapshot(root).into_keys().collect()
}

#[test]
fn dev_template_leaves_out_the_answers_and_its_copy_grades_a_solved_student() {
    let ws = scratch();
    std::fs::write(ws.root.join(common::PROGRESS), "done = []\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template");
    let out = run(&ws.root, &["dev", "template", template.to_str().unwrap()]);
    out.code(0);
    assert!(
        out.stdout.contains("Wrote the class template"),
        "{}",
        out.both()
    );

    let files = files_under(&template);
    assert!(
        files.iter().all(|f| !f.starts_with("solutions")),
        "{files:#?}"
    );
    // Each exercise's variant folder (known-wrong variants, right answers, gate files) is left out; the checks
    // themselves stay.
    assert!(
        !template
            .join("runner/checks/01_counting/count_racy")
            .exists()
    );
    assert!(
        !template
            .join("runner/checks/02_compiling/compile_fix")
            .exists()
    );
    for check in [
        "01_counting/count_racy.rs",
        "01_counting/count_solved.rs",
        "02_compiling/compile_fix.rs",
    ] {
        assert_eq!(
            std::fs::read(template.join("runner/checks").join(check)).unwrap(),
            std::fs::read(ws.root.join("runner/checks").join(check)).unwrap()
        );
    }
    assert!(!template.join(common::PROGRESS).exists(), "{files:#?}");
    let manifest = std::fs::read_to_string(template.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("members = [\"runner/conc\", \"runner/conc-check\", \"exercises\"]"),
        "{manifest}"
    );
    let lock = std::fs::read_to_string(template.join("Cargo.lock")).unwrap();
    assert!(!lock.contains("name = \"solutions\""));
    assert!(
        lock.contains("name = \"shuttle\""),
        "only the solutions package goes"
    );

    // As shipped, the template's exercises fail; with the solutions copied in, they pass.
    let verify = in_shared_target(&template, &["verify", "--format", "json"]);
    verify.code(1);
    assert_eq!(
        json(&verify)["total"],
        serde_json::json!({ "points": 1, "max": 3 })
    );
    let student = dir.path().join("student");
    copy_source(&template, &student);
    for file in ["01_counting/count_racy.rs", "02_compiling/compile_fix.rs"] {
        std::fs::write(
            student.join("exercises").join(file),
            common::shipped(&format!("solutions/{file}")),
        )
        .unwrap();
    }
    in_shared_target(&student, &["verify"]).code(0);

    // Grading mode with the template pinned: nothing tampered with, every point.
    let graded = in_shared_target(
        &student,
        &[
            "verify",
            "--grading",
            "--template",
            template.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    graded.code(0);
    let report = json(&graded);
    assert_eq!(report["tampering"], serde_json::json!([]));
    assert_eq!(
        report["total"],
        serde_json::json!({ "points": 3, "max": 3 })
    );
    std::fs::write(dir.path().join("solved.json"), &graded.stdout).unwrap();

    // An edited check in the student's copy is still caught, per concept too.
    std::fs::write(
        student.join("runner/checks/01_counting/count_racy.rs"),
        "pub fn checks(_: &mut conc_check::Checks) {}\n",
    )
    .unwrap();
    let tampered = in_shared_target(
        &student,
        &[
            "verify",
            "--grading",
            "--template",
            template.to_str().unwrap(),
            "--concept",
            "compiling",
            "--format",
            "junit",
        ],
    );
    tampered.code(1);
    assert!(
        tampered
            .stderr
            .contains("tampered: runner/checks/01_counting/count_racy.rs: changed"),
        "{}",
        tampered.both()
    );
    std::fs::write(dir.path().join("tampered.xml"), &tampered.stdout).unwrap();

    // class-report reads what verify really prints, in both formats.
    let report = run(
        dir.path(),
        &[
            "class-report",
            "solved.json",
            "tampered.xml",
            "--csv",
            "class.csv",
        ],
    );
    report.code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("class.csv")).unwrap(),
        "student,points,max,tampered_files,counting (of 2),compiling (of 1)\n\
         solved,3,3,0,2,1\n\
         tampered,1,1,1,,1\n"
    );
}

#[test]
fn dev_template_refuses_a_folder_in_use_and_a_copy_without_solutions() {
    let ws = scratch();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = run(&ws.root, &["dev", "template", dir.path().to_str().unwrap()]);
    out.code(2);
    assert!(out.stderr.contains("is not empty"), "{}", out.both());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    remove_solutions(&ws.root);
    let out = run(&ws.root, &["dev", "template", "elsewhere"]);
    out.code(2);
    assert!(
        out.stderr.contains("needs the reference solutions"),
        "{}",
        out.both()
    );
    assert!(!ws.root.join("elsewhere").exists());
}

#[test]
fn the_real_curriculum_s_template_is_a_cargo_workspace_whose_lock_cargo_keeps_as_it_is() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t");
    let out = run_cmd(
        common::cmd(dir.path())
            .args(["--root", repo.to_str().unwrap(), "dev", "template"])
            .arg(&template),
    );
    out.code(0);
    let files = files_under(&template);
    assert!(
        !files.iter().any(|f| f.ends_with(".patch")
            || f.ends_with("gate.toml")
            || f.starts_with("solutions")),
        "answers left in the template"
    );
    let checks = files
        .iter()
        .filter(|f| f.starts_with("runner/checks/"))
        .count();
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo.join("info.toml")).unwrap()).unwrap();
    assert_eq!(
        checks,
        info["exercises"].as_array().unwrap().len(),
        "one check per exercise"
    );
    let grade = std::fs::read_to_string(template.join(".github/workflows/grade.yml")).unwrap();
    assert!(
        !grade.contains("  push:") && grade.contains("workflows: [Autograding Tests]"),
        "{grade}"
    );
    assert_eq!(
        std::fs::read(template.join(".github/workflows/classroom.yml")).unwrap(),
        std::fs::read(repo.join(".github/workflows/classroom.yml")).unwrap()
    );
    // Cargo resolves the workspace and leaves the lock as it is (with a stale `solutions` entry it would drop
    // it): the first `cargo run` in a student's copy does not change Cargo.lock, so grading never reports it.
    // (`--locked` does not catch an entry too many; comparing the bytes does.)
    let lock_before = std::fs::read(template.join("Cargo.lock")).unwrap();
    let tree = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--workspace", "--manifest-path"])
        .arg(template.join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    assert!(
        std::fs::read(template.join("Cargo.lock")).unwrap() == lock_before,
        "cargo rewrote the template's Cargo.lock"
    );
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--no-deps",
        ])
        .arg("--manifest-path")
        .arg(template.join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(metadata.status.success());
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let members: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        members.contains(&"exercises") && !members.contains(&"solutions"),
        "{members:?}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// .github/workflows/classroom.yml

#[test]
fn the_classroom_workflow_has_one_step_per_concept_worth_its_exercises_and_the_reporter_reads_them_all()
 {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(repo.join(".github/workflows/classroom.yml")).unwrap();
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo.join("info.toml")).unwrap()).unwrap();
    let concepts: Vec<&str> = info["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let exercises_in = |concept: &str| {
        info["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["concept"].as_str() == Some(concept))
            .count() as u64
    };

    // What the reporter's README requires for Classroom to read the points.
    assert_eq!(yaml["name"].as_str(), Some("Autograding Tests"));
    let jobs = yaml["jobs"].as_mapping().unwrap();
    assert_eq!(jobs.len(), 1);
    let job = &yaml["jobs"]["run-autograding-tests"];
    assert_eq!(
        job["if"].as_str(),
        Some("github.actor != 'github-classroom[bot]'")
    );

    let steps = job["steps"].as_sequence().unwrap();
    let uses = |step: &serde_yaml_ng::Value, action: &str| {
        step["uses"].as_str().is_some_and(|u| u.starts_with(action))
    };
    let graders: Vec<&serde_yaml_ng::Value> = steps
        .iter()
        .filter(|s| uses(s, "classroom-resources/autograding-command-grader@"))
        .collect();
    let ids: Vec<&str> = graders.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids, concepts,
        "one grader step per concept, in info.toml's order"
    );
    for step in &graders {
        let id = step["id"].as_str().unwrap();
        let with = &step["with"];
        assert_eq!(with["max-score"].as_u64(), Some(exercises_in(id)), "{id}");
        assert!(
            with["test-name"].as_str().is_some_and(|n| !n.is_empty()),
            "{id}"
        );
        assert!(with["timeout"].as_u64().is_some_and(|t| t > 0), "{id}");
        let command = with["command"].as_str().unwrap();
        assert!(
            command.contains("verify --grading --template .conc-lings-template")
                && command.ends_with(&format!("--concept {id}")),
            "{command}"
        );
    }
    let total: u64 = graders
        .iter()
        .map(|s| s["with"]["max-score"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, info["exercises"].as_array().unwrap().len());

    let reporter = steps.last().unwrap();
    assert!(uses(
        reporter,
        "classroom-resources/autograding-grading-reporter@"
    ));
    assert_eq!(
        reporter["with"]["runners"].as_str(),
        Some(concepts.join(",").as_str())
    );
    let env = reporter["env"].as_mapping().unwrap();
    assert_eq!(env.len(), concepts.len());
    for id in &concepts {
        let key = format!("{}_RESULTS", id.to_uppercase());
        assert_eq!(
            env.get(key.as_str()).and_then(|v| v.as_str()),
            Some(format!("${{{{ steps.{id}.outputs.result }}}}").as_str()),
            "{key}"
        );
    }
    // The steps graded against the template that was checked out and cached before them.
    let position =
        |pred: &dyn Fn(&serde_yaml_ng::Value) -> bool| steps.iter().position(pred).unwrap();
    let template = position(&|s| s["name"].as_str() == Some("Check out the pinned template"));
    let cache = position(&|s| uses(s, "actions/cache@"));
    let first_grader = position(&|s| uses(s, "classroom-resources/autograding-command-grader@"));
    assert!(template < cache && cache < first_grader);
    let cached = steps[cache]["with"]["path"].as_str().unwrap();
    assert!(cached.contains("~/.cargo/registry") && cached.contains(".conc-lings-template/target"));

    // And it is exactly what the generator writes, so regenerating is the way to change it.
    let generated = run(&repo, &["dev", "classroom-workflow"]);
    generated.code(0);
    assert!(
        generated.stdout == text,
        "classroom.yml is stale: run `cargo run -q -p conc-lings -- dev classroom-workflow > .github/workflows/classroom.yml`"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// class-report

fn class_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/class")
}

#[test]
fn class_report_of_three_students_in_csv_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("class.csv");
    let out = run(
        &class_fixture(),
        &[
            "class-report",
            "repo-carol.json",
            "bob.xml",
            "alice.json",
            "--csv",
            csv.to_str().unwrap(),
            "--top",
            "5",
        ],
    );
    out.code(0);
    // Sorted by student; carol's name is the report's own `student` field, the others' the file name.
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "student,points,max,tampered_files,counting (of 2),compiling (of 1)\n\
         alice,3,3,0,2,1\n\
         bob,2,3,0,1,1\n\
         carol,1,3,1,1,0\n"
    );
    let md = &out.stdout;
    for line in [
        "| alice | 3/3 | 2/2 ✓ | 1/1 ✓ | ok |",
        "| bob | 2/3 | 1/2 | 1/1 ✓ | ok |",
        "| carol | 1/3 | 1/2 | 0/1 | 1 file(s) changed |",
        "| counting | 2 | 1 of 3 | 1.3 |",
        "| compiling | 1 | 2 of 3 | 0.7 |",
    ] {
        assert!(md.lines().any(|l| l == line), "no `{line}` in\n{md}");
    }
    let failed = &md[md.find("## Exercises most students fail").expect(md)..];
    let racy = failed.find("| count_racy | 2 of 3 |").expect(failed);
    let compile = failed.find("| compile_fix | 1 of 3 |").expect(failed);
    assert!(racy < compile, "most failures first:\n{failed}");
    assert!(!failed.contains("count_solved"), "{failed}");

    // --top 1 keeps the worst; Korean headings with --lang ko; --markdown writes a file.
    let file = dir.path().join("class.md");
    let ko = run(
        &class_fixture(),
        &[
            "--lang",
            "ko",
            "class-report",
            "alice.json",
            "bob.xml",
            "repo-carol.json",
            "--top",
            "1",
            "--markdown",
            file.to_str().unwrap(),
        ],
    );
    ko.code(0);
    assert_eq!(ko.stdout, "");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("## 가장 많이 틀린 연습 문제"), "{text}");
    assert!(
        text.contains("| count_racy | 3명 중 2명 |") && !text.contains("compile_fix |"),
        "{text}"
    );
}

#[test]
fn class_report_names_a_file_it_cannot_read_as_a_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let out = run(dir.path(), &["class-report", "notes.txt"]);
    out.code(2);
    assert!(
        out.stderr.contains("notes.txt") && out.stderr.contains("neither JSON nor JUnit"),
        "{}",
        out.both()
    );
}
