// Hidden check for `say_when_done`: the client says when its text is complete (so the server, reading to
// end-of-file, can answer), gets the whole answer, and the server removes its socket file when it is done. The
// server is the learner's own program; the clients are the check's processes calling `ask`. A client that never
// signals the end waits for ever, and so does the server: the check stops both after a short time and shows
// what each was waiting for.
//
// requirement (header)                                      → check
// the client says "that is all" (shutdown Write) and reads  → "one client", "three clients", "1 MiB"
//   the answer on the other half
// the answer read to end-of-file, however it arrives         → "an answer that arrives in two pieces"
// the server answers `clients` connections in turn           → "three clients, one after another"
// the server removes its socket file when it is done         → "three clients…" (after the last one)
// …also when a client made it fail                           → "a client sends bytes that are not UTF-8: the server
//                                                                fails, and still removes its socket file"
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::time::{Duration, Instant};

/// Bytes `socket` has sent that its peer has not read yet (SIOCOUTQ, Linux).
fn unread_by_peer(socket: &std::os::unix::net::UnixStream) -> i32 {
    let mut n: nix::libc::c_int = 0;
    // SAFETY: SIOCOUTQ (0x5411) writes one int.
    let r = unsafe { nix::libc::ioctl(socket.as_raw_fd(), 0x5411, &mut n) };
    if r < 0 { -1 } else { n }
}

/// Waits (3 s at most) until a socket is listening at `path` (/proc/net/unix, flag __SO_ACCEPTCON), so that
/// a client's one `connect` is never refused for being too early. Elsewhere: until the file exists.
fn wait_listening(path: &Path) -> bool {
    let until = Instant::now() + Duration::from_secs(3);
    let wanted = path.display().to_string();
    loop {
        let listening = match std::fs::read_to_string("/proc/net/unix") {
            Ok(table) => table.lines().any(|l| {
                let fields: Vec<&str> = l.split_whitespace().collect();
                fields.len() >= 8 && fields[7] == wanted && fields[3] == "00010000"
            }),
            Err(_) => path.exists(),
        };
        if listening {
            return true;
        }
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A text of `lines` lines of five words each.
fn text(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("line {i} has five words\n"))
        .collect()
}

/// Runs the learner's server for `texts.len()` clients and one check client per text, one after another; fails
/// unless every answer is `count` of its text and the socket file is gone afterwards.
fn conversation(ex: &Exercise, texts: &[String], limit: u64) {
    let socket = ex.socket_path("wc.sock");
    let socket_s = socket.display().to_string();
    let server = ex
        .role(&["server", &socket_s, &texts.len().to_string()])
        .timeout(secs(limit))
        .start();
    let text_files: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let file = ex.file_path(&format!("text{i}"));
            std::fs::write(&file, t).expect("the check's text");
            file.display().to_string()
        })
        .collect();
    let mut running = vec![server];
    for file in &text_files {
        running.push(
            ex.check_role("ask", &[&socket_s, file])
                .timeout(secs(limit))
                .start(),
        );
    }
    // The server answers the clients in turn; all of them are watched together, so that if they hang, the
    // report shows what each one (the server too) was waiting for.
    let mut outs = ex.wait_all(running, secs(limit));
    let server = outs.remove(0);
    for (out, text) in outs.iter().zip(texts) {
        out.expect_success();
        let expected = count(text);
        if out.stdout() != expected {
            let why = if out.stdout().is_empty() {
                tr(
                    " Nothing came back: is the half the answer travels on still open? (`Shutdown::Both` closes \
                     the reading half too.)",
                    " 아무것도 돌아오지 않았습니다. 답이 오는 쪽이 아직 열려 있습니까? (`Shutdown::Both`는 읽는 쪽까지 \
                     닫습니다.)",
                )
            } else {
                ""
            };
            out.fail(&pick(
                format!(
                    "ask() returned {:?}; the server's answer to that text is {expected:?}.{why}",
                    out.stdout()
                ),
                format!(
                    "ask()가 돌려준 값은 {:?}입니다. 그 텍스트에 대한 서버의 답은 {expected:?}입니다.{why}",
                    out.stdout()
                ),
            ));
        }
    }
    server.expect_success();
    if socket.exists() {
        let _ = std::fs::remove_file(&socket);
        server.fail(&pick(
            format!(
                "the server exited, but its socket file {} is still there. A Unix socket's name stays in the file \
                 system until someone removes it, and the next server's bind on it fails: remove it in `serve` \
                 (`std::fs::remove_file`).",
                socket.display()
            ),
            format!(
                "서버는 끝났지만 소켓 파일이 아직 있습니다({}). 유닉스 소켓의 이름은 누군가 지울 때까지 파일 시스템에 \
                 남고, 다음 서버의 bind가 실패합니다. `serve`에서 지우세요 (`std::fs::remove_file`).",
                socket.display()
            ),
        ));
    }
}

pub fn checks(c: &mut Checks) {
    // ask SOCKET TEXTFILE: waits until the server listens, prints what `ask` returned
    c.role("ask", |args| {
        let socket = Path::new(&args[0]);
        let text = std::fs::read_to_string(&args[1]).expect("the check's text");
        if !wait_listening(socket) {
            eprintln!(
                "{}",
                pick(
                    format!("nobody listens at {}", socket.display()),
                    format!("이 경로에서 기다리는 서버가 없습니다: {}", socket.display()),
                )
            );
            std::process::exit(1);
        }
        match ask(socket, &text) {
            Ok(answer) => print!("{answer}"),
            Err(e) => {
                eprintln!("{}: {e}", tr("ask failed", "ask 호출 실패"));
                std::process::exit(1);
            }
        }
    });

    // ask-split SOCKET: a server of the check's own at SOCKET answers in two pieces, the second only after the
    // client has read the first; prints what `ask` returned
    c.role("ask-split", |args| {
        let socket = Path::new(&args[0]);
        let listener = UnixListener::bind(socket).expect("the check's server binds");
        let server = std::thread::spawn(move || -> std::io::Result<()> {
            let (mut stream, _) = listener.accept()?;
            let mut text = String::new();
            stream.read_to_string(&mut text)?;
            let answer = count(&text);
            let (first, rest) = answer.split_at(answer.len() / 2);
            stream.write_all(first.as_bytes())?;
            // However long the client takes to read it (a loaded machine): a time cap here would let both pieces
            // arrive together and a single `read` pass. A client that never reads is stopped by the role's limit.
            while unread_by_peer(&stream) > 0 {
                std::thread::sleep(Duration::from_micros(200));
            }
            // A client that already gave up makes this fail: that is its problem, not the server's.
            let _ = stream.write_all(rest.as_bytes());
            Ok(())
        });
        let answer = ask(socket, &text(3));
        let _ = std::fs::remove_file(socket);
        match answer {
            Ok(answer) => print!("{answer}"),
            Err(e) => {
                eprintln!("{}: {e}", tr("ask failed", "ask 호출 실패"));
                std::process::exit(1);
            }
        }
        let _ = server.join();
    });

    c.process(
        (
            "an answer that arrives in two pieces (the second after the client read the first) is read whole",
            "두 조각으로 (클라이언트가 첫 조각을 읽은 뒤에 둘째 조각이) 도착하는 답도 통째로 읽습니다",
        ),
        |ex| {
            let socket = ex.socket_path("split.sock");
            let out = ex
                .check_role("ask-split", &[&socket.display().to_string()])
                .timeout(secs(5))
                .run();
            let _ = std::fs::remove_file(&socket);
            out.expect_success();
            let expected = count(&text(3));
            if out.stdout() != expected {
                out.fail(&pick(
                    format!(
                        "the server wrote its answer {expected:?} in two pieces, the second after the client had read \
                         the first; ask() returned {:?}. A stream has no message boundaries: read the answer to \
                         end-of-file (`read_to_string`).",
                        out.stdout()
                    ),
                    format!(
                        "서버가 답({expected:?})을 두 조각으로, 클라이언트가 첫 조각을 읽은 뒤에 둘째 조각을 썼습니다. \
                         ask()가 돌려준 값은 {:?}입니다. 스트림에는 메시지 경계가 없으므로 답을 EOF까지 읽으세요 \
                         (`read_to_string`).",
                        out.stdout()
                    ),
                ));
            }
        },
    );
    // bad-client SOCKET: sends bytes that are not UTF-8 (so the server's `read_to_string` fails), says that is
    // all, and reads whatever comes back
    c.role("bad-client", |args| {
        let socket = Path::new(&args[0]);
        if !wait_listening(socket) {
            eprintln!(
                "{}",
                pick(
                    format!("nobody listens at {}", socket.display()),
                    format!("이 경로에서 기다리는 서버가 없습니다: {}", socket.display()),
                )
            );
            std::process::exit(1);
        }
        let mut stream =
            std::os::unix::net::UnixStream::connect(socket).expect(tr("the check's client connects", "검사 프로그램의 클라이언트가 연결하지 못했습니다"));
        let _ = stream.write_all(&[0xff, 0xfe, b'\n']);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });

    c.process(
        (
            "a client sends bytes that are not UTF-8: the server fails, and still removes its socket file",
            "클라이언트가 UTF-8이 아닌 바이트를 보냄: 서버는 실패하지만, 그래도 소켓 파일을 지웁니다",
        ),
        |ex| {
            let socket = ex.socket_path("bad.sock");
            let socket_s = socket.display().to_string();
            let server = ex.role(&["server", &socket_s, "1"]).timeout(secs(2)).start();
            let client = ex.check_role("bad-client", &[&socket_s]).timeout(secs(2)).start();
            let outs = ex.wait_all(vec![server, client], secs(2));
            if socket.exists() {
                let _ = std::fs::remove_file(&socket);
                outs[0].fail(&pick(
                    format!(
                        "a client sent bytes that are not UTF-8, so `serve` failed, as it may; but it left its \
                         socket file {} behind, and the next server's bind on it fails. Remove it on every way \
                         out of `serve`, not only after the last client.",
                        socket.display()
                    ),
                    format!(
                        "클라이언트가 UTF-8이 아닌 바이트를 보내서 `serve`가 실패했습니다 (그럴 수 있습니다). 하지만 \
                         소켓 파일({})을 남겨서 다음 서버의 bind가 실패합니다. 마지막 클라이언트 뒤에만이 아니라 \
                         `serve`를 빠져나가는 모든 길에서 지우세요.",
                        socket.display()
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "one client sends a text and gets its count back",
            "클라이언트 하나가 텍스트를 보내고 센 결과를 받습니다",
        ),
        |ex| conversation(ex, &[text(2)], 2),
    );
    c.process(
        (
            "three clients, one after another; then the server removes its socket file and exits",
            "클라이언트 셋이 차례로; 그다음 서버가 소켓 파일을 지우고 끝납니다",
        ),
        |ex| conversation(ex, &[text(1), text(5), String::new()], 2),
    );
    c.process(
        (
            "a 1 MiB text (more than the socket buffer holds) arrives whole",
            "1 MiB 텍스트 (소켓 버퍼보다 큼)가 고스란히 도착합니다",
        ),
        |ex| {
            let big = text(45_000);
            if big.len() < 1 << 20 {
                fail_check("the check's text is too small");
            }
            conversation(ex, &[big], 3);
        },
    );
}
