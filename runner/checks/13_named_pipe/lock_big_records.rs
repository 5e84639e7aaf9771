// Hidden check for `lock_big_records`: 10 KiB records from several writer processes arrive whole. The check is the
// collector, and it forces the worst moment instead of waiting for it: writer A fills the pipe and is left blocked
// in the middle of a record; writer B starts and tries to write; A is then stopped (SIGSTOP) and the pipe emptied.
// Without a lock between the processes, B's record goes into the middle of A's on every run; with one, B waits
// until A has finished its record (SIGCONT) and released the lock.
//
// | requirement (header)                                       | check                                         |
// |------------------------------------------------------------|-----------------------------------------------|
// | records of 10 KiB go into the FIFO whole, in order         | one writer, three records                     |
// | an exclusive lock between processes while writing a record | A stopped mid-record in a full pipe, B wants  |
// |   (a `Mutex` or a lock released early lets B in)           |   to write, the pipe is emptied: A is whole   |
// | several writers, each started on its own                   | three writers at once, 15 records each        |
// | the program (demo) counts what arrived: it ends, 0 broken, | `lock_big_records` with no arguments (its     |
// |   and leaves no FIFO behind                                |   FIFO is made in TMPDIR, the check's folder) |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, Running, explain_timeout, fail_check, millis, pick, secs};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::io::Read;
use std::os::fd::AsFd;
use std::path::Path;
use std::time::{Duration, Instant};

/// State letter and wait channel of a process, `None` once it is gone.
fn proc_state(pid: u32) -> Option<(char, String)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat.rsplit(')').next()?.trim_start().chars().next()?;
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    Some((state, wchan))
}

fn gone(state: &Option<(char, String)>) -> bool {
    matches!(state, None | Some(('Z' | 'X', _)))
}

/// Whether process `pid` has `path` open.
fn holds(pid: u32, path: &Path) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
}

/// Bytes waiting in the pipe.
fn waiting(reader: &std::fs::File) -> usize {
    let mut n: nix::libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer.
    unsafe {
        nix::libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(reader),
            nix::libc::FIONREAD,
            &mut n,
        )
    };
    n.max(0) as usize
}

/// Reads whatever is waiting (the reader is non-blocking).
fn drain(reader: &mut std::fs::File, into: &mut Vec<u8>) {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => into.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
            Err(e) => panic!("the check cannot read the FIFO: {e}"),
        }
    }
}

/// Reads until `into` holds `total` bytes or `limit` has passed.
fn read_until(reader: &mut std::fs::File, into: &mut Vec<u8>, total: usize, limit: Duration) {
    let until = Instant::now() + limit;
    while into.len() < total && Instant::now() < until {
        drain(reader, into);
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The FIFO, made by the check, and its read end — opened for reading and writing, so that it neither blocks
/// nor ever reads end-of-file (the check knows how many bytes to expect), non-blocking, 64 KiB.
fn make_fifo(ex: &Exercise) -> (std::path::PathBuf, std::fs::File, usize) {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    let path = ex.fifo_path("records");
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o600))
        .expect("the check makes its FIFO");
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .expect("the check opens its FIFO");
    let _ = fcntl(reader.as_fd(), FcntlArg::F_SETPIPE_SZ(1 << 16));
    let capacity = fcntl(reader.as_fd(), FcntlArg::F_GETPIPE_SZ).expect("pipe size") as usize;
    fcntl(reader.as_fd(), FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).expect("non-blocking");
    (path, reader, capacity)
}

/// Checks that `data` is exactly the records of each writer `(name, count)`, each in order, none cut.
fn expect_whole(data: &[u8], writers: &[(&str, usize)]) {
    let mut next: Vec<usize> = vec![0; writers.len()];
    let mut at = 0;
    while at < data.len() {
        let rest = &data[at..];
        // Which writer's record starts here?
        let found = writers.iter().enumerate().find(|(i, (name, _))| {
            let want = record(name, next[*i]);
            rest.starts_with(&want[..want.len().min(16)])
        });
        let Some((i, (name, _))) = found else {
            let shown = String::from_utf8_lossy(&rest[..rest.len().min(24)]).into_owned();
            fail_check(&pick(
                format!(
                    "at byte {at} the collector read {shown:?}…, which is not the start of the next record of any writer"
                ),
                format!(
                    "{at}번째 바이트에서 수집기가 {shown:?}…를 읽었는데, 어느 쓰는 프로세스의 다음 레코드 시작도 아닙니다"
                ),
            ));
        };
        let want = record(name, next[i]);
        let same = rest.iter().zip(&want).take_while(|(a, b)| a == b).count();
        if same < want.len() {
            let intruder =
                String::from_utf8_lossy(&rest[same..rest.len().min(same + 12)]).into_owned();
            fail_check(&pick(
                format!(
                    "record {} of writer {name} ({} bytes) was cut after its first {same} bytes: the next bytes in \
                     the FIFO are {intruder:?}… — another writer's record, written into the middle of it. A write of \
                     more than PIPE_BUF (4096) bytes is not atomic: when the pipe has less room, the kernel writes \
                     part of it and lets the writer wait, and another writer can get in first. Writers that share a \
                     FIFO need a lock between them — between processes — around each record.",
                    next[i],
                    want.len()
                ),
                format!(
                    "쓰는 프로세스 {name}의 레코드 {}({}바이트)가 처음 {same}바이트 뒤에서 잘렸습니다. FIFO의 다음 바이트는 \
                     {intruder:?}…이며, 그 한가운데 쓰인 다른 프로세스의 레코드입니다. PIPE_BUF(4,096바이트)보다 긴 쓰기는 \
                     원자적이지 않습니다. 파이프에 자리가 모자라면 커널은 일부만 쓰고 쓰는 프로세스를 기다리게 하고, 그사이 다른 \
                     프로세스가 먼저 들어올 수 있습니다. FIFO를 함께 쓰는 프로세스들은 레코드마다 그 둘레에, 프로세스 \
                     사이에서 통하는 락이 필요합니다.",
                    next[i],
                    want.len()
                ),
            ));
        }
        next[i] += 1;
        at += want.len();
    }
    for (i, (name, count)) in writers.iter().enumerate() {
        if next[i] != *count {
            fail_check(&pick(
                format!(
                    "writer {name} sent {count} records; the collector got {} of them",
                    next[i]
                ),
                format!(
                    "쓰는 프로세스({name})는 레코드 {count}개를 보냈는데, 수집기는 그중 {}개를 받았습니다",
                    next[i]
                ),
            ));
        }
    }
}

fn writer(ex: &Exercise, path: &Path, name: &str, count: usize) -> Running {
    ex.role(&["writer", path.to_str().unwrap(), name, &count.to_string()])
        .timeout(secs(4))
        .start()
}

pub fn checks(c: &mut Checks) {
    c.process(
        (
            "one writer, three records of 10 KiB: they arrive whole, in order",
            "쓰는 프로세스 하나, 10 KiB짜리 레코드 셋: 온전히, 순서대로 도착합니다",
        ),
        |ex| {
            let (path, mut reader, _) = make_fifo(ex);
            let a = writer(ex, &path, "A", 3);
            let mut data = Vec::new();
            read_until(&mut reader, &mut data, 3 * RECORD, secs(3));
            for out in ex.wait_all(vec![a], secs(2)) {
                out.expect_success();
            }
            drain(&mut reader, &mut data);
            drop(reader);
            let _ = std::fs::remove_file(&path);
            expect_whole(&data, &[("A", 3)]);
        },
    );
    c.process(
        (
            "writer A is stopped in the middle of a record, the pipe is emptied, writer B wants to write: A's record stays whole",
            "쓰는 프로세스 A가 레코드 한가운데서 멈추고, 파이프가 비워지고, 쓰는 프로세스 B가 쓰려 함: A의 레코드는 온전합니다",
        ),
        |ex| {
            let (path, mut reader, capacity) = make_fifo(ex);
            let canonical = std::fs::canonicalize(&path).expect("the FIFO's path");
            // Enough records that the pipe fills in the middle of one (64 KiB = 6 records and 4 KiB).
            let a_count = capacity / RECORD + 1;
            let a = writer(ex, &path, "A", a_count);
            let until = Instant::now() + secs(2);
            while waiting(&reader) < capacity && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(2));
            }
            if waiting(&reader) < capacity {
                let outs = ex.wait_all(vec![a], millis(300));
                outs[0].fail(tr(
                    "writer A did not fill the FIFO with its records",
                    "쓰는 프로세스 A가 레코드로 FIFO를 채우지 않았습니다",
                ));
            }
            // B opens the FIFO and tries to write its record: into the full pipe, or into the lock A holds.
            let b = writer(ex, &path, "B", 1);
            let until = Instant::now() + secs(2);
            let mut asleep = 0;
            while asleep < 3 && Instant::now() < until {
                let state = proc_state(b.pid());
                if gone(&state) {
                    break;
                }
                match state {
                    Some(('S', wchan)) if !wchan.is_empty() && holds(b.pid(), &canonical) => asleep += 1,
                    _ => asleep = 0,
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            // Stop A in the middle of its record, and make room.
            let a_pid = Pid::from_raw(a.pid() as i32);
            kill(a_pid, Signal::SIGSTOP).expect("the check stops writer A");
            let until = Instant::now() + secs(1);
            while !matches!(proc_state(a.pid()), Some(('T', _))) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(2));
            }
            let mut data = Vec::new();
            drain(&mut reader, &mut data);
            // Now B writes (no lock between the writers) or keeps waiting for A's lock.
            let until = Instant::now() + millis(1500);
            let mut settled = 0;
            while Instant::now() < until && waiting(&reader) == 0 && settled < 3 {
                let state = proc_state(b.pid());
                if gone(&state) {
                    break;
                }
                match state {
                    Some(('S', wchan)) if !wchan.is_empty() && !wchan.contains("pipe_write") => settled += 1,
                    _ => settled = 0,
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            drain(&mut reader, &mut data);
            kill(a_pid, Signal::SIGCONT).expect("the check continues writer A");
            read_until(&mut reader, &mut data, (a_count + 1) * RECORD, secs(2));
            for out in ex.wait_all(vec![a, b], secs(2)) {
                out.expect_success();
            }
            drain(&mut reader, &mut data);
            drop(reader);
            let _ = std::fs::remove_file(&path);
            expect_whole(&data, &[("A", a_count), ("B", 1)]);
        },
    );
    c.process(
        (
            "three writers at once, 15 records each: every record arrives whole",
            "쓰는 프로세스 셋이 동시에 15개씩: 모든 레코드가 온전히 도착합니다",
        ),
        |ex| {
            let (path, mut reader, _) = make_fifo(ex);
            let writers: Vec<Running> = ["A", "B", "C"]
                .iter()
                .map(|n| writer(ex, &path, n, 15))
                .collect();
            let mut data = Vec::new();
            read_until(&mut reader, &mut data, 45 * RECORD, secs(3));
            for out in ex.wait_all(writers, secs(2)) {
                out.expect_success();
            }
            drain(&mut reader, &mut data);
            drop(reader);
            let _ = std::fs::remove_file(&path);
            expect_whole(&data, &[("A", 15), ("B", 15), ("C", 15)]);
        },
    );
    c.process(
        (
            "the program itself (no arguments): two writers, 200 records each; it ends, none is broken, no FIFO is \
             left behind",
            "프로그램 자체 (인자 없이): 쓰는 프로세스 둘이 각각 레코드 200개; 끝나고, 깨진 것이 없고, FIFO가 남지 않습니다",
        ),
        |ex| {
            let out = explain_timeout(
                tr(
                    "the program never ended. The collector reads until end-of-file, which comes only when every \
                     writer has closed the FIFO.",
                    "프로그램이 끝나지 않았습니다. 수집기는 EOF까지 읽는데, EOF는 모든 쓰는 프로세스가 FIFO를 닫아야 옵니다.",
                ),
                || ex.run(&[], secs(3)),
            );
            out.expect_success().expect_lines(
                &["400 records arrived whole, 0 lines were broken"],
                tr("what the program printed", "프로그램이 출력한 것"),
            );
        },
    );
}
