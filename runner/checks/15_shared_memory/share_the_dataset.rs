// Hidden check for `share_the_dataset`: workers see the parent's dataset without a copy of their own, and the
// dataset leaves /dev/shm with the job. "No copy" is measured, not guessed: a worker's anonymous memory (RssAnon in
// /proc/self/status: its heap and stack, not shared pages) may not grow by more than 2 MiB while it holds a view of
// a 16 MiB dataset and has touched every page of it. And it is the *same* memory: a byte written into the file
// after the view was opened shows through the view.
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::os::unix::fs::FileExt;
use std::path::Path;

const SIZE: usize = 16 << 20;

/// Byte i is i % 251 (built by copying, quick even in a debug build).
fn dataset() -> Vec<u8> {
    let pattern: Vec<u8> = (0..251u8).collect();
    let mut data = Vec::with_capacity(SIZE + 251);
    while data.len() < SIZE {
        data.extend_from_slice(&pattern);
    }
    data.truncate(SIZE);
    data
}

/// The sum of all bytes of `dataset()`.
fn total() -> u64 {
    let (cycles, rest) = ((SIZE / 251) as u64, (SIZE % 251) as u64);
    cycles * (250 * 251 / 2) + rest * (rest - 1) / 2
}

/// The sum of the first byte of every 4 KiB page of `dataset()`.
fn page_sum() -> u64 {
    (0..SIZE).step_by(4096).map(|i| (i % 251) as u64).sum()
}

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

/// This process's anonymous resident memory in KiB (Linux).
fn anon_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Puts the check's own copy of the dataset at the shared-memory path `name`; returns the path.
fn published(ex: &Exercise, name: &str) -> std::path::PathBuf {
    let path = ex.shm_path(name);
    std::fs::write(&path, dataset()).expect("the check's dataset");
    path
}

pub fn checks(c: &mut Checks) {
    // job PATH WORKERS: prints what run_job returned
    c.role("job", |args| {
        let total = or_exit(
            run_job(
                Path::new(&args[0]),
                &dataset(),
                args[1].parse().expect("a number"),
            ),
            "run_job failed",
        );
        println!("{total}");
    });
    // view PATH: opens a view, reads a byte of every page, prints "SUM GROWTH_KIB"
    c.role("view", |args| {
        let before = anon_kib();
        let view = or_exit(DataView::open(Path::new(&args[0])), "DataView::open failed");
        // One byte of every page: every page is touched (a mapping brings it in, a copy has it already).
        let sum: u64 = view
            .bytes()
            .iter()
            .step_by(4096)
            .map(|&b| u64::from(b))
            .sum();
        let grew = anon_kib().saturating_sub(before);
        println!("{sum} {grew}");
        drop(view);
    });
    // same PATH: opens a view, then writes into the file at 12345 itself (as the parent would), reads it back
    c.role("same", |args| {
        let path = Path::new(&args[0]);
        let view = or_exit(DataView::open(path), "DataView::open failed");
        let before = view.bytes()[12345];
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .expect("the dataset opens for writing");
        file.write_at(&[0xEE], 12345).expect("a byte is written");
        let after = view.bytes()[12345];
        println!("{before} {after}");
    });

    c.process(
        (
            "a worker's view of the 16 MiB dataset adds less than 2 MiB to the worker's own memory: no copy",
            "16 MiB 데이터에 대한 작업 프로세스의 뷰가 자기 메모리를 2 MiB도 늘리지 않습니다: 사본 없음",
        ),
        |ex| {
            let path = published(ex, "dataset");
            let out = ex
                .check_role("view", &[&path.display().to_string()])
                .timeout(secs(8))
                .run();
            let _ = std::fs::remove_file(&path);
            out.expect_success();
            let expected = page_sum();
            let fields: Vec<u64> = out
                .stdout()
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            let [sum, grew] = fields[..] else {
                out.fail(tr("the check's worker did not report", "검사의 작업 프로세스가 결과를 알려 주지 않았습니다"))
            };
            if sum != expected {
                out.fail(&pick(
                    format!(
                        "through the view, the first bytes of the pages add up to {sum}; in the dataset they add up \
                         to {expected}"
                    ),
                    format!("뷰로 읽은 페이지 첫 바이트들의 합은 {sum}인데 데이터에서는 {expected}입니다"),
                ));
            }
            if grew > 2048 {
                fail_check(&pick(
                    format!(
                        "opening a view of the 16 MiB dataset and reading it made the worker's own memory grow by \
                         {:.1} MiB: the view is a private copy. Every worker would hold one. Map the file \
                         (`memmap2::Mmap::map`) and read the shared pages where they are.",
                        grew as f64 / 1024.0
                    ),
                    format!(
                        "16 MiB 데이터의 뷰를 열고 읽었더니 작업 프로세스 자신의 메모리가 {:.1} MiB 늘었습니다: 뷰가 개인 \
                         사본입니다. 작업 프로세스마다 하나씩 가지게 됩니다. 파일을 매핑하고 (`memmap2::Mmap::map`) 공유 \
                         페이지를 그 자리에서 읽으세요.",
                        grew as f64 / 1024.0
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "a byte written into the dataset after a worker opened its view shows through the view: it is the same memory",
            "작업 프로세스가 뷰를 연 뒤 데이터에 쓴 바이트가 뷰에 보입니다: 같은 메모리입니다",
        ),
        |ex| {
            let path = published(ex, "dataset");
            let out = ex
                .check_role("same", &[&path.display().to_string()])
                .timeout(secs(8))
                .run();
            let _ = std::fs::remove_file(&path);
            out.expect_success();
            let expected = format!("{} 238", 12345 % 251);
            if out.stdout().trim() != expected {
                out.fail(&pick(
                    format!(
                        "byte 12345 read {} through the view before and {} after 238 was written into the file: the \
                         view did not see the change, so it is a copy, not the shared pages.",
                        12345 % 251,
                        out.stdout().split_whitespace().nth(1).unwrap_or("?")
                    ),
                    format!(
                        "12345번째 바이트는 파일에 238을 쓰기 전에 뷰로 {}, 쓴 뒤에 {}였습니다: 뷰가 바뀐 것을 보지 못했으니 \
                         공유 페이지가 아니라 사본입니다.",
                        12345 % 251,
                        out.stdout().split_whitespace().nth(1).unwrap_or("?")
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "four workers sum their quarters of 16 MiB: the total is right, and the dataset leaves /dev/shm with the job",
            "작업 프로세스 넷이 16 MiB를 사분의 일씩 더함: 합계가 맞고, 작업이 끝나면 데이터가 /dev/shm에서 사라집니다",
        ),
        |ex| {
            let path = ex.shm_path("dataset");
            let out = ex
                .check_role("job", &[&path.display().to_string(), "4"])
                .timeout(secs(8))
                .run();
            out.expect_success();
            let expected = total();
            if out.stdout().trim() != expected.to_string() {
                out.fail(&pick(
                    format!("run_job returned {}, but the bytes add up to {expected}", out.stdout().trim()),
                    format!("run_job이 {}을 돌려주었지만 바이트의 합은 {expected}입니다", out.stdout().trim()),
                ));
            }
            if path.exists() {
                let _ = std::fs::remove_file(&path);
                out.fail(&pick(
                    format!(
                        "the job is done, but the dataset is still in {}: 16 MiB of RAM that nobody uses. A file in \
                         /dev/shm is memory that lives until the file is removed: remove it when the workers are done.",
                        path.display()
                    ),
                    format!(
                        "작업은 끝났는데 데이터가 아직 {}에 있습니다: 아무도 쓰지 않는 16 MiB의 RAM입니다. /dev/shm의 \
                         파일은 지울 때까지 사는 메모리입니다: 작업 프로세스들이 끝나면 지우세요.",
                        path.display()
                    ),
                ));
            }
        },
    );
}
