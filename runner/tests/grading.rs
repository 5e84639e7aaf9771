//! Classroom integrity: `verify --grading --template DIR` judges only the student's exercise files, and any
//! edit to what must stay as the template has it fails the run, named by file.

mod support;

use std::path::Path;
use support::{conc_lings, copy_tree, exercise, solution, workspace};

/// The instructor's pinned template, and a student's repository made from it with the exercise solved.
fn template_and_solved_student() -> (tempfile::TempDir, tempfile::TempDir) {
    let template = workspace();
    let student = tempfile::tempdir().unwrap();
    copy_tree(template.path(), student.path());
    std::fs::write(exercise(student.path()), solution(student.path())).unwrap();
    (template, student)
}

fn grade(template: &Path, student: &Path) -> assert_cmd::assert::Assert {
    conc_lings(student)
        .args(["verify", "--grading", "--template"])
        .arg(template)
        .args(["--format", "junit"])
        .assert()
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

#[test]
fn an_untouched_solved_workspace_passes() {
    let (template, student) = template_and_solved_student();
    let out = grade(template.path(), student.path()).success();
    let xml = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(!xml.contains("integrity"), "{xml}");
}

#[test]
fn an_unsolved_exercise_fails_even_when_nothing_was_tampered_with() {
    let template = workspace();
    let student = tempfile::tempdir().unwrap();
    copy_tree(template.path(), student.path());
    grade(template.path(), student.path()).failure().code(1);
}

/// Each kind of tampering, applied to a solved workspace: the run fails, names the file, and the exercise is
/// still judged with the template's check.
fn assert_tampering_detected(tamper: impl FnOnce(&Path), expected: &str) {
    let (template, student) = template_and_solved_student();
    tamper(student.path());
    let out = grade(template.path(), student.path()).failure().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let xml = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stderr.contains(expected),
        "stderr should name {expected}:\n{stderr}"
    );
    assert!(
        xml.contains("type=\"tampering\"") && xml.contains(expected),
        "{xml}"
    );
}

#[test]
fn an_edited_check_is_detected() {
    assert_tampering_detected(
        |s| {
            edit(s, "runner/checks/04_race_condition/fix_the_race.rs", |t| {
                t.replace("assert!(", "let _ = (")
            })
        },
        "runner/checks/04_race_condition/fix_the_race.rs: changed",
    );
}

#[test]
fn an_edited_facade_is_detected() {
    assert_tampering_detected(
        |s| {
            // The facade is a link to the real crate in this fixture: replacing it with a copy and editing that
            // is what a student would do.
            let conc = s.join("runner/conc");
            std::fs::remove_file(&conc).unwrap();
            copy_tree(&support::repo().join("runner/conc"), &conc);
            edit(s, "runner/conc/src/lib.rs", |t| {
                format!("{t}\n// harmless-looking edit\n")
            });
        },
        "runner/conc/src/lib.rs: changed",
    );
}

#[test]
fn an_edited_info_toml_is_detected() {
    assert_tampering_detected(
        |s| {
            edit(s, "info.toml", |t| {
                t.replace("kind = \"model\"", "kind = \"compile\"")
            })
        },
        "info.toml: changed",
    );
}

#[test]
fn a_deleted_exercise_entry_is_detected() {
    assert_tampering_detected(
        |s| {
            edit(s, "info.toml", |t| {
                let start = t.find("[[exercises]]").unwrap();
                t[..start].to_string()
            })
        },
        "info.toml: exercise `fix_the_race`: removed",
    );
}

#[test]
fn an_exercise_that_links_outside_is_not_graded_and_a_path_escape_in_info_toml_is_refused() {
    // The student's exercise file as a link to the template's solution: not judged.
    let (template, student) = template_and_solved_student();
    let file = exercise(student.path());
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(
        template
            .path()
            .join("solutions/04_race_condition/fix_the_race.rs"),
        &file,
    )
    .unwrap();
    let out = grade(template.path(), student.path()).failure().code(1);
    let xml = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(xml.contains("leads outside exercises/"), "{xml}");

    // A path with `..` in info.toml is refused before anything runs.
    let ws = workspace();
    edit(ws.path(), "info.toml", |t| {
        t.replace(
            "path = \"04_race_condition/fix_the_race.rs\"",
            "path = \"../solutions/04_race_condition/fix_the_race.rs\"",
        )
    });
    let out = conc_lings(ws.path())
        .arg("verify")
        .assert()
        .failure()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("must not contain `..`"), "{stderr}");
}

#[test]
fn a_symlinked_check_leading_outside_is_refused() {
    let ws = workspace();
    let check = ws
        .path()
        .join("runner/checks/04_race_condition/fix_the_race.rs");
    std::fs::remove_file(&check).unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        outside.path(),
        "pub fn checks(_: &mut conc_check::Checks) {}",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), &check).unwrap();
    let out = conc_lings(ws.path())
        .arg("verify")
        .assert()
        .failure()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("link that leads outside runner/checks/"),
        "{stderr}"
    );
}
