// append_the_log — file (파일)
//
// EN: Several worker processes write their progress into one log file, one line per event. A file has no
//     synchronisation of its own: each process that opens it gets its own file offset, and the kernel does not
//     coordinate writers. `Log::append` seeks to the end and then writes — two steps. Another process can
//     append a line in between; then this write lands where the end *was*, on top of that line. And `writeln!`
//     may hand one line to the kernel in several writes, so another process's line can land in the middle of it.
//     Fix both: open the log in append mode (`OpenOptions::append`, the `O_APPEND` flag: the kernel moves to the
//     end and writes in one step, for every write), and write each line — text and newline — with one
//     `write_all` call.
//
// KO: 여러 작업 프로세스가 진행 상황을 로그 파일 하나에 한 줄씩 씁니다. 파일에는 자체 동기화가 없습니다. 파일을
//     연 프로세스마다 자기 파일 오프셋을 가지고, 커널은 쓰는 쪽들을 조율하지 않습니다. `Log::append`는 끝으로
//     이동(seek)한 다음 씁니다. 두 단계입니다. 그 사이에 다른 프로세스가 한 줄을 덧붙이면, 이 쓰기는 끝이
//     *있던* 자리, 즉 그 줄 위에 덮어씁니다. 또 `writeln!`은 한 줄을 여러 번의 쓰기로 나눠 커널에 넘길 수 있어서,
//     다른 프로세스의 줄이 그 가운데에 끼어들 수 있습니다.
//     둘 다 고치세요. 로그를 덧붙이기 모드(`OpenOptions::append`, `O_APPEND` 플래그이며, 쓸 때마다 커널이 끝으로
//     이동과 쓰기를 한 단계로 합니다)로 열고, 각 줄을 내용과 줄바꿈까지 `write_all` 한 번으로 쓰세요.
//
// Run it yourself: `cargo run -p exercises --bin append_the_log` (it counts the lines that survived).
// 직접 실행해 보기: `cargo run -p exercises --bin append_the_log` (살아남은 줄 수를 셉니다).

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Command;

/// A log file that several processes append lines to.
pub struct Log {
    file: File,
}

impl Log {
    /// Opens the log (creating it if needed) for appending.
    pub fn open(path: &Path) -> io::Result<Log> {
        // TODO: this file has one offset of its own, which no other process moves.
        // 할 일: 이 파일에는 자기만의 오프셋이 있고, 다른 프로세스는 그 오프셋을 옮기지 않습니다.
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false) // keep what is in the log
            .open(path)?;
        Ok(Log { file })
    }

    /// Adds `line` (without its newline) at the end of the log.
    pub fn append(&mut self, line: &str) -> io::Result<()> {
        // TODO: find the end, then write: two steps. And how many writes does `writeln!` make?
        // 할 일: 끝을 찾고 나서 씁니다. 두 단계입니다. 그리고 `writeln!`은 쓰기를 몇 번 합니까?
        self.file.seek(SeekFrom::End(0))?;
        writeln!(self.file, "{line}")
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, path, worker, lines] = args.as_slice() {
        if role != "worker" {
            return Err(io::Error::other(
                "usage: append_the_log [worker PATH WORKER LINES]",
            ));
        }
        let mut log = Log::open(Path::new(path))?;
        let lines: usize = lines.parse().map_err(io::Error::other)?;
        for i in 0..lines {
            log.append(&format!("worker {worker}: event {i}"))?;
        }
        return Ok(());
    }
    let path = std::env::temp_dir().join(format!("append_the_log-{}.log", std::process::id()));
    let (workers, lines) = (4, 2000);
    let mut children = Vec::new();
    for w in 0..workers {
        children.push(
            Command::new(std::env::current_exe()?)
                .arg("worker")
                .arg(&path)
                .arg(w.to_string())
                .arg(lines.to_string())
                .spawn()?,
        );
    }
    for mut child in children {
        child.wait()?;
    }
    let text = std::fs::read_to_string(&path)?;
    let whole = text
        .lines()
        .filter(|l| l.starts_with("worker ") && l.matches("worker").count() == 1)
        .count();
    println!(
        "{workers} workers wrote {} lines; the log holds {whole} whole lines ({} bytes)",
        workers * lines,
        text.len()
    );
    std::fs::remove_file(&path)
}
