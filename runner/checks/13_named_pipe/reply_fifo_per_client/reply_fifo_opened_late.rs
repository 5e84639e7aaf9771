// Known-wrong: a reply FIFO per client, but the client opens it only in `receive`. The server's open for writing
// blocks until a reader comes: a client that sends and then does something else holds up the server, and with it
// every other client.

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
        let mut reply = OpenOptions::new().write(true).open(reply_path(dir, name))?;
        reply.write_all(format!("{}\n", text.to_uppercase()).as_bytes())?;
    }
    std::fs::remove_file(&requests_path)
}

/// One client of the server in a directory.
pub struct Client {
    name: String,
    requests: File,
    reply_path: PathBuf,
}

impl Client {
    /// Connects to the server in `dir` as `name`, a short word that no other client uses.
    pub fn connect(dir: &Path, name: &str) -> io::Result<Client> {
        let requests_path = dir.join("requests");
        wait_for(&requests_path)?;
        // Our own reply FIFO; opened when there is a reply to read.
        let reply_path = reply_path(dir, name);
        mkfifo(&reply_path, owner_only())?;
        let requests = OpenOptions::new().write(true).open(&requests_path)?;
        Ok(Client {
            name: name.to_string(),
            requests,
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
        let mut replies = BufReader::new(File::open(&self.reply_path)?);
        if replies.read_line(&mut line)? == 0 {
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
