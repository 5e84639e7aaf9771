// shared_counter — shared memory (공유 메모리)
//
// EN: Two processes count events in one counter that lives in shared memory: a file in /dev/shm that both map
//     into their address space. After that set-up the kernel is out of the way — it copies nothing and
//     synchronises nothing; a byte one process writes is simply there for the other. `increment` reads the
//     counter, adds one and writes it back: two separate steps. When both processes read the same value before
//     either writes, both write the same result and one increment is lost. Safe Rust cannot see this: the
//     borrow checker knows one process, and the other one writes the same bytes behind its back (that is why
//     mapping the file is `unsafe`). A lock inside one process does not stop the other process, and no flush
//     makes the kernel synchronise anything.
//     Make `increment` one indivisible step: place an atomic in the shared region and update it with one atomic
//     read-modify-write. (The counter is the first 8 bytes of the region, native byte order; keep that.)
//
// KO: 두 프로세스가 공유 메모리에 있는 카운터 하나로 사건을 셉니다. /dev/shm의 파일 하나를 둘 다 자기 주소
//     공간에 매핑합니다. 설정이 끝나면 커널은 빠집니다. 아무것도 복사하지 않고 아무것도 동기화하지 않습니다.
//     한 프로세스가 쓴 바이트는 그냥 다른 프로세스에게도 보입니다. `increment`는 카운터를 읽고, 1을 더하고, 다시
//     씁니다. 따로 떨어진 두 단계입니다. 두 프로세스가 둘 다 쓰기 전에 같은 값을 읽으면, 같은 결과를 쓰게 되어
//     한 번의 증가가 사라집니다. 안전한 Rust는 이것을 볼 수 없습니다. 빌림 검사기는 한 프로세스만 알고, 다른
//     프로세스는 그 뒤에서 같은 바이트를 씁니다 (그래서 파일 매핑이 `unsafe`입니다). 한 프로세스 안의 락은 다른
//     프로세스를 막지 못하고, 어떤 flush도 커널이 무언가를 동기화하게 만들지 않습니다.
//     `increment`를 나눌 수 없는 한 단계로 만드세요. 공유 영역 안에 원자 변수를 두고, 원자적인
//     읽고-고치고-쓰기 한 번으로 갱신하세요. (카운터는 영역의 처음 8바이트, 기계의 바이트 순서입니다. 그대로 두세요.)
//
// Run it yourself: `cargo run -p exercises --bin shared_counter` (it prints how many increments were lost).
// 직접 실행해 보기: `cargo run -p exercises --bin shared_counter` (사라진 증가 횟수를 출력합니다).

use memmap2::MmapMut;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

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
        // the borrow checker's back.
        let map = unsafe { MmapMut::map_mut(file)? };
        Ok(SharedCounter { map })
    }

    /// Adds one to the counter.
    pub fn increment(&mut self) {
        // TODO: read, add one, write back — another process can read the same value in between.
        // 할 일: 읽고, 1을 더하고, 다시 씁니다. 그 사이에 다른 프로세스가 같은 값을 읽을 수 있습니다.
        let value = self.get();
        self.map[..8].copy_from_slice(&(value + 1).to_ne_bytes());
    }

    /// The counter's value.
    pub fn get(&self) -> u64 {
        u64::from_ne_bytes(self.map[..8].try_into().expect("8 bytes"))
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
