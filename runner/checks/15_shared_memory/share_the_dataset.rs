// Hidden check for `share_the_dataset`: workers see the parent's dataset without a copy of their own, and the
// dataset leaves /dev/shm with the job. "No copy" is measured, not guessed: a worker's anonymous memory (RssAnon in
// /proc/self/status: its heap and stack, not shared pages) may not grow by more than 2 MiB while it holds a view of
// a 16 MiB dataset and has touched every page of it. And it is the *same* memory: a byte written into the file
// after the view was opened shows through the view.
//
// requirement (header)                                    → check
// map the file, no copy per worker                        → "adds less than 2 MiB", "same memory"
// every worker finds the dataset (a late one too)         → "a worker that opens its view after another finished"
// run_job: the right total, the file removed afterwards   → "four workers sum their quarters"
// removed only after the workers: one that starts late    → "four workers that open the dataset late"
//   (after all were started) still finds it                  (late_open: the workers' `open64` waits)
// removed also when a worker fails                        → "the last worker cannot open the dataset: run_job
//                                                              fails, and the file is removed all the same"
//                                                              (fail_open: that worker's `open64` fails)
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::os::unix::fs::FileExt;
use std::path::Path;

const SIZE: usize = 16 << 20;

/// Workers that open the dataset late. This program defines `open64` itself (std is linked statically, so its
/// `File::open` binds to this one). In a worker started by `run_job` in the role `job` with `CL_LATE_OPEN` set
/// ("JOB_PID WORKERS PATH"), opening PATH first waits until the parent has started every worker and then been
/// asleep (waiting for them) for 20 ms — 2 s at most. Everywhere else it is the plain system call.
mod late_open {
    #![allow(unsafe_op_in_unsafe_fn)]
    use nix::libc::{self, c_char, c_int};
    use std::ffi::CStr;
    use std::time::{Duration, Instant};

    /// Children of process `pid`, over all its threads.
    fn children(pid: i32) -> usize {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return 0;
        };
        tasks
            .filter_map(|t| t.ok())
            .map(|t| {
                std::fs::read_to_string(t.path().join("children"))
                    .unwrap_or_default()
                    .split_whitespace()
                    .count()
            })
            .sum()
    }

    fn asleep(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(_, r)| r.trim_start().starts_with(['S', 'D']))
            })
            .unwrap_or(false)
    }

    /// In the last worker of a job started in the role `job … fail` (`CL_FAIL_OPEN` = "JOB_PID PATH"), opening
    /// PATH fails with EACCES, as a file the worker may not read would.
    unsafe fn fails(path: *const c_char) -> bool {
        let Ok(setting) = std::env::var("CL_FAIL_OPEN") else {
            return false;
        };
        let Some((job, target)) = setting.split_once(' ') else {
            return false;
        };
        // A worker's arguments: worker PATH PART PARTS.
        let args: Vec<String> = std::env::args().skip(1).collect();
        let last = match args.as_slice() {
            [_, _, part, parts] => part.parse::<usize>().ok().map(|p| p + 1) == parts.parse().ok(),
            _ => false,
        };
        job != std::process::id().to_string()
            && last
            && !path.is_null()
            && CStr::from_ptr(path).to_bytes() == target.as_bytes()
    }

    unsafe fn wait_if_late(path: *const c_char) {
        let Ok(setting) = std::env::var("CL_LATE_OPEN") else {
            return;
        };
        let mut fields = setting.splitn(3, ' ');
        let (Some(job), Some(workers), Some(target)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return;
        };
        let me = std::process::id().to_string();
        if job == me || path.is_null() || CStr::from_ptr(path).to_bytes() != target.as_bytes() {
            return;
        }
        let workers: usize = workers.parse().unwrap_or(0);
        let parent = libc::getppid();
        let until = Instant::now() + Duration::from_secs(2);
        let mut asleep_since: Option<Instant> = None;
        while Instant::now() < until {
            if children(parent) >= workers && asleep(parent) {
                let since = *asleep_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= Duration::from_millis(20) {
                    return;
                }
            } else {
                asleep_since = None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn open64(
        path: *const c_char,
        flags: c_int,
        mode: libc::mode_t,
    ) -> c_int {
        if fails(path) {
            *libc::__errno_location() = libc::EACCES;
            return -1;
        }
        wait_if_late(path);
        libc::syscall(libc::SYS_openat, libc::AT_FDCWD, path, flags, mode) as c_int
    }
}

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
    // job PATH WORKERS [late|fail]: prints what run_job returned; `late`: the workers open the dataset late;
    // `fail`: the last worker cannot open it
    c.role("job", |args| {
        if args.get(2).is_some_and(|a| a == "late") {
            let setting = format!("{} {} {}", std::process::id(), args[1], args[0]);
            // SAFETY: no other thread exists yet in this role's process.
            unsafe { std::env::set_var("CL_LATE_OPEN", setting) };
        }
        if args.get(2).is_some_and(|a| a == "fail") {
            let setting = format!("{} {}", std::process::id(), args[0]);
            // SAFETY: no other thread exists yet in this role's process.
            unsafe { std::env::set_var("CL_FAIL_OPEN", setting) };
        }
        let total = or_exit(
            run_job(
                Path::new(&args[0]),
                &dataset(),
                args[1].parse().expect("a number"),
            ),
            tr("run_job failed", "run_job 호출 실패"),
        );
        println!("{total}");
    });
    // view PATH: opens a view, reads a byte of every page, prints "SUM GROWTH_KIB"
    c.role("view", |args| {
        let before = anon_kib();
        let view = or_exit(DataView::open(Path::new(&args[0])), tr("DataView::open failed", "DataView::open 호출 실패"));
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
        let view = or_exit(DataView::open(path), tr("DataView::open failed", "DataView::open 호출 실패"));
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
            "16 MiB 데이터에 대한 작업 프로세스의 뷰가 자기 메모리를 2 MiB도 늘리지 않음 → 사본 없음",
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
                        "16 MiB 데이터의 뷰를 열고 읽었더니 작업 프로세스 자신의 메모리가 {:.1} MiB 늘었습니다. 뷰가 개인 \
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
            "작업 프로세스가 뷰를 연 뒤 데이터에 쓴 바이트가 뷰에 보임 → 같은 메모리",
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
                        "12,345번째 바이트는 파일에 238을 쓰기 전에 뷰로 {}, 쓴 뒤에 {}였습니다. 뷰가 바뀐 것을 보지 못했으니 \
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
            "a worker that opens its view after another worker has finished with its own still finds the dataset",
            "다른 작업 프로세스가 자기 뷰를 다 쓴 뒤에 뷰를 여는 작업 프로세스도 데이터를 찾습니다",
        ),
        |ex| {
            let path = published(ex, "dataset");
            let path_s = path.display().to_string();
            let first = ex.check_role("view", &[&path_s]).timeout(secs(8)).run();
            let late = ex.check_role("view", &[&path_s]).timeout(secs(8)).run();
            let still = path.exists();
            let _ = std::fs::remove_file(&path);
            first.expect_success();
            if !still {
                late.fail(tr(
                    "a worker opened its view, read it and finished; then the dataset was gone from /dev/shm, and a \
                     worker that starts later cannot open it. A worker's view must not remove the file: the parent \
                     (run_job) removes it once every worker has finished.",
                    "작업 프로세스 하나가 뷰를 열고 읽고 끝났더니 데이터가 /dev/shm에서 사라졌습니다. 나중에 시작하는 작업 \
                     프로세스는 열 수 없습니다. 작업 프로세스의 뷰는 파일을 지우면 안 됩니다. 모든 작업 프로세스가 끝나면 \
                     부모(run_job)가 지웁니다.",
                ));
            }
            late.expect_success();
        },
    );
    c.process(
        (
            "four workers that open the dataset late (once all are started and the parent waits) all find it",
            "늦게 (모두 시작되고 부모가 기다릴 때) 데이터를 여는 작업 프로세스 넷도 모두 데이터를 찾습니다",
        ),
        |ex| {
            let path = ex.shm_path("dataset");
            let out = ex
                .check_role("job", &[&path.display().to_string(), "4", "late"])
                .timeout(secs(8))
                .run();
            let _ = std::fs::remove_file(&path);
            if !out.success() {
                out.fail(tr(
                    "run_job failed when its workers opened the dataset only after all four were started and the \
                     parent was waiting for them (on a loaded machine a worker can start that late). The dataset \
                     must stay in /dev/shm until every worker has finished: remove it after waiting for them.",
                    "작업 프로세스들이 넷 모두 시작되고 부모가 그들을 기다릴 때에야 데이터를 열자 run_job이 실패했습니다 \
                     (바쁜 기계에서는 작업 프로세스가 그만큼 늦게 시작할 수 있습니다). 데이터는 모든 작업 프로세스가 끝날 \
                     때까지 /dev/shm에 있어야 합니다. 그들을 기다린 뒤에 지우세요.",
                ));
            }
            if out.stdout().trim() != total().to_string() {
                out.fail(&pick(
                    format!("run_job returned {}, but the bytes add up to {}", out.stdout().trim(), total()),
                    format!("run_job이 돌려준 값은 {}이지만 바이트의 합은 {}입니다", out.stdout().trim(), total()),
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
                    format!("run_job이 돌려준 값은 {}이지만 바이트의 합은 {expected}입니다", out.stdout().trim()),
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
                        "작업은 끝났는데 데이터가 아직 {}에 있습니다. 아무도 쓰지 않는 16 MiB의 RAM입니다. /dev/shm의 \
                         파일은 지울 때까지 사는 메모리입니다. 작업 프로세스들이 끝나면 지우세요.",
                        path.display()
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "the last of four workers cannot open the dataset: run_job fails, and the dataset leaves /dev/shm all the same",
            "작업 프로세스 넷 중 마지막이 데이터를 열지 못함: run_job은 실패하고, 데이터는 그래도 /dev/shm에서 사라집니다",
        ),
        |ex| {
            let path = ex.shm_path("dataset");
            let out = ex
                .check_role("job", &[&path.display().to_string(), "4", "fail"])
                .timeout(secs(8))
                .run();
            if out.success() {
                out.fail(&pick(
                    format!(
                        "a worker could not open the dataset (permission denied) and printed no sum, yet run_job \
                         returned {}: a failed worker must make the job fail",
                        out.stdout().trim()
                    ),
                    format!(
                        "작업 프로세스 하나가 데이터를 열지 못해 (권한 없음) 합을 출력하지 않았는데도 run_job이 {} 값을 \
                         돌려주었습니다. 작업 프로세스가 실패하면 작업도 실패해야 합니다",
                        out.stdout().trim()
                    ),
                ));
            }
            if path.exists() {
                let _ = std::fs::remove_file(&path);
                out.fail(&pick(
                    format!(
                        "a worker failed, so run_job failed, as it should; but the dataset is still in {}: 16 MiB of \
                         RAM that nobody will ever use. Remove the file on every way out of run_job, also after a \
                         worker failed (a `?` returns before the line that removes it).",
                        path.display()
                    ),
                    format!(
                        "작업 프로세스가 실패해서 run_job도 마땅히 실패했습니다. 하지만 데이터가 아직 {}에 있습니다. \
                         아무도 다시 쓰지 않을 16 MiB의 RAM입니다. 작업 프로세스가 실패한 뒤에도, run_job을 \
                         빠져나가는 모든 길에서 파일을 지우세요 (`?`는 지우는 줄보다 먼저 돌아갑니다).",
                        path.display()
                    ),
                ));
            }
        },
    );
}
