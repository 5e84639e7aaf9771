// whole_records — anonymous pipe (익명 파이프)
//
// EN: Three worker processes send records to one collector through ONE pipe: the collector made it and handed
//     the write end to every worker as its stdout. A record is one line, `"{worker} {seq} {text}\n"`. The
//     collector reads lines, so every record must arrive whole — never with another worker's bytes inside it.
//     The kernel promises exactly one thing here: a single `write` of at most `PIPE_BUF` bytes (4096 on Linux)
//     goes into the pipe in one piece, never mixed with another writer's. Anything else can interleave: two
//     `write` calls of one record, or one `write` longer than `PIPE_BUF` (the kernel may split it when the pipe
//     is nearly full). `send_record` writes each record in three pieces.
//     TODO: make `send_record` put each record into the pipe with ONE write of at most `PIPE_BUF` bytes. A record
//     longer than that can never be written safely: refuse it with an error of kind `InvalidInput`, writing
//     nothing. (`out` is not buffered: every `write` on it is a system call. `write!` with a format string makes
//     one call per piece.)
//
// KO: 작업자 프로세스 셋이 파이프 *하나*로 수집기 하나에게 레코드를 보냅니다. 수집기가 파이프를 만들고 그 쓰기 끝을
//     모든 작업자에게 stdout으로 나눠 주었습니다. 레코드 하나는 한 줄, `"{worker} {seq} {text}\n"`입니다. 수집기는
//     줄 단위로 읽으므로 모든 레코드는 온전히 도착해야 합니다. 다른 작업자의 바이트가 사이에 끼면 안 됩니다.
//     여기서 커널이 약속하는 것은 딱 하나입니다. `PIPE_BUF`(리눅스에서 4,096바이트) 이하의 `write` 한 번은 한 덩어리로
//     파이프에 들어가고, 다른 쓰기와 섞이지 않습니다. 나머지는 섞일 수 있습니다. 한 레코드를 두 번의 `write`로 쓰거나,
//     `PIPE_BUF`보다 긴 `write` 한 번 (파이프가 거의 차 있으면 커널이 나눌 수 있습니다). `send_record`는 레코드마다
//     세 조각으로 씁니다.
//     TODO: `send_record`가 레코드마다 `PIPE_BUF` 바이트 이하의 write *한 번*으로 파이프에 넣게 하세요. 그보다 긴
//     레코드는 결코 안전하게 쓸 수 없습니다. 아무것도 쓰지 말고 `InvalidInput` 종류의 오류로 거절하세요. (`out`은
//     버퍼가 없습니다. `write` 한 번이 시스템 호출 한 번입니다. 형식 문자열을 쓴 `write!`는 조각마다 한 번씩 부릅니다.)
//
// Run it yourself: `cargo run -p exercises --bin whole_records` (it counts the records that arrived broken).
// 직접 실행해 보기: `cargo run -p exercises --bin whole_records` (깨진 채 도착한 레코드 수를 셉니다).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::process::Command;

/// The most bytes one `write` puts into a pipe in one piece (POSIX: at least 512; Linux: 4096).
pub const PIPE_BUF: usize = 4096;

/// Sends one record, `"{worker} {seq} {text}\n"`, to `out`.
pub fn send_record(out: &mut impl Write, worker: usize, seq: usize, text: &str) -> io::Result<()> {
    // TODO: three (or more) writes: another worker's record can land between them. And a record longer than
    // PIPE_BUF is not safe even in one write.
    // 할 일: 쓰기가 셋(이상)이어서 그 사이에 다른 작업자의 레코드가 끼어들 수 있습니다. 그리고 PIPE_BUF보다 긴
    // 레코드는 한 번에 써도 안전하지 않습니다.
    write!(out, "{worker} {seq} ")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// The text of record `seq` of `worker`: one letter per worker, between 1 and 4000 of them.
fn text_of(worker: usize, seq: usize) -> String {
    let letter = char::from(b'a' + (worker % 26) as u8);
    letter
        .to_string()
        .repeat(1 + (seq * 997 + worker * 131) % 4000)
}

/// A worker: sends `count` records to its stdout, which is the shared pipe.
fn worker(id: usize, count: usize) -> io::Result<()> {
    // Unbuffered, straight to file descriptor 1: every `write` call is one system call.
    let mut out = File::from(io::stdout().as_fd().try_clone_to_owned()?);
    for seq in 0..count {
        send_record(&mut out, id, seq, &text_of(id, seq))?;
    }
    Ok(())
}

/// The collector: one pipe, three workers writing into it, and a count of the records that arrived broken.
fn collect(workers: usize, count: usize) -> io::Result<()> {
    let (read_end, write_end) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let me = std::env::current_exe()?;
    let mut children = Vec::new();
    for id in 0..workers {
        // Every worker gets a copy of the same write end as its stdout.
        children.push(
            Command::new(&me)
                .args(["worker", &id.to_string(), &count.to_string()])
                .stdout(write_end.try_clone()?)
                .spawn()?,
        );
    }
    drop(write_end); // ours: the workers' copies are the only ones left, so end-of-file comes when they are done
    let (mut whole, mut broken) = (0, 0);
    for line in BufReader::new(File::from(read_end)).lines() {
        let line = line?;
        let mut parts = line.splitn(3, ' ');
        let ok = match (parts.next(), parts.next(), parts.next()) {
            (Some(w), Some(s), Some(text)) => match (w.parse(), s.parse()) {
                (Ok(w), Ok(s)) => text == text_of(w, s),
                _ => false,
            },
            _ => false,
        };
        if ok { whole += 1 } else { broken += 1 }
    }
    for mut child in children {
        child.wait()?;
    }
    println!("{whole} records arrived whole, {broken} lines were broken");
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, id, count] = args.as_slice() {
        if mode != "worker" {
            return Err(io::Error::other("usage: whole_records [worker ID COUNT]"));
        }
        let (id, count) = (id.parse(), count.parse());
        return worker(
            id.map_err(io::Error::other)?,
            count.map_err(io::Error::other)?,
        );
    }
    collect(3, 2000)
}
