// reply_fifo_per_client — named pipe / FIFO (명명 파이프)
//
// EN: A server answers requests from any number of clients. Requests share one FIFO (each is one write of at most
//     PIPE_BUF bytes, so they never mix); replies cannot share one, because a pipe does not know who a byte is for.
//     The solution gives each client its own reply FIFO, `DIR/reply-{name}`. The client makes it and opens it
//     (read and write: never blocks, never end-of-file) in `connect`, before it sends anything, so the server's
//     open for writing finds a reader at once — even if the client is busy elsewhere. The server opens the
//     asker's FIFO for each reply; `close` removes it.
//
// KO: 서버가 몇이 되든 클라이언트들의 요청에 답합니다. 요청은 FIFO 하나를 함께 씁니다 (요청마다 PIPE_BUF 바이트 이하의
//     write 한 번이라 섞이지 않습니다). 파이프는 바이트가 누구 것인지 모르므로 응답은 함께 쓸 수 없습니다. 해답은
//     클라이언트마다 자기 응답 FIFO `DIR/reply-{name}`을 줍니다. 클라이언트가 `connect`에서, 무엇이든 보내기 전에
//     그것을 만들고 (읽기와 쓰기로 열어서 절대 멈추지 않고 EOF도 없게) 엽니다. 그래서 서버가 쓰기로 열 때는 클라이언트가
//     다른 일로 바쁘더라도 읽는 쪽이 곧바로 있습니다. 서버는 응답마다 물어본 클라이언트의 FIFO를 열고, `close`가
//     그것을 지웁니다.
//
// Run it yourself: `cargo run -p solutions --bin reply_fifo_per_client`.
// 직접 실행해 보기: `cargo run -p solutions --bin reply_fifo_per_client`.

use nix::sys::stat::Mode;
use nix::unistd::mkfifo;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Read and write for the owner only.
fn owner_only() -> Mode {
    Mode::S_IRUSR | Mode::S_IWUSR
}

/// Waits (up to 5 s) until `path` exists.
fn wait_for(path: &Path) -> io::Result<()> {
    let give_up = Instant::now() + Duration::from_secs(5);
    while !path.exists() {
        if Instant::now() > give_up {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no server at {}", path.display()),
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Where the replies for client `name` go.
fn reply_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("reply-{name}"))
}

/// Writes `reply` into the reply FIFO at `path`. A client that has gone (closed: its FIFO removed, or its read
/// end closed) gets no reply, and the server goes on: it never creates anything in the client's place.
fn deliver(path: &Path, reply: &str) -> io::Result<()> {
    let delivered = OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut fifo| fifo.write_all(reply.as_bytes()));
    match delivered {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::BrokenPipe
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// The server: answers `count` requests that arrive in `dir/requests`, then removes the FIFO it made.
pub fn serve(dir: &Path, count: usize) -> io::Result<()> {
    let requests_path = dir.join("requests");
    mkfifo(&requests_path, owner_only())?;
    // Read and write: the server holds a write end of its own FIFO, so it never sees end-of-file in the gap
    // between one client hanging up and the next one arriving. (Linux: this open does not block.)
    let requests = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&requests_path)?;
    let mut requests = BufReader::new(requests);
    for _ in 0..count {
        let mut line = String::new();
        requests.read_line(&mut line)?;
        let (name, text) = line
            .trim_end()
            .split_once(' ')
            .ok_or_else(|| io::Error::other(format!("not a request: {line:?}")))?;
        // Into the FIFO of the client that asked, and nobody else's. It opened its FIFO before sending, so this
        // open finds a reader and does not block. One write of at most PIPE_BUF bytes.
        deliver(
            &reply_path(dir, name),
            &format!("{}\n", text.to_uppercase()),
        )?;
    }
    std::fs::remove_file(&requests_path)
}

/// One client of the server in a directory.
pub struct Client {
    name: String,
    requests: File,
    replies: BufReader<File>,
    reply_path: PathBuf,
}

impl Client {
    /// Connects to the server in `dir` as `name`, a short word that no other client uses.
    pub fn connect(dir: &Path, name: &str) -> io::Result<Client> {
        let requests_path = dir.join("requests");
        wait_for(&requests_path)?;
        // Our own reply FIFO, made and opened before any request goes out. Read *and* write: the open does not
        // wait for the server (Linux), and holding a write end ourselves, we never read end-of-file from it —
        // `receive` waits for the next reply instead.
        let reply_path = reply_path(dir, name);
        mkfifo(&reply_path, owner_only())?;
        let replies = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&reply_path)?;
        let requests = OpenOptions::new().write(true).open(&requests_path)?;
        Ok(Client {
            name: name.to_string(),
            requests,
            replies: BufReader::new(replies),
            reply_path,
        })
    }

    /// Sends one request; its reply comes back through `receive`.
    pub fn send(&mut self, text: &str) -> io::Result<()> {
        // One write of at most PIPE_BUF bytes: requests of several clients never mix.
        let request = format!("{} {text}\n", self.name);
        self.requests.write_all(request.as_bytes())
    }

    /// The reply to this client's oldest request not yet received.
    pub fn receive(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.replies.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server hung up",
            ));
        }
        Ok(line.trim_end().to_string())
    }

    /// Disconnects, removing what this client created.
    pub fn close(self) -> io::Result<()> {
        std::fs::remove_file(&self.reply_path)
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, dir, count] = args.as_slice() {
        if role != "server" {
            return Err(io::Error::other(
                "usage: reply_fifo_per_client [server DIR COUNT]",
            ));
        }
        return serve(Path::new(dir), count.parse().map_err(io::Error::other)?);
    }
    // A demonstration: a server in a thread, client `slow` asks first but reads late, `quick` asks second.
    let dir = std::env::temp_dir().join(format!("reply_fifo_per_client-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let server = {
        let dir = dir.clone();
        std::thread::spawn(move || serve(&dir, 2))
    };
    let mut slow = Client::connect(&dir, "slow")?;
    let mut quick = Client::connect(&dir, "quick")?;
    slow.send("i asked first")?;
    std::thread::sleep(Duration::from_millis(100));
    quick.send("i asked second")?;
    println!("quick got {:?}", quick.receive()?);
    println!("slow got  {:?}", slow.receive()?);
    quick.close()?;
    slow.close()?;
    server.join().expect("the server thread panicked")?;
    std::fs::remove_dir(&dir)
}
