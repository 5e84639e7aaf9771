//! `info.toml`: the curriculum. Concepts in teaching order, exercises in teaching order, hints in both languages.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path};

/// The only format this runner reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoFile {
    pub format_version: u32,
    pub concepts: Vec<Concept>,
    pub exercises: Vec<ExerciseInfo>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub en: String,
    pub ko: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    pub title: Bilingual,
    pub summary: Bilingual,
}

/// Memory each process of a check may use when info.toml does not say: 2 GiB.
pub const DEFAULT_MEMORY_MB: u64 = 2048;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseInfo {
    /// Letters, digits and `_`: also the name of the program built from it.
    pub name: String,
    /// Relative to `exercises/`; the solution and the hidden check live at the same path under `solutions/` and
    /// `runner/checks/`.
    pub path: String,
    pub concept: String,
    pub kind: CheckKind,
    /// Seconds the check program may run; a default per kind otherwise.
    pub timeout: Option<u64>,
    /// Memory each process of the check may use, in MiB (`RLIMIT_DATA`); [`DEFAULT_MEMORY_MB`] otherwise.
    pub memory_mb: Option<u64>,
    /// Ordered from a nudge to nearly the answer.
    pub hints: Vec<Bilingual>,
    /// Memory orderings the learner's code must use on the named atomics (by field or variable name). The model
    /// checker runs every thread's memory accesses in program order, so it cannot judge a weaker ordering:
    /// instead of a lucky pass, the exercise pins what may be written, and the header says so.
    #[serde(default)]
    pub orderings: std::collections::BTreeMap<String, OrderingRule>,
    /// Types whose fields must all be private (a monitor's state). A check is a module inside the learner's file
    /// and sees private items, so it cannot tell a `pub` field from a private one: the rule is read from the
    /// source instead, and the header says so.
    #[serde(default)]
    pub private_state: Vec<String>,
    /// The exercise uses TCP: its confined processes may bind a port the kernel picks and connect to such ports
    /// (every other exercise may neither bind nor connect).
    #[serde(default)]
    pub tcp: bool,
    /// The exercise uses POSIX message queues (see conc_check::sandbox::Policy::mqueue).
    #[serde(default)]
    pub mqueue: bool,
}

/// What an exercise allows on one atomic.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderingRule {
    /// Every access `SeqCst` (Peterson's and Dekker's locks need the store→load order only SeqCst gives).
    SeqCst,
    /// Loads `Acquire`, stores `Release`, read-modify-writes anything but `Relaxed` (`SeqCst` always allowed;
    /// a compare-exchange's failure ordering is free).
    AcquireRelease,
    /// Only for `"*"`: every atomic taken with a `compare_exchange` is a lock word, taken with `Acquire` (or
    /// `AcqRel`, `SeqCst`) and released by a store with `Release` (or `SeqCst`); other atomics are free (a seqlock's
    /// data words with fences, say).
    LockWords,
}

/// How an exercise is checked, which also decides what its check is built with.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Threads under the shuttle scheduler: every interleaving that matters is tried.
    Model,
    /// Atomics and memory ordering under loom, which also models weak memory.
    Ordering,
    /// Real processes, pipes, FIFOs, shared memory, sockets and queues, with a hard timeout.
    Process,
    /// The lesson is a compile error; then plain tests on real threads confirm the behaviour.
    Compile,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Model => "model",
            CheckKind::Ordering => "ordering",
            CheckKind::Process => "process",
            CheckKind::Compile => "compile",
        }
    }

    /// How the exercise is checked, in words a learner understands (`list`, the watch header).
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang;
        match (self, lang) {
            (CheckKind::Model, Lang::En) => "every interleaving",
            (CheckKind::Model, Lang::Ko) => "모든 실행 순서",
            (CheckKind::Ordering, Lang::En) => "memory orderings",
            (CheckKind::Ordering, Lang::Ko) => "메모리 순서",
            (CheckKind::Process, Lang::En) => "real processes",
            (CheckKind::Process, Lang::Ko) => "실제 프로세스",
            (CheckKind::Compile, Lang::En) => "compiler, then run",
            (CheckKind::Compile, Lang::Ko) => "컴파일러, 그다음 실행",
        }
    }

    /// Seconds a check program of this kind may run when info.toml does not say.
    pub fn default_timeout(self) -> u64 {
        match self {
            CheckKind::Model | CheckKind::Compile => 10,
            CheckKind::Ordering => 60,
            CheckKind::Process => 20,
        }
    }

    /// Whether a learner's file must go through `conc` for its threads and locks (the honesty guard).
    pub fn needs_facade(self) -> bool {
        matches!(self, CheckKind::Model | CheckKind::Ordering)
    }
}

/// Everything wrong with an info.toml's contents, reported together.
#[derive(Debug)]
pub struct Problems(pub Vec<String>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "info.toml has {} problem(s):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

impl InfoFile {
    /// Reads and checks `root/info.toml`: a syntax or type error names line, column and field; every other
    /// problem (unknown concept, duplicate name, missing file, path outside the workspace) is listed at once.
    pub fn load(root: &Path) -> Result<InfoFile> {
        let path = root.join("info.toml");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {} (run conc-lings in the folder that has info.toml)",
                path.display()
            )
        })?;
        let info = Self::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        info.validate(root)?;
        Ok(info)
    }

    pub fn parse(text: &str) -> Result<InfoFile, String> {
        let info: InfoFile = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        if info.format_version != FORMAT_VERSION {
            return Err(format!(
                "format_version is {}, but this conc-lings reads version {FORMAT_VERSION}; update conc-lings",
                info.format_version
            ));
        }
        Ok(info)
    }

    fn validate(&self, root: &Path) -> Result<()> {
        let mut problems = Vec::new();
        let mut concept_ids = HashSet::new();
        for concept in &self.concepts {
            if !concept_ids.insert(concept.id.as_str()) {
                problems.push(format!("concept `{}` is defined twice", concept.id));
            }
        }
        let mut names = HashSet::new();
        for ex in &self.exercises {
            let who = format!("exercise `{}`", ex.name);
            if !valid_name(&ex.name) {
                problems.push(format!(
                    "{who}: a name may only have letters, digits and `_`"
                ));
            }
            // The name is also a program's name in the generated check package, beside `NAME__solution` and
            // `NAME__wrong__VARIANT`: a clash or a name cargo refuses would break every check of that kind.
            if ex.name.contains("__") {
                problems.push(format!(
                    "{who}: a name may not contain `__` (the runner's own program names use it)"
                ));
            }
            if CARGO_RESERVED.contains(&ex.name.as_str()) {
                problems.push(format!(
                    "{who}: cargo reserves the name `{}` for its build folders",
                    ex.name
                ));
            }
            if !names.insert(ex.name.as_str()) {
                problems.push(format!("{who} is defined twice"));
            }
            if !concept_ids.contains(ex.concept.as_str()) {
                problems.push(format!("{who}: unknown concept `{}`", ex.concept));
            }
            if ex.hints.is_empty() {
                problems.push(format!("{who} has no hints"));
            }
            if ex.timeout == Some(0) {
                problems.push(format!("{who}: timeout must be at least 1 second"));
            }
            if let Err(why) = confined(&ex.path) {
                problems.push(format!("{who}: path `{}` {why}", ex.path));
                continue;
            }
            for (dir, what) in [
                ("exercises", "exercise file"),
                ("solutions", "solution"),
                ("runner/checks", "check"),
            ] {
                // A class template ships without solutions/ at all (`dev template`); a solutions/ folder that
                // lacks one is still a broken curriculum.
                if dir == "solutions" && !root.join(dir).is_dir() {
                    continue;
                }
                let file = root.join(dir).join(&ex.path);
                let real = match std::fs::canonicalize(&file) {
                    // The learner's own file may be deleted or renamed: that is their exercise's state (checking
                    // reports it, `reset` brings the original back), not a broken curriculum. Its folder must
                    // still be inside exercises/, where `reset` will write it.
                    Err(e) if dir == "exercises" && e.kind() == std::io::ErrorKind::NotFound => {
                        file.ancestors()
                            .skip(1)
                            .find_map(|a| std::fs::canonicalize(a).ok())
                            .ok_or(e)
                    }
                    other => other,
                };
                match real {
                    Err(_) => problems.push(format!("{who}: {what} {dir}/{} is missing", ex.path)),
                    Ok(real) => {
                        let base = std::fs::canonicalize(root.join(dir)).unwrap_or_default();
                        if !real.starts_with(&base) {
                            problems.push(format!(
                                "{who}: {dir}/{} is a link that leads outside {dir}/",
                                ex.path
                            ));
                        }
                    }
                }
            }
        }
        for concept in &self.concepts {
            if !self.exercises.iter().any(|e| e.concept == concept.id) {
                problems.push(format!("concept `{}` has no exercises", concept.id));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Problems(problems).into())
        }
    }

    pub fn exercise(&self, name: &str) -> Option<&ExerciseInfo> {
        self.exercises.iter().find(|e| e.name == name)
    }

    pub fn concept(&self, id: &str) -> &Concept {
        self.concepts
            .iter()
            .find(|c| c.id == id)
            .expect("validated: every exercise has a known concept")
    }

    /// The exercise called `name`, or an error that suggests the closest names.
    pub fn find(&self, name: &str, lang: crate::i18n::Lang) -> Result<&ExerciseInfo> {
        use crate::i18n::Lang;
        if let Some(ex) = self.exercise(name) {
            return Ok(ex);
        }
        let mut close: Vec<&str> = self
            .exercises
            .iter()
            .map(|e| e.name.as_str())
            .filter(|n| n.contains(name) || name.contains(*n))
            .collect();
        close.truncate(5);
        match (close.is_empty(), lang) {
            (true, Lang::En) => {
                bail!("there is no exercise called `{name}` (`conc-lings list` shows them all)")
            }
            (true, Lang::Ko) => bail!(
                "이름이 `{name}`인 연습 문제는 없습니다 (`conc-lings list`로 전부 볼 수 있습니다)"
            ),
            (false, Lang::En) => bail!(
                "there is no exercise called `{name}`; did you mean {}?",
                close.join(", ")
            ),
            (false, Lang::Ko) => bail!(
                "이름이 `{name}`인 연습 문제는 없습니다. 혹시 다음 중 하나입니까? {}",
                close.join(", ")
            ),
        }
    }
}

/// Program names cargo refuses: they are the names of its own folders in the target directory.
const CARGO_RESERVED: [&str; 4] = ["deps", "examples", "build", "incremental"];

pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A relative path that stays inside its folder: no `..`, no root, no drive, ends in `.rs`.
fn confined(path: &str) -> Result<(), &'static str> {
    let p = Path::new(path);
    if !path.ends_with(".rs") {
        return Err("must name a .rs file");
    }
    for component in p.components() {
        match component {
            Component::Normal(_) => {}
            Component::CurDir => {}
            Component::ParentDir => return Err("must not contain `..`"),
            Component::RootDir | Component::Prefix(_) => {
                return Err("must be relative to exercises/");
            }
        }
    }
    Ok(())
}

/// toml's message, which names the line and column and quotes the line, followed by the field the error is in
/// (`exercises[2].hints[0]`, exercise `fix_the_race`): a type error's message only names the expected type, and
/// the quoted line may hold a bare value far from its key.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    // Serde names Rust types; an author knows the TOML shape.
    let message = error
        .to_string()
        .replace("struct Bilingual", "{ en = \"…\", ko = \"…\" }");
    let Some(span) = error.span() else {
        return message;
    };
    let message = if message.contains("line") {
        message
    } else {
        let (line, column) = line_column(text, span.start);
        format!("line {line}, column {column}: {message}")
    };
    match field_at(text, span.start) {
        Some(field) => format!("{}\nin {field}", message.trim_end()),
        None => message,
    }
}

/// The deepest key or array element of `text` whose span holds `offset`, as `a[1].b`, with the name or id of the
/// exercise or concept it belongs to. None where `text` does not parse as TOML (a syntax error) or nothing
/// but the whole document holds `offset`.
fn field_at(text: &str, offset: usize) -> Option<String> {
    use toml::de::{DeTable, DeValue};
    #[derive(Clone)]
    enum Step {
        Key(String),
        Index(usize),
    }
    fn walk(value: &DeValue<'_>, offset: usize, path: &mut Vec<Step>, best: &mut Vec<Step>) {
        let mut visit = |step: Step, spans: &[std::ops::Range<usize>], child: &DeValue<'_>| {
            path.push(step);
            if spans.iter().any(|s| s.contains(&offset)) && path.len() > best.len() {
                *best = path.clone();
            }
            walk(child, offset, path, best);
            path.pop();
        };
        match value {
            DeValue::Table(table) => {
                for (key, child) in table.iter() {
                    let step = Step::Key(key.get_ref().to_string());
                    visit(step, &[key.span(), child.span()], child.get_ref());
                }
            }
            DeValue::Array(array) => {
                for (i, child) in array.iter().enumerate() {
                    visit(Step::Index(i), &[child.span()], child.get_ref());
                }
            }
            _ => {}
        }
    }
    let root = DeTable::parse(text).ok()?;
    let root = DeValue::Table(root.into_inner());
    let (mut path, mut best) = (Vec::new(), Vec::new());
    walk(&root, offset, &mut path, &mut best);
    let mut shown = String::new();
    for step in &best {
        match step {
            Step::Key(k) if shown.is_empty() => shown.push_str(k),
            Step::Key(k) => shown.push_str(&format!(".{k}")),
            Step::Index(i) => shown.push_str(&format!("[{i}]")),
        }
    }
    if shown.is_empty() {
        return None;
    }
    // Which exercise or concept: its `name` or `id`, when it has one.
    let owner = match (best.first(), best.get(1)) {
        (Some(Step::Key(list)), Some(Step::Index(i))) => {
            let (what, key) = match list.as_str() {
                "exercises" => ("exercise", "name"),
                "concepts" => ("concept", "id"),
                _ => ("", ""),
            };
            let DeValue::Table(root) = &root else {
                unreachable!()
            };
            root.iter()
                .find(|(k, _)| k.get_ref() == list)
                .and_then(|(_, v)| match v.get_ref() {
                    DeValue::Array(a) => a.get(*i),
                    _ => None,
                })
                .and_then(|entry| match entry.get_ref() {
                    DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref() == key),
                    _ => None,
                })
                .and_then(|(_, v)| match v.get_ref() {
                    DeValue::String(s) if !what.is_empty() => Some(format!(" ({what} `{s}`)")),
                    _ => None,
                })
        }
        _ => None,
    };
    Some(format!("`{shown}`{}", owner.unwrap_or_default()))
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
format_version = 1
[[concepts]]
id = "race"
title = { en = "Race", ko = "경쟁" }
summary = { en = "s", ko = "s" }
[[exercises]]
name = "a"
path = "a.rs"
concept = "race"
kind = "model"
hints = [{ en = "h", ko = "h" }]
"#;

    #[test]
    fn parses_a_minimal_file() {
        let info = InfoFile::parse(MINIMAL).unwrap();
        assert_eq!(info.exercises[0].kind, CheckKind::Model);
        assert_eq!(info.concepts[0].title.ko, "경쟁");
    }

    #[test]
    fn a_type_error_names_line_column_and_field() {
        let bad = MINIMAL.replace("kind = \"model\"", "kind = \"modle\"");
        let err = InfoFile::parse(&bad).unwrap_err();
        // MINIMAL starts with a newline: `kind` is on line 11.
        assert!(err.contains("line 11, column 8"), "{err}");
        assert!(err.contains("modle") && err.contains("model"), "{err}");
        assert!(
            err.contains("in `exercises[0].kind` (exercise `a`)"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let bad = MINIMAL.replace("concept = \"race\"\n", "");
        let err = InfoFile::parse(&bad).unwrap_err();
        assert!(err.contains("concept"), "{err}");
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(confined("../x.rs").is_err());
        assert!(confined("/etc/x.rs").is_err());
        assert!(confined("a/../../x.rs").is_err());
        assert!(confined("a/b.rs").is_ok());
        assert!(confined("a/b.txt").is_err());
    }

    #[test]
    fn names_are_letters_digits_underscores() {
        assert!(valid_name("fix_the_race2"));
        assert!(!valid_name("x; rm -rf /"));
        assert!(!valid_name(""));
        assert!(!valid_name("a-b"));
    }
}
