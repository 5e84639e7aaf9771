// say_when_done — socket (소켓)
//
// EN: A small service counts the lines, words and bytes of a text, like `wc`, for other processes on the same
//     machine, over a Unix domain socket (a socket whose address is a name in the file system). The server needs
//     the whole text before it can answer, so it reads until end-of-file. A stream socket has no message
//     boundaries: the client says "that is all" by shutting down the writing half of its connection
//     (`shutdown(Shutdown::Write)`), and still reads the answer on the other half. The server removes its socket
//     file when it is done, also when a client made it fail: the name would otherwise stay in the file system and
//     block the next `bind`.
//
// KO: 작은 서비스가 같은 컴퓨터의 다른 프로세스들을 위해 텍스트의 줄, 단어, 바이트 수를 `wc`처럼 셉니다. 통로는
//     유닉스 도메인 소켓(주소가 파일 시스템의 이름인 소켓)입니다. 서버는 텍스트 전체가 있어야 답할 수 있으므로 EOF까지
//     읽습니다. 스트림 소켓에는 메시지 경계가 없습니다. 클라이언트는 연결의 쓰기 쪽을 닫아서
//     (`shutdown(Shutdown::Write)`) "이게 전부"라고 말하고, 다른 쪽으로 답을 계속 읽습니다. 서버는 일을 마치면,
//     클라이언트 때문에 실패할 때도, 소켓 파일을 지웁니다. 안 그러면 이름이 파일 시스템에 남아 다음 `bind`를
//     막습니다.
//
// Run it yourself: `cargo run -p solutions --bin say_when_done`.
// 직접 실행해 보기: `cargo run -p solutions --bin say_when_done`.

use std::io::{self, Read, Write};
use std::net::Shutdown;
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
    let served = answer(&listener, clients);
    // Closing the listener does not remove its name from the file system: the socket file stays until someone
    // removes it, and a new `bind` on the same path would fail with "address in use". Removed whether serving
    // went well or a client made it fail (a text that is not UTF-8, a client that hung up early).
    drop(listener);
    let removed = std::fs::remove_file(path);
    served.and(removed)
}

/// Answers `clients` connections on `listener`, one after another.
fn answer(listener: &UnixListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (mut stream, _) = listener.accept()?;
        let mut text = String::new();
        stream.read_to_string(&mut text)?; // until end-of-file
        stream.write_all(count(&text).as_bytes())?;
        // `stream` is dropped here: the connection closes, and the client reads end-of-file after the answer.
    }
    Ok(())
}

/// The client: sends `text` to the server at `path` and returns its answer.
pub fn ask(path: &Path, text: &str) -> io::Result<String> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(text.as_bytes())?;
    // "I will send nothing more": the server's `read_to_string` reaches end-of-file. Only the writing half is
    // shut down; the answer can still come in on the other half.
    stream.shutdown(Shutdown::Write)?;
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
