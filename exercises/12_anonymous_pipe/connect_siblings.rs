// connect_siblings — anonymous pipe (익명 파이프)
//
// EN: `pipe_two(left, right)` does what a shell does for `left | right`: it makes a pipe, starts two children —
//     siblings, both started from this program — with the pipe's write end as `left`'s stdout and its read end
//     as `right`'s stdin, and returns what `right` printed once both have ended. The parent itself neither
//     reads nor writes the pipe: a pipe works between any processes that hold its descriptors.
//     The children are this same program: `numbers N` prints 1 to N (with no N: for ever), `count` counts the
//     lines it reads until end-of-file, `first` prints the first line and exits.
//     Two things are wrong, both about the ends the *parent* still holds. Each `Command` keeps the end it was
//     given until the `Command` itself is dropped (that is how it can spawn again) — and here both `Command`s
//     live until the end of the function.
//     1. `numbers 3 | count` never ends: `count` reads until end-of-file, which comes only when every write end
//        is closed, in every process.
//     2. `numbers | first` never ends: `first` exits after one line, but `numbers` goes on writing. A writer
//        learns that nobody will read any more — `write` fails with EPIPE, or the SIGPIPE signal kills it —
//        only when every read end is closed. Until then it fills the pipe (64 KiB) and blocks.
//     Fix the TODOs: the parent must close its copies of both ends once the children have them.
//
// KO: `pipe_two(left, right)`는 셸이 `left | right`에서 하는 일을 합니다. 파이프를 만들고, 자식 둘(둘 다 이
//     프로그램에서 시작한 형제)을 시작해 파이프의 쓰기 끝을 `left`의 stdout으로, 읽기 끝을 `right`의 stdin으로
//     주고, 둘 다 끝나면 `right`가 출력한 것을 돌려줍니다. 부모 자신은 파이프를 읽지도 쓰지도 않습니다. 파이프는
//     그 디스크립터를 가진 어느 프로세스 사이에서나 돌아갑니다.
//     자식들은 같은 프로그램입니다. `numbers N`은 1부터 N까지 (N이 없으면 끝없이) 출력하고, `count`는 EOF까지 읽은
//     줄 수를 세고, `first`는 첫 줄을 출력하고 끝납니다.
//     두 가지가 잘못되었는데, 둘 다 *부모*가 아직 쥐고 있는 끝에 관한 것입니다. `Command`는 받은 끝을 자기가
//     drop될 때까지 갖고 있습니다(그래야 다시 spawn할 수 있기 때문입니다). 그런데 여기서는 두 `Command`가 함수 끝까지
//     살아 있습니다.
//     1. `numbers 3 | count`가 끝나지 않습니다. `count`는 EOF까지 읽는데, EOF는 모든 프로세스에서 쓰기 끝이 모두
//        닫혀야 옵니다.
//     2. `numbers | first`가 끝나지 않습니다. `first`는 한 줄 읽고 끝나지만 `numbers`는 계속 씁니다. 쓰는 쪽은 읽기
//        끝이 모두 닫혀야만 더 읽을 이가 없다는 것을 압니다. `write`가 EPIPE로 실패하거나 SIGPIPE 시그널에 죽습니다.
//        그때까지는 파이프(64 KiB)를 채우고 멈춥니다.
//     TODO를 고치세요. 자식들이 끝을 받고 나면 부모는 두 끝의 자기 사본을 닫아야 합니다.
//
// Run it yourself: `cargo run -p exercises --bin connect_siblings` (it hangs: Ctrl-C).
// 직접 실행해 보기: `cargo run -p exercises --bin connect_siblings` (멈추면 Ctrl-C를 누르세요).

use std::io::{self, BufRead, Write};
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};

/// A new pipe, as (read end, write end). `O_CLOEXEC`: a child gets only the ends handed to it as stdin or stdout.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?)
}

/// Runs `left | right` (this program with those arguments, twice) and returns what `right` printed.
pub fn pipe_two(left: &[&str], right: &[&str]) -> io::Result<String> {
    let me = std::env::current_exe()?;
    let (read_end, write_end) = pipe()?;
    let mut producer = Command::new(&me);
    producer.args(left).stdout(write_end);
    let mut consumer = Command::new(&me);
    consumer.args(right).stdin(read_end).stdout(Stdio::piped());
    let mut left_child = producer.spawn()?;
    let right_child = consumer.spawn()?;
    // TODO(1): `producer` still holds the write end: `right` never sees end-of-file.
    // 할 일(1): `producer`가 아직 쓰기 끝을 쥐고 있어서 `right`는 EOF를 보지 못합니다.
    // TODO(2): `consumer` still holds the read end: when `right` exits, `left` is not told.
    // 할 일(2): `consumer`가 아직 읽기 끝을 쥐고 있어서, `right`가 끝나도 `left`는 그 사실을 알지 못합니다.
    let output = right_child.wait_with_output()?;
    left_child.wait()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "`right` failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `numbers [N]`: 1, 2, 3, … (up to N), one per line. Ends quietly when nobody reads any more (EPIPE).
fn numbers(limit: Option<u64>) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for i in 1..=limit.unwrap_or(u64::MAX) {
        if let Err(e) = writeln!(out, "{i}") {
            // Rust ignores SIGPIPE, so a write into a pipe without readers fails with EPIPE instead.
            return if e.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            };
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("numbers") => {
            let limit = args.get(1).map(|n| n.parse()).transpose();
            numbers(limit.map_err(io::Error::other)?)
        }
        Some("count") => {
            let lines = io::stdin().lock().lines().count();
            println!("{lines}");
            Ok(())
        }
        Some("first") => {
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line)?;
            print!("{line}");
            Ok(())
        }
        _ => {
            print!(
                "numbers 5 | count  → {}",
                pipe_two(&["numbers", "5"], &["count"])?
            );
            print!(
                "numbers | first    → {}",
                pipe_two(&["numbers"], &["first"])?
            );
            Ok(())
        }
    }
}
