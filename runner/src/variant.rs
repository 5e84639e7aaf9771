//! Known-wrong variants kept as patches. A variant is a plausible half-fix: a few changed lines in an otherwise
//! complete file. Kept as a unified diff against the solution (or the exercise), it shows exactly what the
//! half-fix is, and the rest of the file is not copied once per variant.
//!
//! A `.patch` file starts with the explanation (why this answer is wrong), then the diff, whose `---` line names
//! the file it applies to (`solutions/…` or `exercises/…`, relative to the workspace). The runner applies it
//! into `target/conc-lings/variants/` before building. A plain `.rs` variant is used as it is.

use crate::exercise::Workspace;
use anyhow::{Context, Result, anyhow};
use std::path::{Path, PathBuf};

/// The explanation before the diff, and the diff itself.
pub fn split(patch: &str) -> (&str, &str) {
    let start = patch.lines().scan(0, |offset, line| {
        let here = *offset;
        *offset += line.len() + 1;
        Some((here, line))
    });
    match start.into_iter().find(|(_, line)| line.starts_with("--- ")) {
        Some((at, _)) => (&patch[..at], &patch[at..]),
        None => (patch, ""),
    }
}

/// Where the file a patch makes is written.
pub fn output_path(ws: &Workspace, patch_file: &Path) -> PathBuf {
    let rel = patch_file
        .strip_prefix(ws.root.join("runner/checks"))
        .unwrap_or(patch_file);
    crate::check::compile::build_root(ws)
        .join("variants")
        .join(rel)
        .with_extension("rs")
}

/// Applies a variant patch and writes the result under `target/conc-lings/variants/`; returns its path.
pub fn materialize(ws: &Workspace, patch_file: &Path) -> Result<PathBuf> {
    let text = std::fs::read_to_string(patch_file)
        .with_context(|| format!("cannot read {}", patch_file.display()))?;
    let (_, diff) = split(&text);
    let base_line = diff
        .lines()
        .next()
        .ok_or_else(|| anyhow!("{}: no diff (a `--- <file>` line)", patch_file.display()))?;
    let base = base_line.trim_start_matches("--- ").trim();
    let base = base.strip_prefix("a/").unwrap_or(base);
    if !(base.starts_with("solutions/") || base.starts_with("exercises/")) || base.contains("..") {
        return Err(anyhow!(
            "{}: a variant applies to a file under solutions/ or exercises/, not `{base}`",
            patch_file.display()
        ));
    }
    let original = std::fs::read_to_string(ws.root.join(base))
        .with_context(|| format!("cannot read {base}"))?;
    let patch = diffy::Patch::from_str(diff)
        .map_err(|e| anyhow!("{}: not a unified diff ({e})", patch_file.display()))?;
    let applied = diffy::apply(&original, &patch).map_err(|e| {
        anyhow!(
            "{} no longer applies to {base} ({e}); update the patch",
            patch_file.display()
        )
    })?;
    let out = output_path(ws, patch_file);
    if std::fs::read_to_string(&out).ok().as_deref() != Some(applied.as_str()) {
        std::fs::create_dir_all(out.parent().expect("has a folder"))?;
        crate::app_state::write_atomically(&out, &applied)
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_explanation_comes_before_the_diff() {
        let patch = "Known-wrong: SeqCst does not close the gap.\n\n--- solutions/a.rs\n+++ variant\n@@ -1 +1 @@\n-a\n+b\n";
        let (why, diff) = split(patch);
        assert_eq!(why, "Known-wrong: SeqCst does not close the gap.\n\n");
        assert!(diff.starts_with("--- solutions/a.rs\n"));
    }

    #[test]
    fn a_patch_applies_to_its_base_and_a_stale_one_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("solutions/t")).unwrap();
        std::fs::create_dir_all(root.join("runner/checks/t/x")).unwrap();
        std::fs::write(
            root.join("solutions/t/x.rs"),
            "fn main() {\n    one();\n    two();\n}\n",
        )
        .unwrap();
        let patch = "Known-wrong: two is skipped.\n--- solutions/t/x.rs\n+++ skip_two\n@@ -1,4 +1,3 @@\n fn main() {\n     one();\n-    two();\n }\n";
        std::fs::write(root.join("runner/checks/t/x/skip_two.patch"), patch).unwrap();
        let ws = Workspace {
            root: root.to_path_buf(),
            info: crate::info_file::InfoFile::parse(
                "format_version = 1\nconcepts = []\nexercises = []\n",
            )
            .unwrap(),
            exercises_dir: root.join("exercises"),
        };
        let out = materialize(&ws, &root.join("runner/checks/t/x/skip_two.patch")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "fn main() {\n    one();\n}\n"
        );

        std::fs::write(
            root.join("solutions/t/x.rs"),
            "fn main() {\n    changed();\n}\n",
        )
        .unwrap();
        let err = materialize(&ws, &root.join("runner/checks/t/x/skip_two.patch")).unwrap_err();
        assert!(err.to_string().contains("no longer applies"), "{err}");
    }
}
