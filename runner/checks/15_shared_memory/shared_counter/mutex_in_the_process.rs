// Known-wrong: a `Mutex` around read-add-write — but the mutex lives in this process's own memory. The other
// process has its own copy of it and never waits for this one.

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
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = LOCK.lock().unwrap();
        let value = self.get();
        self.map[..8].copy_from_slice(&(value + 1).to_ne_bytes());
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
