// share_the_dataset — shared memory (공유 메모리)
//
// EN: A job splits a 16 MiB dataset between worker processes: each worker adds up the bytes of its part. The
//     parent publishes the dataset once, as a file in /dev/shm (a file system in RAM), and every worker maps that
//     file read-only into its address space. The worker's pages are then the very pages the parent wrote: the
//     kernel copies nothing, however many workers there are. Shared memory lives as long as its file, so the
//     parent removes it when the job is done, also when a worker failed.
//
// KO: 작업 하나가 16 MiB 데이터를 작업 프로세스들에게 나눠 줍니다. 각 작업 프로세스는 자기 몫의 바이트를 더합니다.
//     부모는 데이터를 /dev/shm(RAM에 있는 파일 시스템)의 파일로 한 번 내놓고, 모든 작업 프로세스는 그 파일을 자기
//     주소 공간에 읽기 전용으로 매핑합니다. 그러면 작업 프로세스의 페이지가 부모가 쓴 바로 그 페이지입니다. 작업
//     프로세스가 몇이든 커널은 아무것도 복사하지 않습니다. 공유 메모리는 그 파일만큼 오래 살므로, 부모는 작업이
//     끝나면, 작업 프로세스가 실패했을 때도, 파일을 지웁니다.
//
// Run it yourself: `cargo run -p solutions --bin share_the_dataset`.
// 직접 실행해 보기: `cargo run -p solutions --bin share_the_dataset`.

use memmap2::Mmap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A worker's read-only view of the published dataset.
pub struct DataView {
    /// The file, mapped: these pages are the ones the parent wrote, shared by every process that maps them.
    map: Mmap,
}

impl DataView {
    /// Opens the dataset published at `path`.
    pub fn open(path: &Path) -> io::Result<DataView> {
        let file = std::fs::File::open(path)?;
        // SAFETY: `map` is unsafe because another process could change the file's bytes while this slice
        // borrows them. The parent writes the dataset before it starts any worker, and nobody writes it after.
        let map = unsafe { Mmap::map(&file)? };
        // The mapping keeps its pages after the file is closed (and even after it is removed).
        Ok(DataView { map })
    }

    /// All of the dataset.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

/// Publishes `data` as a new file at `path` (which must not exist yet), for workers to open.
pub fn publish(path: &Path, data: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(data)
}

/// The sum of the bytes of part `part` of `parts` equal parts (the last one takes the rest).
pub fn part_sum(bytes: &[u8], part: usize, parts: usize) -> u64 {
    let size = bytes.len() / parts;
    let end = if part + 1 == parts {
        bytes.len()
    } else {
        (part + 1) * size
    };
    bytes[part * size..end].iter().map(|&b| u64::from(b)).sum()
}

/// Runs the job: publishes `data` at `path`, has `workers` worker processes sum their parts, and returns the
/// total.
pub fn run_job(path: &Path, data: &[u8], workers: usize) -> io::Result<u64> {
    publish(path, data)?;
    let total = sum_of_workers(path, workers);
    // A file in /dev/shm is memory that lives until the file is removed (workers that still map it keep their
    // pages; the memory goes when the last mapping does). Removed whether the workers succeeded or not.
    let removed = std::fs::remove_file(path);
    let total = total?;
    removed?;
    Ok(total)
}

/// Starts `workers` workers on the dataset at `path` and adds up what they print. Every worker is waited for,
/// also after one has failed: none is left behind.
fn sum_of_workers(path: &Path, workers: usize) -> io::Result<u64> {
    let mut children = Vec::new();
    for part in 0..workers {
        children.push(
            Command::new(std::env::current_exe()?)
                .arg("worker")
                .arg(path)
                .arg(part.to_string())
                .arg(workers.to_string())
                .stdout(Stdio::piped())
                .spawn()?,
        );
    }
    let mut total = Ok(0);
    for child in children {
        let sum = child.wait_with_output().and_then(|out| {
            let text = String::from_utf8_lossy(&out.stdout);
            text.trim()
                .parse::<u64>()
                .map_err(|_| io::Error::other(format!("a worker said {text:?}")))
        });
        total = total.and_then(|t| sum.map(|s| t + s));
    }
    total
}

/// This process's own (anonymous) resident memory in KiB, from /proc (Linux); 0 elsewhere.
fn own_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
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
    if let [role, path, part, parts] = args.as_slice() {
        if role != "worker" {
            return Err(io::Error::other(
                "usage: share_the_dataset [worker PATH PART PARTS]",
            ));
        }
        let (part, parts) = (
            part.parse().map_err(io::Error::other)?,
            parts.parse().map_err(io::Error::other)?,
        );
        let before = own_memory_kib();
        let view = DataView::open(Path::new(path))?;
        let sum = part_sum(view.bytes(), part, parts);
        let grew = own_memory_kib().saturating_sub(before);
        println!("{sum}");
        // One write for the whole line, so that the workers' lines do not interleave.
        let line = format!(
            "worker {part}: its own memory grew by {grew} KiB for its view of the dataset\n"
        );
        io::Write::write_all(&mut io::stderr(), line.as_bytes())?;
        return Ok(());
    }
    let path = shm_dir().join(format!("share_the_dataset-{}", std::process::id()));
    let data: Vec<u8> = (0..16 << 20).map(|i: u32| (i % 251) as u8).collect();
    let total = run_job(&path, &data, 4)?;
    let expected: u64 = data.iter().map(|&b| u64::from(b)).sum();
    println!("total {total} (expected {expected})");
    println!(
        "dataset still in {}: {}",
        shm_dir().display(),
        path.exists()
    );
    let _ = std::fs::remove_file(&path);
    Ok(())
}
