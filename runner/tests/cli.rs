//! The `conc-lings` binary, driven end to end on a small fixture curriculum (tests/fixtures/curriculum: two
//! concepts; `count_solved` passes as shipped, `count_racy` fails a model check, `compile_fix` does not compile).
//!
//! Tests that never build a check program run on their own copy of the fixture ([`common::scratch`]); tests that
//! build share one workspace, one at a time ([`common::shared`]), so the model checker is compiled once.

mod common;

use common::{
    EXERCISES, PROGRESS, Progress, cmd, read_progress, run, run_cmd, scratch, shared, shipped,
    snapshot, write_progress,
};
use std::fs;
use std::path::Path;

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in\n{text}"))
        + 1
}

fn done(names: &[&str]) -> std::collections::BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// The stdout line that mentions `name`.
fn line_with<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no line with `{name}` in\n{out}"))
}

// ---------------------------------------------------------------------------------------------------------------
// list

#[test]
fn list_shows_every_exercise_under_its_concept_with_state_and_current() {
    let ws = scratch();
    write_progress(&ws.root, "done = [\"count_solved\"]\n");
    let out = run(&ws.root, &["list"]);
    out.code(0);
    let stdout = &out.stdout;
    let counting = stdout.find("Counting").expect(stdout);
    let compiling = stdout.find("Compiling").expect(stdout);
    assert!(
        counting < compiling,
        "concepts in info.toml order:\n{stdout}"
    );
    let mut last = 0;
    for (name, _, kind, path) in EXERCISES {
        let at = stdout.find(name).expect(stdout);
        assert!(at > last, "exercises in info.toml order:\n{stdout}");
        last = at;
        let line = line_with(stdout, name);
        // The kind in words a learner understands, not the info.toml keyword.
        let label = match kind {
            "model" => "every interleaving",
            "compile" => "compiler, then run",
            "process" => "real processes",
            _ => "memory orderings",
        };
        assert!(
            line.contains(label) && line.contains(&format!("exercises/{path}")),
            "{line}"
        );
    }
    let solved = line_with(stdout, "count_solved");
    assert!(
        solved.contains('✓') && solved.contains("done") && !solved.contains('▶'),
        "{solved}"
    );
    // The current exercise is the first one not done.
    let racy = line_with(stdout, "count_racy");
    assert!(
        racy.contains('▶') && racy.contains("pending") && !racy.contains('✓'),
        "{racy}"
    );
    let compile = line_with(stdout, "compile_fix");
    assert!(
        !compile.contains('▶') && compile.contains("pending"),
        "{compile}"
    );
}

#[test]
fn list_json_has_every_field_of_every_exercise() {
    let ws = scratch();
    write_progress(&ws.root, "done = [\"compile_fix\"]\n");
    let out = run(&ws.root, &["list", "--json"]);
    out.code(0);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect(&out.stdout);
    let entries = json.as_array().expect("an array");
    assert_eq!(entries.len(), EXERCISES.len(), "{json:#}");
    for (entry, (name, concept, kind, path)) in entries.iter().zip(EXERCISES) {
        let state = if name == "compile_fix" {
            "done"
        } else {
            "pending"
        };
        let expected = serde_json::json!({
            "name": name,
            "concept": concept,
            "kind": kind,
            "exercise_path": format!("exercises/{path}"),
            "solution_path": format!("solutions/{path}"),
            "state": state,
        });
        assert_eq!(entry, &expected);
        // The paths are real, relative to the workspace.
        assert!(
            ws.root
                .join(entry["exercise_path"].as_str().unwrap())
                .is_file()
        );
        assert!(
            ws.root
                .join(entry["solution_path"].as_str().unwrap())
                .is_file()
        );
    }
}

#[test]
fn the_workspace_is_found_from_a_subfolder_and_with_root() {
    let ws = scratch();
    let out = run(&ws.root.join("exercises/01_counting"), &["list", "--json"]);
    out.code(0);
    assert!(out.stdout.contains("count_racy"), "{}", out.both());
    let elsewhere = tempfile::tempdir().unwrap();
    let root = ws.root.to_str().unwrap();
    let out = run(elsewhere.path(), &["--root", root, "list", "--json"]);
    out.code(0);
    assert!(out.stdout.contains("compile_fix"), "{}", out.both());
    // Without info.toml anywhere upwards: a clear error, exit 2, and nothing written.
    let out = run(elsewhere.path(), &["list"]);
    out.code(2);
    assert!(out.stderr.contains("info.toml"), "{}", out.both());
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// hint

#[test]
fn hint_shows_each_level_and_points_to_the_next() {
    let ws = scratch();
    let texts = [
        "Two steps: load, then store.",
        "One step does both.",
        "Use `fetch_add`.",
    ];
    for (i, text) in texts.iter().enumerate() {
        let level = (i + 1).to_string();
        let out = run(&ws.root, &["hint", "count_racy", "--level", &level]);
        out.code(0);
        assert!(
            out.stdout
                .contains(&format!("Hint {level} of 3 for count_racy")),
            "{}",
            out.both()
        );
        assert!(out.stdout.contains(text), "{}", out.both());
        for (j, other) in texts.iter().enumerate() {
            assert!(
                j == i || !out.stdout.contains(other),
                "only level {level}:\n{}",
                out.stdout
            );
        }
        let more = format!("--level {}", i + 2);
        assert_eq!(
            out.stdout.contains(&more),
            i + 1 < texts.len(),
            "{}",
            out.stdout
        );
    }
    // Level 1 by default; the current exercise (the first not done) without a name.
    write_progress(&ws.root, "done = [\"count_solved\"]\n");
    let out = run(&ws.root, &["hint"]);
    out.code(0);
    assert!(
        out.stdout.contains("Hint 1 of 3 for count_racy") && out.stdout.contains(texts[0]),
        "{}",
        out.both()
    );
}

#[test]
fn hint_rejects_levels_out_of_range() {
    let ws = scratch();
    for level in ["0", "3"] {
        let out = run(&ws.root, &["hint", "compile_fix", "--level", level]);
        out.code(2);
        assert!(out.stderr.contains("hint levels 1 to 2"), "{}", out.both());
        assert!(out.stdout.is_empty(), "{}", out.both());
    }
    for level in ["-1", "two"] {
        run(&ws.root, &["hint", "compile_fix", "--level", level]).code(2);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// progress

#[test]
fn progress_counts_per_concept_and_passes_a_concept_only_when_all_pass() {
    let ws = scratch();
    write_progress(&ws.root, "done = [\"count_solved\"]\n");
    let out = run(&ws.root, &["progress"]);
    out.code(0);
    let counting = line_with(&out.stdout, "Counting");
    assert!(
        counting.contains(" 1/2") && !counting.contains('✓'),
        "{}",
        out.stdout
    );
    let compiling = line_with(&out.stdout, "Compiling");
    assert!(
        compiling.contains(" 0/1") && !compiling.contains('✓'),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1 of 3 exercises done; 0 of 2 concepts passed."),
        "{}",
        out.stdout
    );

    write_progress(
        &ws.root,
        "current = \"compile_fix\"\ndone = [\"count_solved\", \"count_racy\"]\n",
    );
    let out = run(&ws.root, &["progress"]);
    out.code(0);
    let counting = line_with(&out.stdout, "Counting");
    assert!(
        counting.contains(" 2/2") && counting.starts_with('✓'),
        "{}",
        out.stdout
    );
    assert!(
        !line_with(&out.stdout, "Compiling").contains('✓'),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("2 of 3 exercises done; 1 of 2 concepts passed."),
        "{}",
        out.stdout
    );

    write_progress(
        &ws.root,
        "done = [\"count_solved\", \"count_racy\", \"compile_fix\"]\n",
    );
    let out = run(&ws.root, &["progress"]);
    out.code(0);
    assert!(
        line_with(&out.stdout, "Compiling").starts_with('✓'),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("3 of 3 exercises done; 2 of 2 concepts passed."),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------------------------
// reset

const EDITED: &str = "// my attempt\nfn main() {}\n";

/// A workspace as a learner leaves it: the runner has run once (so the originals are kept), then two exercise
/// files were edited and a file of the learner's own was added.
fn edited_workspace() -> common::Scratch {
    let ws = scratch();
    run(&ws.root, &["list"]).code(0);
    for (_, _, _, path) in &EXERCISES[..2] {
        fs::write(ws.root.join("exercises").join(path), EDITED).unwrap();
    }
    fs::write(ws.root.join("exercises/01_counting/notes.txt"), "mine").unwrap();
    write_progress(
        &ws.root,
        "current = \"count_racy\"\ndone = [\"compile_fix\", \"count_racy\", \"count_solved\"]\n",
    );
    ws
}

#[test]
fn reset_one_restores_its_original_and_touches_nothing_else() {
    let ws = edited_workspace();
    let before = snapshot(&ws.root);
    let out = run(&ws.root, &["reset", "count_racy"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("reset exercises/01_counting/count_racy.rs"),
        "{}",
        out.both()
    );
    let racy = "exercises/01_counting/count_racy.rs";
    assert_eq!(
        fs::read_to_string(ws.root.join(racy)).unwrap(),
        shipped(racy)
    );
    let mut after = snapshot(&ws.root);
    after.remove(racy);
    after.remove(PROGRESS);
    let mut expected = before;
    expected.remove(racy);
    expected.remove(PROGRESS);
    assert_eq!(after, expected, "reset changed other files");
    assert_eq!(
        read_progress(&ws.root),
        Progress {
            current: Some("count_racy".into()),
            done: done(&["compile_fix", "count_solved"]),
        }
    );
}

#[test]
fn reset_all_restores_every_exercise_and_keeps_the_learners_own_files() {
    let ws = edited_workspace();
    fs::remove_file(ws.root.join("exercises/02_compiling/compile_fix.rs")).unwrap();
    let before = snapshot(&ws.root);
    let out = run(&ws.root, &["reset", "--all"]);
    out.code(0);
    let mut after = snapshot(&ws.root);
    for (_, _, _, path) in EXERCISES {
        let rel = format!("exercises/{path}");
        assert_eq!(
            after.remove(&rel).as_deref(),
            Some(shipped(&rel).as_bytes()),
            "{rel}"
        );
        assert!(
            out.stdout.contains(&format!("reset {rel}")),
            "{}",
            out.both()
        );
    }
    after.remove(PROGRESS);
    let mut expected = before;
    for (_, _, _, path) in EXERCISES {
        expected.remove(&format!("exercises/{path}"));
    }
    expected.remove(PROGRESS);
    assert_eq!(after, expected, "reset --all changed other files");
    assert_eq!(
        fs::read_to_string(ws.root.join("exercises/01_counting/notes.txt")).unwrap(),
        "mine"
    );
    assert!(read_progress(&ws.root).done.is_empty());
}

#[test]
fn a_deleted_exercise_file_fails_its_check_and_reset_brings_it_back() {
    let ws = scratch();
    run(&ws.root, &["list"]).code(0); // keeps the originals
    let racy = "exercises/01_counting/count_racy.rs";
    fs::remove_file(ws.root.join(racy)).unwrap();
    write_progress(&ws.root, "done = [\"count_racy\"]\n");
    let out = run(&ws.root, &["run", "count_racy"]);
    out.code(1);
    assert!(
        out.stdout.contains(&format!("{racy} is missing"))
            && out.stdout.contains("conc-lings reset count_racy"),
        "{}",
        out.both()
    );
    assert!(!ws.root.join("target").exists(), "nothing to build");
    assert!(read_progress(&ws.root).done.is_empty());
    run(&ws.root, &["list"]).code(0);
    run(&ws.root, &["reset", "count_racy"]).code(0);
    assert_eq!(
        fs::read_to_string(ws.root.join(racy)).unwrap(),
        shipped(racy)
    );
}

#[test]
fn run_rejects_std_threads_in_a_model_exercise_without_building() {
    let ws = scratch();
    let racy = "exercises/01_counting/count_racy.rs";
    let sneaky = shipped(racy).replace("use conc::thread;", "use std::thread;");
    fs::write(ws.root.join(racy), &sneaky).unwrap();
    let out = run(&ws.root, &["run", "count_racy"]);
    out.code(1);
    assert!(out.stdout.contains("Not checked"), "{}", out.both());
    let line = line_of(&sneaky, "use std::thread;");
    assert!(
        out.stdout.contains(&format!("{racy}:{line}:5")),
        "{}",
        out.both()
    );
    assert!(
        !ws.root.join("target").exists(),
        "rejected before any build"
    );
}

#[test]
fn reset_needs_a_known_name_or_all() {
    let ws = edited_workspace();
    let before = snapshot(&ws.root);
    let out = run(&ws.root, &["reset"]);
    out.code(2);
    assert!(out.stderr.contains("--all"), "{}", out.both());
    run(&ws.root, &["reset", "count_racy", "--all"]).code(2);
    let out = run(&ws.root, &["reset", "nope"]);
    out.code(2);
    assert!(
        out.stderr.contains("no exercise called `nope`"),
        "{}",
        out.both()
    );
    assert_eq!(snapshot(&ws.root), before, "a refused reset changed files");
}

// ---------------------------------------------------------------------------------------------------------------
// unknown names and usage errors (exit 2; 1 means "an exercise failed")

#[test]
fn an_unknown_exercise_name_is_exit_2_with_suggestions() {
    let ws = scratch();
    for command in ["run", "hint", "reset"] {
        let out = run(&ws.root, &[command, "count"]);
        out.code(2);
        assert!(
            out.stderr
                .contains("no exercise called `count`; did you mean count_solved, count_racy?"),
            "{command}: {}",
            out.both()
        );
        let out = run(&ws.root, &[command, "zzz"]);
        out.code(2);
        assert!(
            out.stderr.contains("`conc-lings list` shows them all"),
            "{}",
            out.both()
        );
    }
    assert!(
        !ws.root.join("target").exists(),
        "an unknown name must not start a build"
    );
}

#[test]
fn usage_errors_are_exit_2() {
    let ws = scratch();
    for args in [
        &["frobnicate"][..],
        &["run", "count_racy", "extra"],
        &["list", "--yaml"],
        &["verify", "--format", "xml"],
        &["--lang", "fr", "list"],
    ] {
        let out = run(&ws.root, args);
        out.code(2);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.both());
    }
}

#[test]
fn help_and_usage_errors_follow_the_language() {
    let ws = scratch();
    // From the locale, and from --lang wherever it stands; English stays clap's own.
    let korean = run_cmd(cmd(&ws.root).env("LANG", "ko_KR.UTF-8").arg("--help"));
    korean.code(0);
    assert!(
        korean.stdout.contains("사용법: conc-lings [옵션] [명령]"),
        "{}",
        korean.both()
    );
    assert!(!korean.stdout.contains("Print help"), "{}", korean.both());
    let verify = run(&ws.root, &["verify", "--help", "--lang", "ko"]);
    verify.code(0);
    assert!(verify.stdout.contains("--concept"), "{}", verify.both());
    assert!(verify.stdout.contains("이 개념"), "{}", verify.both());
    let english = run(&ws.root, &["--help"]);
    english.code(0);
    assert!(
        english
            .stdout
            .contains("Usage: conc-lings [OPTIONS] [COMMAND]"),
        "{}",
        english.both()
    );

    let typo = run(&ws.root, &["--lang", "ko", "lsit"]);
    typo.code(2);
    assert!(typo.stdout.is_empty(), "{}", typo.both());
    assert!(
        typo.stderr.contains("오류: 없는 명령입니다 ('lsit')."),
        "{}",
        typo.both()
    );
    assert!(typo.stderr.contains("('list')"), "{}", typo.both());
    let english = run(&ws.root, &["lsit"]);
    english.code(2);
    assert!(
        english.stderr.contains("unrecognized subcommand 'lsit'"),
        "{}",
        english.both()
    );
}

// ---------------------------------------------------------------------------------------------------------------
// a bad info.toml: exit 2, every problem named, nothing written

/// Replaces the first `from` in the workspace's info.toml by `to`.
fn edit_info(root: &Path, from: &str, to: &str) {
    let path = root.join("info.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` not in info.toml");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `list` on a workspace whose info.toml is broken: exit 2, no panic, no state written, the error on stderr.
fn refused(root: &Path) -> String {
    let before = snapshot(root);
    let out = run(root, &["list"]);
    out.code(2);
    assert!(out.stdout.is_empty(), "{}", out.both());
    assert!(out.stderr.contains("info.toml"), "{}", out.both());
    assert_eq!(
        snapshot(root),
        before,
        "a refused info.toml must not change files"
    );
    assert!(!root.join(".conc-lings").exists() && !root.join(PROGRESS).exists());
    out.stderr
}

#[test]
fn info_toml_syntax_error_names_line_and_column() {
    let ws = scratch();
    edit_info(&ws.root, "name = \"count_racy\"", "name = \"count_racy");
    let text = fs::read_to_string(ws.root.join("info.toml")).unwrap();
    let line = line_of(&text, "name = \"count_racy");
    let err = refused(&ws.root);
    assert!(err.contains(&format!("line {line}, column 19")), "{err}");
}

#[test]
fn info_toml_unknown_field_is_named_with_its_line() {
    let ws = scratch();
    edit_info(
        &ws.root,
        "kind = \"compile\"",
        "kind = \"compile\"\ncolour = \"red\"",
    );
    let text = fs::read_to_string(ws.root.join("info.toml")).unwrap();
    let err = refused(&ws.root);
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(
        err.contains(&format!("line {}", line_of(&text, "colour"))),
        "{err}"
    );
}

#[test]
fn info_toml_wrong_type_names_the_field() {
    let cases = [
        // (replace, with, the field the message must name)
        (
            "kind = \"compile\"",
            "kind = \"compile\"\ntimeout = \"ten\"",
            "`exercises[2].timeout` (exercise `compile_fix`)",
        ),
        (
            "kind = \"compile\"",
            "kind = \"compiled\"",
            "`exercises[2].kind` (exercise `compile_fix`)",
        ),
        (
            "format_version = 1",
            "format_version = \"1\"",
            "`format_version`",
        ),
        // A value on its own line, away from its key: the message must still say which field it is.
        (
            "{ en = \"Add `move`.\", ko = \"`move`를 붙이세요.\" },",
            "\"Add move\",",
            "`exercises[2].hints[1]` (exercise `compile_fix`)",
        ),
        (
            "summary = { en = \"Threads that borrow.\", ko = \"빌려 쓰는 스레드.\" }",
            "summary = { en = \"x\" }",
            "`concepts[1].summary` (concept `compiling`)",
        ),
    ];
    for (from, to, field) in cases {
        let ws = scratch();
        edit_info(&ws.root, from, to);
        let text = fs::read_to_string(ws.root.join("info.toml")).unwrap();
        let changed = to.lines().last().unwrap();
        let err = refused(&ws.root);
        assert!(
            err.contains(&format!("line {}", line_of(&text, changed))),
            "{err}"
        );
        let message: String = err
            .lines()
            .filter(|l| !l.contains(" | "))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            message.contains(field),
            "the message must name `{field}` outside the quoted source:\n{err}"
        );
    }
}

#[test]
fn info_toml_problems_are_all_reported_at_once() {
    let ws = scratch();
    let outside = ws.root.parent().unwrap().join("outside.rs");
    fs::write(&outside, "fn main() {}\n").unwrap();
    edit_info(
        &ws.root,
        "concept = \"compiling\"",
        "concept = \"compling\"",
    );
    // A second `count_racy`, and paths that leave their folder.
    let text = fs::read_to_string(ws.root.join("info.toml")).unwrap();
    let entry = |name: &str, path: &str| {
        format!(
            "\n[[exercises]]\nname = \"{name}\"\npath = \"{path}\"\nconcept = \"counting\"\nkind = \"model\"\nhints = [{{ en = \"h\", ko = \"h\" }}]\n"
        )
    };
    let extra = [
        entry("count_racy", "01_counting/count_racy.rs"),
        entry("dotdot", "../outside.rs"),
        entry("absolute", &outside.display().to_string()),
        entry("linked", "01_counting/linked.rs"),
        entry("linked_folder", "elsewhere/gone.rs"),
    ]
    .concat();
    fs::write(ws.root.join("info.toml"), text + &extra).unwrap();
    // `linked` exists in all three folders, but the exercise file is a link to a file outside exercises/.
    for dir in ["solutions", "runner/checks"] {
        fs::write(ws.root.join(dir).join("01_counting/linked.rs"), "").unwrap();
    }
    std::os::unix::fs::symlink(&outside, ws.root.join("exercises/01_counting/linked.rs")).unwrap();
    // `linked_folder`: the exercise file is missing (a learner may delete it), but its folder leads outside.
    for dir in ["solutions", "runner/checks"] {
        fs::create_dir(ws.root.join(dir).join("elsewhere")).unwrap();
        fs::write(ws.root.join(dir).join("elsewhere/gone.rs"), "").unwrap();
    }
    std::os::unix::fs::symlink(
        ws.root.parent().unwrap(),
        ws.root.join("exercises/elsewhere"),
    )
    .unwrap();
    // Missing files: a solution and a check.
    fs::remove_file(ws.root.join("solutions/01_counting/count_solved.rs")).unwrap();
    fs::remove_file(ws.root.join("runner/checks/02_compiling/compile_fix.rs")).unwrap();

    let err = refused(&ws.root);
    for problem in [
        "exercise `compile_fix`: unknown concept `compling`",
        "concept `compiling` has no exercises",
        "exercise `count_racy` is defined twice",
        "exercise `dotdot`: path `../outside.rs` must not contain `..`",
        "exercise `absolute`: path `/",
        "must be relative to exercises/",
        "exercise `linked`: exercises/01_counting/linked.rs is a link that leads outside exercises/",
        "exercise `linked_folder`: exercises/elsewhere/gone.rs is a link that leads outside exercises/",
        "exercise `count_solved`: solution solutions/01_counting/count_solved.rs is missing",
        "exercise `compile_fix`: check runner/checks/02_compiling/compile_fix.rs is missing",
    ] {
        assert!(err.contains(problem), "missing `{problem}` in\n{err}");
    }
    assert!(err.contains("info.toml has 9 problem(s)"), "{err}");
    assert_eq!(fs::read_to_string(&outside).unwrap(), "fn main() {}\n");
}

#[test]
fn info_toml_rejects_names_that_would_break_the_check_build() {
    // Every exercise of a kind is one program of a generated cargo package: a name cargo refuses, or one equal
    // to another program's (`NAME__solution`, `NAME__wrong__VARIANT`), would break the checks of all of them.
    for (name, why) in [
        ("deps", "cargo reserves"),
        ("build", "cargo reserves"),
        ("count_racy__solution", "`__`"),
        ("count_racy__wrong__swap_after_load", "`__`"),
    ] {
        let ws = scratch();
        edit_info(
            &ws.root,
            "name = \"count_solved\"",
            &format!("name = \"{name}\""),
        );
        let err = refused(&ws.root);
        assert!(
            err.contains(&format!("exercise `{name}`")) && err.contains(why),
            "{err}"
        );
    }
}

#[test]
fn info_toml_format_version_must_match() {
    let ws = scratch();
    edit_info(&ws.root, "format_version = 1", "format_version = 2");
    let err = refused(&ws.root);
    assert!(err.contains("format_version is 2"), "{err}");
}

// ---------------------------------------------------------------------------------------------------------------
// the progress file: corrupt, stale, unwritable

/// The files beside info.toml whose names start with `prefix`.
fn files_starting(root: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_message_and_rebuilt() {
    for garbage in [
        &b"done = [\"count_solved\""[..],         // cut short
        b"done = \"count_solved\"\n",             // wrong type
        b"current = \"count_racy\"\nlevel = 3\n", // unknown key
        b"done = [\"count_\xff\xfe\"]\n",         // not UTF-8
    ] {
        let ws = scratch();
        fs::write(ws.root.join(PROGRESS), garbage).unwrap();
        let out = run(&ws.root, &["list", "--json"]);
        out.code(0);
        assert!(
            out.stderr.contains("note:") && out.stderr.contains("was unreadable"),
            "{}",
            out.both()
        );
        let aside = files_starting(&ws.root, &format!("{PROGRESS}.corrupt-"));
        assert_eq!(aside.len(), 1, "{}", out.both());
        assert!(
            out.stderr.contains(&aside[0]),
            "the message names where it went:\n{}",
            out.both()
        );
        assert_eq!(
            fs::read(ws.root.join(&aside[0])).unwrap(),
            garbage,
            "kept as it was"
        );
        assert!(!ws.root.join(PROGRESS).exists());
        let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|e| e["state"] == "pending"),
            "{list:#}"
        );
        // The next command that records something writes a fresh, valid file, and says nothing more.
        let out = run(&ws.root, &["reset", "count_racy"]);
        out.code(0);
        assert!(!out.stderr.contains("unreadable"), "{}", out.both());
        assert_eq!(
            read_progress(&ws.root),
            Progress {
                current: None,
                done: done(&[])
            }
        );
    }
}

#[test]
fn progress_naming_a_removed_exercise_drops_it_with_a_message() {
    let ws = scratch();
    write_progress(
        &ws.root,
        "current = \"gone\"\ndone = [\"gone\", \"count_solved\"]\n",
    );
    let out = run(&ws.root, &["progress"]);
    out.code(0);
    assert!(
        out.stderr.contains("`gone` is no longer in info.toml"),
        "{}",
        out.both()
    );
    assert!(
        out.stdout.contains("1 of 3 exercises done"),
        "{}",
        out.both()
    );
}

#[test]
fn an_unwritable_progress_path_is_a_warning_not_a_failure() {
    // Tests may run as root, where permissions are not enforced: a directory where the progress file should be
    // makes both reading and the final rename fail, whoever runs.
    let ws = scratch();
    run(&ws.root, &["list"]).code(0); // keeps the originals
    fs::write(ws.root.join("exercises/01_counting/count_racy.rs"), EDITED).unwrap();
    fs::create_dir(ws.root.join(PROGRESS)).unwrap();
    let out = run(&ws.root, &["reset", "count_racy"]);
    out.code(0);
    assert!(out.stderr.contains("cannot read"), "{}", out.both());
    assert!(
        out.stderr.contains("warning: cannot save progress"),
        "{}",
        out.both()
    );
    let racy = "exercises/01_counting/count_racy.rs";
    assert_eq!(
        fs::read_to_string(ws.root.join(racy)).unwrap(),
        shipped(racy),
        "the reset itself happened"
    );
    assert!(ws.root.join(PROGRESS).is_dir());
    assert_eq!(
        files_starting(&ws.root, &format!(".{PROGRESS}")),
        Vec::<String>::new(),
        "temp file left"
    );
    for args in [&["list"][..], &["progress"], &["hint", "count_racy"]] {
        run(&ws.root, args).code(0);
    }
}

/// The runner as a user that cannot write where root owns the folder: as root, the unprivileged `nobody`, with
/// the workspace given to it first (except what the test makes read-only afterwards).
fn unprivileged(runner: &Path, root: &Path, args: &[&str]) -> assert_cmd::Command {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(runner);
    command
        .current_dir(root)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        const NOBODY: u32 = 65534;
        fn give(path: &Path) {
            std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).unwrap();
            if fs::symlink_metadata(path).unwrap().is_dir() {
                for entry in fs::read_dir(path).unwrap() {
                    give(&entry.unwrap().path());
                }
            }
        }
        give(root);
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.parent().unwrap(), fs::Permissions::from_mode(0o755)).unwrap();
        command.uid(NOBODY).gid(NOBODY);
    }
    command.args(args);
    assert_cmd::Command::from_std(command)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_workspace_folder_gives_clear_messages_not_a_panic() {
    let (ws, runner) = match common::scratch_for_others() {
        Ok(found) => found,
        Err(why) => {
            eprintln!("skipped: the runner cannot be run as another user here: {why}");
            return;
        }
    };
    let unprivileged = |root: &Path, args: &[&str]| unprivileged(&runner, root, args);
    let mut first = unprivileged(&ws.root, &["list"]);
    set_mode(&ws.root, 0o555);
    // Nothing can be kept for `reset` yet: said once, and the listing still works.
    let out = run_cmd(&mut first);
    set_mode(&ws.root, 0o755);
    out.code(0);
    assert!(out.stderr.contains("cannot keep a copy"), "{}", out.both());
    assert!(out.stdout.contains("count_racy"), "{}", out.both());
    assert!(!ws.root.join(".conc-lings").exists());

    // With the originals kept, a reset still restores the file; only the progress cannot be saved.
    run_cmd(&mut unprivileged(&ws.root, &["list"])).code(0);
    let racy = ws.root.join("exercises/01_counting/count_racy.rs");
    fs::write(&racy, EDITED).unwrap();
    let mut reset = unprivileged(&ws.root, &["reset", "count_racy"]);
    set_mode(&ws.root, 0o555);
    let out = run_cmd(&mut reset);
    set_mode(&ws.root, 0o755);
    out.code(0);
    assert!(
        out.stderr.contains("warning: cannot save progress"),
        "{}",
        out.both()
    );
    assert!(out.stderr.contains("read-only"), "{}", out.both());
    assert_eq!(
        fs::read_to_string(&racy).unwrap(),
        shipped("exercises/01_counting/count_racy.rs")
    );
    assert!(!ws.root.join(PROGRESS).exists());

    // Checking needs a build folder: a clear error (exit 2, not 1: no verdict), naming the folder.
    let mut check = unprivileged(&ws.root, &["run", "count_racy"]);
    set_mode(&ws.root, 0o555);
    let out = run_cmd(&mut check);
    set_mode(&ws.root, 0o755);
    out.code(2);
    assert!(
        out.stderr.contains("cannot create") && out.stderr.contains("target/conc-lings"),
        "{}",
        out.both()
    );
    // And in Korean for a Korean learner.
    let mut check = unprivileged(&ws.root, &["--lang", "ko", "run", "count_racy"]);
    set_mode(&ws.root, 0o555);
    let out = run_cmd(&mut check);
    set_mode(&ws.root, 0o755);
    out.code(2);
    assert!(
        out.stderr.contains("폴더를 만들 수 없습니다") && !out.stderr.contains("cannot create"),
        "{}",
        out.both()
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Korean

#[test]
fn lang_ko_speaks_korean_in_every_command() {
    let ws = scratch();
    write_progress(&ws.root, "done = [\"count_solved\", \"count_racy\"]\n");
    let out = run(&ws.root, &["--lang", "ko", "list"]);
    out.code(0);
    assert!(
        out.stdout.contains("세기") && out.stdout.contains("컴파일"),
        "{}",
        out.both()
    );
    assert!(
        line_with(&out.stdout, "compile_fix").contains("미완료"),
        "{}",
        out.stdout
    );
    assert!(
        line_with(&out.stdout, "count_racy").contains("완료"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("Counting") && !out.stdout.contains("pending"),
        "{}",
        out.stdout
    );

    let out = run(&ws.root, &["progress", "--lang", "ko"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("연습 문제 3개 중 2개 완료, 개념 2개 중 1개 통과."),
        "{}",
        out.both()
    );

    let out = run(
        &ws.root,
        &["--lang", "ko", "hint", "count_racy", "--level", "3"],
    );
    out.code(0);
    assert!(
        out.stdout.contains("count_racy 힌트 3개 중 3번째"),
        "{}",
        out.both()
    );
    assert!(
        out.stdout.contains("`fetch_add`를 쓰세요."),
        "{}",
        out.both()
    );

    let out = run(
        &ws.root,
        &["--lang", "ko", "hint", "count_racy", "--level", "9"],
    );
    out.code(2);
    assert!(
        out.stderr.contains("힌트 단계는 1부터 3까지입니다"),
        "{}",
        out.both()
    );

    // Without --lang, the locale decides; LC_ALL wins over LANG.
    let korean = run_cmd(cmd(&ws.root).env("LANG", "ko_KR.UTF-8").arg("progress"));
    assert!(
        korean.stdout.contains("개념 2개 중 1개 통과"),
        "{}",
        korean.both()
    );
    let english = run_cmd(
        cmd(&ws.root)
            .env("LANG", "ko_KR.UTF-8")
            .env("LC_ALL", "en_US.UTF-8")
            .arg("progress"),
    );
    assert!(
        english.stdout.contains("1 of 2 concepts passed"),
        "{}",
        english.both()
    );
}

// ---------------------------------------------------------------------------------------------------------------
// run, verify and dev check: these build check programs, in the one shared workspace

#[test]
fn run_passes_a_solved_exercise_and_records_it() {
    let ws = shared();
    let out = run(&ws.root, &["run", "count_solved"]);
    out.code(0);
    assert!(
        out.stdout.contains("✓ count_solved passed all 2 checks"),
        "{}",
        out.both()
    );
    assert_eq!(read_progress(&ws.root).done, done(&["count_solved"]));
}

#[test]
fn run_fails_a_racy_exercise_and_shows_the_interleaving_in_the_learners_code() {
    let ws = shared();
    write_progress(&ws.root, "done = [\"count_racy\", \"count_solved\"]\n");
    let out = run(&ws.root, &["run", "count_racy"]);
    out.code(1);
    let stdout = &out.stdout;
    assert!(
        stdout.contains("✗ check 2 of 2 failed: two threads add once each: the count is 2"),
        "{}",
        out.both()
    );
    assert!(
        stdout.contains("The interleaving that broke it"),
        "{}",
        out.both()
    );
    // Each of the learner's two steps, with its line number and its source text, once per thread.
    let source = shipped("exercises/01_counting/count_racy.rs");
    for step in [
        "let seen = self.n.load(Ordering::Relaxed);",
        "self.n.store(seen + 1, Ordering::Relaxed);",
    ] {
        let at = format!("count_racy.rs:{}", line_of(&source, step));
        let lines = stdout
            .lines()
            .filter(|l| l.contains(&at) && l.contains(step))
            .count();
        assert_eq!(lines, 2, "`{at}   {step}` once per thread:\n{stdout}");
    }
    // The lost update: both threads read 0, so the last store writes 1.
    assert_eq!(stdout.matches("reads `n` = 0").count(), 2, "{stdout}");
    assert!(stdout.contains("expected 2, but got 1"), "{stdout}");
    // A failing run takes the exercise out of `done`.
    assert_eq!(read_progress(&ws.root).done, done(&["count_solved"]));
}

#[test]
fn run_shows_a_compile_error_at_the_learners_line() {
    let ws = shared();
    let out = run(&ws.root, &["run", "compile_fix"]);
    out.code(1);
    let source = shipped("exercises/02_compiling/compile_fix.rs");
    let line = line_of(&source, "thread::spawn(||");
    assert!(
        out.stdout.contains("It does not compile yet"),
        "{}",
        out.both()
    );
    assert!(out.stdout.contains("error[E0373]"), "{}", out.both());
    assert!(
        out.stdout
            .contains(&format!("exercises/02_compiling/compile_fix.rs:{line}:")),
        "{}",
        out.both()
    );
    // Paths read as the learner knows them, never the temporary or build folders.
    assert!(
        !out.stdout.contains(ws.root.to_str().unwrap()),
        "{}",
        out.both()
    );
}

#[test]
fn run_in_korean_shows_korean_titles_and_steps() {
    let ws = shared();
    let out = run(&ws.root, &["--lang", "ko", "run", "count_racy"]);
    out.code(1);
    for korean in [
        "검사 2개 중 2번째 실패: 두 스레드가 한 번씩 더함: 합계는 2",
        "실패한 실행 순서",
        "기대한 값은 2, 실제 값은 1",
    ] {
        assert!(out.stdout.contains(korean), "`{korean}` in\n{}", out.both());
    }
    assert!(!out.stdout.contains("The interleaving"), "{}", out.both());
}

/// Puts the reference solutions in place of the learner's files (restored by the next `shared()`).
fn solve(root: &Path, names: &[&str]) {
    for (name, _, _, path) in EXERCISES {
        if names.contains(&name) {
            fs::copy(
                root.join("solutions").join(path),
                root.join("exercises").join(path),
            )
            .unwrap();
        }
    }
}

#[test]
fn fixing_then_resetting_an_exercise_flips_its_verdict_and_progress() {
    let ws = shared();
    run(&ws.root, &["list"]).code(0); // the runner has seen the originals
    write_progress(&ws.root, "done = [\"count_solved\"]\n");
    solve(&ws.root, &["count_racy"]);
    // Without a name, `run` checks the current exercise: the first not done.
    let out = run(&ws.root, &["run"]);
    out.code(0);
    assert!(
        out.stdout.contains("count_racy passed all 2 checks"),
        "{}",
        out.both()
    );
    assert_eq!(
        read_progress(&ws.root).done,
        done(&["count_racy", "count_solved"])
    );
    run(&ws.root, &["reset", "count_racy"]).code(0);
    assert_eq!(read_progress(&ws.root).done, done(&["count_solved"]));
    run(&ws.root, &["run", "count_racy"]).code(1);
}

#[test]
fn verify_text_lists_every_verdict_and_fails_if_any_fails() {
    let ws = shared();
    write_progress(&ws.root, "done = [\"compile_fix\"]\n");
    let out = run(&ws.root, &["verify"]);
    out.code(1);
    let stdout = &out.stdout;
    assert!(
        line_with(stdout, "count_solved").starts_with('✓'),
        "{stdout}"
    );
    let racy = line_with(stdout, "count_racy");
    assert!(
        racy.starts_with('✗') && racy.contains("check 2 of 2 failed"),
        "{stdout}"
    );
    let compile = line_with(stdout, "compile_fix");
    assert!(
        compile.starts_with('✗') && compile.contains("does not compile"),
        "{stdout}"
    );
    assert!(stdout.contains("1 of 3 exercises pass."), "{stdout}");
    // verify records every verdict.
    assert_eq!(read_progress(&ws.root).done, done(&["count_solved"]));
}

#[test]
fn verify_text_with_colours_marks_each_exercise_once() {
    let ws = shared();
    let out = run(&ws.root, &["--color", "always", "verify"]);
    out.code(1);
    let plain = console::strip_ansi_codes(&out.stdout).into_owned();
    for name in ["count_racy", "compile_fix"] {
        let line = line_with(&plain, name);
        assert_eq!(line.matches('✗').count(), 1, "{line}");
    }
    assert!(out.stdout.contains("\x1b["), "colours were asked for");
}

#[test]
fn verify_json_has_one_verdict_per_exercise() {
    let ws = shared();
    let out = run(&ws.root, &["verify", "--format", "json", "--jobs", "1"]);
    out.code(1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect(&out.stdout);
    let verdicts = json["verdicts"].as_array().expect("an array of verdicts");
    let got: Vec<(&str, &str, &str)> = verdicts
        .iter()
        .map(|v| {
            (
                v["exercise"].as_str().unwrap(),
                v["source"].as_str().unwrap(),
                v["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("count_solved", "exercise", "passed"),
            ("count_racy", "exercise", "failed"),
            ("compile_fix", "exercise", "compile_error"),
        ]
    );
    assert_eq!(verdicts[0]["checks"].as_array().unwrap().len(), 2);
    let failed = verdicts[1]["checks"].as_array().unwrap();
    assert_eq!(failed.last().unwrap()["index"], 1, "{json:#}");
    assert!(
        verdicts[2]["rendered"].as_str().unwrap().contains("E0373"),
        "{json:#}"
    );
    // Colours are for terminals: JSON is read by programs, even with --color always.
    let out = run(
        &ws.root,
        &["--color", "always", "verify", "--format", "json"],
    );
    out.code(1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect(&out.stdout);
    let rendered = json["verdicts"][2]["rendered"].as_str().unwrap();
    assert!(
        rendered.contains("E0373") && !rendered.contains('\x1b'),
        "{rendered:?}"
    );
}

/// A `<...>` element of a parsed XML document.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: std::collections::BTreeMap<String, String>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .map_or_else(|| panic!("no {name} on {self:?}"), String::as_str)
    }

    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        if self.name == name {
            out.push(self);
        }
        for child in &self.children {
            child.all(name, out);
        }
    }

    fn find_all(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }
}

/// Parses `xml` with quick-xml, failing on anything not well-formed: a syntax error, a mismatched or unclosed
/// tag, more than one root, or a character XML 1.0 does not allow (quick-xml lets those through).
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::Event;
    let bad = xml.char_indices().find(|&(_, c)| {
        !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    });
    if let Some((at, c)) = bad {
        panic!("character {c:?} at byte {at} is not allowed in XML:\n{xml}");
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    let element = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"))
        {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                let c = match name.as_ref() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unknown entity &{other};"),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements:\n{xml}");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element:\n{xml}");
    document.children.pop().unwrap()
}

/// Checks a JUnit report of the fixture as shipped: well-formed, one testsuite per concept, one testcase per
/// exercise, two failures with their rendered verdicts.
fn check_junit(xml: &str) {
    let root = parse_xml(xml);
    assert_eq!(root.name, "testsuites");
    assert_eq!(
        (root.attr("tests"), root.attr("failures")),
        ("3", "2"),
        "{xml}"
    );
    let suites = root.find_all("testsuite");
    let suite_names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(suite_names, ["Counting", "Compiling"]);
    assert_eq!(
        (suites[0].attr("tests"), suites[0].attr("failures")),
        ("2", "1")
    );
    assert_eq!(
        (suites[1].attr("tests"), suites[1].attr("failures")),
        ("1", "1")
    );
    let cases = root.find_all("testcase");
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    assert_eq!(names, ["count_solved", "count_racy", "compile_fix"]);
    for case in &cases {
        let _: f64 = case.attr("time").parse().expect("time is seconds");
    }
    assert!(cases[0].find_all("failure").is_empty(), "{xml}");
    let racy = cases[1].find_all("failure");
    assert_eq!(racy.len(), 1, "{xml}");
    assert_eq!(racy[0].attr("type"), "failed");
    assert!(
        racy[0].attr("message").contains("check 2 of 2 failed"),
        "{xml}"
    );
    assert!(
        racy[0].text.contains("self.n.load(Ordering::Relaxed)"),
        "{xml}"
    );
    let compile = cases[2].find_all("failure");
    assert_eq!(compile[0].attr("type"), "compile_error");
    // The rendered error survives escaping: `sum::<u32>()` comes back from `&lt;` and `&gt;`.
    assert!(
        compile[0].text.contains("E0373") && compile[0].text.contains("sum::<u32>()"),
        "{xml}"
    );
    assert_eq!(root.find_all("failure").len(), 2);
}

#[test]
fn verify_junit_is_well_formed_with_one_testcase_per_exercise() {
    let ws = shared();
    let out = run(&ws.root, &["verify", "--format", "junit"]);
    out.code(1);
    check_junit(&out.stdout);
}

#[test]
fn verify_junit_stays_well_formed_with_colours_on() {
    // Compile errors keep rustc's colours when colours are on; escape codes are not allowed in XML 1.0.
    let ws = shared();
    let out = run(
        &ws.root,
        &["--color", "always", "verify", "--format", "junit"],
    );
    out.code(1);
    check_junit(&out.stdout);
}

#[test]
fn verify_passes_when_every_exercise_is_fixed() {
    let ws = shared();
    solve(&ws.root, &["count_racy", "compile_fix"]);
    let out = run(&ws.root, &["verify"]);
    out.code(0);
    assert!(
        out.stdout.contains("3 of 3 exercises pass."),
        "{}",
        out.both()
    );
    let out = run(&ws.root, &["progress"]);
    assert!(
        out.stdout
            .contains("3 of 3 exercises done; 2 of 2 concepts passed."),
        "{}",
        out.both()
    );
    let out = run(&ws.root, &["verify", "--format", "junit"]);
    out.code(0);
    let root = parse_xml(&out.stdout);
    assert_eq!((root.attr("tests"), root.attr("failures")), ("3", "0"));
    assert!(root.find_all("failure").is_empty());
}

#[test]
fn dev_check_accepts_a_sound_exercise_and_catches_one_that_already_passes() {
    let ws = shared();
    let out = run(
        &ws.root,
        &["dev", "check", "--repeat", "1", "--only", "count_racy"],
    );
    out.code(0);
    assert!(
        out.stdout.contains("dev check: 1 exercises, all good."),
        "{}",
        out.both()
    );
    assert!(
        line_with(&out.stdout, "count_racy").contains("2 wrong variants"),
        "{}",
        out.both()
    );
    let out = run(
        &ws.root,
        &["dev", "check", "--repeat", "1", "--only", "count_solved"],
    );
    out.code(1);
    assert!(
        out.stdout
            .contains("count_solved: the exercise as shipped already passes"),
        "{}",
        out.both()
    );
    assert!(
        out.stdout
            .contains("count_solved: has 0 known-wrong variants, needs at least 2"),
        "{}",
        out.both()
    );
    run(&ws.root, &["dev", "check", "--only", "nope"]).code(2);
}

#[test]
fn dev_check_says_which_version_does_not_compile_and_still_checks_the_others() {
    // The authors' versions of an exercise are built as one program; one that does not compile must be named
    // alone, with its own error, and the others must still get their verdicts.
    let ws = shared();
    let variants = ws.root.join("runner/checks/01_counting/count_racy");
    let broken = variants.join("adds_a_string.rs");
    let text = shipped("runner/checks/01_counting/count_racy/swap_after_load.rs").replace(
        "self.n.swap(seen + 1, Ordering::Relaxed);",
        "self.n.swap(seen + \"1\", Ordering::Relaxed);",
    );
    std::fs::write(&broken, text).unwrap();
    let out = run(
        &ws.root,
        &["dev", "check", "--repeat", "1", "--only", "count_racy"],
    );
    std::fs::remove_file(&broken).unwrap();
    out.code(1);
    assert!(
        out.stdout
            .contains("count_racy: wrong variant `adds_a_string` must compile and fail a check"),
        "{}",
        out.both()
    );
    assert!(
        out.stdout.contains("adds_a_string.rs"),
        "its own error: {}",
        out.both()
    );
    assert!(
        line_with(&out.stdout, "count_racy ").contains("solution passes 1/1")
            && line_with(&out.stdout, "count_racy ").contains("2/3 wrong variants fail every run"),
        "{}",
        out.both()
    );
    assert!(
        !out.stdout.contains("swap_after_load") && !out.stdout.contains("stronger_ordering"),
        "the versions that compile get their verdicts: {}",
        out.both()
    );
}

// ---------------------------------------------------------------------------------------------------------------
// kill -9 during a progress write

/// A small xorshift generator: random kill moments without a dependency, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The progress file's identity and size: a rename or an in-place write changes it.
fn file_id(path: &Path) -> Option<(u64, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).ok()?;
    Some((m.ino(), m.len(), m.modified().ok()?))
}

#[test]
fn kill_9_during_a_progress_write_never_leaves_an_unreadable_progress_file() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let ws = scratch();
    let root = &ws.root;
    run(root, &["list"]).code(0); // keeps the originals, so every later run only writes what it changes
    let progress = root.join(PROGRESS);
    let temp_prefix = format!(".{PROGRESS}.tmp");
    let seed_text =
        "current = \"count_racy\"\ndone = [\"compile_fix\", \"count_racy\", \"count_solved\"]\n";
    let seed = Progress {
        current: Some("count_racy".into()),
        done: done(&["compile_fix", "count_racy", "count_solved"]),
    };
    // Each command rewrites progress to a different, known state.
    let commands: [(&[&str], Progress); 2] = [
        (
            &["reset", "count_racy"],
            Progress {
                current: Some("count_racy".into()),
                done: done(&["compile_fix", "count_solved"]),
            },
        ),
        (
            &["reset", "--all"],
            Progress {
                current: Some("count_racy".into()),
                done: done(&[]),
            },
        ),
    ];
    let racy = root.join("exercises/01_counting/count_racy.rs");
    let prepare = || {
        // The seed goes in whole, the way the runner writes: temp file, then rename.
        let tmp = root.join("seed.tmp");
        fs::write(&tmp, seed_text).unwrap();
        fs::rename(&tmp, &progress).unwrap();
        fs::write(&racy, EDITED).unwrap();
    };
    let spawn = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_conc-lings"))
            .args(args)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long an uninterrupted run takes, to spread random kills over it.
    let started = Instant::now();
    for (args, expected) in &commands {
        prepare();
        assert!(spawn(args).wait().unwrap().success());
        assert_eq!(&read_progress(root), expected);
    }
    let typical = started.elapsed().as_micros() as u64 / commands.len() as u64;

    let seed_rng = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("kill -9 test: rng seed {seed_rng}, a run takes {typical} µs");
    let mut rng = Rng(seed_rng);
    let (mut torn, mut before, mut after) = (0, 0, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    for round in 0..200 {
        if Instant::now() > deadline {
            break;
        }
        prepare();
        let seed_id = file_id(&progress);
        let (args, expected) = &commands[round % 2];
        let mut child = spawn(args);
        let own_temp = root.join(format!("{temp_prefix}-{}", child.id()));
        if round % 4 < 2 {
            // Aimed: kill the moment the progress file or its temp file starts to change.
            loop {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if own_temp.exists() || file_id(&progress) != seed_id {
                    break;
                }
            }
        } else {
            // Anywhere in the run.
            std::thread::sleep(Duration::from_micros(rng.below(typical + typical / 4)));
        }
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();

        let text = fs::read_to_string(&progress).unwrap_or_else(|e| {
            panic!("round {round}: the progress file is gone or unreadable: {e}")
        });
        let parsed: Progress = toml::from_str(&text).unwrap_or_else(|e| {
            panic!("round {round} ({args:?}): progress does not parse: {e}\n{text:?}")
        });
        assert!(
            parsed == seed || &parsed == expected,
            "round {round} ({args:?}): progress is neither the old nor the new state:\n{text}"
        );
        let exercise = fs::read_to_string(&racy).unwrap();
        assert!(
            exercise == EDITED || exercise == shipped("exercises/01_counting/count_racy.rs"),
            "round {round}: a half-written exercise file:\n{exercise}"
        );
        // A temp file of this very process: it was killed between writing the new state and the rename.
        if own_temp.exists() {
            torn += 1;
        }
        if parsed == seed {
            before += 1;
        } else {
            after += 1;
        }
    }
    println!(
        "kill -9 test: {torn} kills during a write, {before} before the rename, {after} after it"
    );
    assert!(
        torn > 0,
        "no kill landed while a progress write was under way: the test proved nothing"
    );
    assert!(
        before > 0 && after > 0,
        "kills before: {before}, after: {after}"
    );
    // And the runner itself reads what is left without a word, and clears what killed writers left behind.
    let out = run(root, &["progress"]);
    out.code(0);
    assert!(out.stderr.is_empty(), "{}", out.both());
    for dir in [root.to_path_buf(), root.join("exercises/01_counting")] {
        let left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(
            left.is_empty(),
            "{} temp files of killed runs left in {}, e.g. {:?}",
            left.len(),
            dir.display(),
            &left[..left.len().min(3)]
        );
    }
}
