//! `conc-lings watch` driven as a learner drives it: saves from "editors" (in place, by rename), a save during a
//! running check, quitting — on a one-exercise workspace in a temp folder.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};
use support::{exercise, shared_target_dir, solution, workspace};

struct Watch {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(root: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conc-lings"))
            .args(["--color", "never", "--lang", "en", "watch"])
            .current_dir(root)
            .env("CONC_LINGS_TARGET_DIR", shared_target_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        Watch {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next verdict line (✓ or ✗), within `limit`.
    fn verdict(&mut self, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no verdict; output so far:\n{}", self.seen.join("\n")));
            self.seen.push(line.clone());
            if line.starts_with('✓') || line.starts_with('✗') {
                return line;
            }
        }
    }

    /// Verdict lines printed until one starts with `expected` (within `limit`), and then until nothing more comes for
    /// `quiet`: a late verdict of an earlier save would come after the expected one and be the last.
    fn verdicts_until(&mut self, expected: &str, limit: Duration, quiet: Duration) -> Vec<String> {
        let mut verdicts = Vec::new();
        while !verdicts
            .last()
            .is_some_and(|v: &String| v.starts_with(expected))
        {
            verdicts.push(self.verdict(limit));
        }
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            self.seen.push(line.clone());
            if line.starts_with('✓') || line.starts_with('✗') {
                verdicts.push(line);
            }
        }
        verdicts
    }

    fn command(&mut self, word: &str) {
        writeln!(self.stdin, "{word}").unwrap();
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const FIRST_BUILD: Duration = Duration::from_secs(300);
const RECHECK: Duration = Duration::from_secs(60);

/// How many checks `fix_the_race` has (counted in its check file, so a new check does not break these tests).
fn checks() -> usize {
    let check = support::repo().join("runner/checks/04_race_condition/fix_the_race.rs");
    std::fs::read_to_string(check)
        .unwrap()
        .matches("c.model(")
        .count()
}

fn passed() -> String {
    format!("✓ fix_the_race passed all {} checks", checks())
}

/// The exercise as shipped fails its second check (one hit each from two threads).
fn fails_second() -> String {
    format!("check 2 of {} failed", checks())
}

#[test]
fn a_save_in_place_triggers_a_recheck() {
    let ws = workspace();
    let mut watch = Watch::start(ws.path());
    assert!(
        watch
            .verdict(FIRST_BUILD)
            .starts_with(&format!("✗ {}", fails_second()))
    );
    std::fs::write(exercise(ws.path()), solution(ws.path())).unwrap();
    assert_eq!(watch.verdict(RECHECK), passed());
    let progress = std::fs::read_to_string(ws.path().join("conc-lings-progress.toml")).unwrap();
    assert!(
        progress.contains("fix_the_race"),
        "the pass is saved: {progress}"
    );
}

#[test]
fn a_save_by_rename_triggers_a_recheck() {
    let ws = workspace();
    let mut watch = Watch::start(ws.path());
    watch.verdict(FIRST_BUILD);
    // What vim, `sed -i` and JetBrains' safe write do: write a temporary file, rename it over the original.
    let tmp = ws
        .path()
        .join("exercises/04_race_condition/.fix_the_race.rs.tmp");
    std::fs::write(&tmp, solution(ws.path())).unwrap();
    std::fs::rename(&tmp, exercise(ws.path())).unwrap();
    assert_eq!(watch.verdict(RECHECK), passed());
}

/// `source` with a busy loop in `hit`: its check runs for many seconds, so a save made while it runs is
/// certainly made during a check.
fn slow(source: &str) -> String {
    let slow = source.replacen(
        "pub fn hit(&self) {",
        "pub fn hit(&self) {\n        let mut spin = 0u64;\n        while spin < 20_000_000 {\n            spin += 1;\n        }",
        1,
    );
    assert_ne!(slow, source, "`hit` is where it was");
    slow
}

/// Waits until a check program of the workspace at `root` runs (its scratch folder exists), or until none runs.
fn wait_for_a_check_program(root: &Path, running: bool) {
    let runs = root.join("target/conc-lings/runs");
    let deadline = Instant::now() + RECHECK;
    while std::fs::read_dir(&runs).is_ok_and(|mut d| d.next().is_some()) != running {
        assert!(Instant::now() < deadline, "running = {running} never held");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_save_during_a_running_check_ends_with_the_verdict_of_the_last_save() {
    let ws = workspace();
    let mut watch = Watch::start(ws.path());
    watch.verdict(FIRST_BUILD);
    let broken = std::fs::read_to_string(exercise(ws.path())).unwrap();
    let right = solution(ws.path());
    // Two seconds of quiet after the expected verdict: a late verdict of the earlier save would come in them
    // (the check of the slow version is killed, not finished, so none should come at all).
    let quiet = Duration::from_secs(2);
    // A slow version is saved and its check program starts; while it runs, the last save comes. A watch that
    // let the running check finish, or dropped the save, would end with the slow version's verdict.
    let rounds = [
        (
            slow(&right),
            broken.clone(),
            format!("✗ {}", fails_second()),
        ),
        (
            slow(&right),
            format!("{broken}\n// again\n"),
            format!("✗ {}", fails_second()),
        ),
        (slow(&broken), right, passed()),
    ];
    for (round, (first, last, expected)) in rounds.into_iter().enumerate() {
        wait_for_a_check_program(ws.path(), false);
        std::fs::write(exercise(ws.path()), first).unwrap();
        wait_for_a_check_program(ws.path(), true);
        std::fs::write(exercise(ws.path()), last).unwrap();
        let verdicts = watch.verdicts_until(&expected, RECHECK, quiet);
        assert!(
            verdicts.last().is_some_and(|v| v.starts_with(&expected)),
            "round {round}: {verdicts:?}"
        );
    }
}

#[test]
fn quit_ends_watch_and_leaves_no_process_behind() {
    let ws = workspace();
    let mut watch = Watch::start(ws.path());
    watch.verdict(FIRST_BUILD);
    // Start a check and quit while it may still run.
    std::fs::write(exercise(ws.path()), solution(ws.path())).unwrap();
    watch.command("quit");
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = watch.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "watch did not quit within 5 s");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(200));
    let root = ws.path().to_string_lossy().into_owned();
    let leftovers: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .ok()
                .map(|c| (pid, c))
        })
        .map(|(pid, c)| (pid, String::from_utf8_lossy(&c).replace('\0', " ")))
        .filter(|(_, cmdline)| cmdline.contains(&root))
        .map(|(pid, cmdline)| format!("{pid}: {cmdline}"))
        .collect();
    assert!(leftovers.is_empty(), "processes left behind: {leftovers:?}");
}

/// `conc-lings --lang LANG watch` in a pseudo-terminal of `cols`×`rows` (`script` from util-linux; `None` where it
/// is not installed): the child, and what it prints, chunk by chunk.
fn watch_in_a_terminal(
    ws: &Path,
    lang: &str,
    cols: u16,
    rows: u16,
) -> Option<(std::process::Child, mpsc::Receiver<Vec<u8>>)> {
    watch_in_a_terminal_building_in(ws, lang, cols, rows, &shared_target_dir())
}

/// The same, with the checker built in `target` (a folder of its own: watch builds the checker from nothing).
fn watch_in_a_terminal_building_in(
    ws: &Path,
    lang: &str,
    cols: u16,
    rows: u16,
    target: &Path,
) -> Option<(std::process::Child, mpsc::Receiver<Vec<u8>>)> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let command = format!(
        "stty cols {cols} rows {rows}; exec {} --lang {lang} watch",
        Path::new(env!("CARGO_BIN_EXE_conc-lings")).display()
    );
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(ws)
        .env("CONC_LINGS_TARGET_DIR", target)
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = std::io::Read::read(&mut stdout, &mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    Some((child, rx))
}

/// Reads `rx` into `screen` until `done(text)` holds (panics with what was shown if it never does).
fn read_until(
    rx: &mpsc::Receiver<Vec<u8>>,
    screen: &mut Vec<u8>,
    limit: Duration,
    done: impl Fn(&str) -> bool,
) {
    let deadline = Instant::now() + limit;
    while !done(&String::from_utf8_lossy(screen)) {
        let left = deadline.saturating_duration_since(Instant::now());
        screen.extend(rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!("not on screen in time: {}", String::from_utf8_lossy(screen))
        }));
    }
}

/// The words of a terminal's output, without colours and cursor moves.
fn words_shown(raw: &str) -> Vec<String> {
    let plain = console::strip_ansi_codes(raw);
    plain.split_whitespace().map(String::from).collect()
}

#[test]
fn a_hint_in_an_80_by_24_terminal_is_shown_whole_in_both_languages() {
    let ws = workspace();
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(ws.path().join("info.toml")).unwrap()).unwrap();
    let exercise = info["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"].as_str() == Some("fix_the_race"))
        .unwrap();
    for lang in ["en", "ko"] {
        // Korean takes two columns a character: the first hint is about 110 columns wide.
        let hint = exercise["hints"][0][lang].as_str().unwrap().to_string();
        let Some((mut child, rx)) = watch_in_a_terminal(ws.path(), lang, 80, 24) else {
            return;
        };
        let mut screen = Vec::new();
        read_until(&rx, &mut screen, FIRST_BUILD, |t| t.contains('✗'));
        child.stdin.as_mut().unwrap().write_all(b"h").unwrap();
        let before = screen.len();
        let wanted: Vec<String> = hint.split_whitespace().map(String::from).collect();
        read_until(&rx, &mut screen, Duration::from_secs(10), |t| {
            let shown = words_shown(&t[before.min(t.len())..]);
            shown.windows(wanted.len()).any(|w| w == wanted.as_slice())
        });
        child.stdin.as_mut().unwrap().write_all(b"q").unwrap();
        let _ = child.wait();
    }
}

/// The values the interleaving shows (`reads `hits` = 0`, …), as `conc-lings run` prints them in `lang`.
fn values_of_the_interleaving(ws: &Path, lang: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_conc-lings"))
        .args(["--color", "never", "--lang", lang, "run", "fix_the_race"])
        .current_dir(ws)
        .env("CONC_LINGS_TARGET_DIR", shared_target_dir())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let values: Vec<String> = text
        .lines()
        .filter_map(|l| l.split_once(" │ "))
        .map(|(_, step)| step.trim().split("   ").next().unwrap().trim().to_string())
        .filter(|effect| effect.contains(" = "))
        .collect();
    assert!(
        values.len() >= 4,
        "two reads and two writes at least: {text}"
    );
    values
}

/// The last whole screen drawn (watch clears the screen before each drawing).
fn last_frame(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let frame = text.rsplit("\x1b[2J").next().unwrap_or_default();
    console::strip_ansi_codes(frame).into_owned()
}

#[test]
fn every_value_of_the_fix_the_race_interleaving_is_on_an_80_by_24_screen_as_list_and_as_lanes() {
    let ws = workspace();
    for lang in ["en", "ko"] {
        let values = values_of_the_interleaving(ws.path(), lang);
        let Some((mut child, rx)) = watch_in_a_terminal(ws.path(), lang, 80, 24) else {
            return;
        };
        let mut screen = Vec::new();
        read_until(&rx, &mut screen, FIRST_BUILD, |t| {
            last_frame(t.as_bytes()).contains('✗')
        });
        let on_screen = |frame: &str, value: &str| frame.matches(value).count();
        let missing = |frame: &str| {
            values.iter().find(|value| {
                on_screen(frame, value) < values.iter().filter(|v| v == value).count()
            })
        };
        // The verdict's first line may arrive before the rest of its frame (a loaded machine writes the drawing
        // in pieces): wait for the frame to be drawn whole, then it must hold every value.
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(value) = missing(&last_frame(&screen)) {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = last_frame(&screen);
            screen.extend(rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "{lang}: `{value}` shown {} of {} times:\n{frame}",
                    on_screen(&frame, value),
                    values.iter().filter(|v| *v == value).count()
                )
            }));
        }
        // The lanes: each value in its thread's column, whole; ↓ moves through the steps (the screen follows).
        let before = screen.len();
        child.stdin.as_mut().unwrap().write_all(b"v").unwrap();
        child
            .stdin
            .as_mut()
            .unwrap()
            .write_all(&[b'j'; 12])
            .unwrap();
        let lanes_frames = |raw: &[u8]| -> Vec<String> {
            let text = String::from_utf8_lossy(&raw[before.min(raw.len())..]).into_owned();
            text.split("\x1b[2J")
                .map(|f| console::strip_ansi_codes(f).into_owned())
                .filter(|f| f.contains('▶'))
                .collect()
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let frames = lanes_frames(&screen);
            if values
                .iter()
                .all(|v| frames.iter().any(|f| f.contains(v.as_str())))
            {
                for line in frames.iter().flat_map(|f| f.lines()) {
                    let line = line.trim_end_matches('\r');
                    assert!(console::measure_text_width(line) <= 80, "{line:?}");
                }
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            screen.extend(rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "{lang}: lanes never showed every value: {values:?}\n{}",
                    frames.join("\n====\n")
                )
            }));
        }
        child.stdin.as_mut().unwrap().write_all(b"q").unwrap();
        let _ = child.wait();
    }
}

/// Processes whose command line names `needle` (cargo and rustc building into a test's own target folder).
fn processes_naming(needle: &str) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle))
        .collect()
}

#[test]
fn the_first_screen_comes_before_the_checker_is_built_and_quitting_stops_the_build() {
    // A target folder of its own: the checker is built from nothing, which takes a minute; the screen must not.
    let ws = workspace();
    let target = tempfile::tempdir().unwrap();
    let Some((mut child, rx)) =
        watch_in_a_terminal_building_in(ws.path(), "en", 80, 24, target.path())
    else {
        return;
    };
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(ws.path().join("info.toml")).unwrap()).unwrap();
    let race = info["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_str() == Some("race_condition"))
        .unwrap();
    let summary: Vec<String> = race["summary"]["en"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .take(8)
        .map(String::from)
        .collect();
    let mut screen = Vec::new();
    read_until(&rx, &mut screen, Duration::from_secs(60), |t| {
        let frame = last_frame(t.as_bytes());
        let words: Vec<String> = frame.split_whitespace().map(String::from).collect();
        // With an estimate, once the build's pace shows.
        frame.contains("building the checker")
            && frame.contains(" s left")
            && frame.contains("fix_the_race")
            && words
                .windows(summary.len())
                .any(|w| w == summary.as_slice())
    });
    let text = String::from_utf8_lossy(&screen).into_owned();
    assert!(
        !text.contains('✗') && !text.contains('✓'),
        "no verdict yet: {text}"
    );
    child.stdin.as_mut().unwrap().write_all(b"q").unwrap();
    let _ = child.wait();
    let needle = target.path().to_string_lossy().into_owned();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_naming(&needle).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        processes_naming(&needle),
        Vec::<String>::new(),
        "the build outlived watch"
    );
}

#[test]
fn q_in_a_terminal_quits_and_restores_the_cursor() {
    // The `q` written to script's stdin arrives as a key press.
    let ws = workspace();
    let Some((mut child, rx)) = watch_in_a_terminal(ws.path(), "en", 80, 24) else {
        return;
    };
    let mut screen = Vec::new();
    let deadline = Instant::now() + FIRST_BUILD;
    while !String::from_utf8_lossy(&screen).contains(&fails_second()) {
        let left = deadline.saturating_duration_since(Instant::now());
        screen.extend(rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!("no verdict on screen: {}", String::from_utf8_lossy(&screen))
        }));
    }
    let text = String::from_utf8_lossy(&screen).into_owned();
    assert!(
        text.contains("n next · p prev · h hint"),
        "the key line is on screen: {text}"
    );
    assert!(
        text.contains("\x1b[?25l"),
        "the cursor is hidden while watching"
    );
    child.stdin.as_mut().unwrap().write_all(b"q").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "watch did not quit on q");
        std::thread::sleep(Duration::from_millis(20));
    };
    while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
        screen.extend(chunk);
    }
    assert!(status.success());
    let text = String::from_utf8_lossy(&screen);
    let hidden = text.rfind("\x1b[?25l").unwrap();
    assert!(
        text[hidden..].contains("\x1b[?25h"),
        "the cursor is shown again after q"
    );
}
