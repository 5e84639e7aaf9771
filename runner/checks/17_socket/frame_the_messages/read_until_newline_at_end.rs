// Known-wrong: keeps reading until the bytes end with a newline, then applies them as one command. That mends a
// command cut in two, but several commands that arrive together are still taken for one.

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
pub fn serve(mut stream: UnixStream) -> io::Result<()> {
    let mut total = 0;
    let mut buf = [0u8; 512];
    let mut pending = Vec::new();
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        pending.extend_from_slice(&buf[..n]);
        if pending.ends_with(b"\n") {
            let command = String::from_utf8_lossy(&pending).into_owned();
            let reply = apply(&mut total, command.trim_end());
            stream.write_all(format!("{reply}\n").as_bytes())?;
            pending.clear();
        }
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
