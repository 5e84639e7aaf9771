// torn_message — shared memory (공유 메모리)
//
// EN: A status board in shared memory: one writer process publishes short messages, and any number of reader
//     processes read the latest one. The region is two pages: the first (the header) holds the message's length
//     in its first 8 bytes, the second holds the text. `publish` writes the length and then the text; `read`
//     reads the length and then the text. Both are two steps, and after set-up the kernel synchronises nothing:
//     a reader that looks while the writer is between its steps gets the new length with the old text, or half
//     of the new text — a message nobody wrote. Writing the text first and the length last does not help: the
//     text is overwritten in place while a reader may be copying it.
//     Make publishing and reading exclude each other, across processes, with a lock that lives *in* the region:
//     a spin lock on an `AtomicU32` in the header (at byte 8, say). `publish` and `read` both take it (a
//     `compare_exchange` from 0 to 1 with `Acquire`, retried until it succeeds), do all their copying, and
//     release it (`store(0, Release)`). A `Mutex` in the process does not help: every process has its own.
//     The orderings are checked by reading your code: an atomic you take with a `compare_exchange` is a lock,
//     and `Relaxed` there is refused (this machine's CPU would not show what it breaks on others).
//     Keep the layout: the length in bytes 0..8 of the first page (native byte order), the text in the second
//     page. The rest of the header page is yours.
//
// KO: 공유 메모리에 있는 상태 게시판입니다. 쓰는 프로세스 하나가 짧은 메시지를 게시하고, 읽는 프로세스들이 최신
//     메시지를 읽습니다. 영역은 두 페이지입니다. 첫 페이지(헤더)의 처음 8바이트에 메시지 길이가, 둘째 페이지에
//     텍스트가 있습니다. `publish`는 길이를 쓰고 나서 텍스트를 씁니다. `read`는 길이를 읽고 나서 텍스트를 읽습니다.
//     둘 다 두 단계이고, 설정이 끝나면 커널은 아무것도 동기화하지 않습니다. 쓰는 쪽이 두 단계 사이에 있을 때 들여다본
//     읽는 쪽은 새 길이와 옛 텍스트, 또는 새 텍스트의 절반을 받습니다. 아무도 쓰지 않은 메시지입니다. 텍스트를 먼저
//     쓰고 길이를 나중에 써도 소용없습니다. 읽는 쪽이 텍스트를 복사하는 동안에도 텍스트는 제자리에서 덮어써집니다.
//     *영역 안에* 사는 락으로, 프로세스들 사이에서 게시와 읽기가 서로를 배제하게 하세요. 헤더(예를 들어 8번 바이트)의
//     `AtomicU32` 위에 만든 스핀 락을 쓰면 됩니다. `publish`와 `read` 둘 다 락을 잡고 (0에서 1로 `compare_exchange`,
//     `Acquire`, 성공할 때까지 다시 시도), 복사를 모두 한 뒤, 락을 풉니다 (`store(0, Release)`). 프로세스 안의
//     `Mutex`는 소용없습니다. 프로세스마다 자기 것을 가집니다. ordering은 코드를 읽어서 검사합니다.
//     `compare_exchange`로 잡는 원자 변수는 락이고, 거기에 쓴 `Relaxed`는 거부됩니다 (이 기계의 CPU로는 다른
//     기계에서 그것이 망가뜨리는 것을 보여 줄 수 없습니다).
//     배치는 그대로 두세요. 길이는 첫 페이지의 0..8바이트 (기계의 바이트 순서), 텍스트는 둘째 페이지입니다. 헤더 페이지의
//     나머지는 마음대로 써도 됩니다.
//
// Run it yourself: `cargo run -p exercises --bin torn_message` (it counts the torn messages a reader saw).
// 직접 실행해 보기: `cargo run -p exercises --bin torn_message` (읽는 쪽이 본 찢어진 메시지 수를 셉니다).

use memmap2::MmapMut;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One page.
pub const PAGE: usize = 4096;
/// The longest text: one page.
pub const MAX_TEXT: usize = PAGE;

/// The board: two pages of shared memory, a header and a text.
pub struct Board {
    map: MmapMut,
}

impl Board {
    /// Creates the board's file (it must not exist yet): two pages of zeros, the empty message.
    pub fn create(path: &Path) -> io::Result<Board> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        file.set_len(2 * PAGE as u64)?;
        Self::map(&file)
    }

    /// Maps an existing board.
    pub fn open(path: &Path) -> io::Result<Board> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        Self::map(&file)
    }

    fn map(file: &File) -> io::Result<Board> {
        // SAFETY: other processes change these bytes behind the borrow checker's back; every access below must
        // be safe with that (that is the exercise).
        let map = unsafe { MmapMut::map_mut(file)? };
        Ok(Board { map })
    }

    /// Makes `text` (at most MAX_TEXT bytes) the board's message.
    pub fn publish(&mut self, text: &str) {
        assert!(text.len() <= MAX_TEXT, "a message is at most one page");
        // TODO: a reader can look between these two steps — or during the second.
        // 할 일: 읽는 쪽이 이 두 단계 사이에, 또는 두 번째 단계 도중에 들여다볼 수 있습니다.
        self.map[..8].copy_from_slice(&(text.len() as u64).to_ne_bytes());
        self.map[PAGE..PAGE + text.len()].copy_from_slice(text.as_bytes());
    }

    /// The board's message.
    pub fn read(&self) -> String {
        // TODO: the writer can change the length and the text between (and during) these steps.
        // 할 일: 이 단계들 사이에(그리고 도중에) 쓰는 쪽이 길이와 텍스트를 바꿀 수 있습니다.
        let len = u64::from_ne_bytes(self.map[..8].try_into().expect("8 bytes")) as usize;
        let text = &self.map[PAGE..PAGE + len.min(MAX_TEXT)];
        String::from_utf8_lossy(text).into_owned()
    }
}

/// Message number `n`: its number, then filler, so that every message has its own length and its own text.
fn message(n: usize) -> String {
    let head = format!("message {n}:");
    let filler = char::from(b'a' + (n % 26) as u8);
    let len = 40 + (n * 37) % 2000;
    let mut text = head;
    while text.len() < len {
        text.push(filler);
    }
    text
}

/// Where shared-memory files live: /dev/shm on Linux, the temp folder elsewhere.
fn shm_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, path] = args.as_slice() {
        let mut board = Board::open(Path::new(path))?;
        match role.as_str() {
            "writer" => {
                for n in 1..=200_000 {
                    board.publish(&message(n));
                }
            }
            "reader" => {
                let (mut torn, mut reads) = (0, 0);
                for _ in 0..200_000 {
                    let text = board.read();
                    let n: usize = text
                        .strip_prefix("message ")
                        .and_then(|t| t.split(':').next())
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    reads += 1;
                    if text != message(n) {
                        torn += 1;
                    }
                }
                println!("{torn} of {reads} reads were torn");
            }
            _ => return Err(io::Error::other("usage: torn_message [writer|reader PATH]")),
        }
        return Ok(());
    }
    let path = shm_dir().join(format!("torn_message-{}", std::process::id()));
    let mut board = Board::create(&path)?;
    board.publish(&message(0));
    let spawn = |role: &str| {
        Command::new(std::env::current_exe()?)
            .arg(role)
            .arg(&path)
            .stdout(Stdio::inherit())
            .spawn()
    };
    let mut writer = spawn("writer")?;
    let mut reader = spawn("reader")?;
    writer.wait()?;
    reader.wait()?;
    std::fs::remove_file(&path)
}
