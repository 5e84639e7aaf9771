// Hidden check for `say_when_done`: the client says when its text is complete (so the server, reading to
// end-of-file, can answer), gets the whole answer, and the server removes its socket file when it is done. The
// server is the learner's own program; the clients are the check's processes calling `ask`. A client that never
// signals the end waits for ever, and so does the server: the check stops both after a short time and shows
// what each was waiting for.
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::path::Path;
use std::time::{Duration, Instant};

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
            let file = ex.tmp_dir().join(format!("text{i}"));
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
                    " 아무것도 돌아오지 않았습니다: 답이 오는 쪽이 아직 열려 있나요? (`Shutdown::Both`는 읽는 쪽까지 \
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
                    "ask()가 {:?}를 돌려주었습니다. 그 텍스트에 대한 서버의 답은 {expected:?}입니다.{why}",
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
                "서버는 끝났지만 소켓 파일 {}이 아직 있습니다. 유닉스 소켓의 이름은 누군가 지울 때까지 파일 시스템에 \
                 남고, 다음 서버의 bind가 실패합니다: `serve`에서 지우세요 (`std::fs::remove_file`).",
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
            eprintln!("nobody listens at {}", socket.display());
            std::process::exit(1);
        }
        match ask(socket, &text) {
            Ok(answer) => print!("{answer}"),
            Err(e) => {
                eprintln!("ask failed: {e}");
                std::process::exit(1);
            }
        }
    });

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
