// shared_counter — shared memory (공유 메모리)
//
// EN: Two processes count events in one counter that lives in shared memory: a file in /dev/shm that both map
//     into their address space. After that set-up the kernel is out of the way — it copies nothing and
//     synchronises nothing; a byte one process writes is simply there for the other. So the synchronisation must
//     live in the region itself: the counter is an atomic placed in the mapping, and `increment` is one
//     indivisible read-modify-write (`fetch_add`) that no other process can split.
//
// KO: 두 프로세스가 공유 메모리에 있는 카운터 하나로 사건을 셉니다. /dev/shm의 파일 하나를 둘 다 자기 주소
//     공간에 매핑합니다. 설정이 끝나면 커널은 빠집니다. 아무것도 복사하지 않고 아무것도 동기화하지 않습니다.
//     한 프로세스가 쓴 바이트는 그냥 다른 프로세스에게도 보입니다. 그래서 동기화는 영역 안에 있어야 합니다.
//     카운터는 매핑 안에 놓인 원자 변수이고, `increment`는 다른 프로세스가 쪼갤 수 없는 한 번의
//     읽고-고치고-쓰기(`fetch_add`)입니다.
//
// Run it yourself: `cargo run -p solutions --bin shared_counter`.
// 직접 실행해 보기: `cargo run -p solutions --bin shared_counter`.

use memmap2::MmapMut;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The size of the shared region: one page.
const REGION: u64 = 4096;

/// A counter in shared memory: the first 8 bytes of a mapped file, in native byte order.
pub struct SharedCounter {
    map: MmapMut,
}

impl SharedCounter {
    /// Creates the file (it must not exist yet), one page of zeros, and maps it.
    pub fn create(path: &Path) -> io::Result<SharedCounter> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        file.set_len(REGION)?;
        Self::map(&file)
    }

    /// Maps an existing counter file.
    pub fn open(path: &Path) -> io::Result<SharedCounter> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        Self::map(&file)
    }

    fn map(file: &File) -> io::Result<SharedCounter> {
        // SAFETY: `map_mut` is unsafe because other processes can change the mapped bytes at any moment, behind
        // the borrow checker's back. This type touches the counter only through an atomic (below).
        let map = unsafe { MmapMut::map_mut(file)? };
        Ok(SharedCounter { map })
    }

    /// The counter: an atomic that lives in the shared region, not in this process's own memory.
    fn cell(&self) -> &AtomicU64 {
        // SAFETY: the mapping is page-aligned (so aligned for a u64) and at least 8 bytes long; every process
        // accesses these 8 bytes only atomically; the reference borrows `self`, so it cannot outlive the mapping.
        unsafe { AtomicU64::from_ptr(self.map.as_ptr() as *mut u64) }
    }

    /// Adds one to the counter: one indivisible step, whatever the other processes do meanwhile.
    pub fn increment(&mut self) {
        // Relaxed is enough for a counter: the number is all that is shared, and it is read after the workers
        // have exited (`wait` orders everything before it).
        self.cell().fetch_add(1, Ordering::Relaxed);
    }

    /// The counter's value.
    pub fn get(&self) -> u64 {
        self.cell().load(Ordering::Relaxed)
    }
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
    if let [role, path, n] = args.as_slice() {
        if role != "worker" {
            return Err(io::Error::other("usage: shared_counter [worker PATH N]"));
        }
        let mut counter = SharedCounter::open(Path::new(path))?;
        let n: u64 = n.parse().map_err(io::Error::other)?;
        for _ in 0..n {
            counter.increment();
        }
        return Ok(());
    }
    let path = shm_dir().join(format!("shared_counter-{}", std::process::id()));
    let counter = SharedCounter::create(&path)?;
    let n = 1_000_000u64;
    let mut workers = Vec::new();
    for _ in 0..2 {
        workers.push(
            Command::new(std::env::current_exe()?)
                .arg("worker")
                .arg(&path)
                .arg(n.to_string())
                .spawn()?,
        );
    }
    for mut worker in workers {
        worker.wait()?;
    }
    println!(
        "two workers, {n} increments each: expected {}, counted {}",
        2 * n,
        counter.get()
    );
    std::fs::remove_file(&path)
}
