// make_the_fifo — named pipe / FIFO (명명 파이프)
//
// EN: An unrelated server and client talk through a FIFO, a pipe with a name in the file system. The solution:
//     the server creates the FIFO (`mkfifo`) and removes it when it is done — also when reading failed; the
//     client waits until the FIFO exists and opens it for writing only, never creating anything. Opening blocks
//     until both ends are open, which is how they meet, whichever started first.
//
// KO: 서로 관련 없는 서버와 클라이언트가 파일 시스템에 이름이 있는 파이프, FIFO로 대화합니다. 해답에서는 서버가 FIFO를
//     만들고(`mkfifo`) 다 쓰면 지웁니다. 읽기가 실패했을 때도 지웁니다. 클라이언트는 FIFO가 생길 때까지 기다렸다가 쓰기
//     전용으로만 열고, 아무것도 만들지 않습니다. 열기는 양쪽 끝이 모두 열릴 때까지 멈추고, 그렇게 누가 먼저
//     시작했든 둘이 만납니다.
//
// Run it yourself, in two terminals: `cargo run -p solutions --bin make_the_fifo -- server /tmp/f` and
// `cargo run -p solutions --bin make_the_fifo -- client /tmp/f hello there`.
// 터미널 두 개에서 직접 실행해 보기: `cargo run -p solutions --bin make_the_fifo -- server /tmp/f`, 그리고 `cargo run
// -p solutions --bin make_the_fifo -- client /tmp/f hello there`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use nix::sys::stat::Mode;
use nix::unistd::mkfifo;

/// The server: makes the FIFO at `path`, returns the lines clients write into it until end-of-file.
pub fn serve(path: &Path) -> io::Result<Vec<String>> {
    // A FIFO, readable and writable by its owner only. Fails if the name is taken.
    mkfifo(path, Mode::S_IRUSR | Mode::S_IWUSR)?;
    // Opening for reading blocks until a client opens the FIFO for writing; then read until every writer has
    // closed it (end-of-file).
    let lines = File::open(path).and_then(|fifo| BufReader::new(fifo).lines().collect());
    // The name stays in the file system until it is removed: remove it whether reading worked or not.
    std::fs::remove_file(path)?;
    lines
}

/// A client: writes `lines` into the server's FIFO at `path`, one line per write.
pub fn send(path: &Path, lines: &[&str]) -> io::Result<()> {
    // The server may not have made the FIFO yet: wait for it (a while). Open for writing only — no `create`:
    // only the server makes the FIFO. Opening blocks until the server has opened it for reading.
    let give_up = Instant::now() + Duration::from_secs(5);
    let mut fifo = loop {
        match OpenOptions::new().write(true).open(path) {
            Ok(fifo) => break fifo,
            Err(e) if e.kind() == io::ErrorKind::NotFound && Instant::now() < give_up => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    };
    for line in lines {
        // One write per line: a line of at most PIPE_BUF bytes never mixes with another client's.
        fifo.write_all(format!("{line}\n").as_bytes())?;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [role, path] if role == "server" => {
            for line in serve(Path::new(path))? {
                println!("got {line}");
            }
            Ok(())
        }
        [role, path, lines @ ..] if role == "client" => {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            send(Path::new(path), &lines)
        }
        _ => Err(io::Error::other(
            "usage: make_the_fifo server PATH | make_the_fifo client PATH LINE…",
        )),
    }
}
