// Hidden check for `serve_many`: a client is answered while another one is still connected (and silent), many
// clients are served at once, each gets its own lines back, and `serve` returns only when all are done. The
// check's clients keep the first connection open on purpose, so a server that serves one connection at a time
// cannot answer the second — on every run; a second is the most any answer may take.
//
// requirement (header)                                       → check
// a client is answered while another is connected and silent → "client B is answered while client A…"
// many clients at once, each gets its own lines              → "ten clients connected at once"
// `serve` returns only when every client is done, in any     → "client B, who came last, leaves first"
//   order of leaving                                            (serve still running, A still served)
// the demo program talks to two clients and ends             → "the demo program"
// a client that breaks off (reset) does not end the others   → "client A's connection is reset"
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, RoleOutput, pick, secs};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// The port the server role wrote into `file`, once it is there (3 s at most).
fn port(file: &Path) -> u16 {
    let until = Instant::now() + Duration::from_secs(3);
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            if let Some(port) = text.strip_suffix('\n').and_then(|p| p.parse().ok()) {
                return port;
            }
        }
        if Instant::now() > until {
            eprintln!("{}", tr("the server never said its port", "서버가 포트를 알려 주지 않았습니다"));
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// One of the check's clients: `name` is how the transcript calls it.
struct Client {
    name: String,
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(name: &str, port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect(tr("the client connects", "클라이언트가 연결하지 못했습니다"));
        stream.set_nodelay(true).expect("no delay");
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .expect("a timeout");
        let reader = BufReader::new(stream.try_clone().expect("a second handle"));
        Client {
            name: name.to_string(),
            stream,
            reader,
        }
    }

    /// Sends `line`, waits for it to come back; prints `NAME line` or what happened instead.
    fn say(&mut self, line: &str) {
        let sent = self.stream.write_all(format!("{line}\n").as_bytes());
        let mut back = String::new();
        let outcome = match (sent, self.reader.read_line(&mut back)) {
            (Err(e), _) => format!("!error {e}"),
            (_, Ok(0)) => "!closed".to_string(),
            (_, Ok(_)) => back.trim_end().to_string(),
            (_, Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                "!silent".to_string()
            }
            (_, Err(_)) => "!closed".to_string(),
        };
        println!("{} {outcome}", self.name);
        if outcome.starts_with('!') {
            // The story ends here; closing every connection lets the server finish.
            std::process::exit(0);
        }
    }

    /// Says goodbye: shuts down its side and waits for the server to close the connection.
    fn leave(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut self.reader, &mut rest);
    }
}

/// The transcript the script `name` prints when the server does everything right.
fn expected(name: &str) -> Vec<String> {
    match name {
        "two" => ["A a1", "B b1", "A a2", "B b2", "B b3"]
            .map(String::from)
            .to_vec(),
        "last-leaves-first" => ["A a1", "B b1", "A a2"].map(String::from).to_vec(),
        "reset" => ["A a1", "B b1", "B b2", "B b3"].map(String::from).to_vec(),
        _ => {
            let mut lines: Vec<String> = (0..10).rev().map(|i| format!("C{i} c{i}-1")).collect();
            lines.extend((0..10).map(|i| format!("C{i} c{i}-2")));
            lines
        }
    }
}

/// Runs the server role (the learner's `serve`) and the clients role with script `script`; fails on the first
/// line of the transcript that differs, saying what it means.
fn converse(ex: &Exercise, script: &str, clients: usize) {
    let port_file = ex.file_path("port");
    let _ = std::fs::remove_file(&port_file);
    let _ = std::fs::remove_file(ex.file_path("port.returned"));
    ex.file_path("port.pid"); // the server role's own pid file, written by the check's role code
    let port_s = port_file.display().to_string();
    let server = ex
        .check_role("server", &[&port_s, &clients.to_string()])
        .timeout(secs(3))
        .start();
    let talk = ex
        .check_role("clients", &[&port_s, script])
        .timeout(secs(3))
        .start();
    let outs = ex.wait_all(vec![server, talk], secs(3));
    let (server, talk) = (&outs[0], &outs[1]);
    talk.expect_success();
    let want = expected(script);
    let got = talk.lines();
    if let Some(i) = (0..want.len().max(got.len()))
        .find(|&i| got.get(i).copied() != want.get(i).map(|s| s.as_str()))
    {
        fail_about(
            talk,
            script,
            got.get(i).copied().unwrap_or(""),
            want.get(i).map_or("", |s| s.as_str()),
        );
    }
    server.expect_success();
    // A connection that was reset may make `serve` report an error, once every other client is done.
    let reset_ok = script == "reset"
        && server
            .stdout()
            .trim()
            .starts_with("serve returned an error");
    if server.stdout().trim() != "serve returned Ok" && !reset_ok {
        server.fail(&pick(
            format!("after every client had left: {}", server.stdout().trim()),
            format!("모든 클라이언트가 떠난 뒤: {}", server.stdout().trim()),
        ));
    }
}

fn fail_about(talk: &RoleOutput, script: &str, got: &str, want: &str) -> ! {
    let who = want.split(' ').next().unwrap_or("?");
    let others = if script != "ten" {
        tr("the other client", "다른 클라이언트")
    } else {
        tr("nine other clients", "다른 클라이언트 아홉")
    };
    let message = if got.ends_with("!early") {
        pick(
            format!(
                "client B, who connected last, left first; `serve` returned then, while client {who} was still \
                 connected and about to send more. Clients finish in any order: join every session's thread \
                 before returning, not just the last one."
            ),
            format!(
                "마지막에 연결한 클라이언트 B가 먼저 떠났습니다. 그때 `serve`가 돌아왔는데, {who} 클라이언트는 아직 \
                 연결되어 더 보내려던 참이었습니다. 클라이언트는 어떤 순서로든 끝납니다. 마지막 것만이 아니라 모든 세션 \
                 스레드를 join 한 뒤에 돌아오세요."
            ),
        )
    } else if got.ends_with("!silent") {
        pick(
            format!(
                "client {who} sent a line and got nothing back within a second, while {others} stayed connected \
                 without sending anything. Only one connection is served at a time: everything waits for the \
                 silent one. Serve each connection on a thread of its own, and let nothing make one session wait \
                 for another."
            ),
            format!(
                "{who} 클라이언트가 한 줄을 보냈지만 1초 안에 아무것도 돌려받지 못했습니다. 그동안 다른 클라이언트({others})는 아무것도 \
                 보내지 않은 채 연결되어 있었습니다. 연결이 한 번에 하나만 처리됩니다. 모든 것이 말없는 연결 하나를 \
                 기다립니다. 연결마다 스레드를 하나씩 두고, 어떤 것도 한 세션이 다른 세션을 기다리게 하지 마세요."
            ),
        )
    } else if got.ends_with("!closed") || got.contains("!error") {
        pick(
            format!(
                "client {who}'s connection was closed by the server while {who} was still talking. Did `serve` \
                 return — and the program end — before its clients were done? Join every session's thread before \
                 returning."
            ),
            format!(
                "{who} 클라이언트가 아직 대화하는 중에 서버가 연결을 닫았습니다. 클라이언트들이 끝나기 전에 `serve`가 \
                 돌아와서 프로그램이 끝나지 않았습니까? 돌아오기 전에 모든 세션 스레드를 join하세요."
            ),
        )
    } else {
        pick(
            format!("the conversation should go {want:?} at this point, but it went {got:?}"),
            format!("대화가 이 시점에서 {want:?}여야 하는데 {got:?}였습니다"),
        )
    };
    talk.fail(&message)
}

pub fn checks(c: &mut Checks) {
    // server PORTFILE CLIENTS: binds 127.0.0.1:0, says its port, runs `serve`; prints how it returned
    c.role("server", |args| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = listener.local_addr().expect("an address").port();
        std::fs::write(format!("{}.pid", args[0]), std::process::id().to_string())
            .expect("the pid file");
        std::fs::write(&args[0], format!("{port}\n")).expect("the port file");
        let result = serve(listener, args[1].parse().expect("a number of clients"));
        // Say so at once: a client that is still connected must not find this file.
        std::fs::write(format!("{}.returned", args[0]), "").expect("the marker file");
        match result {
            Ok(()) => println!("serve returned Ok"),
            Err(e) => println!("serve returned an error: {e}"),
        }
    });
    // clients PORTFILE two|ten: runs the script, printing one line per echo
    c.role("clients", |args| {
        let port = port(Path::new(&args[0]));
        if args[1] == "last-leaves-first" {
            let mut a = Client::connect("A", port);
            a.say("a1");
            let mut b = Client::connect("B", port);
            b.say("b1");
            b.leave();
            // A `serve` that (wrongly) returns now does so at once; one that waits for A sleeps. Go on when it has
            // returned, or when the server's main thread has been asleep for 50 ms (1 s at most).
            let returned = Path::new(&format!("{}.returned", args[0])).to_path_buf();
            let server: String =
                std::fs::read_to_string(format!("{}.pid", args[0])).unwrap_or_default();
            let until = Instant::now() + Duration::from_secs(1);
            let mut asleep_since: Option<Instant> = None;
            while !returned.exists() && Instant::now() < until {
                let asleep = std::fs::read_to_string(format!("/proc/{}/stat", server.trim()))
                    .ok()
                    .and_then(|s| {
                        s.rsplit_once(')')
                            .map(|(_, r)| r.trim_start().starts_with(['S', 'D']))
                    })
                    .unwrap_or(false);
                if asleep {
                    if asleep_since.get_or_insert_with(Instant::now).elapsed()
                        >= Duration::from_millis(50)
                    {
                        break;
                    }
                } else {
                    asleep_since = None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            if returned.exists() {
                println!("A !early");
                std::process::exit(0);
            }
            a.say("a2");
            a.leave();
        } else if args[1] == "reset" {
            let mut a = Client::connect("A", port);
            a.say("a1");
            let mut b = Client::connect("B", port);
            b.say("b1");
            // A breaks off: closed with a zero linger time, the connection is reset, not shut down.
            let linger = nix::libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: SO_LINGER reads one `linger` from a valid pointer.
            unsafe {
                nix::libc::setsockopt(
                    std::os::fd::AsRawFd::as_raw_fd(&a.stream),
                    nix::libc::SOL_SOCKET,
                    nix::libc::SO_LINGER,
                    (&linger as *const nix::libc::linger).cast(),
                    std::mem::size_of::<nix::libc::linger>() as nix::libc::socklen_t,
                );
            }
            drop(a);
            b.say("b2");
            b.say("b3");
            b.leave();
        } else if args[1] == "two" {
            let mut a = Client::connect("A", port);
            a.say("a1");
            let mut b = Client::connect("B", port);
            b.say("b1"); // while A is connected and silent
            a.say("a2");
            b.say("b2");
            a.leave();
            b.say("b3");
            b.leave();
        } else {
            let mut all: Vec<Client> = (0..10)
                .map(|i| Client::connect(&format!("C{i}"), port))
                .collect();
            for (i, c) in all.iter_mut().enumerate().rev() {
                c.say(&format!("c{i}-1"));
            }
            for (i, c) in all.iter_mut().enumerate() {
                c.say(&format!("c{i}-2"));
            }
            for c in all {
                c.leave();
            }
        }
    });

    c.process(
        (
            "client B is answered while client A is still connected and silent; then both are served to the end",
            "클라이언트 A가 말없이 연결되어 있는 동안 B가 답을 받습니다; 그다음 둘 다 끝까지 처리됩니다",
        ),
        |ex| converse(ex, "two", 2),
    );
    c.process(
        (
            "ten clients connected at once, the last one speaking first: each gets its own lines back",
            "클라이언트 열이 한꺼번에 연결, 마지막 클라이언트가 먼저 말함: 각자 자기 줄을 돌려받습니다",
        ),
        |ex| converse(ex, "ten", 10),
    );
    c.process(
        (
            "client B, who came last, leaves first: serve keeps running and client A is still served",
            "마지막에 온 클라이언트 B가 먼저 떠남: serve는 계속 돌고 클라이언트 A는 여전히 처리됩니다",
        ),
        |ex| converse(ex, "last-leaves-first", 2),
    );
    c.process(("the demo program", "데모 프로그램"), |ex| {
        let out = ex.run(&[], secs(3));
        out.expect_success();
        out.expect_lines(
            &[
                "alice: hello from alice",
                "bob, while alice is still connected: hello from bob",
            ],
            tr("the demo's transcript", "데모의 대화 기록"),
        );
    });
    c.process(
        (
            "client A's connection is reset (it breaks off) while B is connected: B is still served to the end",
            "B가 연결되어 있는 동안 클라이언트 A의 연결이 끊김(reset): B는 여전히 끝까지 처리됩니다",
        ),
        |ex| converse(ex, "reset", 2),
    );
}
