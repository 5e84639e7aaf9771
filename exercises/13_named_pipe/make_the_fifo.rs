// make_the_fifo — named pipe / FIFO (명명 파이프)
//
// EN: A server and a client that are not related — neither started the other, so no descriptor can be handed
//     from one to the other — talk through a FIFO: a pipe with a name in the file system. The server reads the
//     lines the client writes, until the client hangs up (end-of-file), and prints them.
//     Three things are wrong:
//     1. `serve` opens a path where nothing exists. A FIFO must be created first (`mkfifo`), by the server: it is
//        the one waiting for clients.
//     2. `send` may run before the server has made the FIFO. It then opens the path with `create(true)`, which
//        makes a *regular file* there: the client writes into a file on disk, the server finds its name taken.
//        A client must wait for the FIFO to appear, and open it for writing only — never create it.
//     3. A FIFO is a name in the file system: it stays after both processes have exited, until someone removes
//        it. The server made it; the server removes it when it is done — also when reading failed.
//     Opening a FIFO blocks until the other end is opened too: the server's open (to read) waits for a writer,
//     the client's (to write) for a reader. That is how they meet. A FIFO stays local to one machine: it is a
//     name for a pipe in one kernel (crossing a network is something Windows named pipes do, not Unix FIFOs).
//
// KO: 서로 관련이 없는 서버와 클라이언트가(어느 쪽도 다른 쪽을 시작하지 않아서 디스크립터를 건넬 수 없음)
//     FIFO로 대화합니다. 파일 시스템에 이름이 있는 파이프입니다. 서버는 클라이언트가 쓰는 줄들을 클라이언트가
//     끊을 때(EOF)까지 읽어서 출력합니다.
//     세 가지가 잘못되었습니다:
//     1. `serve`는 아무것도 없는 경로를 엽니다. FIFO는 먼저 만들어야 하고(`mkfifo`), 만드는 쪽은
//        클라이언트를 기다리는 서버입니다.
//     2. `send`는 서버가 FIFO를 만들기 전에 실행될 수 있습니다. 그러면 경로를 `create(true)`로 여는데, 이것은 그
//        자리에 *일반 파일*을 만듭니다. 클라이언트는 디스크의 파일에 쓰고, 서버는 자기 이름이 이미 쓰인 것을
//        봅니다. 클라이언트는 FIFO가 나타날 때까지 기다렸다가 쓰기 전용으로만 열어야 합니다. 만들면 안 됩니다.
//     3. FIFO는 파일 시스템의 이름입니다. 두 프로세스가 모두 끝난 뒤에도 누군가 지울 때까지 남습니다. 만든 것은
//        서버이니, 다 쓰고 나면 서버가 지웁니다. 읽기가 실패했을 때도 지웁니다.
//     FIFO를 열면 반대쪽 끝도 열릴 때까지 멈춥니다. 서버의 (읽기) 열기는 쓰는 쪽을, 클라이언트의 (쓰기) 열기는
//     읽는 쪽을 기다립니다. 그렇게 둘이 만납니다. FIFO는 한 기계 안에 머뭅니다. 한 커널 안의 파이프에 붙인
//     이름입니다 (네트워크를 건너는 것은 Windows의 명명 파이프가 하는 일이지, 유닉스 FIFO가 아닙니다).
//
// Run it yourself, in two terminals: `cargo run -p exercises --bin make_the_fifo -- server /tmp/f` and
// `cargo run -p exercises --bin make_the_fifo -- client /tmp/f hello there`.
// 터미널 두 개에서 직접 실행해 보기: `cargo run -p exercises --bin make_the_fifo -- server /tmp/f`, 그리고 `cargo run
// -p exercises --bin make_the_fifo -- client /tmp/f hello there`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// The server: makes the FIFO at `path`, returns the lines clients write into it until end-of-file.
pub fn serve(path: &Path) -> io::Result<Vec<String>> {
    // TODO(1): nothing has created the FIFO (`nix::unistd::mkfifo`).
    // 할 일(1): 아무도 FIFO를 만들지 않았습니다(`nix::unistd::mkfifo`).
    let fifo = File::open(path)?;
    let lines = BufReader::new(fifo)
        .lines()
        .collect::<io::Result<Vec<String>>>()?;
    // TODO(3): the FIFO's name stays in the file system.
    // 할 일(3): FIFO의 이름이 파일 시스템에 남습니다.
    Ok(lines)
}

/// A client: writes `lines` into the server's FIFO at `path`, one line per write.
pub fn send(path: &Path, lines: &[&str]) -> io::Result<()> {
    // TODO(2): if the server has not made the FIFO yet, this creates a regular file.
    // 할 일(2): 서버가 아직 FIFO를 만들지 않았다면, 이 코드는 일반 파일을 만듭니다.
    let mut fifo = OpenOptions::new().write(true).create(true).open(path)?;
    for line in lines {
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
