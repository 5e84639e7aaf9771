// build_a_pipe_pair — anonymous pipe (익명 파이프)
//
// EN: A parent process starts a copy of itself as a child and talks to it through pipes: it writes requests,
//     the child answers each one (it sends back what it reads, in capital letters). Three things are wrong:
//     1. `make_pipes` makes ONE pipe and hands it out in both directions. A pipe is one-way: whoever reads it
//        first gets the bytes, so the parent can read its own requests back. A conversation needs two pipes.
//     2. `talk` waits for the child to exit, but the child only exits at end-of-file on its stdin — which comes
//        only when every write end of that pipe is closed. Who still holds one?
//     3. `echo_big` writes the whole payload before reading anything back. A pipe holds 64 KiB; after that the
//        writer blocks until someone reads. The child echoes as it reads…
//     Fix the three TODOs. The child (`fn child`) and `main` are fine as they are.
//
// KO: 부모 프로세스가 자기 자신을 자식으로 하나 더 실행하고 파이프로 대화합니다. 부모가 요청을 쓰면 자식이
//     하나하나 답합니다 (읽은 것을 대문자로 바꿔 돌려보냅니다). 세 가지가 잘못되었습니다:
//     1. `make_pipes`는 파이프를 하나만 만들어 양방향으로 나눠 줍니다. 파이프는 한 방향입니다. 먼저 읽는 쪽이
//        바이트를 가져가므로, 부모가 자기가 보낸 요청을 도로 읽을 수 있습니다. 대화에는 파이프 두 개가 필요합니다.
//     2. `talk`는 자식이 끝나기를 기다리지만, 자식은 stdin에서 EOF를 만나야 끝납니다. EOF는 그 파이프의 쓰기 끝이
//        모두 닫혀야 옵니다. 누가 아직 쓰기 끝을 들고 있습니까?
//     3. `echo_big`은 데이터를 전부 쓴 다음에야 읽기 시작합니다. 파이프는 64 KiB를 담고, 그 뒤로는 누군가 읽을
//        때까지 쓰는 쪽이 멈춥니다. 자식은 읽는 대로 돌려보내는데…
//     TODO 세 곳을 고치세요. 자식(`fn child`)과 `main`은 그대로 두어도 됩니다.
//
// Run it yourself: `cargo run -p exercises --bin build_a_pipe_pair` (it may hang: Ctrl-C).
// 직접 실행해 보기: `cargo run -p exercises --bin build_a_pipe_pair` (멈추면 Ctrl-C를 누르세요).

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

/// The pipes between parent and child.
pub fn make_pipes() -> io::Result<PipePair> {
    // TODO(1): this is one pipe, handed out in both directions. Make one pipe per direction.
    // 할 일(1): 파이프 하나를 양방향에 나눠 주고 있습니다. 방향마다 파이프를 하나씩 만드세요.
    let (read_end, write_end) = pipe()?;
    Ok(PipePair {
        to_child: File::from(write_end.try_clone()?),
        child_stdin: read_end.try_clone()?,
        child_stdout: write_end,
        from_child: File::from(read_end),
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
    // TODO(2): the child reads until end-of-file, then exits. Will it ever see end-of-file here?
    // 할 일(2): 자식은 EOF까지 읽은 뒤 끝납니다. 여기서 자식이 EOF를 볼 수 있습니까?
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the child failed: {status}")));
    }
    Ok(answers)
}

/// Sends all of `payload` to the child and returns everything it sends back.
pub fn echo_big(payload: &[u8]) -> io::Result<Vec<u8>> {
    let PipePair {
        mut to_child,
        child_stdin,
        child_stdout,
        mut from_child,
    } = make_pipes()?;
    let mut child = start_child(child_stdin, child_stdout)?;
    let mut echoed = Vec::with_capacity(payload.len());
    // TODO(3): everything is written before anything is read back. The child echoes as it reads.
    // 할 일(3): 모든 것을 다 쓴 뒤에야 돌아온 것을 읽습니다. 자식은 읽는 대로 돌려보냅니다.
    to_child.write_all(payload)?;
    drop(to_child);
    from_child.read_to_end(&mut echoed)?;
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
