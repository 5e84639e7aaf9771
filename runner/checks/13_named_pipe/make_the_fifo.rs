// Hidden check for `make_the_fifo`: an unrelated server and client meet through a FIFO the server creates and
// removes — with the server started first, and with the client started first (the check waits until the client
// has settled — waiting, or done — before it starts the server, so "the client made a regular file" is seen on
// every run, not by chance).
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, Running, millis, pick, secs};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// State letter and wait channel of a process, `None` once it is gone.
fn proc_state(pid: u32) -> Option<(char, String)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat.rsplit(')').next()?.trim_start().chars().next()?;
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    Some((state, wchan))
}

/// Waits (at most `limit`) until `running` has ended or has been asleep in the kernel for three samples in a
/// row: whatever it does first, it has done. Elsewhere than Linux, just waits `limit`.
fn wait_until_settled(running: &Running, limit: Duration) {
    let until = Instant::now() + limit;
    let mut asleep = 0;
    while Instant::now() < until {
        match proc_state(running.pid()) {
            None if cfg!(target_os = "linux") => return,
            Some((state, _)) if state == 'Z' || state == 'X' => return,
            Some((state, wchan)) if state == 'S' && !wchan.is_empty() && wchan != "0" => {
                asleep += 1;
                if asleep >= 3 {
                    return;
                }
            }
            _ => asleep = 0,
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `…/name`: the check's directory is long and says nothing.
fn shown(path: &Path) -> String {
    format!(
        "…/{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// What is at `path`: a FIFO, a regular file, something else, or nothing.
fn kind_at(path: &Path) -> Option<&'static str> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(if meta.file_type().is_fifo() {
        "fifo"
    } else if meta.is_file() {
        "file"
    } else {
        "other"
    })
}

fn regular_file_message(path: &Path) -> String {
    pick(
        format!(
            "{} is a regular file, not a FIFO: the client opened the path with `create(true)` before the server \
             had made its FIFO, which creates an ordinary file on disk. A client must wait for the FIFO and open it \
             for writing only; only the server creates it (mkfifo).",
            shown(&path)
        ),
        format!(
            "{}는 FIFO가 아니라 일반 파일입니다: 서버가 FIFO를 만들기 전에 클라이언트가 `create(true)`로 경로를 열어서, \
             디스크에 보통 파일이 생겼습니다. 클라이언트는 FIFO를 기다렸다가 쓰기 전용으로만 열어야 하고, FIFO를 \
             만드는 것(mkfifo)은 서버뿐입니다.",
            shown(&path)
        ),
    )
}

/// Waits for the server and the client, then checks what the server got and that the FIFO is gone.
fn finish(ex: &Exercise, path: &Path, server: Running, client: Running, lines: &[&str]) {
    let outs = ex.wait_all(vec![server, client], secs(3));
    if kind_at(path) == Some("file") {
        outs[1].fail(&regular_file_message(path));
    }
    outs[1].expect_success();
    let expected: Vec<String> = lines.iter().map(|l| format!("got {l}")).collect();
    outs[0].expect_success().expect_lines(
        &expected,
        tr(
            "what the server printed (`got LINE` per line it read)",
            "서버가 출력한 것 (읽은 줄마다 `got 줄`)",
        ),
    );
    if kind_at(path).is_some() {
        let _ = std::fs::remove_file(path);
        outs[0].fail(&pick(
            format!(
                "the server has ended, but {} is still there. A FIFO is a name in the file system: it stays after \
                 every process using it has exited, until someone removes it. The server created it; the server \
                 removes it (std::fs::remove_file).",
                shown(&path)
            ),
            format!(
                "서버는 끝났는데 {}가 아직 있습니다. FIFO는 파일 시스템의 이름입니다: 그것을 쓰던 프로세스가 모두 끝난 \
                 뒤에도 누군가 지울 때까지 남습니다. 만든 것은 서버이니, 서버가 지웁니다 (std::fs::remove_file).",
                shown(&path)
            ),
        ));
    }
}

pub fn checks(c: &mut Checks) {
    // many PATH N — the learner's `send` with the lines `line-0` … `line-{N-1}`.
    c.role("many", |args| {
        let lines: Vec<String> = (0..args[1].parse().unwrap())
            .map(|i: usize| format!("line-{i}"))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        if let Err(e) = send(Path::new(&args[0]), &refs) {
            eprintln!("send returned an error: {e}");
            std::process::exit(1);
        }
    });
    c.process(
        (
            "the server starts first and makes the FIFO; a client sends three lines; the FIFO is gone afterwards",
            "서버가 먼저 시작해 FIFO를 만듦; 클라이언트가 세 줄을 보냄; 끝나면 FIFO가 없어집니다",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            let p = path.to_str().unwrap();
            let server = ex.role(&["server", p]).timeout(secs(3)).start();
            let until = Instant::now() + millis(1500);
            while kind_at(&path).is_none()
                && Instant::now() < until
                && !matches!(proc_state(server.pid()), None | Some(('Z' | 'X', _)))
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            match kind_at(&path) {
                Some("fifo") => {}
                found => {
                    let what = match found {
                        None => pick(
                            format!(
                                "there is no FIFO at {} and the server has ended without waiting for a client. It \
                                 should make a FIFO there (mkfifo) and open it for reading, which waits until a \
                                 client opens it for writing.",
                                shown(&path)
                            ),
                            format!(
                                "{}에 FIFO가 없고, 서버는 클라이언트를 기다리지 않고 끝났습니다. 서버는 거기에 FIFO를 \
                                 만들고(mkfifo) 읽기로 열어야 합니다. 그러면 클라이언트가 쓰기로 열 때까지 기다립니다.",
                                shown(&path)
                            ),
                        ),
                        Some(_) => pick(
                            format!("the server made {}, but not as a FIFO (mkfifo)", shown(&path)),
                            format!(
                                "서버가 {}를 만들었지만 FIFO(mkfifo)가 아닙니다",
                                shown(&path)
                            ),
                        ),
                    };
                    let outs = ex.wait_all(vec![server], millis(500));
                    let _ = std::fs::remove_file(&path);
                    outs[0].fail(&what);
                }
            }
            let client = ex.role(&["client", p, "alpha", "beta", "gamma"]).timeout(secs(3)).start();
            finish(ex, &path, server, client, &["alpha", "beta", "gamma"]);
        },
    );
    c.process(
        (
            "the client starts first and waits for the FIFO; then the server starts; the lines arrive",
            "클라이언트가 먼저 시작해 FIFO를 기다림; 그다음 서버가 시작함; 줄들이 도착합니다",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            let p = path.to_str().unwrap();
            let client = ex.role(&["client", p, "early", "bird"]).timeout(secs(3)).start();
            // Whatever the client does before any server exists, it has done by now.
            wait_until_settled(&client, millis(1500));
            if kind_at(&path) == Some("file") {
                let outs = ex.wait_all(vec![client], millis(500));
                let _ = std::fs::remove_file(&path);
                outs[0].fail(&regular_file_message(&path));
            }
            let server = ex.role(&["server", p]).timeout(secs(3)).start();
            finish(ex, &path, server, client, &["early", "bird"]);
        },
    );
    c.process(
        (
            "20 000 lines, more than the pipe holds, from a client to the server",
            "20 000줄 (파이프가 담는 것보다 많음), 클라이언트에서 서버로",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            let p = path.to_str().unwrap();
            let lines: Vec<String> = (0..20_000).map(|i| format!("line-{i}")).collect();
            let server = ex
                .role(&["server", p])
                .timeout(secs(4))
                .output_cap(1 << 20)
                .start();
            let client = ex
                .check_role("many", &[p, "20000"])
                .timeout(secs(4))
                .start();
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            finish(ex, &path, server, client, &refs);
        },
    );
}
