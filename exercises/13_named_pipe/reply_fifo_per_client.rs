// reply_fifo_per_client — named pipe / FIFO (명명 파이프)
//
// EN: A server answers requests from any number of clients: each request is a line `"{name} {text}"` and its
//     reply is the text in capital letters. Requests arrive through one FIFO, `DIR/requests`, that every client
//     writes into — that part works: a request is one write of at most PIPE_BUF bytes, so requests never mix.
//     The replies all go back through one FIFO too, `DIR/replies`, and that is the bug. A pipe has no idea who a
//     byte is for: whichever client reads first gets the next reply, whoever asked. A client that sends and then
//     does something else before it reads loses its reply to the next client.
//     TODO: give every client a reply FIFO of its own, `DIR/reply-{name}`: the client creates it in `connect`
//     (and opens it there, before sending anything), the server writes each reply into the FIFO of the client
//     that asked, and `close` removes it. The server then no longer needs `DIR/replies`.
//     Mind the opening rules: opening a FIFO for writing blocks until someone has it open for reading. If the
//     client opened its reply FIFO only in `receive`, the server would wait there for a client that is busy, and
//     every other client would wait for the server. On Linux, opening a FIFO for reading AND writing never blocks,
//     and a process that holds a write end itself never sees end-of-file on it — just what a client that reads
//     one reply at a time wants.
//     A client may close before its reply is written: the server then skips that reply, never creating anything
//     in the client's place, and goes on. A client may send several requests before it receives.
//     Keep `serve`, `Client::connect`, `send`, `receive` and `close`. Client names are short words (no spaces).
//
// KO: 서버가 몇이 되든 클라이언트들의 요청에 답합니다. 요청은 한 줄 `"{name} {text}"`이고, 응답은 그 텍스트를
//     대문자로 바꾼 것입니다. 요청은 모든 클라이언트가 쓰는 FIFO 하나, `DIR/requests`로 들어옵니다. 이 부분은
//     됩니다. 요청 하나는 PIPE_BUF 바이트 이하의 write 한 번이라서 요청끼리 섞이지 않습니다. 응답도 모두 FIFO 하나,
//     `DIR/replies`로 돌아가는데, 그것이 버그입니다. 파이프는 바이트가 누구 것인지 모릅니다. 누가 물었든 먼저 읽는
//     클라이언트가 다음 응답을 가져갑니다. 요청을 보내고 읽기 전에 다른 일을 하는 클라이언트는 자기 응답을 다음
//     클라이언트에게 빼앗깁니다.
//     TODO: 클라이언트마다 자기 응답 FIFO `DIR/reply-{name}`을 주세요. 클라이언트가 `connect`에서 만들고 (그리고
//     무엇이든 보내기 전에 거기서 열고), 서버는 각 응답을 요청한 클라이언트의 FIFO에 쓰고, `close`가 지웁니다.
//     그러면 서버에는 `DIR/replies`가 더 필요 없습니다.
//     여는 규칙에 주의하세요. FIFO를 쓰기로 열면 누군가 읽기로 열어 둘 때까지 멈춥니다. 클라이언트가 응답 FIFO를
//     `receive`에서야 연다면, 서버는 바쁜 클라이언트를 거기서 기다리고, 다른 모든 클라이언트는 서버를 기다리게
//     됩니다. 리눅스에서 FIFO를 읽기와 쓰기로 *함께* 열면 절대 멈추지 않고, 쓰기 끝을 스스로 쥐고 있는 프로세스는
//     거기서 EOF를 보지 않습니다. 응답을 하나씩 읽는 클라이언트에게 꼭 맞습니다.
//     클라이언트는 응답이 쓰이기 전에 닫을 수도 있습니다. 그러면 서버는 그 응답을 건너뛰고 (클라이언트 자리에
//     아무것도 만들지 않고) 계속합니다. 클라이언트는 받기 전에 요청을 여러 개 보낼 수도 있습니다.
//     `serve`, `Client::connect`, `send`, `receive`, `close`는 유지하세요. 클라이언트 이름은 (공백 없는) 짧은
//     단어입니다.
//
// Run it yourself: `cargo run -p exercises --bin reply_fifo_per_client` (a server and two clients; the first
// client sends, waits a moment, then reads).
// 직접 실행해 보기: `cargo run -p exercises --bin reply_fifo_per_client` (서버 하나와 클라이언트 둘. 첫 번째
// 클라이언트는 보내고, 잠시 기다린 뒤 읽습니다).

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

/// The server: answers `count` requests that arrive in `dir/requests`, then removes the FIFOs it made.
pub fn serve(dir: &Path, count: usize) -> io::Result<()> {
    let requests_path = dir.join("requests");
    let replies_path = dir.join("replies");
    // TODO: one FIFO for every client's replies.
    // 할 일: 모든 클라이언트의 응답에 FIFO 하나를 씁니다.
    mkfifo(&replies_path, owner_only())?;
    mkfifo(&requests_path, owner_only())?; // last: clients wait for this one
    // Read and write: the server holds a write end of its own FIFO, so it never sees end-of-file in the gap
    // between one client hanging up and the next one arriving. (Linux: this open does not block.)
    let requests = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&requests_path)?;
    let mut replies = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&replies_path)?;
    let mut requests = BufReader::new(requests);
    for _ in 0..count {
        let mut line = String::new();
        requests.read_line(&mut line)?;
        let (_name, text) = line
            .trim_end()
            .split_once(' ')
            .ok_or_else(|| io::Error::other(format!("not a request: {line:?}")))?;
        // TODO: whoever reads `replies` first gets this, whoever asked.
        // 할 일: 누가 물었든, `replies`를 먼저 읽는 쪽이 이 응답을 가져갑니다.
        replies.write_all(format!("{}\n", text.to_uppercase()).as_bytes())?;
    }
    std::fs::remove_file(&requests_path)?;
    std::fs::remove_file(&replies_path)
}

/// One client of the server in a directory.
pub struct Client {
    name: String,
    requests: File,
    replies: BufReader<File>,
    reply_path: Option<PathBuf>,
}

impl Client {
    /// Connects to the server in `dir` as `name`, a short word that no other client uses.
    pub fn connect(dir: &Path, name: &str) -> io::Result<Client> {
        let requests_path = dir.join("requests");
        wait_for(&requests_path)?;
        // TODO: a reply FIFO of this client's own, made and opened here.
        // 할 일: 이 클라이언트만의 응답 FIFO를 여기서 만들고 여세요.
        let replies = File::open(dir.join("replies"))?;
        let requests = OpenOptions::new().write(true).open(&requests_path)?;
        Ok(Client {
            name: name.to_string(),
            requests,
            replies: BufReader::new(replies),
            reply_path: None,
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
        match &self.reply_path {
            Some(path) => std::fs::remove_file(path),
            None => Ok(()),
        }
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
