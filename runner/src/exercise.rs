//! Where everything about one exercise lives: the learner's file, the solution, the hidden check and the
//! known-wrong variants (`runner/checks/<topic>/<name>/*.rs`, one plausible half-fix each).

use crate::info_file::{ExerciseInfo, InfoFile};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The curriculum's folder: info.toml, exercises/, solutions/, runner/.
pub struct Workspace {
    pub root: PathBuf,
    pub info: InfoFile,
    /// Where the learner's files are: `root/exercises`, or a student's repository when grading.
    pub exercises_dir: PathBuf,
}

/// Which version of an exercise file is checked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "source", content = "variant", rename_all = "snake_case")]
pub enum Source {
    /// The learner's file in `exercises/`.
    Exercise,
    /// The reference solution.
    Solution,
    /// A known-wrong variant that the check must reject.
    Wrong(String),
    /// An alternative right answer (`<name>.right.patch`) that the check must pass.
    Right(String),
    /// A mutant made by `dev mutate`, named by a hash of its text (`target/conc-lings/mutants/<exercise>/`).
    Mutant(String),
}

impl Workspace {
    /// Finds the workspace: the given folder, or the nearest folder upwards from the current one with info.toml.
    pub fn open(root: Option<&Path>) -> Result<Workspace> {
        let root = Self::find_root(root)?;
        let info = InfoFile::load(&root)?;
        let exercises_dir = root.join("exercises");
        Ok(Workspace {
            root,
            info,
            exercises_dir,
        })
    }

    /// The workspace folder, without reading it: the given one, or the nearest one upwards with info.toml.
    pub fn find_root(root: Option<&Path>) -> Result<PathBuf> {
        let root = match root {
            Some(r) => r.to_path_buf(),
            None => {
                let cwd = std::env::current_dir().context("cannot read the current folder")?;
                cwd.ancestors()
                    .find(|d| d.join("info.toml").is_file())
                    .map(Path::to_path_buf)
                    .unwrap_or(cwd)
            }
        };
        std::fs::canonicalize(&root).with_context(|| format!("cannot open {}", root.display()))
    }

    pub fn exercise_file(&self, ex: &ExerciseInfo) -> PathBuf {
        self.exercises_dir.join(&ex.path)
    }

    pub fn solution_file(&self, ex: &ExerciseInfo) -> PathBuf {
        self.root.join("solutions").join(&ex.path)
    }

    /// Whether this copy has the reference solutions. A class template ships without them (`dev template`):
    /// everything a learner does still works; only the authors' `dev` commands need them.
    pub fn has_solutions(&self) -> bool {
        self.root.join("solutions").is_dir()
    }

    /// Stops an authors' command in a copy without solutions, saying why (exit status 2).
    pub fn require_solutions(&self, command: &str, lang: crate::i18n::Lang) -> Result<()> {
        if self.has_solutions() {
            return Ok(());
        }
        anyhow::bail!(
            "{}",
            match lang {
                crate::i18n::Lang::En => format!(
                    "`{command}` needs the reference solutions, and this copy has no solutions/ folder (a class \
                     template?); run it in the full conc-lings repository"
                ),
                crate::i18n::Lang::Ko => format!(
                    "`{command}` 명령에는 모범 답안이 필요한데, 이 사본에는 solutions/ 폴더가 없습니다 (수업용 \
                     템플릿입니까?). 전체 conc-lings 저장소에서 실행하세요"
                ),
            }
        )
    }

    /// The exercise's text as the curriculum ships it, for rules that depend on it (may the learner write
    /// `unsafe`?): the reference solution; without solutions, the original exercise text kept for `reset`, or
    /// the exercise in `root/exercises` (in grading mode, the pinned template's untouched copy).
    pub fn shipped_text(&self, ex: &ExerciseInfo) -> String {
        [
            self.solution_file(ex),
            self.root
                .join(crate::app_state::STATE_DIR)
                .join("originals")
                .join(&ex.path),
            self.root.join("exercises").join(&ex.path),
        ]
        .iter()
        .find_map(|file| std::fs::read_to_string(file).ok())
        .unwrap_or_default()
    }

    pub fn check_file(&self, ex: &ExerciseInfo) -> PathBuf {
        self.root.join("runner/checks").join(&ex.path)
    }

    /// The folder of an exercise's known-wrong variants.
    pub fn wrong_dir(&self, ex: &ExerciseInfo) -> PathBuf {
        self.check_file(ex).with_extension("")
    }

    /// Known-wrong variants by name (`<name>.patch` or `<name>.rs`), sorted.
    pub fn wrong_variants(&self, ex: &ExerciseInfo) -> Vec<(String, PathBuf)> {
        self.variants_named(ex, |file| {
            file.strip_suffix(".patch")
                .or_else(|| file.strip_suffix(".rs"))
        })
    }

    /// Alternative right answers by name (`<name>.right.patch` or `<name>.right.rs`), sorted.
    pub fn right_variants(&self, ex: &ExerciseInfo) -> Vec<(String, PathBuf)> {
        self.variants_named(ex, |file| {
            file.strip_suffix(".right.patch")
                .or_else(|| file.strip_suffix(".right.rs"))
        })
    }

    /// The files in the exercise's variant folder that `name_of` names, by name, sorted. A name must be a valid
    /// exercise name (letters, digits, `_`), so `x.right.patch` is never the known-wrong variant `x.right`.
    fn variants_named(
        &self,
        ex: &ExerciseInfo,
        name_of: impl Fn(&str) -> Option<&str>,
    ) -> Vec<(String, PathBuf)> {
        let mut variants: Vec<(String, PathBuf)> = std::fs::read_dir(self.wrong_dir(ex))
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let path = e.ok()?.path();
                let name = name_of(path.file_name()?.to_str()?)?.to_string();
                crate::info_file::valid_name(&name).then_some((name, path))
            })
            .collect();
        variants.sort();
        variants
    }

    /// Every version of an exercise the curriculum defines: as shipped, the solution, each known-wrong variant
    /// and each alternative right answer.
    pub fn sources(&self, ex: &ExerciseInfo) -> Vec<Source> {
        let mut sources = vec![Source::Exercise];
        if self.has_solutions() {
            sources.push(Source::Solution);
        }
        sources.extend(
            self.wrong_variants(ex)
                .into_iter()
                .map(|(name, _)| Source::Wrong(name)),
        );
        sources.extend(
            self.right_variants(ex)
                .into_iter()
                .map(|(name, _)| Source::Right(name)),
        );
        sources
    }

    /// Where an alternative right answer is defined.
    pub fn right_file(&self, ex: &ExerciseInfo, variant: &str) -> PathBuf {
        self.whole_file_or_patch(ex, &format!("{variant}.right"))
    }

    /// Where `dev mutate` writes an exercise's mutants.
    pub fn mutant_file(&self, ex: &ExerciseInfo, hash: &str) -> PathBuf {
        crate::check::compile::build_root(self)
            .join("mutants")
            .join(&ex.name)
            .join(format!("{hash}.rs"))
    }

    /// The file a variant is defined in, for messages: the patch (or plain file) an author edits.
    pub fn defining_file(&self, ex: &ExerciseInfo, source: &Source) -> PathBuf {
        match source {
            Source::Wrong(variant) => self.variant_file(ex, variant),
            Source::Right(variant) => self.right_file(ex, variant),
            other => self.source_file(ex, other),
        }
    }

    /// Where a known-wrong variant is defined: `<variant>.rs` (a whole file) or `<variant>.patch`.
    pub fn variant_file(&self, ex: &ExerciseInfo, variant: &str) -> PathBuf {
        self.whole_file_or_patch(ex, variant)
    }

    /// `<stem>.rs` in the exercise's variant folder if it exists, else `<stem>.patch`.
    fn whole_file_or_patch(&self, ex: &ExerciseInfo, stem: &str) -> PathBuf {
        let plain = self.wrong_dir(ex).join(format!("{stem}.rs"));
        if plain.exists() {
            plain
        } else {
            self.wrong_dir(ex).join(format!("{stem}.patch"))
        }
    }

    /// The file that `source` means for this exercise.
    pub fn source_file(&self, ex: &ExerciseInfo, source: &Source) -> PathBuf {
        match source {
            Source::Exercise => self.exercise_file(ex),
            Source::Solution => self.solution_file(ex),
            Source::Wrong(_) | Source::Right(_) => match self.defining_file(ex, source) {
                patch if patch.extension().is_some_and(|e| e == "patch") => {
                    crate::variant::output_path(self, &patch)
                }
                plain => plain,
            },
            Source::Mutant(hash) => self.mutant_file(ex, hash),
        }
    }

    /// A path as the learner should read it: relative to the workspace.
    pub fn display<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, str> {
        if let Ok(rel) = path.strip_prefix(&self.exercises_dir) {
            return format!("exercises/{}", rel.display()).into();
        }
        match path.strip_prefix(&self.root) {
            Ok(rel) => rel.to_string_lossy(),
            Err(_) => path.to_string_lossy(),
        }
    }

    /// Whether the learner's file for `ex` really is inside the exercises folder (not a link to a solution,
    /// a check, or anything else outside it).
    pub fn exercise_file_is_confined(&self, ex: &ExerciseInfo) -> bool {
        let file = self.exercise_file(ex);
        match (
            std::fs::canonicalize(&file),
            std::fs::canonicalize(&self.exercises_dir),
        ) {
            (Ok(real), Ok(base)) => real.starts_with(base),
            // A missing file is reported as missing, not as an escape.
            _ => true,
        }
    }
}
