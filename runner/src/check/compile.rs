//! Building check programs.
//!
//! Each check program is the learner's file with its hidden check inside, compiled by cargo in a package the
//! runner generates under `target/conc-lings/` — one package per model-checker backend, all sharing one target
//! directory. Dependencies (the model checker, the facade) are built once per machine; after that an edit
//! rebuilds one small binary. Nothing here touches the workspace's own `target/debug`, which rust-analyzer and
//! the learner's `cargo run` use.

use super::Target;
use crate::exercise::{Source, Workspace};
use crate::i18n::{FileOp, Lang, cannot};
use crate::info_file::{CheckKind, ExerciseInfo};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which implementation the `conc` facade is built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backend {
    Shuttle,
    Loom,
    Std,
}

impl Backend {
    pub fn of(kind: CheckKind) -> Backend {
        match kind {
            CheckKind::Model => Backend::Shuttle,
            CheckKind::Ordering => Backend::Loom,
            CheckKind::Process | CheckKind::Compile => Backend::Std,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Backend::Shuttle => "shuttle",
            Backend::Loom => "loom",
            Backend::Std => "std",
        }
    }

    fn features(self) -> &'static str {
        match self {
            Backend::Shuttle => r#", features = ["shuttle"]"#,
            Backend::Loom => r#", features = ["loom"]"#,
            Backend::Std => "",
        }
    }
}

/// The name of the program built for one version of an exercise. Cargo puts every program of a target
/// directory side by side, so when several workspaces share one (`CONC_LINGS_TARGET_DIR`), each workspace's
/// programs get a suffix of their own: two workspaces must never run each other's build of `fix_the_race`.
pub fn bin_name(ws: &Workspace, exercise: &str, source: &Source) -> String {
    let base = match source {
        Source::Exercise => exercise.to_string(),
        Source::Solution => format!("{exercise}__solution"),
        Source::Wrong(variant) => format!("{exercise}__wrong__{variant}"),
        Source::Right(variant) => format!("{exercise}__right__{variant}"),
        Source::Mutant(hash) => format!("{exercise}__mut__{hash}"),
    };
    if shared_target_dir().is_some() {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        ws.root.hash(&mut hasher);
        format!("{base}__ws{:08x}", hasher.finish() as u32)
    } else {
        base
    }
}

/// What one cargo run produced, by program name.
#[derive(Default)]
pub struct Built {
    pub programs: HashMap<String, PathBuf>,
    /// Compile errors as rustc rendered them.
    pub errors: HashMap<String, String>,
}

/// The folder for everything the runner builds.
pub fn build_root(ws: &Workspace) -> PathBuf {
    ws.root.join("target").join("conc-lings")
}

/// Where cargo builds check programs. `CONC_LINGS_TARGET_DIR` shares one between workspaces (the tests'
/// fixture copies), so the model checkers are compiled once for all of them.
pub fn target_dir(ws: &Workspace) -> PathBuf {
    shared_target_dir().unwrap_or_else(|| build_root(ws).join("target"))
}

fn shared_target_dir() -> Option<PathBuf> {
    std::env::var_os("CONC_LINGS_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// One crate compiled during a build; `total` is known when the build compiles the dependencies (the first
/// build on a machine, which takes a while).
pub struct BuildStep<'a> {
    pub done: usize,
    pub total: Option<usize>,
    pub krate: &'a str,
}

/// Builds the check programs for `targets`; `on_progress` hears each dependency cargo compiles, and `on_ready`
/// each program as soon as it is built (by its [`bin_name`]), so that it can run while the others build.
///
/// The authors' versions of an exercise (solution, known-wrong and right answers, and in `dev check` the exercise
/// file) are built as one program, a bundle (see [`bundle_source`]); when a bundle does not compile, its versions
/// are built one by one, so each compile error is its own version's.
pub fn build(
    ws: &Workspace,
    targets: &[Target<'_>],
    options: &super::Options,
    on_progress: &mut dyn FnMut(BuildStep<'_>),
    on_ready: &mut dyn FnMut(&str, &Path),
) -> Result<Built> {
    let learner_only = targets.iter().all(|t| t.source == Source::Exercise);
    let bundleable = bundleable(ws);
    let mut by_backend: BTreeMap<Backend, Vec<String>> = BTreeMap::new();
    // The versions each bundle stands for.
    let mut bundled: HashMap<String, Vec<String>> = HashMap::new();
    for t in targets {
        let bin = bin_name(ws, &t.exercise.name, &t.source);
        // A target listed several times (dev check's repeated solutions) is built once.
        let build_as = if built_in_bundle(t, learner_only, &bundleable) {
            let bundle = bundle_name(ws, &t.exercise.name);
            bundled.entry(bundle.clone()).or_default().push(bin);
            bundle
        } else {
            bin
        };
        by_backend
            .entry(Backend::of(t.exercise.kind))
            .or_default()
            .push(build_as);
    }
    for members in bundled.values_mut() {
        members.sort();
        members.dedup();
    }
    // Mutants exist only for the run that made them: their programs are added to the package for it.
    let mut extra: BTreeMap<Backend, Vec<Program<'_>>> = BTreeMap::new();
    for t in targets {
        if let Source::Mutant(_) = &t.source {
            extra
                .entry(Backend::of(t.exercise.kind))
                .or_default()
                .push((
                    bin_name(ws, &t.exercise.name, &t.source),
                    t.exercise,
                    ws.source_file(t.exercise, &t.source),
                    t.source.clone(),
                ));
        }
    }
    // Incremental state pays for the learner's files, rebuilt again and again (watch, run, verify); for the
    // authors' versions (solutions, variants, mutants: hundreds, each built once by dev check or dev mutate) it
    // is only disk, about 16 MB a program: 18 GB for the mutation gate.
    let incremental = learner_only;
    let mut built = Built::default();
    let mut link_error = None;
    let mut ready = |name: &str, exe: &Path, built: &mut Built| match bundled.get(name) {
        Some(members) => {
            for member in members {
                match link_version(exe, member, options.lang) {
                    Ok(link) => {
                        on_ready(member, &link);
                        built.programs.insert(member.clone(), link);
                    }
                    Err(e) => link_error = Some(e),
                }
            }
        }
        None => {
            on_ready(name, exe);
            built.programs.insert(name.to_string(), exe.to_path_buf());
        }
    };
    // Process and compile exercises first: their checks take the longest to run, so they start while the
    // model-checked programs build.
    let mut backends: Vec<(Backend, Vec<String>)> = by_backend.into_iter().collect();
    backends.sort_by_key(|(backend, _)| *backend != Backend::Std);
    for (backend, mut bins) in backends {
        let mut programs = programs(ws, backend);
        programs.extend(extra.remove(&backend).unwrap_or_default());
        programs.sort_by(|a, b| a.0.cmp(&b.0));
        programs.dedup_by(|a, b| a.0 == b.0);
        let package = write_package(ws, backend, &programs, &bundleable, options.lang)?;
        bins.sort();
        bins.dedup();
        let mut cargo = Cargo {
            ws,
            package: &package,
            incremental,
            options,
        };
        cargo.run(&bins, &mut built, on_progress, &mut ready)?;
        // A bundle that did not compile is built again version by version, so each error is said of the
        // version that has it.
        let mut one_by_one = Vec::new();
        for bundle in bins.iter().filter(|b| bundled.contains_key(*b)) {
            if built.errors.remove(bundle).is_some()
                || !built.programs.contains_key(&bundled[bundle][0])
            {
                one_by_one.extend(bundled[bundle].iter().cloned());
            }
        }
        if !one_by_one.is_empty() {
            // The versions' own names are no bundle's: `ready` hands each on as it is.
            cargo.run(&one_by_one, &mut built, on_progress, &mut ready)?;
        }
    }
    if let Some(e) = link_error {
        return Err(e);
    }
    Ok(built)
}

/// Whether a version is in its exercise's bundle: the authors' versions, which `dev check` and `dev mutate`
/// build by the hundred, and the exercise file (not of a compile exercise: as shipped it does not compile).
/// Mutants are not: they often do not compile.
fn in_bundle(source: &Source, ex: &ExerciseInfo) -> bool {
    match source {
        Source::Solution | Source::Wrong(_) | Source::Right(_) => true,
        Source::Exercise => ex.kind != CheckKind::Compile,
        Source::Mutant(_) => false,
    }
}

/// Whether a target is built as part of its bundle. The learner's file is, only in a build of the authors'
/// versions too (`dev check`); watch, run and verify build it as a program of its own, incrementally, its
/// errors its own.
fn built_in_bundle(target: &Target<'_>, learner_only: bool, bundleable: &HashSet<&str>) -> bool {
    let learners = target.source == Source::Exercise;
    in_bundle(&target.source, target.exercise)
        && !(learners && learner_only)
        && bundleable.contains(target.exercise.name.as_str())
}

/// The exercises whose versions can share one program, each check read once per build: all, unless a check puts
/// functions of its own in place of the C library's in a way that cannot be said once for the whole bundle
/// ([`hoist_interposers`]).
fn bundleable(ws: &Workspace) -> HashSet<&str> {
    ws.info
        .exercises
        .iter()
        .filter(|ex| {
            std::fs::read_to_string(ws.check_file(ex))
                .is_ok_and(|check| hoist_interposers(&check).is_some())
        })
        .map(|ex| ex.name.as_str())
        .collect()
}

/// A check that replaces C library functions (`conc_check::interpose_…!();`) would define them again in each
/// version's module of a bundle. Such a line, alone on its line and without arguments, is taken out of the check
/// (left blank, so every line keeps its number) and said once at the bundle's root: what it defines is the same
/// for every version. The check's text to use and the lines taken out; `None` when an `interpose_` is used
/// another way (with arguments, say a constant of the check's own), so the exercise is not bundled.
fn hoist_interposers(check: &str) -> Option<(String, Vec<String>)> {
    let mut text = String::with_capacity(check.len());
    let mut hoisted = Vec::new();
    for line in check.split_inclusive('\n') {
        let code = line.trim();
        let whole = code
            .strip_prefix("conc_check::interpose_")
            .and_then(|rest| rest.strip_suffix("!();"))
            .is_some_and(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if whole {
            hoisted.push(code.to_string());
            text.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else if code.contains("interpose_") && !code.starts_with("//") {
            return None;
        } else {
            text.push_str(line);
        }
    }
    Some((text, hoisted))
}

/// The program that holds the bundled versions of an exercise ([`in_bundle`]).
fn bundle_name(ws: &Workspace, exercise: &str) -> String {
    let base = bin_name(ws, exercise, &Source::Solution);
    let suffix = base
        .strip_prefix(&format!("{exercise}__solution"))
        .unwrap_or_default();
    format!("{exercise}__bundle{suffix}")
}

/// A hard link to the bundle under a version's name, in a folder beside it: the name the program is started
/// under picks the version, also when the program starts itself again (`current_exe()` keeps a hard link's
/// path, where a symbolic link would resolve to the bundle). A link that is already the bundle is left alone,
/// so a run of it still going keeps its name.
fn link_version(bundle: &Path, version: &str, lang: Lang) -> Result<PathBuf> {
    let dir = bundle.parent().unwrap_or(Path::new(".")).join("versions");
    std::fs::create_dir_all(&dir).with_context(|| cannot(lang, FileOp::Create, &dir))?;
    let link = dir.join(version);
    if same_file(bundle, &link) {
        return Ok(link);
    }
    let fresh = dir.join(format!(".{version}.{}", std::process::id()));
    let _ = std::fs::remove_file(&fresh);
    if std::fs::hard_link(bundle, &fresh).is_err() {
        std::fs::copy(bundle, &fresh).with_context(|| cannot(lang, FileOp::Write, &fresh))?;
    }
    std::fs::rename(&fresh, &link).with_context(|| cannot(lang, FileOp::Write, &link))?;
    Ok(link)
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// A program of a check package: its name, its exercise, the exercise file it is built from, and which version
/// of the exercise that is.
type Program<'a> = (String, &'a ExerciseInfo, PathBuf, Source);

/// Every program a backend's package can build: each exercise of that backend as the learner has it, its
/// solution, its wrong variants and its alternative right answers. The list only changes with the curriculum,
/// so cargo rarely re-reads it.
fn programs(ws: &Workspace, backend: Backend) -> Vec<Program<'_>> {
    let mut out = Vec::new();
    for ex in ws
        .info
        .exercises
        .iter()
        .filter(|e| Backend::of(e.kind) == backend)
    {
        for source in ws.sources(ex) {
            out.push((
                bin_name(ws, &ex.name, &source),
                ex,
                ws.source_file(ex, &source),
                source,
            ));
        }
    }
    out
}

fn write_package(
    ws: &Workspace,
    backend: Backend,
    programs: &[Program<'_>],
    bundleable: &HashSet<&str>,
    lang: Lang,
) -> Result<PathBuf> {
    let dir = build_root(ws).join(format!("pkg-{}", backend.name()));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).with_context(|| cannot(lang, FileOp::Create, &src))?;
    // Canonical, so workspaces that link to one copy of the facade share its build.
    let crate_dir = |name: &str| {
        let dir = ws.root.join("runner").join(name);
        std::fs::canonicalize(&dir).unwrap_or(dir)
    };
    let mut manifest = format!(
        r#"# Generated by conc-lings for its {backend} checks; rewritten as needed. Do not edit.
[package]
name = "conc-lings-checks-{backend}"
version = "0.0.0"
edition = "2024"
publish = false
autobins = false

[workspace]

[dependencies]
conc = {{ path = {conc:?}{features} }}
conc-check = {{ path = {check:?}{features} }}
{extra}

[profile.dev]
debug = false

[profile.dev.package."*"]
opt-level = 1
"#,
        backend = backend.name(),
        conc = crate_dir("conc"),
        check = crate_dir("conc-check"),
        features = backend.features(),
        extra = exercise_dependencies(ws, lang)?,
    );
    // Each exercise's bundled versions: (program name, file).
    let mut bundles: BTreeMap<&str, (&ExerciseInfo, Vec<Version<'_>>)> = BTreeMap::new();
    for (bin, ex, file, source) in programs {
        manifest.push_str(&format!(
            "\n[[bin]]\nname = {bin:?}\npath = \"src/{bin}.rs\"\n"
        ));
        write_if_changed(
            &src.join(format!("{bin}.rs")),
            &wrapper(file, &ws.check_file(ex)),
            lang,
        )?;
        if in_bundle(source, ex) && bundleable.contains(ex.name.as_str()) {
            bundles
                .entry(&ex.name)
                .or_insert_with(|| (ex, Vec::new()))
                .1
                .push((bin, file));
        }
    }
    for (name, (ex, versions)) in &bundles {
        let bin = bundle_name(ws, name);
        manifest.push_str(&format!(
            "\n[[bin]]\nname = {bin:?}\npath = \"src/{bin}.rs\"\n"
        ));
        let check_file = ws.check_file(ex);
        let check = std::fs::read_to_string(&check_file)
            .with_context(|| cannot(lang, FileOp::Read, &check_file))?;
        let (check_file, hoisted) = match hoist_interposers(&check) {
            Some((text, hoisted)) if !hoisted.is_empty() => {
                // The check without those lines, beside the bundle (it has no modules of its own to find).
                let copy = src.join(format!("{bin}__check.rs"));
                write_if_changed(&copy, &text, lang)?;
                (copy, hoisted)
            }
            _ => (check_file, Vec::new()),
        };
        write_if_changed(
            &src.join(format!("{bin}.rs")),
            &bundle_source(versions, &check_file, &hoisted),
            lang,
        )?;
    }
    write_if_changed(&dir.join("Cargo.toml"), &manifest, lang)?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        // Same versions as the workspace, and no registry lookup when the workspace's lock already has them.
        let _ = std::fs::copy(ws.root.join("Cargo.lock"), &lock);
    }
    Ok(dir)
}

/// The dependencies exercises may use besides `conc` (nix, memmap2, …), as `exercises/Cargo.toml` lists them,
/// so a check program compiles whatever the learner's `cargo run` compiles.
fn exercise_dependencies(ws: &Workspace, lang: Lang) -> Result<String> {
    let path = ws.root.join("exercises/Cargo.toml");
    let text = std::fs::read_to_string(&path).with_context(|| cannot(lang, FileOp::Read, &path))?;
    let manifest: toml::Table = toml::from_str(&text).with_context(|| match lang {
        Lang::En => format!("{} is not valid TOML", path.display()),
        Lang::Ko => format!("올바른 TOML이 아닙니다: {}", path.display()),
    })?;
    let workspace: toml::Table = std::fs::read_to_string(ws.root.join("Cargo.toml"))
        .ok()
        .and_then(|t| toml::from_str(&t).ok())
        .unwrap_or_default();
    let shared = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    let mut extra = toml::Table::new();
    for (name, spec) in manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .into_iter()
        .flatten()
    {
        if name == "conc" {
            continue;
        }
        // `foo.workspace = true` means the root manifest's `[workspace.dependencies] foo`.
        let inherited = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
        let spec = match (inherited, shared.and_then(|s| s.get(name))) {
            (true, Some(root_spec)) => root_spec.clone(),
            (true, None) => match lang {
                Lang::En => bail!(
                    "exercises/Cargo.toml: `{name}` says workspace = true, but the root has no such dependency"
                ),
                Lang::Ko => bail!(
                    "exercises/Cargo.toml의 `{name}`에는 workspace = true가 있지만, 루트 Cargo.toml에 그런 의존성이 없습니다"
                ),
            },
            (false, _) => spec.clone(),
        };
        if spec.get("path").is_some() {
            match lang {
                Lang::En => bail!(
                    "exercises/Cargo.toml: path dependency `{name}` is not supported in check programs"
                ),
                Lang::Ko => bail!(
                    "exercises/Cargo.toml의 경로 의존성(`{name}`)은 검사 프로그램에서 쓸 수 없습니다"
                ),
            }
        }
        extra.insert(name.clone(), spec);
    }
    // One `name = …` line each: a table spec (version and features) must stay an inline table under
    // [dependencies], not become a `[name]` section of its own.
    Ok(extra
        .iter()
        .map(|(name, spec)| format!("{name} = {spec}\n"))
        .collect())
}

/// The names learner code could reach other crates by in a check program: the exercises' dependencies besides
/// `conc` (as Rust names them: `-` becomes `_`), `conc_check`, and `libc` (which nix re-exports).
pub fn other_crates(ws: &Workspace) -> Vec<String> {
    let text = std::fs::read_to_string(ws.root.join("exercises/Cargo.toml")).unwrap_or_default();
    let manifest: toml::Table = toml::from_str(&text).unwrap_or_default();
    let mut names: Vec<String> = manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .into_iter()
        .flat_map(|d| d.keys())
        .filter(|name| *name != "conc")
        .map(|name| name.replace('-', "_"))
        .collect();
    names.extend(["conc_check".to_string(), "libc".to_string()]);
    names.sort();
    names.dedup();
    names
}

/// How many crates cargo will compile, if the dependencies are not built yet (else `None`): the packages of
/// the resolved graph, plus one for each build script.
fn dependency_build_size(ws: &Workspace, package: &Path) -> Option<usize> {
    let fingerprints = target_dir(ws).join("debug/.fingerprint");
    let built = std::fs::read_dir(&fingerprints)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("conc-check-"));
    if built {
        return None;
    }
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--filter-platform"])
        .arg(host_triple()?)
        .arg("--manifest-path")
        .arg(package.join("Cargo.toml"))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let packages = metadata["packages"].as_array()?;
    let in_graph = metadata["resolve"]["nodes"].as_array()?.len();
    let build_scripts = packages
        .iter()
        .filter(|p| {
            p["targets"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["kind"][0] == "custom-build"))
        })
        .count();
    Some(in_graph + build_scripts)
}

fn host_triple() -> Option<String> {
    let out = Command::new("rustc").arg("-vV").output().ok()?;
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(String::from))
}

/// The program's source: the learner's file, with the check as a module inside it so it sees private items.
/// (`include!` rather than `#[path] mod`, so the file's `main` stays private and its items need no `pub`.)
fn wrapper(exercise_file: &Path, check_file: &Path) -> String {
    format!(
        r#"// Generated by conc-lings. Do not edit.
#[allow(dead_code, unused, clippy::all)]
mod exercise {{
    include!({exercise:?});

    #[path = {check:?}]
    pub mod check;

    pub fn exercise_main() -> impl std::process::Termination {{
        main()
    }}
}}

fn main() -> std::process::ExitCode {{
    conc_check::main(exercise::check::checks, exercise::exercise_main)
}}
"#,
        exercise = exercise_file,
        check = check_file,
    )
}

/// A version in a bundle: its program name and its file.
type Version<'a> = (&'a str, &'a Path);

/// The source of an exercise's bundle: each version as a module laid out as [`wrapper`] lays out one program, and
/// a `main` that runs the version named like the file it was started as ([`link_version`]). Most of the time of
/// building a small program goes to loading the dependencies and linking: fix_the_race's 15 versions take 1.3 s
/// as one program and 5.4 s as 15.
fn bundle_source(versions: &[Version<'_>], check_file: &Path, hoisted: &[String]) -> String {
    let mut out = String::from("// Generated by conc-lings. Do not edit.\n");
    for line in hoisted {
        out.push_str(&format!("{line}\n"));
    }
    let mut arms = String::new();
    for (i, (bin, file)) in versions.iter().enumerate() {
        out.push_str(&format!(
            r#"
#[allow(dead_code, unused, clippy::all)]
mod version_{i} {{
    mod exercise {{
        include!({file:?});

        #[path = {check:?}]
        pub mod check;

        pub fn exercise_main() -> impl std::process::Termination {{
            main()
        }}
    }}

    pub fn main() -> std::process::ExitCode {{
        conc_check::main(exercise::check::checks, exercise::exercise_main)
    }}
}}
"#,
            check = check_file,
        ));
        arms.push_str(&format!("        {bin:?} => version_{i}::main(),\n"));
    }
    out.push_str(&format!(
        r#"
fn main() -> std::process::ExitCode {{
    let exe = std::env::current_exe().unwrap_or_default();
    let name = exe.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    // A link replaced while this run was going reads as "name (deleted)".
    match name.trim_end_matches(" (deleted)") {{
{arms}        other => {{
            eprintln!("conc-lings: a bundle of versions runs under one of their names, not as `{{other}}`");
            std::process::ExitCode::from(2)
        }}
    }}
}}
"#
    ));
    out
}

fn write_if_changed(path: &Path, text: &str, lang: Lang) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    crate::app_state::write_atomically(path, text)
        .with_context(|| cannot(lang, FileOp::Write, path))
}

/// A compile error whose place is in the hidden check (`runner/checks/…`), said in the learner's terms: the check
/// uses something of theirs that their file no longer has, or no longer has in the form the exercise gave.
/// `None` for an error anywhere else.
fn in_the_check(message: &serde_json::Value, lang: conc_check::Lang) -> Option<String> {
    let spans = message["spans"].as_array()?;
    let primary = spans.iter().find(|s| s["is_primary"] == true)?;
    let file = primary["file_name"].as_str()?;
    if !file.contains("runner/checks/") {
        return None;
    }
    let code = primary["text"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .trim();
    let what = message["message"].as_str().unwrap_or_default();
    Some(match lang {
        conc_check::Lang::En => format!(
            "error: the hidden check uses something your file no longer has, or has in another form\n  \
             the check's code: `{code}`\n  \
             rustc says: {what}\n  \
             Keep every name the exercise gave you (functions, methods, types, fields) with its parameters and \
             return type; change only what is inside.\n\n"
        ),
        conc_check::Lang::Ko => format!(
            "error: 숨은 검사가 쓰는 것이 여러분 파일에 더는 없거나 모양이 달라졌습니다\n  \
             검사의 코드: `{code}`\n  \
             rustc의 말: {what}\n  \
             연습 문제가 준 이름(함수, 메서드, 타입, 필드)과 그 매개변수, 반환 타입은 그대로 두고, 안쪽만 \
             고치세요.\n\n"
        ),
    })
}

/// One cargo build of a check package.
struct Cargo<'a> {
    ws: &'a Workspace,
    package: &'a Path,
    incremental: bool,
    options: &'a super::Options,
}

impl Cargo<'_> {
    /// Builds `bins`; each program built is handed to `on_artifact` as cargo reports it, each error is kept in
    /// `built.errors`.
    fn run(
        &mut self,
        bins: &[String],
        built: &mut Built,
        on_progress: &mut dyn FnMut(BuildStep<'_>),
        on_artifact: &mut dyn FnMut(&str, &Path, &mut Built),
    ) -> Result<()> {
        let (ws, package, incremental, options) =
            (self.ws, self.package, self.incremental, self.options);
        let color = options.color;
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo
            .arg("build")
            .arg("--manifest-path")
            .arg(package.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir(ws))
            .args([
                "--message-format",
                if color {
                    "json-diagnostic-rendered-ansi"
                } else {
                    "json"
                },
            ])
            .arg("--keep-going")
            .args(bins.iter().flat_map(|b| ["--bin", b.as_str()]))
            // The learner's RUSTFLAGS (say `-D warnings`) must not change verdicts, nor rebuild the dependencies.
            .env("CARGO_ENCODED_RUSTFLAGS", "")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .env_remove("RUSTC_WRAPPER")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !incremental {
            cargo.env("CARGO_INCREMENTAL", "0");
        }
        if let Some(marker) = &options.build_marker {
            cargo.env(conc_check::supervise::MARKER_ENV, marker);
        }
        if options.low_priority {
            // SAFETY: setpriority is async-signal-safe and allocates nothing; cargo's compilers inherit it.
            unsafe {
                cargo.pre_exec(|| {
                    libc::setpriority(libc::PRIO_PROCESS, 0, 19);
                    Ok(())
                });
            }
        }
        let mut child = cargo.spawn().context(crate::i18n::t(
            options.lang,
            "cannot run cargo (is Rust installed? see README)",
            "cargo를 실행할 수 없습니다 (Rust가 설치되어 있습니까? README를 보세요)",
        ))?;
        let mut stderr = child.stderr.take().expect("piped");
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut wanted: HashMap<&str, ()> = bins.iter().map(|b| (b.as_str(), ())).collect();
        let mut other_errors = String::new();
        // Errors inside the hidden check, said once each: what the check needs from the learner's file.
        let mut check_needs: HashMap<String, ()> = HashMap::new();
        let total = dependency_build_size(ws, package);
        let mut done = 0;
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let target = msg["target"]["name"].as_str().unwrap_or_default();
            match msg["reason"].as_str() {
                Some("compiler-artifact") => {
                    if let (true, Some(exe)) =
                        (wanted.contains_key(target), msg["executable"].as_str())
                    {
                        on_artifact(target, Path::new(exe), built);
                        wanted.remove(target);
                    } else if !wanted.contains_key(target) && msg["fresh"] == false {
                        done += 1;
                        on_progress(BuildStep {
                            done,
                            total,
                            krate: target,
                        });
                    }
                }
                Some("compiler-message") if msg["message"]["level"] == "error" => {
                    let rendered = msg["message"]["rendered"].as_str().unwrap_or_default();
                    if rendered.contains("aborting due to") {
                        continue;
                    }
                    if wanted.contains_key(target)
                        && let Some(text) = in_the_check(&msg["message"], options.lang)
                    {
                        // Once per thing missing, however many lines of the check use it.
                        let what = msg["message"]["message"].as_str().unwrap_or_default();
                        if check_needs.insert(what.to_string(), ()).is_none() {
                            built
                                .errors
                                .entry(target.to_string())
                                .or_default()
                                .push_str(&text);
                        }
                        continue;
                    }
                    let text = if color {
                        rendered.to_string()
                    } else {
                        console::strip_ansi_codes(rendered).into_owned()
                    };
                    // Paths as the learner knows them: `exercises/…`, not the absolute path.
                    let text = text.replace(&format!("{}/", ws.root.display()), "");
                    if wanted.contains_key(target) {
                        built
                            .errors
                            .entry(target.to_string())
                            .or_default()
                            .push_str(&text);
                    } else {
                        other_errors.push_str(&text);
                    }
                }
                _ => {}
            }
        }
        let status = child.wait().context(crate::i18n::t(
            options.lang,
            "cargo did not finish",
            "cargo가 끝나지 않았습니다",
        ))?;
        let stderr = stderr_reader.join().unwrap_or_default();
        if !other_errors.is_empty() {
            match options.lang {
                crate::i18n::Lang::En => bail!(
                    "the checker itself does not compile (runner/conc or runner/conc-check was changed?):\n{other_errors}"
                ),
                crate::i18n::Lang::Ko => bail!(
                    "검사기 자체가 컴파일되지 않습니다 (runner/conc나 runner/conc-check를 바꿨습니까?):\n{other_errors}"
                ),
            }
        }
        if !status.success() && built.errors.is_empty() {
            match options.lang {
                crate::i18n::Lang::En => {
                    bail!("cargo failed to build the checks:\n{}", stderr.trim_end())
                }
                crate::i18n::Lang::Ko => bail!(
                    "cargo가 검사 프로그램을 빌드하지 못했습니다:\n{}",
                    stderr.trim_end()
                ),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{hoist_interposers, in_the_check};

    #[test]
    fn a_checks_interposers_are_said_once_for_a_bundle_and_every_line_keeps_its_number() {
        let check =
            "use conc_check::force::turns;\n\nconc_check::interpose_file_turns!();\n\nfn f() {}\n";
        let (text, hoisted) = hoist_interposers(check).unwrap();
        assert_eq!(hoisted, ["conc_check::interpose_file_turns!();"]);
        assert!(!text.contains("interpose_"), "{text}");
        assert_eq!(text.lines().count(), check.lines().count());
        assert_eq!(text.lines().nth(4), Some("fn f() {}"));
        // Nothing to take out: the check as it is.
        let plain = "fn f() {}\n// interpose_file_turns is not used here\n";
        assert_eq!(hoist_interposers(plain), Some((plain.to_string(), vec![])));
        // An argument may name something of the check's own: such an exercise is not bundled.
        assert_eq!(
            hoist_interposers("const E: &str = \"X\";\nconc_check::interpose_mq_open_hold!(E);\n"),
            None
        );
    }

    #[test]
    fn an_error_in_the_hidden_check_is_said_as_what_the_learners_file_must_keep() {
        let message = serde_json::json!({
            "message": "no method named `hit` found for struct `Arc<exercise::HitCounter>` in the current scope",
            "spans": [{
                "file_name": "/home/me/course/runner/checks/04_race_condition/fix_the_race.rs",
                "is_primary": true,
                "text": [{ "text": "            thread::spawn(move || counter.hit())" }]
            }]
        });
        let en = in_the_check(&message, conc_check::Lang::En).unwrap();
        assert!(
            en.contains("the hidden check uses something your file no longer has"),
            "{en}"
        );
        assert!(
            en.contains("`thread::spawn(move || counter.hit())`"),
            "{en}"
        );
        assert!(!en.contains("runner/checks"), "no hidden file named: {en}");
        let ko = in_the_check(&message, conc_check::Lang::Ko).unwrap();
        assert!(ko.contains("숨은 검사가 쓰는 것"), "{ko}");
        let mut own = message.clone();
        own["spans"][0]["file_name"] = "exercises/04_race_condition/fix_the_race.rs".into();
        assert_eq!(in_the_check(&own, conc_check::Lang::En), None);
    }
}
