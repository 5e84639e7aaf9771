// say_when_done — socket (소켓)
//
// EN: A small service counts the lines, words and bytes of a text, like `wc`, for other processes on the same
//     machine. They talk over a Unix domain socket: a socket whose address is a name in the file system. Like
//     `wc`, the server needs the whole text before it can answer, so it reads until end-of-file, replies, and
//     closes the connection. The client, `ask`, writes its text and then reads the answer until end-of-file.
//     Now both wait for ever: the server for the end of the text, the client for the answer. A stream socket
//     has no message boundaries and no "I am done" of its own: end-of-file arrives only when the other side
//     says it will send nothing more.
//     1. In `ask`, after writing the text, shut down the writing half of the connection
//        (`stream.shutdown(Shutdown::Write)`): the server reads end-of-file, and the client can still read.
//     2. The server leaves its socket file behind. A Unix socket's name stays in the file system until someone
//        removes it, and the next server's `bind` on that path then fails ("address in use"). Remove it in
//        `serve` when the server is done: on every way out of `serve`, also when a client made it fail.
//
// KO: 작은 서비스가 같은 컴퓨터의 다른 프로세스들을 위해 텍스트의 줄, 단어, 바이트 수를 `wc`처럼 셉니다. 둘은 유닉스
//     도메인 소켓으로 대화합니다. 주소가 파일 시스템의 이름인 소켓입니다. `wc`처럼 서버는 텍스트 전체가 있어야 답할
//     수 있으므로, EOF까지 읽고, 답하고, 연결을 닫습니다. 클라이언트 `ask`는 텍스트를 쓴 다음 EOF까지 답을 읽습니다.
//     지금은 서버는 텍스트의 끝을, 클라이언트는 답을 영원히 기다립니다. 스트림 소켓에는 메시지 경계도, 자체
//     "다 보냈음"도 없습니다. EOF는 상대가 더 보낼 것이 없다고 말할 때만 옵니다.
//     1. `ask`에서 텍스트를 쓴 뒤 연결의 쓰기 쪽을 닫으세요 (`stream.shutdown(Shutdown::Write)`): 서버는 EOF를
//        읽고, 클라이언트는 여전히 읽을 수 있습니다.
//     2. 서버가 소켓 파일을 남겨 둡니다. 유닉스 소켓의 이름은 누군가 지울 때까지 파일 시스템에 남고, 그러면 같은
//        경로에 대한 다음 서버의 `bind`가 실패합니다 ("address in use"). 서버가 일을 마치면 `serve`에서 지우세요.
//        클라이언트 때문에 실패할 때도, 즉 `serve`를 빠져나가는 모든 길에서 지워야 합니다.
//
// Run it yourself: `cargo run -p exercises --bin say_when_done` (it hangs: Ctrl-C).
// 직접 실행해 보기: `cargo run -p exercises --bin say_when_done` (멈추면 Ctrl-C를 누르세요).

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
    // TODO(2): the listener is closed when dropped, but its name stays in the file system.
    // 할 일(2): 리스너는 drop될 때 닫히지만, 그 이름은 파일 시스템에 남습니다.
    Ok(())
}

/// The client: sends `text` to the server at `path` and returns its answer.
pub fn ask(path: &Path, text: &str) -> io::Result<String> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(text.as_bytes())?;
    // TODO(1): the server reads until end-of-file. When does it get there?
    // 할 일(1): 서버는 EOF까지 읽습니다. 서버는 언제 EOF에 닿습니까?
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
