// Known-wrong: sends a newline to mark the end. The newline is just one more byte of the stream; the server reads
// until end-of-file, and end-of-file comes only with a shutdown or a close.

use std::io::{self, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::Command;

/// `lines L, words W, bytes B`, like `wc`.
pub fn count(text: &str) -> String {
    format!(
        "lines {}, words {}, bytes {}",
        text.lines().count(),
        text.split_whitespace().count(),
        text.len()
    )
}

/// The server: listens on `path`, answers `clients` connections one after another (reads the whole text, replies
/// with `count` of it, closes), then stops.
pub fn serve(path: &Path, clients: usize) -> io::Result<()> {
    let listener = UnixListener::bind(path)?;
    for _ in 0..clients {
        let (mut stream, _) = listener.accept()?;
        let mut text = String::new();
        stream.read_to_string(&mut text)?; // until end-of-file
        stream.write_all(count(&text).as_bytes())?;
        // `stream` is dropped here: the connection closes, and the client reads end-of-file after the answer.
    }
    // Closing the listener does not remove its name from the file system: the socket file stays until someone
    // removes it, and a new `bind` on the same path would fail with "address in use".
    drop(listener);
    std::fs::remove_file(path)
}

/// The client: sends `text` to the server at `path` and returns its answer.
pub fn ask(path: &Path, text: &str) -> io::Result<String> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(text.as_bytes())?;
    // A newline marks the end of the question.
    stream.write_all(b"\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, path, clients] = args.as_slice() {
        if role != "server" {
            return Err(io::Error::other(
                "usage: say_when_done [server PATH CLIENTS]",
            ));
        }
        return serve(Path::new(path), clients.parse().map_err(io::Error::other)?);
    }
    let path = std::env::temp_dir().join(format!("say_when_done-{}.sock", std::process::id()));
    let mut server = Command::new(std::env::current_exe()?)
        .arg("server")
        .arg(&path)
        .arg("1")
        .spawn()?;
    while !path.exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    let answer = ask(&path, "the quick brown fox\njumps over the lazy dog\n")?;
    println!("the server says: {answer}");
    server.wait()?;
    println!("socket file left behind: {}", path.exists());
    Ok(())
}
