// build_a_pipe_pair — anonymous pipe (익명 파이프)
//
// EN: A parent process starts a copy of itself as a child and talks to it through pipes: it writes requests,
//     the child answers each one (it sends back what it reads, in capital letters). A pipe is one-way, so a
//     conversation needs two: one to the child (its stdin) and one back (its stdout).
//     The solution: two pipes; the parent closes its write end when it has nothing more to say, so the child
//     sees end-of-file and exits; and a payload bigger than the pipe buffer is written from a second thread
//     while the first one reads the replies.
//
// KO: 부모 프로세스가 자기 자신을 자식으로 하나 더 실행하고 파이프로 대화합니다. 부모가 요청을 쓰면 자식이
//     하나하나 답합니다 (읽은 것을 대문자로 바꿔 돌려보냅니다). 파이프는 한 방향이라 대화에는 두 개가 필요합니다:
//     자식에게 가는 것(자식의 stdin)과 돌아오는 것(자식의 stdout).
//     해답: 파이프 두 개, 더 할 말이 없으면 부모가 쓰기 끝을 닫아 자식이 EOF를 보고 끝나게 하기, 그리고 파이프
//     버퍼보다 큰 데이터는 두 번째 스레드에서 쓰고 첫 번째 스레드는 답을 읽기.
//
// Run it yourself: `cargo run -p solutions --bin build_a_pipe_pair`.
// 직접 실행해 보기: `cargo run -p solutions --bin build_a_pipe_pair`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, Command};

/// The ends of the pipes between a parent and its child.
pub struct PipePair {
    /// The parent writes requests here …
    pub to_child: File,
    /// … and they come out here, as the child's stdin.
    pub child_stdin: OwnedFd,
    /// The child writes its replies here (its stdout) …
    pub child_stdout: OwnedFd,
    /// … and the parent reads them here.
    pub from_child: File,
}

/// Two pipes: one for each direction.
pub fn make_pipes() -> io::Result<PipePair> {
    // (read end, write end): bytes written into the write end come out of the read end.
    let (requests_out, requests_in) = pipe()?;
    let (replies_out, replies_in) = pipe()?;
    Ok(PipePair {
        to_child: File::from(requests_in),
        child_stdin: requests_out,
        child_stdout: replies_in,
        from_child: File::from(replies_out),
    })
}

/// A new pipe, as (read end, write end). `O_CLOEXEC`: a child started later does not inherit these ends by
/// accident; it gets only the ones handed to it as stdin and stdout.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?)
}

/// Starts this same program as the child, with the given ends as its stdin and stdout. The ends are moved into
/// the `Command`, which closes the parent's copies when it is dropped at the end of this function.
pub fn start_child(child_stdin: OwnedFd, child_stdout: OwnedFd) -> io::Result<Child> {
    Command::new(std::env::current_exe()?)
        .arg("child")
        .stdin(child_stdin)
        .stdout(child_stdout)
        .spawn()
}

/// Sends `n` requests (`ping 0`, `ping 1`, …), one at a time, each time waiting for the reply, and returns the
/// replies. Then ends the conversation and waits for the child to exit.
pub fn talk(n: usize) -> io::Result<Vec<String>> {
    let PipePair {
        mut to_child,
        child_stdin,
        child_stdout,
        from_child,
    } = make_pipes()?;
    let mut child = start_child(child_stdin, child_stdout)?;
    let mut replies = BufReader::new(from_child);
    let mut answers = Vec::with_capacity(n);
    for i in 0..n {
        writeln!(to_child, "ping {i}")?;
        let mut line = String::new();
        if replies.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the child hung up",
            ));
        }
        answers.push(line.trim_end().to_string());
    }
    // The child reads until end-of-file, which comes only when *every* write end of its stdin pipe is closed.
    // Ours is the last one: close it before waiting, or both wait for each other forever.
    drop(to_child);
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the child failed: {status}")));
    }
    Ok(answers)
}

/// Sends all of `payload` to the child and returns everything it sends back.
pub fn echo_big(payload: &[u8]) -> io::Result<Vec<u8>> {
    let PipePair {
        to_child,
        child_stdin,
        child_stdout,
        mut from_child,
    } = make_pipes()?;
    let mut child = start_child(child_stdin, child_stdout)?;
    let mut echoed = Vec::with_capacity(payload.len());
    // A pipe holds 64 KiB; then the writer blocks until someone reads. The child echoes as it reads, so if this
    // thread wrote everything before reading, both pipes would fill and both processes would wait for ever.
    // One thread writes (and closes the pipe when done, by dropping it), this one reads at the same time.
    std::thread::scope(|s| -> io::Result<()> {
        let writer = s.spawn(move || {
            let mut to_child = to_child;
            to_child.write_all(payload)
        });
        from_child.read_to_end(&mut echoed)?;
        writer.join().expect("the writer thread panicked")
    })?;
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the child failed: {status}")));
    }
    Ok(echoed)
}

/// The child: copies stdin to stdout in capital letters, until end-of-file.
fn child() -> io::Result<()> {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    let mut buf = [0u8; 8192];
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        buf[..n].make_ascii_uppercase();
        output.write_all(&buf[..n])?;
        output.flush()?;
    }
}

fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("child") {
        return child();
    }
    let replies = talk(3)?;
    println!("replies: {replies:?}");
    let payload: Vec<u8> = (0..1_000_000).map(|i| b'a' + (i % 26) as u8).collect();
    let echoed = echo_big(&payload)?;
    println!(
        "sent {} bytes, got {} back, all in capitals: {}",
        payload.len(),
        echoed.len(),
        echoed == payload.to_ascii_uppercase()
    );
    Ok(())
}
