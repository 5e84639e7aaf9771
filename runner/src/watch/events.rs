//! The threads that feed the event loop: file changes, keys (or commands on stdin), check results.

use crate::check::Verdict;
use anyhow::{Context, Result};
use console::Key;
use notify::{EventKind, RecursiveMode, Watcher};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub enum Event {
    /// Something changed under `exercises/`: a write, a create, a rename (editors that save by renaming a
    /// temporary file over the original), a removal.
    FileChanged(Vec<PathBuf>),
    /// The one-time build of the checker compiled this crate.
    BuildProgress(String),
    /// The verdict of check number `.0`.
    Checked(u64, Box<Result<Verdict>>),
    CheckedAll(Result<Vec<Verdict>>),
    /// The background build of the other kinds' checkers (by its marker) ended.
    Prebuilt(String),
    Command(Command),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Command {
    Next,
    Previous,
    Hint,
    Concept,
    List,
    CheckAll,
    Reset,
    Quit,
    Yes,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// The interleaving as lanes, or back to the list.
    Lanes,
    Enter,
    Other,
}

/// Watches `dir` recursively; the watcher stops when the returned value is dropped.
pub fn watch_files(
    dir: &Path,
    tx: Sender<Event>,
    lang: crate::i18n::Lang,
) -> Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        if let Ok(event) = result {
            // Reads (an editor or rust-analyzer opening the file) change nothing.
            if !matches!(event.kind, EventKind::Access(_)) {
                let _ = tx.send(Event::FileChanged(event.paths));
            }
        }
    })
    .context(crate::i18n::t(
        lang,
        "cannot watch for file changes",
        "파일 변경을 지켜볼 수 없습니다",
    ))?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| match lang {
            crate::i18n::Lang::En => format!("cannot watch {}", dir.display()),
            crate::i18n::Lang::Ko => format!("{} 폴더를 지켜볼 수 없습니다", dir.display()),
        })?;
    Ok(watcher)
}

/// Reads keys from the terminal on a thread.
pub fn read_keys(tx: Sender<Event>) {
    std::thread::spawn(move || {
        let term = console::Term::stdout();
        while let Ok(key) = term.read_key() {
            let command = match key {
                Key::Char('n') | Key::ArrowRight => Command::Next,
                Key::Char('p') | Key::ArrowLeft => Command::Previous,
                Key::Char('h') => Command::Hint,
                Key::Char('c') => Command::Concept,
                Key::Char('l') => Command::List,
                Key::Char('a') => Command::CheckAll,
                Key::Char('r') => Command::Reset,
                Key::Char('q') | Key::CtrlC => Command::Quit,
                Key::Char('y') => Command::Yes,
                Key::Char('k') | Key::ArrowUp => Command::Up,
                Key::Char('j') | Key::ArrowDown => Command::Down,
                Key::PageUp => Command::PageUp,
                Key::PageDown | Key::Char(' ') => Command::PageDown,
                Key::Home => Command::Home,
                Key::End => Command::End,
                Key::Char('v') => Command::Lanes,
                Key::Enter => Command::Enter,
                _ => Command::Other,
            };
            if tx.send(Event::Command(command)).is_err() || command == Command::Quit {
                break;
            }
        }
    });
}

/// Without a terminal, commands come as words on stdin (`next`, `hint`, `quit`, …); the end of stdin just
/// means no more commands, not "quit" (CI runs with stdin closed).
pub fn read_stdin_commands(tx: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let command = match line.trim() {
                "n" | "next" => Command::Next,
                "p" | "prev" | "previous" => Command::Previous,
                "h" | "hint" => Command::Hint,
                "c" | "concept" => Command::Concept,
                "l" | "list" => Command::List,
                "a" | "all" | "check-all" => Command::CheckAll,
                "r" | "reset" => Command::Reset,
                "q" | "quit" => Command::Quit,
                "y" | "yes" => Command::Yes,
                "v" | "lanes" => Command::Lanes,
                "" => continue,
                _ => Command::Other,
            };
            if tx.send(Event::Command(command)).is_err() {
                break;
            }
        }
    });
}
