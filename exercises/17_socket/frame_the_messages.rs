// frame_the_messages — socket (소켓)
//
// EN: A tally server keeps a running total for a client connected over a Unix domain socket. The client sends
//     commands, one per line — `add 5`, `sub 2`, `total` — and gets one line back for each: the total after the
//     command (`total 3`), or `error: …`. `serve` takes every `read` to be one command. But a stream socket
//     carries bytes, not messages: a `read` returns whatever has arrived so far — half a command (`ad`, and the
//     `d 5` later), or three commands at once. How the bytes were written does not survive the trip.
//     Frame the commands by their newlines: read the connection through ONE `BufReader`, kept for the whole
//     connection, and take one line at a time with `read_line`. The reader keeps the bytes after a newline for
//     the next call, and waits for more when a line is not complete yet.
//
// KO: 집계 서버가 유닉스 도메인 소켓으로 연결된 클라이언트를 위해 누적 합계를 관리합니다. 클라이언트는 명령을 한 줄에
//     하나씩(`add 5`, `sub 2`, `total`) 보내고, 명령마다 명령 뒤의 합계(`total 3`)나 `error: …` 한 줄을
//     돌려받습니다. `serve`는 `read` 한 번을 명령 하나로 여깁니다. 하지만 스트림 소켓은 메시지가 아니라 바이트를
//     나릅니다. `read`는 지금까지 도착한 것을 돌려줍니다. 명령의 절반(`ad`, 그리고 나중에 `d 5`)일 수도, 명령 세
//     개가 한꺼번에일 수도 있습니다. 어떻게 나눠 썼는지는 전달되지 않습니다.
//     명령을 줄바꿈으로 나누세요(framing): 연결 전체에 대해 `BufReader` *하나*를 두고 그것으로 읽으며, `read_line`으로
//     한 줄씩 가져오세요. 이 리더는 줄바꿈 뒤의 바이트를 다음 호출을 위해 남겨 두고, 줄이 아직 완성되지 않았으면 더
//     기다립니다.
//
// Run it yourself: `cargo run -p exercises --bin frame_the_messages`.
// 직접 실행해 보기: `cargo run -p exercises --bin frame_the_messages`.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// What one command does to the total, and the reply line (without its newline).
pub fn apply(total: &mut i64, command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["add", n] | ["sub", n] => match n.parse::<i64>() {
            Ok(n) => {
                *total += if words[0] == "add" { n } else { -n };
                format!("total {total}")
            }
            Err(_) => format!("error: not a number: {n:?}"),
        },
        ["total"] => format!("total {total}"),
        _ => format!("error: unknown command {command:?}"),
    }
}

/// Serves one client: applies each command it sends and replies to each with one line, until the client
/// closes its side of the connection.
pub fn serve(mut stream: UnixStream) -> io::Result<()> {
    let mut total = 0;
    let mut buf = [0u8; 512];
    loop {
        // TODO: one `read` is not one command: it returns whatever bytes have arrived.
        // 할 일: `read` 한 번이 명령 하나가 아닙니다. `read`는 도착한 만큼의 바이트를 돌려줍니다.
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&buf[..n]);
        let reply = apply(&mut total, command.trim_end());
        stream.write_all(format!("{reply}\n").as_bytes())?;
    }
}

fn main() -> io::Result<()> {
    let (mut client, server_end) = UnixStream::pair()?;
    let server = std::thread::spawn(move || serve(server_end));
    // The same five commands, written in pieces the way a network may deliver them.
    for piece in ["add 10\nsu", "b 3\nadd", " 4", "\ntotal\nadd 1\n"] {
        client.write_all(piece.as_bytes())?;
        std::thread::sleep(Duration::from_millis(50));
    }
    client.shutdown(std::net::Shutdown::Write)?;
    let mut replies = String::new();
    client.read_to_string(&mut replies)?;
    println!("sent: add 10, sub 3, add 4, total, add 1");
    println!("expected: total 10, total 7, total 11, total 11, total 12");
    println!("got: {}", replies.trim_end().replace('\n', ", "));
    server.join().expect("the server thread panicked")
}
