// append_the_log — file (파일)
//
// EN: Several worker processes write their progress into one log file, one line per event. A file has no
//     synchronisation of its own: each process that opens it gets its own file offset, and the kernel does not
//     coordinate writers. Two rules make appending safe: open the file in append mode (`O_APPEND`), so that
//     every write moves to the end and writes as one step in the kernel; and hand each line to the kernel in one
//     write, so that no other write can land inside it.
//
// KO: 여러 작업 프로세스가 진행 상황을 로그 파일 하나에 한 줄씩 씁니다. 파일에는 자체 동기화가 없습니다. 파일을
//     연 프로세스마다 자기 파일 오프셋을 가지고, 커널은 쓰는 쪽들을 조율하지 않습니다. 두 규칙이 덧붙이기를
//     안전하게 합니다. 파일을 덧붙이기 모드(`O_APPEND`)로 열어서 쓸 때마다 커널 안에서 끝으로 이동과 쓰기가 한
//     단계가 되게 하고, 각 줄을 한 번의 쓰기로 커널에 넘겨서 다른 쓰기가 그 안에 끼어들 수 없게 합니다.
//
// Run it yourself: `cargo run -p solutions --bin append_the_log`.
// 직접 실행해 보기: `cargo run -p solutions --bin append_the_log`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

/// A log file that several processes append lines to.
pub struct Log {
    file: File,
}

impl Log {
    /// Opens the log (creating it if needed) for appending.
    pub fn open(path: &Path) -> io::Result<Log> {
        // Append mode: before every write the kernel moves this file's offset to the current end of the file and
        // writes there, in one step that no other process's write can come between.
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Log { file })
    }

    /// Adds `line` (without its newline) at the end of the log.
    pub fn append(&mut self, line: &str) -> io::Result<()> {
        // One write for the whole line: `writeln!` may hand the text and the newline to the kernel separately,
        // and another process's line could land between them. (For a regular file, one `write` of a few
        // bytes is done whole; `write_all` only loops if it is not.)
        let mut whole = String::with_capacity(line.len() + 1);
        whole.push_str(line);
        whole.push('\n');
        self.file.write_all(whole.as_bytes())
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
