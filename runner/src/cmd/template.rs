//! `dev template DIR`: the class template — what students get from GitHub Classroom. The repository without the
//! answers: no `solutions/`, no known-wrong or alternative-right variants, no mutation gate files (each
//! exercise's `runner/checks/<topic>/<name>/` folder). The hidden checks stay: grading needs them, and a student
//! who reads one learns what is tested, not how to pass it.
//!
//! Two files change so the copy still builds: `Cargo.toml` loses its `solutions` workspace member (cargo refuses a
//! workspace whose member folder is missing) and `Cargo.lock` the `solutions` package (else the first `cargo
//! run` rewrites the lock, and grading reports it as changed). `grade.yml` runs after Classroom's workflow instead
//! of on every push: Classroom reads the status of the first workflow to finish.

use super::Ctx;
use crate::i18n::Lang;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Build output and the runner's own state: never part of a template.
const LEFT_OUT: [&str; 3] = [".git", "target", crate::app_state::STATE_DIR];

/// `grade.yml`'s trigger as shipped, and as a class template has it.
const GRADE_ON_PUSH: &str = "on:\n  push:\n  workflow_dispatch:\n";
const GRADE_AFTER_CLASSROOM: &str = "# In a class template GitHub Classroom's reporter (classroom.yml) must be the first workflow to finish on a\n# push, so this JUnit report runs after it.\non:\n  workflow_run:\n    workflows: [Autograding Tests]\n    types: [completed]\n  workflow_dispatch:\n";

pub fn run(ctx: &Ctx, out: &Path) -> Result<ExitCode> {
    let ws = &ctx.ws;
    ws.require_solutions("dev template", ctx.lang)?;
    if std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some()) {
        bail!(
            "{}",
            match ctx.lang {
                Lang::En => format!("{} is not empty; give a new or empty folder", out.display()),
                Lang::Ko => format!(
                    "{} 폴더가 비어 있지 않습니다. 새 폴더나 빈 폴더를 주세요",
                    out.display()
                ),
            }
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let out = std::fs::canonicalize(out)?;
    let mut left_out: Vec<PathBuf> = LEFT_OUT.iter().map(|d| ws.root.join(d)).collect();
    left_out.push(ws.root.join("solutions"));
    left_out.extend(ws.info.exercises.iter().map(|ex| ws.wrong_dir(ex)));
    // The template may be written inside the repository: never copy it into itself.
    left_out.push(out.clone());
    let copied = copy(&ws.root, &out, &left_out)?;

    rewrite(&out.join("Cargo.toml"), cargo_toml_without_solutions)?;
    rewrite(&out.join("Cargo.lock"), |text| {
        Ok(cargo_lock_without_solutions(text))
    })?;
    let grade = out.join(".github/workflows/grade.yml");
    if grade.exists() {
        rewrite(&grade, grade_after_classroom)?;
    }
    println!(
        "{}",
        match ctx.lang {
            Lang::En => format!(
                "Wrote the class template to {} ({copied} files): no solutions/, no known-wrong variants or gate files; Cargo.toml, Cargo.lock and grade.yml adjusted.",
                out.display()
            ),
            Lang::Ko => format!(
                "수업용 템플릿을 {}에 썼습니다 (파일 {copied}개). solutions/, 알려진 오답 변형, gate 파일은 뺐고 Cargo.toml, Cargo.lock, grade.yml은 맞게 고쳤습니다.",
                out.display()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Copies `from` into `to`, except the paths in `left_out` and progress files; links stay links. Returns how
/// many files were copied.
fn copy(from: &Path, to: &Path, left_out: &[PathBuf]) -> Result<usize> {
    let mut copied = 0;
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .with_context(|| format!("cannot read {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let progress = entry
            .file_name()
            .to_string_lossy()
            .starts_with(crate::app_state::PROGRESS_FILE);
        if progress || left_out.contains(&source) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&source)?, &target)?;
            copied += 1;
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            copied += copy(&source, &target, left_out)?;
        } else {
            std::fs::copy(&source, &target)
                .with_context(|| format!("cannot copy {}", source.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn rewrite(path: &Path, change: impl FnOnce(&str) -> Result<String>) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let changed = change(&text).with_context(|| format!("{}", path.display()))?;
    std::fs::write(path, changed).with_context(|| format!("cannot write {}", path.display()))
}

/// The root manifest without `solutions` among the workspace's members (comments and layout kept).
pub fn cargo_toml_without_solutions(text: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().context("not valid TOML")?;
    if let Some(workspace) = doc.get_mut("workspace").and_then(|w| w.as_table_like_mut()) {
        for key in ["members", "default-members"] {
            if let Some(list) = workspace.get_mut(key).and_then(|m| m.as_array_mut()) {
                list.retain(|m| m.as_str() != Some("solutions"));
            }
        }
    }
    Ok(doc.to_string())
}

/// The lock file without the `solutions` package, exactly as cargo would write it for a workspace without that
/// member (nothing depends on it, so its entry is all that goes).
pub fn cargo_lock_without_solutions(text: &str) -> String {
    // Cargo writes one package a block, blocks separated by a blank line, none inside one.
    let mut out = text
        .split("\n\n")
        .filter(|block| !block.starts_with("[[package]]\nname = \"solutions\"\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `grade.yml` triggered after Classroom's workflow rather than on push.
fn grade_after_classroom(text: &str) -> Result<String> {
    if !text.contains(GRADE_ON_PUSH) {
        bail!(
            "its trigger is not the shipped `on: push, workflow_dispatch`; change it by hand so that it does not run on push (GitHub Classroom reads the first workflow to finish)"
        );
    }
    Ok(text.replacen(GRADE_ON_PUSH, GRADE_AFTER_CLASSROOM, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"solutions\"\nversion = \"0.0.0\"\ndependencies = [\n \"conc\",\n]\n\n[[package]]\nname = \"strsim\"\nversion = \"0.11.1\"\n";

    #[test]
    fn the_lock_loses_only_the_solutions_package() {
        assert_eq!(
            cargo_lock_without_solutions(LOCK),
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"strsim\"\nversion = \"0.11.1\"\n"
        );
        let last = "version = 4\n\n[[package]]\nname = \"a\"\n\n[[package]]\nname = \"solutions\"\nversion = \"0.0.0\"\n";
        assert_eq!(
            cargo_lock_without_solutions(last),
            "version = 4\n\n[[package]]\nname = \"a\"\n"
        );
        // A lock without it is left as it is, and so is a package whose name only starts the same.
        let other = LOCK.replace("\"solutions\"", "\"solutions-extra\"");
        assert_eq!(cargo_lock_without_solutions(&other), other);
    }

    #[test]
    fn the_manifest_loses_the_solutions_member_and_keeps_its_comments() {
        let text = "[workspace]\n# why\nmembers = [\"runner\", \"exercises\", \"solutions\"]\ndefault-members = [\"runner\"]\n";
        assert_eq!(
            cargo_toml_without_solutions(text).unwrap(),
            "[workspace]\n# why\nmembers = [\"runner\", \"exercises\"]\ndefault-members = [\"runner\"]\n"
        );
    }

    #[test]
    fn grade_yml_runs_after_classroom_and_an_edited_trigger_is_refused() {
        let shipped = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/grade.yml"),
        )
        .unwrap();
        let template = grade_after_classroom(&shipped).unwrap();
        assert!(!template.contains("  push:"), "{template}");
        assert!(template.contains("workflows: [Autograding Tests]"));
        assert!(grade_after_classroom("on: [push]\n").is_err());
    }
}
