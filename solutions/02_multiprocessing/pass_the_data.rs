// pass_the_data — multiprocessing (멀티프로세싱)
//
// EN: `shout_in_child` hands a list of words to a worker process, which prints each one in capital letters, and
//     returns the lines the worker printed. A process has its own memory: a global the parent fills in is not
//     the worker's global. The solution passes the words explicitly, through a pipe: the worker's stdin. The
//     parent writes one word per line and then closes its end, so the worker reads until end-of-file. The
//     worker reads every word before it prints: the parent reads the worker's output only after writing, so a
//     worker that printed while reading could fill its stdout pipe (64 KiB) and wait for ever, the parent
//     waiting on its full stdin. (Arguments would do as well: `.args(words)` before `spawn`. Both are copied
//     into the child; after the start only bytes through a pipe, a file or a socket can still reach it.)
//
// KO: `shout_in_child`는 단어 목록을 작업자 프로세스에 넘기고, 작업자는 단어마다 대문자로 출력합니다. 프로세스는
//     자기만의 메모리를 가집니다. 부모가 채운 전역 변수는 작업자의 전역 변수가 아닙니다. 해답은 단어들을 파이프,
//     즉 작업자의 stdin으로 명시적으로 건넵니다. 부모가 한 줄에 한 단어씩 쓰고 자기 끝을 닫으면, 작업자는 EOF까지
//     읽습니다. 작업자는 단어를 전부 읽은 뒤에 출력합니다. 부모는 다 쓴 뒤에야 작업자의 출력을 읽으므로, 읽으면서
//     출력하는 작업자는 stdout 파이프(64 KiB)를 채우고 영원히 기다릴 수 있고, 부모는 가득 찬 stdin 앞에서
//     기다립니다. (인자로 건네도 됩니다. `spawn` 전에 `.args(words)`. 둘 다 자식에게 복사됩니다. 시작한 뒤에는
//     파이프, 파일, 소켓으로 오가는 바이트만 자식에게 닿을 수 있습니다.)
//
// Run it yourself: `cargo run -p solutions --bin pass_the_data`.
// 직접 실행해 보기: `cargo run -p solutions --bin pass_the_data`.

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

/// Has a worker process print `words` in capital letters; returns the lines it printed.
pub fn shout_in_child(words: &[&str]) -> io::Result<Vec<String>> {
    let mut child = Command::new(std::env::current_exe()?)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    // The words travel as bytes through the pipe that is the worker's stdin. Taking the pipe out of `child` and
    // dropping it at the end of this block closes our write end: the worker sees end-of-file after the last word.
    {
        let mut to_worker = child.stdin.take().expect("stdin is piped");
        for word in words {
            writeln!(to_worker, "{word}")?;
        }
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the worker failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// The worker: reads all the words from stdin, then prints each in capital letters, one per line.
fn worker() -> io::Result<()> {
    // Read everything first: the parent is not reading our stdout until it has written all the words.
    let mut words = String::new();
    io::stdin().read_to_string(&mut words)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    for word in words.lines() {
        writeln!(out, "{}", word.to_uppercase())?;
    }
    out.flush()
}

fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let lines = shout_in_child(&["one", "two", "three"])?;
    println!("the worker printed {lines:?}");
    Ok(())
}
