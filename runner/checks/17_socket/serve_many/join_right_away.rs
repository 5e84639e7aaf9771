// Known-wrong: spawns a thread per connection, and joins it right away — so `accept` waits for the session to end,
// and the server still serves one client at a time.

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
        let session = std::thread::spawn(move || echo(stream));
        session.join().expect("a session panicked")?;
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
