// torn_message — shared memory (공유 메모리)
//
// EN: A status board in shared memory: one writer process publishes short messages, and reader processes read
//     the latest one. A message is two things — its length in the header page, its text in the second page — and
//     after set-up the kernel synchronises nothing, so without a lock a reader can look while the writer is
//     between (or in the middle of) its steps. Publishing and reading exclude each other with a spin lock that
//     lives in the region itself, on an atomic in the header: every process that maps the board takes the same
//     lock.
//
// KO: 공유 메모리에 있는 상태 게시판입니다. 쓰는 프로세스 하나가 짧은 메시지를 게시하고, 읽는 프로세스들이 최신
//     메시지를 읽습니다. 메시지는 헤더 페이지의 길이와 둘째 페이지의 텍스트, 두 가지이고, 설정이 끝나면 커널은
//     아무것도 동기화하지 않으므로, 락이 없으면 쓰는 쪽이 단계 사이(또는 도중)에 있을 때 읽는 쪽이 들여다볼 수
//     있습니다. 게시와 읽기는 영역 자체에 사는 스핀 락, 곧 헤더의 원자 변수 위의 락으로 서로를 배제합니다. 게시판을
//     매핑한 모든 프로세스가 같은 락을 잡습니다.
//
// Run it yourself: `cargo run -p solutions --bin torn_message`.
// 직접 실행해 보기: `cargo run -p solutions --bin torn_message`.

use memmap2::MmapMut;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// One page.
pub const PAGE: usize = 4096;
/// The longest text: one page.
pub const MAX_TEXT: usize = PAGE;
/// Where the lock lives: in the header, after the length.
const LOCK: usize = 8;

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

    /// The lock word: an atomic that lives in the shared region, so every process that maps it sees the same
    /// one. 0: free, 1: taken.
    fn lock_word(&self) -> &AtomicU32 {
        // SAFETY: the mapping is page-aligned, so byte 8 is aligned for a u32; it is at least 12 bytes long;
        // every process accesses these 4 bytes only atomically; the reference borrows `self`, so it cannot
        // outlive the mapping.
        unsafe { AtomicU32::from_ptr(self.map.as_ptr().add(LOCK) as *mut u32) }
    }

    /// Takes the lock: the one step that turns 0 into 1 wins; everyone else waits for the next 0.
    fn lock(&self) {
        while self
            .lock_word()
            .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // The holder may be another process on this very core: let it run.
            std::thread::yield_now();
        }
    }

    /// Releases the lock; `Release` publishes everything written while it was held to the next `Acquire`.
    fn unlock(&self) {
        self.lock_word().store(0, Ordering::Release);
    }

    /// Makes `text` (at most MAX_TEXT bytes) the board's message.
    pub fn publish(&mut self, text: &str) {
        assert!(text.len() <= MAX_TEXT, "a message is at most one page");
        // Length and text change together: no reader can look while the lock is held.
        self.lock();
        self.map[..8].copy_from_slice(&(text.len() as u64).to_ne_bytes());
        self.map[PAGE..PAGE + text.len()].copy_from_slice(text.as_bytes());
        self.unlock();
    }

    /// The board's message.
    pub fn read(&self) -> String {
        // Both steps, and the copy, under the lock: the writer cannot change anything meanwhile.
        self.lock();
        let len = u64::from_ne_bytes(self.map[..8].try_into().expect("8 bytes")) as usize;
        let text = String::from_utf8_lossy(&self.map[PAGE..PAGE + len.min(MAX_TEXT)]).into_owned();
        self.unlock();
        text
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
