//! Grading mode: only the student's exercise files are judged. The hidden checks, the facade, info.toml and the
//! runner come from the instructor's pinned copy of the template (a second checkout), and every file of the
//! student's repository that should be identical to it is compared: an edited check, facade, solution or
//! info.toml, or a deleted exercise entry, is reported by file and fails the run.

use std::path::{Path, PathBuf};

/// What the student's repository may not change: everything except their exercise files.
const PROTECTED: [&str; 7] = [
    "info.toml",
    "Cargo.toml",
    "Cargo.lock",
    "exercises/Cargo.toml",
    "solutions",
    "runner",
    ".github/workflows",
];

/// Folders inside protected ones that are build output, not source.
const IGNORED: [&str; 1] = ["target"];

/// One way the student's copy differs from the template.
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct Tamper {
    pub path: String,
    pub what: &'static str,
}

/// Every protected file of the template that is missing or different in the student's repository, and every
/// exercise of the template that the student's info.toml no longer lists.
pub fn tampering(template: &Path, student: &Path) -> Vec<Tamper> {
    let mut found = Vec::new();
    for protected in PROTECTED {
        for file in files(&template.join(protected)) {
            let rel = file
                .strip_prefix(template)
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            let theirs = student.join(&rel);
            let what = match (std::fs::symlink_metadata(&theirs), std::fs::read(&theirs)) {
                (Err(_), _) => Some("deleted"),
                (Ok(m), _) if m.file_type().is_symlink() => Some("replaced by a link"),
                (Ok(_), Ok(bytes)) if std::fs::read(&file).is_ok_and(|ours| ours == bytes) => None,
                _ => Some("changed"),
            };
            if let Some(what) = what {
                found.push(Tamper { path: rel, what });
            }
        }
    }
    // Say plainly which exercises an edited info.toml dropped: the usual way to skip a hard one.
    let theirs = exercise_names(student);
    for name in exercise_names(template) {
        if !theirs.contains(&name) {
            found.push(Tamper {
                path: format!("info.toml: exercise `{name}`"),
                what: "removed",
            });
        }
    }
    found
}

/// The exercise names an info.toml lists, read leniently: the student's copy may be broken on purpose.
fn exercise_names(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("info.toml")).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    let exercises = table
        .get("exercises")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    exercises
        .iter()
        .filter_map(|e| e.get("name")?.as_str().map(String::from))
        .collect()
}

/// Regular files under `path` (or `path` itself), skipping build output. Links in the template are followed:
/// it is the trusted copy.
fn files(path: &Path) -> Vec<PathBuf> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    if meta.is_file() {
        return vec![path.to_path_buf()];
    }
    if !meta.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry
            .file_name()
            .is_some_and(|n| IGNORED.iter().any(|i| n == *i))
        {
            continue;
        }
        out.extend(files(&entry));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn identical_copies_have_nothing_to_report_and_exercises_may_differ() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for root in [a.path(), b.path()] {
            write(root, "runner/checks/t/x.rs", "check");
            write(root, "runner/target/debug/junk", "build output");
        }
        write(a.path(), "exercises/t/x.rs", "broken");
        write(b.path(), "exercises/t/x.rs", "solved");
        write(b.path(), "runner/target/debug/junk", "other build output");
        assert_eq!(tampering(a.path(), b.path()), vec![]);
    }

    #[test]
    fn a_template_and_a_student_without_solutions_have_nothing_to_report() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for root in [a.path(), b.path()] {
            write(root, "runner/checks/t/x.rs", "check");
            write(
                root,
                "Cargo.toml",
                "[workspace]\nmembers = [\"exercises\"]\n",
            );
        }
        assert_eq!(tampering(a.path(), b.path()), vec![]);
        // A student who adds a solutions/ folder changes nothing that grading uses.
        write(b.path(), "solutions/t/x.rs", "copied from somewhere");
        assert_eq!(tampering(a.path(), b.path()), vec![]);
    }

    #[test]
    fn changed_deleted_and_linked_files_are_reported_by_path() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for root in [a.path(), b.path()] {
            write(root, "runner/conc/src/lib.rs", "facade");
        }
        write(a.path(), "runner/checks/t/x.rs", "assert!(ok)");
        write(b.path(), "runner/checks/t/x.rs", "// assert!(ok)");
        write(a.path(), "solutions/t/x.rs", "solution");
        write(a.path(), "runner/checks/t/y.rs", "check y");
        std::os::unix::fs::symlink("/dev/null", b.path().join("runner/checks/t/y.rs")).unwrap();
        let found = tampering(a.path(), b.path());
        assert_eq!(
            found,
            vec![
                Tamper {
                    path: "solutions/t/x.rs".into(),
                    what: "deleted"
                },
                Tamper {
                    path: "runner/checks/t/x.rs".into(),
                    what: "changed"
                },
                Tamper {
                    path: "runner/checks/t/y.rs".into(),
                    what: "replaced by a link"
                },
            ]
        );
    }
}
