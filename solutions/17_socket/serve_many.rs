// serve_many — socket (소켓)
//
// EN: An echo server over TCP on 127.0.0.1 (the loopback address: the connection never leaves the machine). Each
//     client sends lines and gets every line back until it closes its connection. A `read` blocks until bytes
//     arrive, so a server that serves one connection at a time keeps every other client waiting while one client
//     is quiet. Here every connection gets a thread of its own, and the accepting thread goes straight back to
//     `accept`; `thread::scope` makes `serve` return only when every session is done.
//
// KO: 127.0.0.1(루프백 주소: 연결이 컴퓨터 밖으로 나가지 않음)에서 TCP로 동작하는 에코 서버입니다. 클라이언트는
//     연결을 닫을 때까지 보낸 줄을 모두 그대로 돌려받습니다. `read`는 바이트가 올 때까지 멈추므로, 연결을 한 번에
//     하나씩 처리하는 서버는 클라이언트 하나가 조용한 동안 다른 클라이언트를 모두 기다리게 합니다. 여기서는 연결마다
//     스레드를 하나씩 두고, 받아들이는 스레드는 곧바로 `accept`로 돌아갑니다. `thread::scope` 덕분에 `serve`는 모든
//     세션이 끝났을 때만 돌아옵니다.
//
// Run it yourself: `cargo run -p solutions --bin serve_many`.
// 직접 실행해 보기: `cargo run -p solutions --bin serve_many`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// One client's session: sends every line back as it arrives, until the client closes its side.
pub fn echo(stream: TcpStream) -> io::Result<()> {
    let mut lines = BufReader::new(&stream);
    let mut back = &stream;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        back.write_all(line.as_bytes())?;
    }
}

/// Accepts `clients` connections on `listener`, serves each with `echo`, and returns when all are done.
pub fn serve(listener: TcpListener, clients: usize) -> io::Result<()> {
    // A scope joins every thread spawned in it before it returns: `serve` ends when the last session does.
    std::thread::scope(|s| {
        let mut sessions = Vec::with_capacity(clients);
        for _ in 0..clients {
            let (stream, _) = listener.accept()?;
            // The session blocks in `read` on its own thread; this one goes straight back to `accept`.
            sessions.push(s.spawn(move || echo(stream)));
        }
        for session in sessions {
            session.join().expect("a session panicked")?;
        }
        Ok(())
    })
}

/// Sends `line` and waits (a second at most) for it to come back.
fn say(client: &mut TcpStream, line: &str) -> String {
    let _ = client.write_all(format!("{line}\n").as_bytes());
    let mut back = String::new();
    match BufReader::new(&*client).read_line(&mut back) {
        Ok(_) if !back.is_empty() => back.trim_end().to_string(),
        _ => "(no answer)".to_string(),
    }
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let server = std::thread::spawn(move || serve(listener, 2));
    let mut alice = TcpStream::connect(address)?;
    let mut bob = TcpStream::connect(address)?;
    for client in [&alice, &bob] {
        client.set_read_timeout(Some(Duration::from_secs(1)))?;
    }
    println!("alice: {}", say(&mut alice, "hello from alice"));
    println!(
        "bob, while alice is still connected: {}",
        say(&mut bob, "hello from bob")
    );
    drop(alice);
    // Bob is done too: whatever the server still sends him comes now, then end-of-file.
    bob.shutdown(std::net::Shutdown::Write)?;
    let mut late = String::new();
    bob.read_to_string(&mut late)?;
    if !late.is_empty() {
        println!(
            "only once alice had left did bob get: {:?}",
            late.trim_end()
        );
    }
    server.join().expect("the server thread panicked")
}
