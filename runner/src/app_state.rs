//! The learner's progress (`conc-lings-progress.toml` beside info.toml) and the original exercise texts that
//! `reset` restores.
//!
//! Progress is written atomically: a temporary file in the same folder, fsync, rename over the old file, fsync
//! of the folder. A crash at any moment leaves either the old file or the new one, never half of one. A file
//! that does not parse (hand-edited, or from an older version) is moved aside and rebuilt, with a message.

use crate::i18n::Lang;
use crate::info_file::InfoFile;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PROGRESS_FILE: &str = "conc-lings-progress.toml";
/// Where the runner keeps its own files: the original exercise texts, reports.
pub const STATE_DIR: &str = ".conc-lings";

#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The exercise watch mode shows.
    pub current: Option<String>,
    /// Exercises whose checks passed.
    #[serde(default)]
    pub done: BTreeSet<String>,
}

pub struct AppState {
    root: PathBuf,
    pub progress: Progress,
    /// Said once to the learner, then forgotten: a corrupt file moved aside, an exercise that disappeared.
    pub notices: Vec<String>,
}

impl AppState {
    /// Loads progress, recovering from a missing or corrupt file, and keeps a copy of every exercise text not
    /// yet kept (so `reset` can restore it).
    pub fn load(root: &Path, info: &InfoFile, lang: Lang) -> AppState {
        let mut notices = Vec::new();
        let path = root.join(PROGRESS_FILE);
        // Bytes first: a file that is not UTF-8 is as corrupt as one that does not parse, and goes aside too.
        let parsed = fs::read(&path).map(|bytes| {
            String::from_utf8(bytes)
                .map_err(|e| e.to_string())
                .and_then(|text| toml::from_str::<Progress>(&text).map_err(|e| e.to_string()))
        });
        let progress = match parsed {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Progress::default(),
            Err(e) => {
                notices.push(match lang {
                    Lang::En => format!(
                        "cannot read {} ({e}); starting with empty progress",
                        path.display()
                    ),
                    Lang::Ko => format!(
                        "{} 파일을 읽을 수 없어서({e}) 빈 진행 상황으로 시작합니다",
                        path.display()
                    ),
                });
                Progress::default()
            }
            Ok(parsed) => match parsed {
                Ok(p) => p,
                Err(e) => {
                    let aside = root.join(format!("{PROGRESS_FILE}.corrupt-{}", unix_time()));
                    let moved = fs::rename(&path, &aside).is_ok();
                    let first_line = e.lines().next().unwrap_or_default().to_string();
                    let aside_name = aside
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    notices.push(match (moved, lang) {
                        (true, Lang::En) => format!(
                            "{PROGRESS_FILE} was unreadable ({first_line}); moved it to {aside_name} and started fresh"
                        ),
                        (true, Lang::Ko) => format!(
                            "{PROGRESS_FILE} 파일을 읽을 수 없어서({first_line}) {aside_name} 파일로 옮기고 새로 시작합니다"
                        ),
                        (false, Lang::En) => format!("{PROGRESS_FILE} was unreadable ({first_line}); starting fresh"),
                        (false, Lang::Ko) => {
                            format!("{PROGRESS_FILE} 파일을 읽을 수 없어 ({first_line}) 새로 시작합니다")
                        }
                    });
                    Progress::default()
                }
            },
        };
        let mut state = AppState {
            root: root.to_path_buf(),
            progress,
            notices,
        };
        state.forget_unknown(info, lang);
        state.keep_originals(info, lang);
        // A runner killed while writing (kill -9, a closed terminal) leaves its temp file behind; the next one
        // clears it. Only the temp files of this workspace's own files are touched.
        remove_stale_temps(&path);
        for ex in &info.exercises {
            remove_stale_temps(&root.join("exercises").join(&ex.path));
        }
        state
    }

    fn forget_unknown(&mut self, info: &InfoFile, lang: Lang) {
        let unknown: Vec<String> = self
            .progress
            .done
            .iter()
            .filter(|n| info.exercise(n).is_none())
            .cloned()
            .collect();
        for name in unknown {
            self.progress.done.remove(&name);
            self.notices.push(match lang {
                Lang::En => {
                    format!("`{name}` is no longer in info.toml; dropped it from your progress")
                }
                Lang::Ko => format!("`{name}` 연습 문제가 info.toml에 없어 진행 상황에서 뺐습니다"),
            });
        }
        if self
            .progress
            .current
            .as_deref()
            .is_some_and(|c| info.exercise(c).is_none())
        {
            self.progress.current = None;
        }
    }

    fn originals_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR).join("originals")
    }

    /// The kept original text of an exercise, if any.
    pub fn original(&self, path: &str) -> Option<String> {
        fs::read_to_string(self.originals_dir().join(path)).ok()
    }

    fn keep_originals(&mut self, info: &InfoFile, lang: Lang) {
        for ex in &info.exercises {
            let kept = self.originals_dir().join(&ex.path);
            if kept.exists() {
                continue;
            }
            let Ok(text) = fs::read_to_string(self.root.join("exercises").join(&ex.path)) else {
                continue;
            };
            let saved = kept
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| write_atomically(&kept, &text));
            if let Err(e) = saved {
                self.notices.push(match lang {
                    Lang::En => format!("cannot keep a copy of {} for `reset` ({e})", ex.path),
                    Lang::Ko => format!("`reset`에 쓸 {} 사본을 보관할 수 없습니다 ({e})", ex.path),
                });
                break;
            }
        }
    }

    pub fn is_done(&self, name: &str) -> bool {
        self.progress.done.contains(name)
    }

    /// Records a verdict; returns whether anything changed.
    pub fn set_done(&mut self, name: &str, done: bool) -> bool {
        if done {
            self.progress.done.insert(name.to_string())
        } else {
            self.progress.done.remove(name)
        }
    }

    /// The exercise to show: the saved current one, else the first not done.
    pub fn current<'a>(&self, info: &'a InfoFile) -> &'a str {
        let saved = self
            .progress
            .current
            .as_deref()
            .and_then(|c| info.exercise(c));
        saved
            .or_else(|| info.exercises.iter().find(|e| !self.is_done(&e.name)))
            .or(info.exercises.first())
            .map(|e| e.name.as_str())
            .unwrap_or_default()
    }

    pub fn save(&self) -> Result<()> {
        let path = self.root.join(PROGRESS_FILE);
        let text = toml::to_string(&self.progress).expect("progress serialises");
        write_atomically(&path, &text).with_context(|| {
            format!(
                "cannot save progress to {} (is the folder read-only?); your verdicts still stand",
                path.display()
            )
        })
    }
}

/// The prefix of the temp files [`write_atomically`] writes before renaming them to `path`; the writer's
/// process id follows.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.tmp-")
}

/// Writes `text` to `path` so that a crash leaves the old file or the new one, never a mix.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!("{}{}", temp_prefix(path), std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too.
        fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the temp files that writers of `path` left when they died before their rename. A live writer's
/// file (another runner saving right now) is left alone.
fn remove_stale_temps(path: &Path) {
    let Some(dir) = path.parent() else { return };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = temp_prefix(path);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        if pid > 0 && !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn process_exists(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

fn unix_time() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let p = Progress {
            current: Some("a".into()),
            done: ["a".to_string(), "b".to_string()].into(),
        };
        let text = toml::to_string(&p).unwrap();
        assert_eq!(toml::from_str::<Progress>(&text).unwrap(), p);
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        write_atomically(&path, "old = 1\n").unwrap();
        write_atomically(&path, "new = 2\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new = 2\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temp_files_of_dead_writers_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let live = std::process::id();
        for name in [
            format!(".f.toml.tmp-{dead}"),
            format!(".f.toml.tmp-{live}"),
            format!(".g.toml.tmp-{dead}"),
            "notes.tmp-1".to_string(),
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        remove_stale_temps(&path);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                format!(".f.toml.tmp-{live}"),
                format!(".g.toml.tmp-{dead}"),
                "notes.tmp-1".to_string()
            ]
        );
    }
}
