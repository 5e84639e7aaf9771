// whole_records — anonymous pipe (익명 파이프)
//
// EN: Three worker processes send records to one collector through ONE pipe, each holding a copy of its write
//     end. A write of at most `PIPE_BUF` bytes (4096 on Linux) goes into a pipe in one piece, never mixed with
//     another writer's; nothing else is promised. The solution formats the whole record in its own memory first,
//     refuses it if it is longer than `PIPE_BUF`, and writes it with one call — one system call, since `out` is
//     not buffered. (Records longer than PIPE_BUF need more than this: a lock around the writes, or a pipe per
//     writer — see the named pipe exercises.)
//
// KO: 작업자 프로세스 셋이 각자 쓰기 끝의 사본을 쥐고 파이프 *하나*로 수집기 하나에게 레코드를 보냅니다.
//     `PIPE_BUF`(리눅스에서 4,096바이트) 이하의 write 한 번은 한 덩어리로 파이프에 들어가 다른 쓰기와 섞이지 않고,
//     그 밖에는 아무것도 약속되지 않습니다. 해답은 먼저 레코드 전체를 자기 메모리에서 만들고, `PIPE_BUF`보다 길면
//     거절하고, 한 번의 호출로 씁니다. `out`은 버퍼가 없으니 시스템 호출 한 번입니다. (`PIPE_BUF`보다 긴 레코드에는
//     이것으로 부족하고, 쓰기를 감싸는 락이나 작업자마다 파이프 하나가 필요합니다. 명명 파이프 연습 문제를
//     보세요.)
//
// Run it yourself: `cargo run -p solutions --bin whole_records`.
// 직접 실행해 보기: `cargo run -p solutions --bin whole_records`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::process::Command;

/// The most bytes one `write` puts into a pipe in one piece (POSIX: at least 512; Linux: 4096).
pub const PIPE_BUF: usize = 4096;

/// Sends one record, `"{worker} {seq} {text}\n"`, to `out`.
pub fn send_record(out: &mut impl Write, worker: usize, seq: usize, text: &str) -> io::Result<()> {
    // The whole record first, in our own memory …
    let record = format!("{worker} {seq} {text}\n");
    // … only if the pipe takes it in one piece …
    if record.len() > PIPE_BUF {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a record of {} bytes is longer than PIPE_BUF ({PIPE_BUF}): no write of it is atomic",
                record.len()
            ),
        ));
    }
    // … then one call: one `write` system call of at most PIPE_BUF bytes, which the kernel never splits or mixes
    // with another writer's. (On a pipe such a write is all or nothing, so `write_all` makes exactly one.)
    out.write_all(record.as_bytes())
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
