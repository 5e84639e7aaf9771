// share_the_dataset — shared memory (공유 메모리)
//
// EN: A job splits a 16 MiB dataset between worker processes: each worker adds up the bytes of its part. The
//     parent publishes the dataset once, as a file in /dev/shm (a file system in RAM); each worker opens it with
//     `DataView::open`. Two things are wrong:
//     1. `DataView::open` reads the whole file into a `Vec` of the worker's own: a 16 MiB copy in every worker,
//        which the kernel copies in before any work starts (eight workers: 128 MiB). Shared memory
//        exists to avoid exactly that. Map the file instead (`memmap2::Mmap::map`, read-only): the worker's pages
//        are then the very pages the parent wrote — no copy, however many workers there are.
//     2. Shared memory lives as long as its file: `run_job` leaves 16 MiB of RAM behind in /dev/shm when the job
//        is done. Remove the file once the workers have finished, also when one of them failed.
//
// KO: 작업 하나가 16 MiB 데이터를 작업 프로세스들에게 나눠 줍니다. 각 작업 프로세스는 자기 몫의 바이트를 더합니다.
//     부모는 데이터를 /dev/shm(RAM에 있는 파일 시스템)의 파일로 한 번 내놓고, 각 작업 프로세스는 그것을
//     `DataView::open`으로 엽니다. 두 가지가 잘못되었습니다:
//     1. `DataView::open`은 파일 전체를 작업 프로세스 자신의 `Vec`으로 읽어 들이므로 작업 프로세스마다 16 MiB
//        사본이 생기고, 커널은 일을 시작하기도 전에 그것을 복사해 넣습니다 (작업 프로세스 여덟이면 128 MiB).
//        공유 메모리는 바로 그것을 피하려고 있습니다. 대신 파일을 매핑하세요 (`memmap2::Mmap::map`, 읽기 전용).
//        그러면 작업 프로세스의 페이지가 부모가 쓴 바로 그 페이지입니다. 작업 프로세스가 몇이든 복사는 없습니다.
//     2. 공유 메모리는 그 파일만큼 오래 삽니다. `run_job`은 작업이 끝난 뒤에도 /dev/shm에 16 MiB의 RAM을 남겨
//        둡니다. 작업 프로세스들이 끝나면 파일을 지우세요. 그중 하나가 실패했을 때도 지우세요.
//
// Run it yourself: `cargo run -p exercises --bin share_the_dataset` (each worker prints how much memory its view
// took).
// 직접 실행해 보기: `cargo run -p exercises --bin share_the_dataset` (작업자마다 자기 뷰가 차지한 메모리 양을
// 출력합니다).

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A worker's read-only view of the published dataset.
pub struct DataView {
    // TODO(1): a `Vec` is this process's own memory: filling it copies the whole dataset.
    // 할 일(1): `Vec`는 이 프로세스 자신의 메모리입니다. 채우면 데이터셋 전체가 복사됩니다.
    bytes: Vec<u8>,
}

impl DataView {
    /// Opens the dataset published at `path`.
    pub fn open(path: &Path) -> io::Result<DataView> {
        Ok(DataView {
            bytes: std::fs::read(path)?,
        })
    }

    /// All of the dataset.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
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
    let mut total = 0;
    for child in children {
        let out = child.wait_with_output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        total += text
            .trim()
            .parse::<u64>()
            .map_err(|_| io::Error::other(format!("a worker said {text:?}")))?;
    }
    // TODO(2): the dataset is still in /dev/shm, taking up memory, after the job.
    // 할 일(2): 작업이 끝난 뒤에도 데이터셋이 /dev/shm에 남아 메모리를 차지합니다.
    Ok(total)
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
