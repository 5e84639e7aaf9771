//! `conc-lings-bench`: how long a save takes to become a verdict, next to the floor of doing the same work by
//! hand (cargo building that one check program, then running it). Not a test: machines are noisy, so it
//! reports medians and spreads of several runs and ratios measured in the same run.
//!
//!     cargo run --release -p conc-lings --bin conc-lings-bench -- [--runs 10] [--idle-seconds 30] [--cold]
//!
//! It edits exercise files (appending a comment) and puts every one back as it was when it ends.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    runs: usize,
    idle_seconds: u64,
    cold: bool,
    root: PathBuf,
}

fn args() -> Args {
    let mut args = Args {
        runs: 10,
        idle_seconds: 30,
        cold: false,
        root: PathBuf::from("."),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => args.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--idle-seconds" => {
                args.idle_seconds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--idle-seconds N")
            }
            "--cold" => args.cold = true,
            "--root" => args.root = PathBuf::from(it.next().expect("--root DIR")),
            other => panic!(
                "unknown argument {other}; see the comment at the top of conc-lings-bench.rs"
            ),
        }
    }
    args.root = std::fs::canonicalize(&args.root).expect("the root exists");
    args
}

/// Puts a file back as it was, whatever happens.
struct Restore {
    path: PathBuf,
    text: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.text);
    }
}

struct Exercise {
    name: String,
    path: PathBuf,
    backend: &'static str,
}

fn find_exercises(root: &Path) -> Vec<(&'static str, Exercise)> {
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("info.toml")).unwrap()).unwrap();
    let exercises = info["exercises"].as_array().unwrap();
    // The flagships when they are there, else the first exercise of the kind.
    let pick = |kind: &str| {
        let of_kind = |e: &&toml::Value| e["kind"].as_str() == Some(kind);
        let flagship = |e: &&toml::Value| {
            ["fix_the_race", "build_a_pipe_pair"].contains(&e["name"].as_str().unwrap_or(""))
        };
        let mut candidates = exercises.iter().filter(of_kind);
        candidates
            .clone()
            .find(flagship)
            .or_else(|| candidates.next())
            .map(|e| Exercise {
                name: e["name"].as_str().unwrap().to_string(),
                path: root.join("exercises").join(e["path"].as_str().unwrap()),
                backend: match kind {
                    "model" => "shuttle",
                    "ordering" => "loom",
                    _ => "std",
                },
            })
    };
    let mut out = Vec::new();
    if let Some(e) = pick("model") {
        out.push(("model", e));
    }
    if let Some(e) = pick("process") {
        out.push(("process", e));
    }
    // A compile error: the model exercise with a type error added.
    if let Some(e) = pick("model") {
        out.push(("compile-error", e));
    }
    out
}

fn edit(ex: &Exercise, original: &str, kind: &str, i: usize) {
    let extra = if kind == "compile-error" {
        format!("\nconst _BENCH_{i}: u8 = \"not a number\";\n")
    } else {
        format!("\n// bench edit {i}\n")
    };
    std::fs::write(&ex.path, format!("{original}{extra}")).unwrap();
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// Builds the `conc-lings` binary beside this one, with the same profile.
fn ensure_runner_built(root: &Path) {
    let exe = std::env::current_exe().unwrap();
    let release = exe
        .parent()
        .is_some_and(|dir| dir.file_name().is_some_and(|n| n == "release"));
    let mut cargo = Command::new("cargo");
    cargo
        .current_dir(root)
        .args(["build", "-q", "-p", "conc-lings", "--bin", "conc-lings"]);
    if release {
        cargo.arg("--release");
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "the runner does not build");
}

fn runner(root: &Path) -> Command {
    let exe = std::env::current_exe()
        .unwrap()
        .with_file_name("conc-lings");
    let mut c = Command::new(exe);
    c.current_dir(root)
        .args(["--color", "never", "--lang", "en"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// What the runner does for one check, invoked by hand: cargo build of that one program (same package, target
/// directory and flags), then the program itself.
fn floor(root: &Path, ex: &Exercise) {
    let build = root.join("target/conc-lings");
    let status = Command::new("cargo")
        .args(["build", "-q", "--message-format", "json", "--manifest-path"])
        .arg(build.join(format!("pkg-{}/Cargo.toml", ex.backend)))
        .arg("--target-dir")
        .arg(build.join("target"))
        .args(["--bin", &ex.name])
        .env("CARGO_ENCODED_RUSTFLAGS", "")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    if status.success() {
        let tmp = build.join("bench-tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        let _ = Command::new(build.join("target/debug").join(&ex.name))
            .arg("--conc-lings-checks")
            .env("CONC_LINGS_REPORT", tmp.join("r.jsonl"))
            .env("TMPDIR", &tmp)
            .current_dir(&tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

fn stats(samples: &[Duration]) -> Stats {
    let mut s: Vec<f64> = samples.iter().map(|d| d.as_secs_f64()).collect();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = if s.len() % 2 == 1 {
        s[s.len() / 2]
    } else {
        (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
    };
    Stats {
        median,
        min: s[0],
        max: s[s.len() - 1],
    }
}

fn show(label: &str, st: &Stats, floor: Option<&Stats>) {
    let ratio = floor
        .map(|f| format!("  ×{:.2} of floor", st.median / f.median))
        .unwrap_or_default();
    println!(
        "  {label:<34} median {:>6.3} s  [{:.3} – {:.3}]{ratio}",
        st.median, st.min, st.max
    );
}

/// `conc-lings watch` with plain output, and a thread that timestamps its lines.
struct Watch {
    child: std::process::Child,
    lines: mpsc::Receiver<(Instant, String)>,
}

impl Watch {
    fn start(root: &Path, exercise: &str) -> Watch {
        let mut c = runner(root);
        let mut child = c
            .args(["watch", exercise])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// Waits for the next verdict line (✓ or ✗); returns when it was printed.
    fn verdict(&self) -> Instant {
        loop {
            let (at, line) = self
                .lines
                .recv_timeout(Duration::from_secs(120))
                .expect("watch printed a verdict");
            if line.starts_with('✓') || line.starts_with('✗') {
                return at;
            }
        }
    }

    fn drain(&self) {
        while self.lines.try_recv().is_ok() {}
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = writeln!(stdin, "quit");
        }
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    // utime and stime are fields 14 and 15 of stat; after the `)` they are at 11 and 12.
    fields
        .get(11)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args = args();
    let root = &args.root;
    println!(
        "conc-lings-bench: {} runs each, on {} CPUs",
        args.runs,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // `cargo run --bin conc-lings-bench` builds only this binary: the runner it measures must be as fresh.
    ensure_runner_built(root);
    // Warm up: the checker's dependencies are built once per machine, not per run.
    let _ = runner(root).args(["verify"]).status();

    for (kind, ex) in find_exercises(root) {
        let original = std::fs::read_to_string(&ex.path).unwrap();
        let _restore = Restore {
            path: ex.path.clone(),
            text: original.clone(),
        };
        println!(
            "\n{kind}: {} ({})",
            ex.name,
            ex.path.strip_prefix(root).unwrap_or(&ex.path).display()
        );
        let mut run = Vec::new();
        let mut fl = Vec::new();
        for i in 0..args.runs {
            edit(&ex, &original, kind, 2 * i);
            run.push(time(|| {
                let _ = runner(root).args(["run", &ex.name]).status();
            }));
            edit(&ex, &original, kind, 2 * i + 1);
            fl.push(time(|| floor(root, &ex)));
        }
        let floor_stats = stats(&fl);
        show("(c) floor: cargo build + run", &floor_stats, None);
        show(
            "(a) conc-lings run, after an edit",
            &stats(&run),
            Some(&floor_stats),
        );

        let watch = Watch::start(root, &ex.name);
        watch.verdict();
        let mut saves = Vec::new();
        for i in 0..args.runs {
            std::thread::sleep(Duration::from_millis(300));
            watch.drain();
            let written = Instant::now();
            edit(&ex, &original, kind, 1000 + i);
            saves.push(watch.verdict() - written);
        }
        show(
            "(b) watch: save → verdict on screen",
            &stats(&saves),
            Some(&floor_stats),
        );
    }

    println!("\n(d) verify, every exercise");
    if args.cold {
        let _ = std::fs::remove_dir_all(root.join("target/conc-lings"));
        let cold = time(|| {
            let _ = runner(root).arg("verify").status();
        });
        println!(
            "  {:<34} {:>6.1} s  (dependencies and every check program built)",
            "cold",
            cold.as_secs_f64()
        );
    }
    let rebuilt = time(|| {
        for e in walk(&root.join("exercises")) {
            let _ = std::fs::File::options()
                .append(true)
                .open(&e)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()));
        }
        let _ = runner(root).arg("verify").status();
    });
    println!(
        "  {:<34} {:>6.1} s",
        "every program rebuilt (deps warm)",
        rebuilt.as_secs_f64()
    );
    let warm: Vec<Duration> = (0..3)
        .map(|_| time(|| drop(runner(root).arg("verify").status())))
        .collect();
    show("warm (nothing to rebuild)", &stats(&warm), None);

    println!("\n(e) watch, idle for {} s", args.idle_seconds);
    let first = find_exercises(root)
        .into_iter()
        .next()
        .map(|(_, e)| e.name)
        .unwrap_or_default();
    let watch = Watch::start(root, &first);
    watch.verdict();
    std::thread::sleep(Duration::from_secs(1));
    let pid = watch.child.id();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(args.idle_seconds));
    let ticks = cpu_ticks(pid) - before;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    println!(
        "  CPU {:.2}% ({ticks} ticks in {} s), RSS {:.1} MiB",
        100.0 * ticks as f64 / hz / args.idle_seconds as f64,
        args.idle_seconds,
        rss_kib(pid) as f64 / 1024.0
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}
