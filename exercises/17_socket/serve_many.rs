// serve_many — socket (소켓)
//
// EN: An echo server over TCP on 127.0.0.1 (the loopback address: the connection never leaves the machine). Each
//     client sends lines and gets every line back, until it closes its connection. `serve` accepts `clients`
//     connections and returns when all of them are done. It serves them one at a time: while it waits to read
//     from the first client — who may stay connected for minutes without a word — the second client's connection
//     sits unanswered in the listen queue. (Its `connect` succeeded: the kernel queues connections a server has
//     not accepted yet. Nobody reads what it sends.) A `read` blocks until bytes arrive, so one blocked
//     connection blocks the whole server.
//     Serve each connection on a thread of its own: accept, hand the stream to a new thread, and go straight back
//     to `accept`. `serve` must still return only when every client is done: keep the threads' handles and join
//     them all (`std::thread::scope` does that for you), or the program would end in the middle of their
//     conversations.
//
// KO: 127.0.0.1(루프백 주소: 연결이 컴퓨터 밖으로 나가지 않음)에서 TCP로 동작하는 에코 서버입니다. 클라이언트는
//     줄을 보내고 연결을 닫을 때까지 모든 줄을 그대로 돌려받습니다. `serve`는 연결 `clients`개를 받아들이고, 모두
//     끝나면 돌아옵니다. 지금은 한 번에 하나씩 처리합니다. 첫 클라이언트(몇 분 동안 아무 말 없이 연결만 하고 있을
//     수도 있는 클라이언트)에게서 읽기를 기다리는 동안, 두 번째 클라이언트의 연결은 대기 큐(listen queue)에서 답을 받지
//     못합니다. (그 `connect`는 성공했습니다. 커널은 서버가 아직 받아들이지 않은 연결을 큐에 둡니다. 보낸 것을 읽는
//     쪽이 없을 뿐입니다.) `read`는 바이트가 올 때까지 멈추므로, 멈춘 연결 하나가 서버 전체를 멈춥니다.
//     연결마다 스레드를 하나씩 두세요. accept하고, 스트림을 새 스레드에 넘기고, 곧바로 `accept`로 돌아가세요.
//     그래도 `serve`는 모든 클라이언트가 끝났을 때만 돌아와야 합니다. 스레드 핸들을 모아 모두 join하세요
//     (`std::thread::scope`가 대신 해 줍니다). 안 그러면 프로그램이 대화 도중에 끝나 버립니다.
//
// Run it yourself: `cargo run -p exercises --bin serve_many`.
// 직접 실행해 보기: `cargo run -p exercises --bin serve_many`.

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
    for _ in 0..clients {
        let (stream, _) = listener.accept()?;
        // TODO: while this one client is served, nobody accepts or answers the others.
        // 할 일: 이 클라이언트 하나를 처리하는 동안에는 아무도 다른 클라이언트를 accept하거나 응답하지 않습니다.
        echo(stream)?;
    }
    Ok(())
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
