// Hidden check for `make_the_fifo`: an unrelated server and client meet through a FIFO the server creates and
// removes — with the server started first, and with the client started first (the check waits until the client
// has settled — waiting, or done — before it starts the server, so "the client made a regular file" is seen on
// every run, not by chance).
//
// requirement (header)                                   → check
// the server makes the FIFO (mkfifo), reads to EOF       → "server starts first"
// the client waits for the FIFO, never creates it,       → "client starts first" (the server starts
//   however late the server starts                          0.8 s after the client settled: no sleep, no short retry)
// the client's open waits for the reader (blocking,      → "the FIFO exists, nobody reads yet" (a check-made
//   write-only: not O_NONBLOCK, not read-write)              FIFO; the reader opens once the client settled)
// writes wait when the pipe is full                      → "the reader pauses": 20,000 lines, reader starts
//                                                            reading only once the client is blocked or done
// more than the pipe holds                               → "20 000 lines"
// the server removes the FIFO, also when reading fails   → every check, "not UTF-8"
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
            "{} 경로는 FIFO가 아니라 일반 파일입니다. 서버가 FIFO를 만들기 전에 클라이언트가 `create(true)`로 경로를 열어서, \
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
                "서버는 끝났는데 {} FIFO가 아직 있습니다. FIFO는 파일 시스템의 이름입니다. 그것을 쓰던 프로세스가 모두 끝난 \
                 뒤에도 누군가 지울 때까지 남습니다. 만든 것은 서버이니, 서버가 지웁니다 (std::fs::remove_file).",
                shown(&path)
            ),
        ));
    }
}

/// Makes a FIFO at `path` the way a server would, for the checks that play the server themselves.
fn make_fifo(path: &Path) {
    nix::unistd::mkfifo(
        path,
        nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
    )
    .expect("the check makes its FIFO");
}

/// True once the process has exited (or is a zombie).
fn ended(running: &Running) -> bool {
    matches!(proc_state(running.pid()), None | Some(('Z' | 'X', _)))
}

/// Plays a server that has made the FIFO at `path` and opens it for reading only after `client` has settled
/// (waiting in its open, or done), starting to read once `client` settles again (blocked on a full pipe, or
/// done) when `pause` is set. Checks that the reader got `lines` and the client succeeded.
fn late_reader(ex: &Exercise, path: &Path, client: Running, pause: bool, lines: &[String]) {
    let go = ex.file_path("go");
    wait_until_settled(&client, millis(1500));
    if !pause {
        std::fs::write(&go, b"").expect("the check writes its go file");
    }
    let p = path.to_str().unwrap();
    let reader = ex
        .check_role("drain", &[p, go.to_str().unwrap()])
        .timeout(secs(3))
        .output_cap(1 << 20)
        .start();
    if pause {
        // The reader has the FIFO open but reads nothing until the client is stuck on the full pipe, or done.
        std::thread::sleep(Duration::from_millis(50));
        wait_until_settled(&client, millis(1500));
        std::fs::write(&go, b"").expect("the check writes its go file");
    }
    let outs = ex.wait_all(vec![client, reader], secs(3));
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(&go);
    if !outs[0].success() {
        outs[0].fail(&if pause {
            pick(
                "send failed while the server was slow to read: when the pipe is full, a write must wait for the \
                 reader (a blocking descriptor), not fail with WouldBlock (O_NONBLOCK)"
                    .to_string(),
                "서버가 늦게 읽는 동안 send가 실패했습니다. 파이프가 가득 차면 쓰기는 읽는 쪽을 기다려야 합니다 (블로킹 \
                 디스크립터). O_NONBLOCK처럼 WouldBlock으로 실패하면 안 됩니다"
                    .to_string(),
            )
        } else {
            pick(
                "send failed while the FIFO existed but the server had not opened it yet: a write-only open must \
                 wait for the reader (a blocking open), not fail (O_NONBLOCK gives ENXIO)"
                    .to_string(),
                "FIFO는 있지만 서버가 아직 열지 않았을 때 send가 실패했습니다. 쓰기 전용 열기는 읽는 쪽을 기다려야 \
                 합니다 (블로킹 open). 실패하면 안 됩니다 (O_NONBLOCK이면 ENXIO)"
                    .to_string(),
            )
        });
    }
    if outs[1].lines().is_empty() && !lines.is_empty() {
        outs[1].fail(tr(
            "the client finished, but the server got none of its lines: it wrote before any server had the FIFO \
             open for reading (opened it read-write?), and a pipe nobody has open any more is thrown away with \
             its bytes. Open it write-only: that open waits until the server opens it for reading.",
            "클라이언트는 끝났는데 서버는 한 줄도 받지 못했습니다. 서버가 FIFO를 읽기로 열기 전에 썼고(읽기-쓰기로 \
             열었습니까?), 아무도 열고 있지 않은 파이프는 그 바이트와 함께 버려집니다. 쓰기 전용으로 여세요. 그 \
             열기는 서버가 읽기로 열 때까지 기다립니다.",
        ));
    }
    outs[1].expect_lines(lines, tr("what the server read", "서버가 읽은 것"));
}

pub fn checks(c: &mut Checks) {
    // drain PATH GO — a server that opens the (existing) FIFO for reading, waits until the file GO exists, then
    // reads to end-of-file and prints every line.
    c.role("drain", |args| {
        use std::io::Read;
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking open: the check decides when we open; then blocking reads.
        let mut fifo = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(&args[0])
            .expect("the check's FIFO opens");
        nix::fcntl::fcntl(
            &fifo,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::empty()),
        )
        .expect("fcntl");
        while !Path::new(&args[1]).exists() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut bytes = Vec::new();
        fifo.read_to_end(&mut bytes).expect("reading the FIFO");
        for line in String::from_utf8_lossy(&bytes).lines() {
            println!("{line}");
        }
    });
    // raw PATH — a client that waits for the FIFO and writes a line that is not UTF-8.
    c.role("raw", |args| {
        let mut fifo = loop {
            match std::fs::OpenOptions::new().write(true).open(&args[0]) {
                Ok(fifo) => break fifo,
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        use std::io::Write;
        fifo.write_all(b"fine\n\xff\xfe broken\n")
            .expect("writing the FIFO");
    });
    // many PATH N — the learner's `send` with the lines `line-0` … `line-{N-1}`.
    c.role("many", |args| {
        let lines: Vec<String> = (0..args[1].parse().unwrap())
            .map(|i: usize| format!("line-{i}"))
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        if let Err(e) = send(Path::new(&args[0]), &refs) {
            eprintln!("{}: {e}", tr("send returned an error", "send가 오류를 돌려주었습니다"));
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
                                "서버가 {} 경로에 만든 것은 FIFO(mkfifo)가 아닙니다",
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
            // A server may start much later (a slow start, a loaded machine): 0.8 s more, and the client must
            // still be waiting. A sleep or a short retry loop has given up by now.
            std::thread::sleep(Duration::from_millis(800));
            if ended(&client) {
                let outs = ex.wait_all(vec![client], millis(500));
                let _ = std::fs::remove_file(&path);
                outs[0].fail(tr(
                    "the client stopped waiting for the FIFO: the server started 0.8 s after the client was waiting, \
                     and the client had already given up (or gone ahead). A client must wait for the FIFO to \
                     appear, however late the server starts — not sleep a fixed time or retry only a few times.",
                    "클라이언트가 FIFO를 기다리다 그만두었습니다. 서버가 클라이언트보다 0.8초 늦게 시작했는데, \
                     클라이언트는 이미 포기했습니다 (또는 그냥 진행했습니다). 클라이언트는 서버가 얼마나 늦게 \
                     시작하든 FIFO가 나타날 때까지 기다려야 합니다. 정해진 시간만 자거나 몇 번만 다시 시도하면 안 \
                     됩니다.",
                ));
            }
            let server = ex.role(&["server", p]).timeout(secs(3)).start();
            finish(ex, &path, server, client, &["early", "bird"]);
        },
    );
    c.process(
        (
            "20 000 lines, more than the pipe holds, from a client to the server",
            "20,000줄 (파이프가 담는 것보다 많음), 클라이언트에서 서버로",
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
    c.process(
        (
            "the FIFO exists but no server has opened it yet: the client's open waits for the reader",
            "FIFO는 있지만 아직 아무 서버도 열지 않음: 클라이언트의 열기가 읽는 쪽을 기다립니다",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            make_fifo(&path);
            let p = path.to_str().unwrap();
            let client = ex.role(&["client", p, "alpha", "beta"]).timeout(secs(3)).start();
            late_reader(ex, &path, client, false, &["alpha".into(), "beta".into()]);
        },
    );
    c.process(
        (
            "the server reads slowly: 20 000 lines fill the pipe and the client waits, then all arrive",
            "서버가 느리게 읽음: 20,000줄이 파이프를 채우고 클라이언트는 기다림, 그다음 전부 도착합니다",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            make_fifo(&path);
            let p = path.to_str().unwrap();
            let client = ex.check_role("many", &[p, "20000"]).timeout(secs(3)).start();
            let lines: Vec<String> = (0..20_000).map(|i| format!("line-{i}")).collect();
            late_reader(ex, &path, client, true, &lines);
        },
    );
    c.process(
        (
            "a client writes bytes that are not UTF-8: reading fails, and the server still removes the FIFO",
            "클라이언트가 UTF-8이 아닌 바이트를 씀: 읽기가 실패해도 서버는 FIFO를 지웁니다",
        ),
        |ex| {
            let path = ex.fifo_path("requests");
            let p = path.to_str().unwrap();
            let server = ex.role(&["server", p]).timeout(secs(3)).start();
            let client = ex.check_role("raw", &[p]).timeout(secs(3)).start();
            let outs = ex.wait_all(vec![server, client], secs(3));
            if kind_at(&path).is_some() {
                let _ = std::fs::remove_file(&path);
                outs[0].fail(&pick(
                    format!(
                        "reading failed (a line that is not UTF-8) and the server returned, but {} is still there: \
                         the server removes the FIFO when it is done, also when reading failed (not after a `?`)",
                        shown(&path)
                    ),
                    format!(
                        "읽기가 실패해서(UTF-8이 아닌 줄) 서버가 돌아왔는데, {} FIFO가 아직 있습니다. 서버는 끝나면, 읽기가 \
                         실패했을 때도 FIFO를 지웁니다(`?` 뒤에 두지 마세요)",
                        shown(&path)
                    ),
                ));
            }
        },
    );
}
