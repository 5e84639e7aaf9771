// Hidden check for `replace_the_config`: readers see the old config or the new one, whole — while the new one is
// still arriving, when its stream breaks off, and when a reader was halfway through the old one as the new one
// was installed. The timing is forced by handshakes, not hoped for: the check's stream pauses (or fails) halfway
// and tells the check so, and the check's slow reader stops halfway through the old file until the install is
// done. Installers run with TMPDIR on another file system, so a temporary file there cannot be renamed over
// the config. A config that is removed and then replaced is caught at the moment in between: this program's own
// `unlink` and `rename` look whether a file has the config's name right after each one.
//
// requirement (header)                                     → check
// the new config in place, nothing else left in the folder → "install a new config"
// at every moment some whole config has the name (no      → "install a new config" (after every unlink/rename)
//   remove-then-rename)
// readers see the old config while the new one arrives    → "while the new config is still arriving"
// a broken stream: error, old config kept, no leftovers    → "a new config whose stream breaks off"
// a reader halfway through the old one finishes the old    → "a reader halfway through the old config"
// the new file is durable before the rename               → "the new config is on the disk before…"
use super::*;
use conc_check::prelude::*;
use conc_check::force::durable;
use conc_check::process::{Exercise, RoleOutput, fail_check, pick, secs};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// This program's fsync, fdatasync, unlink and rename note what an install did (see conc_check::force::durable).
conc_check::interpose_durability!();

fn old_config() -> String {
    (0..40)
        .map(|i| format!("old_setting_{i} = {i}\n"))
        .collect()
}

fn new_config() -> String {
    (0..60)
        .map(|i| format!("new_setting_{i} = {}\n", i * 7))
        .collect()
}

/// Waits (a few seconds at most) for `marker` to exist.
fn wait_for(marker: &Path) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while !marker.exists() {
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

/// The stream `install` reads in the check: the new config in two halves. `pause`: before the second half it
/// signals `waiting` and waits for `go`. `break`: after the first half it fails.
struct Feed {
    halves: [Vec<u8>; 2],
    at: usize,
    mode: String,
    signals: PathBuf,
}

impl Read for Feed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.halves[self.at].is_empty() {
            if self.at == 1 {
                return Ok(0);
            }
            match self.mode.as_str() {
                "break" => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "the sender hung up halfway (the check's stream)",
                    ));
                }
                "pause" => {
                    let _ = std::fs::write(self.signals.join("waiting"), "");
                    if !wait_for(&self.signals.join("go")) {
                        return Err(std::io::Error::other("the check never said go"));
                    }
                }
                _ => {}
            }
            self.at = 1;
        }
        let half = &mut self.halves[self.at];
        let n = half.len().min(buf.len());
        buf[..n].copy_from_slice(&half[..n]);
        half.drain(..n);
        Ok(n)
    }
}

/// One scenario's places: the config's folder (with the old config in it), a folder for handshakes, and a
/// TMPDIR on another file system (when there is one).
struct Setup {
    config: PathBuf,
    signals: PathBuf,
    tmpdir: Option<PathBuf>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        // The engine's sweep removes files in /dev/shm, not folders: this one goes on every path, failures too.
        if let Some(t) = &self.tmpdir {
            let _ = std::fs::remove_dir_all(t);
        }
    }
}

fn setup(ex: &Exercise) -> Setup {
    let folder = ex.file_path("etc");
    let signals = ex.file_path("signals");
    for dir in [&folder, &signals] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("the check's folders");
    }
    let config = folder.join("app.conf");
    std::fs::write(&config, old_config()).expect("the check's config");
    let tmpdir = ex.shm_path("tmpdir");
    let tmpdir = std::fs::create_dir(&tmpdir).ok().and_then(|_| {
        use std::os::unix::fs::MetadataExt;
        let other =
            std::fs::metadata(&tmpdir).ok()?.dev() != std::fs::metadata(&folder).ok()?.dev();
        if other {
            Some(tmpdir)
        } else {
            let _ = std::fs::remove_dir(&tmpdir);
            None
        }
    });
    Setup {
        config,
        signals,
        tmpdir,
    }
}

fn install_role<'a>(ex: &'a Exercise, s: &Setup, mode: &str) -> conc_check::process::Role<'a> {
    let role = ex
        .check_role(
            "install",
            &[
                &s.config.display().to_string(),
                mode,
                &s.signals.display().to_string(),
            ],
        )
        .timeout(secs(8));
    match &s.tmpdir {
        Some(t) => role.env("TMPDIR", t),
        None => role,
    }
}

/// What `install` returned, as the role reported it: Ok(()) or Err(message).
fn reported(out: &RoleOutput) -> Result<(), String> {
    out.expect_success();
    let text = out.stdout().trim();
    match text.strip_prefix("error: ") {
        Some(e) => Err(e.to_string()),
        None if text.starts_with("ok") => Ok(()),
        None => out.fail(tr(
            "the check's installer did not report",
            "검사의 설치 프로세스가 결과를 알려 주지 않았습니다",
        )),
    }
}

fn expect_installed(out: &RoleOutput) {
    if let Err(e) = reported(out) {
        let extra = if e.contains("os error 18") {
            tr(
                " `rename` cannot move a file to another file system (EXDEV): write the temporary file in the \
                 config's own folder, not in TMPDIR.",
                " `rename`은 파일을 다른 파일 시스템으로 옮기지 못합니다 (EXDEV): 임시 파일은 TMPDIR이 아니라 설정 \
                 파일과 같은 폴더에 쓰세요.",
            )
        } else {
            ""
        };
        out.fail(&pick(
            format!("install returned an error: {e}.{extra}"),
            format!("install이 오류를 돌려주었습니다: {e}.{extra}"),
        ));
    }
}

/// Fails unless `config` holds exactly `expected` (`what` names it).
fn expect_config(config: &Path, expected: &str, when: &str) {
    let got = std::fs::read_to_string(config).unwrap_or_else(|e| format!("<cannot read: {e}>"));
    if got != expected {
        fail_check(&describe(&got, when));
    }
}

/// What a reader got, in words.
fn describe(got: &str, when: &str) -> String {
    let (old, new) = (old_config(), new_config());
    let first = got.lines().next().unwrap_or("");
    let what_en;
    let what_ko;
    if got.is_empty() {
        what_en = "an empty file".to_string();
        what_ko = "빈 파일".to_string();
    } else if got == new {
        what_en = "the new config".to_string();
        what_ko = "새 설정".to_string();
    } else if new.starts_with(got) {
        what_en = format!("the first {} bytes of the new config", got.len());
        what_ko = format!("새 설정의 앞부분 {}바이트", got.len());
    } else if got.starts_with("old_") && got.contains("new_") {
        what_en = format!(
            "{} bytes that start with the old config and go on with the new one",
            got.len()
        );
        what_ko = format!(
            "옛 설정으로 시작해서 새 설정으로 이어지는 {}바이트",
            got.len()
        );
    } else if old.starts_with(got) {
        what_en = format!("the first {} bytes of the old config", got.len());
        what_ko = format!("옛 설정의 앞부분 {}바이트", got.len());
    } else {
        what_en = format!("{} bytes starting {first:?}", got.len());
        what_ko = format!("처음이 {first:?}인 {}바이트", got.len());
    }
    pick(
        format!("{when}, a reader got {what_en} — neither the old config nor the new one, whole."),
        format!(
            "{when}, 읽는 쪽이 받은 것은 {what_ko}입니다. 온전한 옛 설정도 새 설정도 아닙니다."
        ),
    )
}

/// Fails if anything but the config is left in its folder, or anything in the installer's TMPDIR.
fn expect_tidy(s: &Setup, when: &str) {
    let mut left: Vec<String> = std::fs::read_dir(s.config.parent().expect("a folder"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "app.conf")
        .collect();
    if let Some(t) = &s.tmpdir {
        left.extend(
            std::fs::read_dir(t)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| format!("$TMPDIR/{}", e.file_name().to_string_lossy())),
        );
    }
    if !left.is_empty() {
        fail_check(&pick(
            format!(
                "{when}, the config's folder should hold app.conf and nothing else, but {left:?} is left too: \
                 remove the temporary file when it is not renamed."
            ),
            format!(
                "{when}, 설정 폴더에는 app.conf만 있어야 하는데 {left:?}도 남아 있습니다. rename하지 않은 임시 파일은 \
                 지우세요."
            ),
        ));
    }
}

pub fn checks(c: &mut Checks) {
    // install CONFIG whole|pause|break SIGNALS: prints `ok` or `error: …`
    c.role("install", |args| {
        let new = new_config().into_bytes();
        let (a, b) = new.split_at(new.len() / 2);
        let feed = Feed {
            halves: [a.to_vec(), b.to_vec()],
            at: 0,
            mode: args[1].clone(),
            signals: PathBuf::from(&args[2]),
        };
        durable::watch(Path::new(&args[0]));
        match install(Path::new(&args[0]), feed) {
            Ok(()) if durable::was_gone() => println!("ok, config missing for a moment"),
            Ok(()) if durable::renamed_unsynced() => println!("ok, renamed before sync"),
            Ok(()) => println!("ok"),
            Err(e) => println!("error: {e}"),
        }
    });
    // slow_read CONFIG SIGNALS: reads 100 bytes, signals `halfway`, waits for `go`, reads the rest; prints it all
    c.role("slow_read", |args| {
        let signals = PathBuf::from(&args[1]);
        let mut file = std::fs::File::open(&args[0]).expect("the config opens");
        let mut start = [0u8; 100];
        file.read_exact(&mut start).expect("the first 100 bytes");
        std::fs::write(signals.join("halfway"), "").expect("a signal");
        assert!(wait_for(&signals.join("go")), "the check never said go");
        let mut rest = Vec::new();
        file.read_to_end(&mut rest).expect("the rest");
        let mut all = start.to_vec();
        all.extend(rest);
        print!("{}", String::from_utf8_lossy(&all));
    });

    c.process(
        (
            "install a new config: it is in place, and the folder holds nothing else",
            "새 설정 설치: 제자리에 있고, 폴더에는 다른 것이 없습니다",
        ),
        |ex| {
            let s = setup(ex);
            let out = install_role(ex, &s, "whole").run();
            expect_installed(&out);
            if out.stdout().trim() == "ok, config missing for a moment" {
                out.fail(tr(
                    "during the install there was a moment when no file had the config's name (right after a \
                     remove or a rename): a reader opening the config then gets NotFound, and a crash then leaves \
                     no config at all. `rename` the new file over the old one: it replaces it in one step.",
                    "설치 도중 설정 파일 이름을 가진 파일이 없는 순간이 있었습니다 (remove나 rename 직후): 그때 설정을 \
                     여는 쪽은 NotFound를 받고, 그때 크래시가 나면 설정이 아예 없습니다. 새 파일을 옛 파일 위로 \
                     `rename`하면 한 단계로 바꿔치기됩니다.",
                ));
            }
            let when = tr("After the install", "설치가 끝난 뒤");
            expect_config(&s.config, &new_config(), when);
            expect_tidy(&s, when);
        },
    );
    c.process(
        (
            "while the new config is still arriving, a reader gets the old one, whole",
            "새 설정이 아직 도착하는 중일 때, 읽는 쪽은 옛 설정을 온전히 받습니다",
        ),
        |ex| {
            let s = setup(ex);
            let installer = install_role(ex, &s, "pause").start();
            if !wait_for(&s.signals.join("waiting")) {
                let out = installer.wait();
                out.fail(tr(
                    "install never read the second half of the new config",
                    "install이 새 설정의 뒷부분을 읽지 않았습니다",
                ));
            }
            let during = std::fs::read_to_string(&s.config).unwrap_or_default();
            std::fs::write(s.signals.join("go"), "").expect("a signal");
            let out = installer.wait();
            if during != old_config() {
                fail_check(&describe(
                    &during,
                    tr(
                        "While half of the new config had arrived",
                        "새 설정이 절반만 도착했을 때",
                    ),
                ));
            }
            expect_installed(&out);
            let when = tr("After the install", "설치가 끝난 뒤");
            expect_config(&s.config, &new_config(), when);
            expect_tidy(&s, when);
        },
    );
    c.process(
        (
            "a new config whose stream breaks off halfway: install fails, the old config stays, no file is left over",
            "스트림이 중간에 끊긴 새 설정: install은 실패하고, 옛 설정이 남고, 남는 파일이 없습니다",
        ),
        |ex| {
            let s = setup(ex);
            let out = install_role(ex, &s, "break").run();
            let when = tr(
                "After an install whose stream broke off halfway",
                "스트림이 중간에 끊긴 설치 뒤",
            );
            expect_config(&s.config, &old_config(), when);
            if reported(&out).is_ok() {
                out.fail(tr(
                    "the stream broke off halfway, but install returned Ok: return the error",
                    "스트림이 중간에 끊겼는데 install이 Ok를 돌려주었습니다. 오류를 돌려주세요",
                ));
            }
            expect_tidy(&s, when);
        },
    );
    c.process(
        (
            "a reader halfway through the old config when the new one is installed reads the rest of the old one",
            "새 설정이 설치될 때 옛 설정을 반쯤 읽은 쪽은 나머지도 옛 설정에서 읽습니다",
        ),
        |ex| {
            let s = setup(ex);
            let (config_s, signals_s) = (s.config.display().to_string(), s.signals.display().to_string());
            let reader = ex
                .check_role("slow_read", &[&config_s, &signals_s])
                .timeout(secs(8))
                .start();
            if !wait_for(&s.signals.join("halfway")) {
                reader.wait().fail(tr(
                    "the check's reader did not get halfway",
                    "검사의 읽는 프로세스가 절반까지 읽지 못했습니다",
                ));
            }
            let installed = install_role(ex, &s, "whole").run();
            std::fs::write(s.signals.join("go"), "").expect("a signal");
            let read = reader.wait();
            read.expect_success();
            expect_installed(&installed);
            if read.stdout() != old_config() {
                fail_check(&format!(
                    "{} {}",
                    describe(
                        read.stdout(),
                        tr(
                            "Reading the old config while the new one was installed",
                            "새 설정이 설치되는 동안 옛 설정을 읽다가",
                        ),
                    ),
                    tr(
                        "The config was changed in place: the reader's open file changed under it. A rename gives \
                         the name to a new file and leaves the old one whole for whoever has it open.",
                        "설정 파일이 제자리에서 바뀌었습니다. 읽는 쪽이 열어 둔 파일이 발밑에서 바뀌었습니다. rename은 \
                         이름을 새 파일에 주고, 옛 파일은 그것을 열어 둔 쪽을 위해 온전히 남겨 둡니다.",
                    )
                ));
            }
            let when = tr("After the install", "설치가 끝난 뒤");
            expect_config(&s.config, &new_config(), when);
            expect_tidy(&s, when);
        },
    );
    c.process(
        (
            "the new config is on the disk before it takes the config's name (a crash leaves the old one or the new one)",
            "새 설정은 설정 파일의 이름을 받기 전에 디스크에 있습니다 (크래시 뒤에도 옛 설정이나 새 설정)",
        ),
        |ex| {
            let s = setup(ex);
            let out = install_role(ex, &s, "whole").run();
            expect_installed(&out);
            if out.stdout().trim() == "ok, renamed before sync" {
                out.fail(tr(
                    "the temporary file was renamed over the config before its contents were made durable. The \
                     kernel writes file data to the disk later, in its own order: after a power cut the name could \
                     point at a file that is empty or half there. Call `sync_all()` on the temporary file before \
                     the rename.",
                    "임시 파일이 내용이 디스크에 확실히 기록되기 전에 설정 파일 위로 rename되었습니다. 커널은 파일 \
                     데이터를 나중에, 자기 순서대로 디스크에 씁니다. 정전 뒤에는 이름이 비었거나 절반만 있는 파일을 \
                     가리킬 수 있습니다. rename 전에 임시 파일에 `sync_all()`을 부르세요.",
                ));
            }
            let when = tr("After the install", "설치가 끝난 뒤");
            expect_config(&s.config, &new_config(), when);
            expect_tidy(&s, when);
        },
    );
}
