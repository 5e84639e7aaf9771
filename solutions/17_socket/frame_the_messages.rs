// frame_the_messages — socket (소켓)
//
// EN: A tally server keeps a running total for a client connected over a Unix domain socket; commands come one per
//     line and each gets one line back. A stream socket carries bytes, not messages: one `read` may return half a
//     command or several. So the messages are framed by their newlines: one `BufReader` for the whole connection
//     hands out one complete line at a time, keeping what comes after a newline for the next line and waiting for
//     the rest of a line that has not fully arrived.
//
// KO: 집계 서버가 유닉스 도메인 소켓으로 연결된 클라이언트를 위해 누적 합계를 관리합니다. 명령은 한 줄에 하나씩 오고
//     명령마다 한 줄을 돌려줍니다. 스트림 소켓은 메시지가 아니라 바이트를 나릅니다. `read` 한 번이 명령의 절반이나
//     여러 개를 돌려줄 수 있습니다. 그래서 메시지를 줄바꿈으로 나눕니다. 연결 전체에 하나인 `BufReader`가 완성된 줄을
//     하나씩 내주고, 줄바꿈 뒤에 온 것은 다음 줄을 위해 남겨 두며, 아직 다 도착하지 않은 줄은 나머지를 기다립니다.
//
// Run it yourself: `cargo run -p solutions --bin frame_the_messages`.
// 직접 실행해 보기: `cargo run -p solutions --bin frame_the_messages`.

use std::io::{self, BufRead, BufReader, Read, Write};
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
pub fn serve(stream: UnixStream) -> io::Result<()> {
    let mut total = 0;
    // One reader for the whole connection: the bytes it has read past a newline stay in its buffer for the next
    // line. (A new `BufReader` per command would throw them away.) Replies go out through a second handle.
    let mut commands = BufReader::new(&stream);
    let mut replies = &stream;
    let mut line = String::new();
    loop {
        line.clear();
        // Waits until a whole line has arrived — however many reads that takes — or end-of-file.
        if commands.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let reply = apply(&mut total, line.trim_end());
        replies.write_all(format!("{reply}\n").as_bytes())?;
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
