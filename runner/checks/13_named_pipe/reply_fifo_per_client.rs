// Hidden check for `reply_fifo_per_client`: every client gets the reply to its own request — forced, not hoped
// for: client `a` sends and then pauses before reading (the check holds it until client `b` is done), so a reply
// channel shared by all clients hands `a`'s reply to `b` on every run. Then three clients at once, and nothing left
// behind in the directory (the harness fails the check on any FIFO left there).
//
// requirement (header)                                   → check
// each client gets its own reply                         → "a sends first but reads late" (forced order)
// the reply FIFO is open before sending (server never    → same check: b is served while a is not reading
//   waits for a busy client)
// `receive`: the oldest reply not yet received            → "five requests, then five receives" (all five
//   (several requests may be outstanding)                     replies are in the FIFO before the first receive)
// the server writes into the asker's FIFO, never creates → "a client closes before its reply": the server is
//   one (`close` removed it)                                  held on a full reply FIFO until that client is gone
// many clients at once; nothing left behind              → "three clients at once"; the harness (FIFOs), and
//                                                             a check for regular files
// the demo waits for its server before tidying up        → "the demo": the server's removal of `requests` is
//                                                             slowed (slow_unlink), so a demo that does not join
//                                                             its server removes the directory too early
use super::*;
use conc_check::prelude::*;
use conc_check::process::{
    Exercise, ProcessFailure, Running, explain_timeout_after, fail_check, millis, pick, secs,
};
use std::path::Path;
use std::time::{Duration, Instant};

/// Slows the removal of any FIFO named `requests` (the server's) when the check asks for it: a demo whose `main`
/// tidies up without waiting for its server thread then finds the directory not yet empty, on every run, instead
/// of only when the thread happens to be late. The program is linked against std statically, so std's
/// `remove_file` binds to this `unlink`.
mod slow_unlink {
    use nix::libc::{self, c_char, c_int};

    pub const ENV: &str = "CONC_LINGS_SLOW_REQUESTS_UNLINK";

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn unlink(path: *const c_char) -> c_int {
        // SAFETY: the caller passes a NUL-terminated path.
        let name = unsafe { std::ffi::CStr::from_ptr(path) }.to_bytes();
        if (name == b"requests" || name.ends_with(b"/requests")) && std::env::var_os(ENV).is_some() {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        // SAFETY: the plain system call on the caller's path.
        unsafe { libc::syscall(libc::SYS_unlinkat, libc::AT_FDCWD, path, 0) as c_int }
    }
}

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

/// Waits (up to `limit`) until `path` exists.
fn wait_for_path(path: &Path, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    while !path.exists() {
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// Waits (up to `limit`) until the process of `running` has exited (it stays a zombie until it is reaped).
fn wait_until_exited(running: &Running, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    while running.try_wait().is_none() {
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// Starts the learner's server for `count` requests in the check's directory and waits for its FIFO.
fn start_server(ex: &Exercise, count: usize) -> Running {
    // Every role's working directory is the check's directory: `.` is it, and keeps the role names short.
    let server = ex
        .role(&["server", ".", &count.to_string()])
        .timeout(secs(4))
        .start();
    if !wait_for_path(&ex.tmp_dir().join("requests"), millis(1500)) {
        let outs = ex.wait_all(vec![server], millis(300));
        outs[0].fail(tr(
            "the server did not create DIR/requests",
            "서버가 DIR/requests를 만들지 않았습니다",
        ));
    }
    server
}

pub fn checks(c: &mut Checks) {
    // client DIR NAME TEXT [pause] — connect, send TEXT, (pause: create DIR/NAME-sent, wait for DIR/go), receive,
    // print the reply, close.
    c.role("client", |args| {
        let dir = Path::new(&args[0]);
        let name = &args[1];
        let mut client = or_exit(Client::connect(dir, name), tr("Client::connect failed", "Client::connect 호출 실패"));
        or_exit(client.send(&args[2]), tr("send failed", "send 호출 실패"));
        if args.get(3).map(String::as_str) == Some("pause") {
            std::fs::write(dir.join(format!("{name}-sent")), b"").expect("marker");
            while !dir.join("go").exists() {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        println!("{}", or_exit(client.receive(), tr("receive failed", "receive 호출 실패")));
        or_exit(client.close(), tr("close failed", "close 호출 실패"));
    });
    // chatty DIR NAME N — N requests `NAME-i`, one at a time; prints how many replies were right.
    c.role("chatty", |args| {
        let dir = Path::new(&args[0]);
        let name = &args[1];
        let n: usize = args[2].parse().unwrap();
        let mut client = or_exit(Client::connect(dir, name), tr("Client::connect failed", "Client::connect 호출 실패"));
        let mut right = 0;
        for i in 0..n {
            or_exit(client.send(&format!("{name}-{i}")), tr("send failed", "send 호출 실패"));
            let reply = or_exit(client.receive(), tr("receive failed", "receive 호출 실패"));
            if reply == format!("{name}-{i}").to_uppercase() {
                right += 1;
            } else {
                println!("asked {name}-{i}, got {reply}");
            }
        }
        println!("{right} of {n} right");
        or_exit(client.close(), tr("close failed", "close 호출 실패"));
    });

    // pipelined DIR NAME N — sends N requests, waits until all N replies are in its reply FIFO, then receives N
    // times; prints how many replies were right.
    c.role("pipelined", |args| {
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;
        let dir = Path::new(&args[0]);
        let name = &args[1];
        let n: usize = args[2].parse().unwrap();
        let mut client = or_exit(Client::connect(dir, name), tr("Client::connect failed", "Client::connect 호출 실패"));
        let texts: Vec<String> = (0..n).map(|i| format!("{name}-{i}")).collect();
        for text in &texts {
            or_exit(client.send(text), tr("send failed", "send 호출 실패"));
        }
        // A second read end of our own reply FIFO, only to look: how many bytes wait in it.
        let peek = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(dir.join(format!("reply-{name}")))
            .expect(tr("the reply FIFO DIR/reply-NAME exists after connect", "connect 뒤에는 응답 FIFO DIR/reply-NAME이 있어야 합니다"));
        let expected: usize = texts.iter().map(|t| t.len() + 1).sum();
        let until = Instant::now() + Duration::from_millis(1500);
        loop {
            let mut waiting: nix::libc::c_int = 0;
            // SAFETY: FIONREAD writes one int.
            unsafe { nix::libc::ioctl(peek.as_raw_fd(), nix::libc::FIONREAD, &mut waiting) };
            if waiting as usize >= expected || Instant::now() > until {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(peek);
        let mut right = 0;
        for text in &texts {
            let reply = or_exit(client.receive(), tr("receive failed", "receive 호출 실패"));
            if reply == text.to_uppercase() {
                right += 1;
            } else {
                println!("expected {}, got {reply}", text.to_uppercase());
            }
        }
        println!("{right} of {n} right");
        or_exit(client.close(), tr("close failed", "close 호출 실패"));
    });
    // flood DIR NAME N — sends N requests (replies of 100 bytes), creates DIR/NAME-sent, waits for DIR/go, then
    // receives N replies; prints how many were right.
    c.role("flood", |args| {
        let dir = Path::new(&args[0]);
        let name = &args[1];
        let n: usize = args[2].parse().unwrap();
        let mut client = or_exit(Client::connect(dir, name), tr("Client::connect failed", "Client::connect 호출 실패"));
        let texts: Vec<String> = (0..n)
            .map(|i| format!("{name}{i:05}{}", "x".repeat(93)))
            .collect();
        for text in &texts {
            or_exit(client.send(text), tr("send failed", "send 호출 실패"));
        }
        std::fs::write(dir.join(format!("{name}-sent")), b"").expect("marker");
        while !dir.join("go").exists() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let right = texts
            .iter()
            .filter(|t| or_exit(client.receive(), tr("receive failed", "receive 호출 실패")) == t.to_uppercase())
            .count();
        println!("{right} of {n} right");
        or_exit(client.close(), tr("close failed", "close 호출 실패"));
    });
    // hit_and_run DIR NAME — connects, sends one request, closes without waiting for the reply.
    c.role("hit_and_run", |args| {
        let dir = Path::new(&args[0]);
        let mut client = or_exit(Client::connect(dir, &args[1]), tr("Client::connect failed", "Client::connect 호출 실패"));
        or_exit(client.send("gone"), tr("send failed", "send 호출 실패"));
        or_exit(client.close(), tr("close failed", "close 호출 실패"));
    });

    c.process(
        (
            "one client sends five requests, then receives five times: each reply in order",
            "클라이언트 하나가 요청 다섯을 보낸 뒤 다섯 번 받음: 응답이 차례대로 옵니다",
        ),
        |ex| {
            let server = start_server(ex, 5);
            let client = ex.check_role("pipelined", &[".", "p", "5"]).timeout(secs(3)).start();
            let outs = ex.wait_all(vec![server, client], secs(3));
            if !outs[1].success() || outs[1].lines() != ["5 of 5 right"] {
                outs[1].fail(tr(
                    "a client sent five requests and then called receive five times, with all five replies already \
                     in its FIFO: it did not get each reply in order. A buffered reader takes in everything waiting \
                     in the pipe, not one line: keep the same one for every receive (a new one per receive throws \
                     away what the old one had read).",
                    "클라이언트가 요청 다섯을 보낸 뒤 receive를 다섯 번 불렀고, 응답 다섯이 이미 FIFO에 있었습니다. 응답을 \
                     차례대로 받지 못했습니다. 버퍼 리더는 한 줄이 아니라 파이프에 있는 것을 모두 읽어 들입니다. 모든 \
                     receive에서 같은 리더를 쓰세요 (receive마다 새로 만들면 옛 리더가 읽어 둔 것이 버려집니다).",
                ));
            }
            outs[0].expect_success();
        },
    );
    c.process(
        (
            "a client sends a request and closes before its reply is written: the server creates nothing in its place",
            "클라이언트가 요청을 보내고 응답이 쓰이기 전에 닫음: 서버는 그 자리에 아무것도 만들지 않습니다",
        ),
        |ex| {
            let dir_path = ex.tmp_dir().to_path_buf();
            // 1000 replies of 100 bytes fill s's reply FIFO (64 KiB): the server waits there until s reads, which
            // s does only once h has sent its request and closed.
            let server = start_server(ex, 1001);
            let s = ex.check_role("flood", &[".", "s", "1000"]).timeout(secs(3)).start();
            if !wait_for_path(&dir_path.join("s-sent"), millis(2000)) {
                let outs = ex.wait_all(vec![s, server], millis(300));
                outs[0].fail(tr(
                    "client s could not connect and send its 1000 requests",
                    "클라이언트 s가 연결해서 요청 1,000개를 보내지 못했습니다",
                ));
            }
            let h = ex.check_role("hit_and_run", &[".", "h"]).timeout(secs(2)).start();
            let h_out = ex.wait_all(vec![h], secs(2)).remove(0);
            h_out.expect_success();
            std::fs::write(dir_path.join("go"), b"").expect("the check writes its marker");
            let outs = ex.wait_all(vec![s, server], secs(3));
            let _ = std::fs::remove_file(dir_path.join("go"));
            let _ = std::fs::remove_file(dir_path.join("s-sent"));
            let left = dir_path.join("reply-h");
            if std::fs::symlink_metadata(&left).is_ok() {
                let _ = std::fs::remove_file(&left);
                outs[1].fail(tr(
                    "client h sent a request and closed (removing its reply FIFO) before the server answered; the \
                     server then created DIR/reply-h (an ordinary file, opened with create) and left it behind. Only \
                     the client creates its reply FIFO: the server opens it for writing only, and a client that has \
                     gone gets no reply.",
                    "클라이언트 h가 요청을 보내고 서버가 답하기 전에 닫았습니다 (응답 FIFO를 지움). 그러자 서버가 \
                     DIR/reply-h를 (create로 연 보통 파일로) 만들고 남겼습니다. 응답 FIFO를 만드는 것은 클라이언트뿐입니다. \
                     서버는 쓰기 전용으로만 열고, 떠난 클라이언트는 응답을 받지 못합니다.",
                ));
            }
            outs[0].expect_success().expect_lines(
                &["1000 of 1000 right"],
                tr("replies client s received", "클라이언트 s가 받은 응답"),
            );
        },
    );
    c.process(
        (
            "the demo (no arguments): both clients get their replies, and it leaves nothing behind",
            "데모 (인자 없음): 두 클라이언트가 자기 응답을 받고, 아무것도 남기지 않습니다",
        ),
        |ex| {
            let out = ex.role(&[]).env(slow_unlink::ENV, "1").timeout(secs(3)).run();
            if out.stderr().contains("Directory not empty") {
                out.fail(&pick(
                    "the demo removed its directory while its server thread was still tidying up (its \
                     `requests` FIFO was still there): join the server thread before removing the directory"
                        .to_string(),
                    "데모가 서버 스레드가 아직 정리하는 동안 (`requests` FIFO가 아직 있을 때) 디렉터리를 \
                     지웠습니다. 디렉터리를 지우기 전에 서버 스레드를 join하세요"
                        .to_string(),
                ));
            }
            out.expect_success();
            let left: Vec<String> = std::fs::read_dir(ex.tmp_dir())
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            if !left.is_empty() {
                out.fail(&pick(
                    format!("the demo left {left:?} in its temporary directory"),
                    format!("데모가 임시 디렉터리에 파일을 남겼습니다({left:?})"),
                ));
            }
        },
    );
    c.process(
        (
            "one client: `hello` comes back as `HELLO`; the server and the client remove their FIFOs",
            "클라이언트 하나: `hello`가 `HELLO`로 돌아옴; 서버와 클라이언트가 자기 FIFO를 지웁니다",
        ),
        |ex| {
            let dir = ".".to_string();
            let server = start_server(ex, 1);
            let client = ex.check_role("client", &[&dir, "solo", "hello"]).timeout(secs(3)).start();
            let outs = ex.wait_all(vec![server, client], secs(3));
            outs[1].expect_success().expect_lines(
                &["HELLO"],
                tr("the reply client `solo` received", "클라이언트 `solo`가 받은 응답"),
            );
            outs[0].expect_success();
        },
    );
    c.process(
        (
            "client a sends first but reads late; client b sends and reads meanwhile: each gets its own reply",
            "클라이언트 a가 먼저 보내지만 늦게 읽음; 그사이 b가 보내고 읽음: 각자 자기 응답을 받습니다",
        ),
        |ex| {
            let dir_path = ex.tmp_dir().to_path_buf();
            let dir = ".".to_string();
            let server = start_server(ex, 2);
            let a = ex
                .check_role("client", &[&dir, "a", "apple", "pause"])
                .timeout(secs(4))
                .start();
            if !wait_for_path(&dir_path.join("a-sent"), millis(1500)) {
                let outs = ex.wait_all(vec![a, server], millis(300));
                outs[0].fail(tr(
                    "client a could not connect and send its request",
                    "클라이언트 a가 연결해서 요청을 보내지 못했습니다",
                ));
            }
            let b = ex.check_role("client", &[&dir, "b", "banana"]).timeout(secs(2)).start();
            let message = pick(
                "client b never got a reply. While client a had not yet read its reply, the server could not deliver \
                 anything to anyone: it is stuck on a's reply. A client must have its reply FIFO open before it \
                 sends — then the server's open finds a reader at once, and a's reply waits in a's FIFO."
                    .to_string(),
                "클라이언트 b가 응답을 끝내 받지 못했습니다. 클라이언트 a가 아직 자기 응답을 읽지 않는 동안, 서버는 누구에게도 \
                 아무것도 전하지 못했습니다. a의 응답에 막혀 있습니다. 클라이언트는 보내기 전에 응답 FIFO를 열어 두어야 \
                 합니다. 그러면 서버가 열 때 읽는 쪽이 곧바로 있고, a의 응답은 a의 FIFO에서 기다립니다."
                    .to_string(),
            );
            // Wait for b alone; if it does not finish, diagnose everyone together (the server is the one stuck).
            if !wait_until_exited(&b, secs(2)) {
                explain_timeout_after(message, secs(2), || ex.wait_all(vec![b, server, a], millis(100)));
                fail_check("client b ended only after the time limit");
            }
            let b_out = ex.wait_all(vec![b], secs(1)).remove(0);
            b_out.expect_success();
            if b_out.lines() == ["APPLE"] {
                b_out.fail(tr(
                    "client b asked for `banana` and received `APPLE` — the reply to client a, which asked first but \
                     had not read yet. One FIFO for everyone's replies gives the next reply to whoever reads first. \
                     Each client needs a reply FIFO of its own.",
                    "클라이언트 b는 `banana`를 요청했는데 `APPLE`을 받았습니다. 먼저 물었지만 아직 읽지 않은 클라이언트 a의 \
                     응답입니다. 모두의 응답이 FIFO 하나로 오면, 다음 응답은 먼저 읽는 쪽이 가져갑니다. 클라이언트마다 \
                     자기 응답 FIFO가 필요합니다.",
                ));
            }
            b_out.expect_lines(
                &["BANANA"],
                tr("the reply client b received", "클라이언트 b가 받은 응답"),
            );
            std::fs::write(dir_path.join("go"), b"").expect("the check writes its marker");
            let outs = ex.wait_all(vec![a, server], secs(2));
            let _ = std::fs::remove_file(dir_path.join("go"));
            let _ = std::fs::remove_file(dir_path.join("a-sent"));
            if !outs[0].success() || outs[0].lines() != ["APPLE"] {
                outs[0].fail(tr(
                    "client a did not get its reply `APPLE`: another client took it from the shared reply channel",
                    "클라이언트 a가 자기 응답 `APPLE`을 받지 못했습니다. 다른 클라이언트가 함께 쓰는 응답 통로에서 가져갔습니다",
                ));
            }
            outs[1].expect_success();
        },
    );
    c.process(
        (
            "three clients at once, 30 requests each: every reply goes to the client that asked",
            "클라이언트 셋이 동시에 30번씩 요청: 모든 응답이 요청한 클라이언트에게 갑니다",
        ),
        |ex| {
            let dir = ".".to_string();
            let server = start_server(ex, 90);
            let mut running = vec![server];
            for name in ["x", "y", "z"] {
                running.push(
                    ex.check_role("chatty", &[&dir, name, "30"])
                        .timeout(secs(4))
                        .start(),
                );
            }
            let outs = ex.wait_all(running, secs(4));
            for out in &outs[1..] {
                out.expect_success().expect_lines(
                    &["30 of 30 right"],
                    tr("replies a client received", "클라이언트가 받은 응답"),
                );
            }
            outs[0].expect_success();
        },
    );
}
