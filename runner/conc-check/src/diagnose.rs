//! Why is it stuck? Read before a timed-out run is killed: for every process (and thread) still alive, its state,
//! whether it is still using CPU (sampled twice, ~50 ms apart), the kernel function it sleeps in (`wchan`), the
//! system call and file descriptor it is blocked on, and who else holds the other end of that pipe. From that, in
//! plain words: both ends writing into full pipes, a FIFO opened in the wrong order, a read waiting for an
//! end-of-file that cannot come because a write end is still open, a socket whose peer never shuts down its
//! writing side, a parent waiting for a child, a busy loop.
//!
//! Linux only (`/proc`); elsewhere [`diagnose`] returns `None` and the report says only "timed out".
//!
//! Kernel names observed on Linux 6.18 (`cat /proc/<pid>/wchan` of a process blocked each way):
//! `anon_pipe_write` / `anon_pipe_read` (pipe_write / pipe_read on older kernels) for pipes and FIFOs,
//! `wait_for_partner` (opening a FIFO), `unix_stream_read_generic` (reading a Unix stream socket), `wait_woken`
//! (TCP read or write), `sock_alloc_send_pskb` (Unix socket send buffer full), `inet_csk_accept` and
//! `__skb_wait_for_more_packets` (accept), `do_wait` (waiting for a child), `futex_do_wait` (a lock, condition
//! variable or join), `hrtimer_nanosleep` (sleep), `do_epoll_wait`, `poll_schedule_timeout.constprop.0`,
//! `locks_lock_inode_wait` (flock), `wq_sleep` (POSIX message queue).

use serde::{Deserialize, Serialize};

/// What the processes of a timed-out run were doing when it was stopped.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Diagnosis {
    pub processes: Vec<StuckProcess>,
    /// The story, most telling first.
    pub findings: Vec<Finding>,
}

/// One process of the run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StuckProcess {
    pub pid: i32,
    pub ppid: i32,
    /// The role it was started as (its arguments, such as `child`), or its program name.
    pub role: String,
    /// Each thread (the main thread first).
    pub threads: Vec<ThreadState>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ThreadState {
    pub tid: i32,
    /// `R` running, `S` sleeping, `D` uninterruptible, `T` stopped.
    pub state: char,
    /// The kernel function it sleeps in, from `/proc/<pid>/wchan` (empty when running).
    pub wchan: String,
    /// The system call it is in, such as `read`, if known.
    pub syscall: Option<String>,
    /// CPU time it used during the sample (~50 ms).
    pub cpu_ms: u64,
    pub activity: Activity,
}

/// What one thread was doing, in words a learner knows.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// Running or ready to run: using the CPU.
    Busy,
    /// Writing into a pipe (or FIFO) whose buffer is full.
    WritingPipe {
        fd: Option<i32>,
        fifo: Option<String>,
    },
    /// Reading from a pipe (or FIFO) that is empty.
    ReadingPipe {
        fd: Option<i32>,
        fifo: Option<String>,
    },
    /// Opening a FIFO and waiting for a process to open the other end.
    OpeningFifo {
        path: Option<String>,
        /// `Some(true)` opening to write, `Some(false)` to read.
        for_writing: Option<bool>,
    },
    ReadingSocket {
        fd: Option<i32>,
    },
    WritingSocket {
        fd: Option<i32>,
    },
    Accepting,
    Connecting,
    /// In `wait`/`waitpid`: waiting for a child process to end.
    WaitingForChild,
    /// On a futex: a lock, a condition variable, a channel or a thread join.
    WaitingOnLock,
    Sleeping,
    /// In poll/select/epoll.
    Polling,
    MessageQueue {
        sending: Option<bool>,
    },
    FileLock,
    Stopped,
    /// Something else; `wchan` says what.
    Other,
}

/// A process of the run, as findings name it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Who {
    pub role: String,
    pub pid: i32,
}

/// The role name of the check program itself when it holds a pipe end (a silent peer, a reader that reads later).
pub const THE_CHECK: &str = "(the check)";

/// A process holding one end of a pipe open.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    pub role: String,
    pub pid: i32,
    pub fd: i32,
}

/// One conclusion drawn from the processes' states.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// Every one of `writers` is writing into a full pipe that only another of them would read: nobody reads,
    /// so nobody can ever write again.
    PipeWriteDeadlock { writers: Vec<Who> },
    /// `writer` writes into a full pipe; the read end is held by `readers`, who are not reading it.
    PipeFull { writer: Who, readers: Vec<Holder> },
    /// `reader` waits for data or end-of-file on a pipe; neither comes, because the write end is still open in
    /// `holders` (possibly the reader itself), who are not writing.
    EofNeverComes { reader: Who, holders: Vec<Holder> },
    /// `who` opens a FIFO and waits until another process opens its other end.
    FifoOpen {
        who: Who,
        path: Option<String>,
        for_writing: Option<bool>,
    },
    /// `reader` waits to read from a socket; the peer neither sends nor shuts down its writing side.
    SocketNoShutdown { reader: Who },
    /// `parent` waits for `children` to end.
    WaitingForChild { parent: Who, children: Vec<Who> },
    /// These keep using the CPU: a loop that never ends (busy-waiting?).
    BusyLoop { who: Vec<Who> },
}

/// Looks at `pids` (the live processes of the stuck run) for about 50 ms and says what each is doing.
/// `None` where `/proc` cannot tell (not Linux).
pub fn diagnose(pids: &[i32]) -> Option<Diagnosis> {
    #[cfg(target_os = "linux")]
    {
        linux::diagnose(pids)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pids;
        None
    }
}

/// A short name for a process from its command line: the arguments (`child`, `server …/requests`) when it is the
/// check program re-executed, otherwise the program's name with its arguments.
pub fn role_of(pid: i32) -> String {
    let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return format!("pid {pid}");
    };
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let Some((program, rest)) = args.split_first() else {
        return format!("pid {pid}");
    };
    let same_program = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .zip(std::env::current_exe().ok())
        .is_some_and(|(a, b)| a == b);
    role_from_args(program, rest, same_program)
}

/// [`role_of`] from the command line: `program` and its arguments `rest`, and whether it is the check program.
fn role_from_args(program: &str, rest: &[String], same_program: bool) -> String {
    let short = |a: &String| {
        if a.starts_with('/') && a.len() > 1 {
            let name = a.rsplit('/').next().unwrap_or(a);
            format!("…/{name}")
        } else {
            a.clone()
        }
    };
    let mut words: Vec<String> = Vec::new();
    if !same_program || rest.is_empty() {
        words.push(
            program
                .rsplit('/')
                .next()
                .unwrap_or(program)
                .split("__")
                .next()
                .unwrap_or(program)
                .to_string(),
        );
    }
    // A check role is started as `--conc-lings-role=NAME ARGS…`: it is called by its name.
    words.extend(rest.iter().enumerate().map(
        |(i, a)| match a.strip_prefix(crate::process::ROLE_ARG) {
            Some(name) if i == 0 => name.to_string(),
            _ => short(a),
        },
    ));
    let mut role = words.join(" ");
    if role.chars().count() > 48 {
        role = role.chars().take(47).collect::<String>() + "…";
    }
    role
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use std::collections::HashMap;
    use std::os::unix::fs::{FileExt, MetadataExt};
    use std::time::Duration;

    /// How long to watch for CPU use.
    const SAMPLE: Duration = Duration::from_millis(50);

    struct Cpu {
        ticks: u64,
        nanos: Option<u64>,
        state: char,
    }

    fn cpu(pid: i32, tid: i32) -> Option<Cpu> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).ok()?;
        let (_, rest) = stat.rsplit_once(')')?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // fields[0] = state (field 3); utime and stime are fields 14 and 15.
        let state = fields.first()?.chars().next()?;
        let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        let nanos = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok());
        Some(Cpu {
            ticks,
            nanos,
            state,
        })
    }

    fn ppid(pid: i32) -> i32 {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                let (_, rest) = s.rsplit_once(')')?;
                rest.split_whitespace().nth(1)?.parse().ok()
            })
            .unwrap_or(0)
    }

    fn tids(pid: i32) -> Vec<i32> {
        let mut tids: Vec<i32> = std::fs::read_dir(format!("/proc/{pid}/task"))
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        tids.sort_unstable();
        // The main thread (tid == pid) first.
        if let Some(i) = tids.iter().position(|&t| t == pid) {
            tids.remove(i);
            tids.insert(0, pid);
        }
        tids
    }

    /// The system call a thread is in, with its arguments, from `/proc/<pid>/task/<tid>/syscall`.
    fn syscall(pid: i32, tid: i32) -> Option<(i64, Vec<u64>)> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/syscall")).ok()?;
        let mut words = text.split_whitespace();
        let nr: i64 = words.next()?.parse().ok()?;
        if nr < 0 {
            return None;
        }
        let args = words
            .take(6)
            .filter_map(|w| u64::from_str_radix(w.trim_start_matches("0x"), 16).ok())
            .collect();
        Some((nr, args))
    }

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Call {
        Read,
        Write,
        Open,
        Wait,
        Accept,
        Connect,
        Futex,
        Sleep,
        Poll,
        MqReceive,
        MqSend,
        Lock,
        Other,
    }

    #[allow(clippy::unnecessary_cast)] // c_long is i64 on 64-bit targets only
    fn call_of(nr: i64) -> (Call, &'static str) {
        use libc::*;
        let table: &[(c_long, Call, &str)] = &[
            (SYS_read, Call::Read, "read"),
            (SYS_readv, Call::Read, "readv"),
            (SYS_pread64, Call::Read, "pread64"),
            (SYS_recvfrom, Call::Read, "recvfrom"),
            (SYS_recvmsg, Call::Read, "recvmsg"),
            (SYS_write, Call::Write, "write"),
            (SYS_writev, Call::Write, "writev"),
            (SYS_pwrite64, Call::Write, "pwrite64"),
            (SYS_sendto, Call::Write, "sendto"),
            (SYS_sendmsg, Call::Write, "sendmsg"),
            (SYS_openat, Call::Open, "openat"),
            (SYS_wait4, Call::Wait, "wait4"),
            (SYS_waitid, Call::Wait, "waitid"),
            (SYS_accept, Call::Accept, "accept"),
            (SYS_accept4, Call::Accept, "accept4"),
            (SYS_connect, Call::Connect, "connect"),
            (SYS_futex, Call::Futex, "futex"),
            (SYS_nanosleep, Call::Sleep, "nanosleep"),
            (SYS_clock_nanosleep, Call::Sleep, "clock_nanosleep"),
            (SYS_ppoll, Call::Poll, "ppoll"),
            (SYS_pselect6, Call::Poll, "pselect6"),
            (SYS_epoll_pwait, Call::Poll, "epoll_pwait"),
            (SYS_mq_timedreceive, Call::MqReceive, "mq_timedreceive"),
            (SYS_mq_timedsend, Call::MqSend, "mq_timedsend"),
            (SYS_flock, Call::Lock, "flock"),
            (SYS_fcntl, Call::Lock, "fcntl"),
            #[cfg(target_arch = "x86_64")]
            (SYS_open, Call::Open, "open"),
            #[cfg(target_arch = "x86_64")]
            (SYS_poll, Call::Poll, "poll"),
            #[cfg(target_arch = "x86_64")]
            (SYS_select, Call::Poll, "select"),
            #[cfg(target_arch = "x86_64")]
            (SYS_epoll_wait, Call::Poll, "epoll_wait"),
            #[cfg(target_arch = "x86_64")]
            (SYS_pause, Call::Sleep, "pause"),
        ];
        table
            .iter()
            .find(|(n, _, _)| *n as i64 == nr)
            .map(|&(_, c, name)| (c, name))
            .unwrap_or((Call::Other, ""))
    }

    /// An open file descriptor: which object (device and inode, the same for every process holding it), whether
    /// it is a pipe, FIFO or socket, and its access mode.
    #[derive(Clone, Debug)]
    struct Fd {
        fd: i32,
        key: (u64, u64),
        kind: FdKind,
        writable: bool,
        readable: bool,
        path: String,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum FdKind {
        Pipe,
        Fifo,
        Socket,
        Other,
    }

    fn fds(pid: i32) -> Vec<Fd> {
        let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in dir.flatten() {
            let Some(fd) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<i32>().ok())
            else {
                continue;
            };
            let Ok(target) = std::fs::read_link(entry.path()) else {
                continue;
            };
            let target = target.to_string_lossy().into_owned();
            let Ok(meta) = std::fs::metadata(entry.path()) else {
                continue;
            };
            use std::os::unix::fs::FileTypeExt;
            let kind = if target.starts_with("pipe:") {
                FdKind::Pipe
            } else if target.starts_with("socket:") {
                FdKind::Socket
            } else if meta.file_type().is_fifo() {
                FdKind::Fifo
            } else {
                FdKind::Other
            };
            if kind == FdKind::Other {
                continue;
            }
            let flags = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}"))
                .ok()
                .and_then(|info| {
                    info.lines()
                        .find_map(|l| l.strip_prefix("flags:"))
                        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                })
                .unwrap_or(2);
            let mode = flags & 3;
            out.push(Fd {
                fd,
                key: (meta.dev(), meta.ino()),
                kind,
                readable: mode == 0 || mode == 2,
                writable: mode == 1 || mode == 2,
                path: target,
            });
        }
        out
    }

    /// The NUL-terminated string at `addr` in the process's memory (a path passed to open).
    fn string_at(pid: i32, addr: u64) -> Option<String> {
        let file = std::fs::File::open(format!("/proc/{pid}/mem")).ok()?;
        let mut buf = vec![0u8; 512];
        let n = file.read_at(&mut buf, addr).ok()?;
        let end = buf[..n].iter().position(|&b| b == 0)?;
        Some(String::from_utf8_lossy(&buf[..end]).into_owned())
    }

    struct Seen {
        process: StuckProcess,
        fds: Vec<Fd>,
        /// Per thread: the object it is blocked on, if known.
        blocked_on: Vec<Option<(u64, u64)>>,
    }

    pub(super) fn diagnose(pids: &[i32]) -> Option<Diagnosis> {
        if !std::path::Path::new("/proc/self/stat").exists() {
            return None;
        }
        let before: HashMap<(i32, i32), Cpu> = pids
            .iter()
            .flat_map(|&pid| tids(pid).into_iter().map(move |tid| (pid, tid)))
            .filter_map(|(pid, tid)| Some(((pid, tid), cpu(pid, tid)?)))
            .collect();
        std::thread::sleep(SAMPLE);
        let mut seen: Vec<Seen> = Vec::new();
        for &pid in pids {
            let fds = fds(pid);
            let mut threads = Vec::new();
            let mut blocked_on = Vec::new();
            for tid in tids(pid) {
                let Some(now) = cpu(pid, tid) else { continue };
                if now.state == 'Z' || now.state == 'X' {
                    continue;
                }
                let earlier = before.get(&(pid, tid));
                let cpu_ms = match (earlier.and_then(|b| b.nanos), now.nanos) {
                    (Some(a), Some(b)) => b.saturating_sub(a) / 1_000_000,
                    _ => earlier.map_or(0, |b| now.ticks.saturating_sub(b.ticks) * 10),
                };
                let ran = earlier.is_some_and(|b| b.state == 'R') || now.state == 'R';
                let wchan = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/wchan"))
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let wchan = if wchan == "0" { String::new() } else { wchan };
                let call = syscall(pid, tid);
                let (kind, name) = call
                    .as_ref()
                    .map_or((Call::Other, ""), |(nr, _)| call_of(*nr));
                let fd_arg = call
                    .as_ref()
                    .and_then(|(_, args)| args.first())
                    .map(|&a| a as i32);
                let fd = fd_arg.and_then(|n| fds.iter().find(|f| f.fd == n));
                let (activity, on) = classify(
                    pid,
                    now.state,
                    ran || cpu_ms >= 5,
                    &wchan,
                    (kind, name),
                    call.as_ref().map(|(_, a)| a.as_slice()).unwrap_or(&[]),
                    fd,
                );
                threads.push(ThreadState {
                    tid,
                    state: now.state,
                    wchan,
                    syscall: (!name.is_empty()).then(|| name.to_string()),
                    cpu_ms,
                    activity,
                });
                blocked_on.push(on);
            }
            if threads.is_empty() {
                continue;
            }
            seen.push(Seen {
                process: StuckProcess {
                    pid,
                    ppid: ppid(pid),
                    role: role_of(pid),
                    threads,
                },
                fds,
                blocked_on,
            });
        }
        // The check program (this process) may hold pipe ends itself: a FIFO it keeps open as a silent peer, a
        // pipe it reads only later. Findings then name it instead of saying nobody holds the end.
        let me = std::process::id() as i32;
        let check = (!pids.contains(&me)).then(|| Seen {
            process: StuckProcess {
                pid: me,
                ppid: ppid(me),
                role: THE_CHECK.to_string(),
                threads: Vec::new(),
            },
            fds: fds(me),
            blocked_on: Vec::new(),
        });
        let findings = findings(&seen, check.as_ref());
        Some(Diagnosis {
            processes: seen.into_iter().map(|s| s.process).collect(),
            findings,
        })
    }

    fn classify(
        pid: i32,
        state: char,
        busy: bool,
        wchan: &str,
        (call, name): (Call, &str),
        args: &[u64],
        fd: Option<&Fd>,
    ) -> (Activity, Option<(u64, u64)>) {
        let fd_no = fd.map(|f| f.fd);
        let fifo = fd
            .filter(|f| f.kind == FdKind::Fifo)
            .map(|f| f.path.clone());
        let on = fd.map(|f| f.key);
        if state == 'T' || state == 't' {
            return (Activity::Stopped, None);
        }
        if busy {
            return (Activity::Busy, None);
        }
        let pipe_fd = fd.is_some_and(|f| matches!(f.kind, FdKind::Pipe | FdKind::Fifo));
        let socket_fd = fd.is_some_and(|f| f.kind == FdKind::Socket);
        let w = wchan;
        let activity = if w.contains("pipe_write") || (call == Call::Write && pipe_fd) {
            Activity::WritingPipe { fd: fd_no, fifo }
        } else if w.contains("pipe_read") || (call == Call::Read && pipe_fd) {
            Activity::ReadingPipe { fd: fd_no, fifo }
        } else if w.contains("wait_for_partner") || w.contains("fifo_open") {
            // openat(dirfd, path, flags, …); open(path, flags, …) has no dirfd.
            let (path_arg, flags_arg) = match name {
                "openat" => (args.get(1), args.get(2)),
                "open" => (args.first(), args.get(1)),
                _ => (None, None),
            };
            let path = path_arg.and_then(|&a| string_at(pid, a));
            let for_writing = flags_arg.map(|&f| f & 3 != 0);
            return (Activity::OpeningFifo { path, for_writing }, None);
        } else if w.contains("unix_stream_read")
            || w.contains("unix_stream_data_wait")
            || w.contains("sk_wait_data")
            || w.contains("tcp_recvmsg")
            || (call == Call::Read && socket_fd)
        {
            Activity::ReadingSocket { fd: fd_no }
        } else if w.contains("sock_alloc_send")
            || w.contains("sk_stream_wait_memory")
            || (call == Call::Write && socket_fd)
        {
            Activity::WritingSocket { fd: fd_no }
        } else if w.contains("inet_csk_accept") || call == Call::Accept {
            Activity::Accepting
        } else if call == Call::Connect {
            Activity::Connecting
        } else if w.contains("do_wait") || w.contains("kernel_wait") || call == Call::Wait {
            Activity::WaitingForChild
        } else if w.contains("futex") || call == Call::Futex {
            Activity::WaitingOnLock
        } else if w.contains("nanosleep") || call == Call::Sleep || w.contains("do_sys_pause") {
            Activity::Sleeping
        } else if w.contains("poll") || w.contains("select") || call == Call::Poll {
            Activity::Polling
        } else if w.contains("wq_sleep")
            || w.contains("mq_timed")
            || matches!(call, Call::MqReceive | Call::MqSend)
        {
            Activity::MessageQueue {
                sending: match call {
                    Call::MqSend => Some(true),
                    Call::MqReceive => Some(false),
                    _ => None,
                },
            }
        } else if w.contains("locks_lock") || w.contains("flock") || call == Call::Lock {
            Activity::FileLock
        } else {
            Activity::Other
        };
        (activity, on)
    }

    fn who(s: &Seen) -> Who {
        Who {
            role: s.process.role.clone(),
            pid: s.process.pid,
        }
    }

    fn holders(seen: &[Seen], key: (u64, u64), write_end: bool) -> Vec<Holder> {
        let mut out = Vec::new();
        for s in seen {
            for f in &s.fds {
                if f.key == key && (if write_end { f.writable } else { f.readable }) {
                    out.push(Holder {
                        role: s.process.role.clone(),
                        pid: s.process.pid,
                        fd: f.fd,
                    });
                }
            }
        }
        out
    }

    /// Whether some thread of the run is writing into (`writing`) or reading from the object `key`.
    fn someone(seen: &[Seen], key: (u64, u64), writing: bool) -> bool {
        seen.iter().any(|s| {
            s.process.threads.iter().zip(&s.blocked_on).any(|(t, on)| {
                *on == Some(key)
                    && matches!(
                        (&t.activity, writing),
                        (Activity::WritingPipe { .. }, true)
                            | (Activity::ReadingPipe { .. }, false)
                    )
            })
        })
    }

    fn findings(seen: &[Seen], check: Option<&Seen>) -> Vec<Finding> {
        // Who holds an end: the run's processes, and the check program when it does.
        let held_by = |key: (u64, u64), write_end: bool| {
            let mut found = holders(seen, key, write_end);
            found.extend(
                check
                    .map(|c| holders(std::slice::from_ref(c), key, write_end))
                    .unwrap_or_default(),
            );
            found
        };
        // A process blocked in `open` of a FIFO comes first: nothing flows through a FIFO until both ends are
        // open, so whatever else waits is waiting behind it.
        let mut out: Vec<Finding> = seen
            .iter()
            .flat_map(|s| {
                s.process
                    .threads
                    .iter()
                    .filter_map(move |t| match &t.activity {
                        Activity::OpeningFifo { path, for_writing } => Some(Finding::FifoOpen {
                            who: who(s),
                            path: path.clone(),
                            for_writing: *for_writing,
                        }),
                        _ => None,
                    })
            })
            .collect();
        let someone_opening = !out.is_empty();
        // Writers into full pipes; a deadlock when each writer's readers are themselves stuck writing.
        let mut writers: Vec<(usize, (u64, u64))> = Vec::new();
        for (i, s) in seen.iter().enumerate() {
            for (t, on) in s.process.threads.iter().zip(&s.blocked_on) {
                if let (Activity::WritingPipe { .. }, Some(key)) = (&t.activity, on) {
                    writers.push((i, *key));
                }
            }
        }
        let writing_pids: Vec<i32> = writers.iter().map(|&(i, _)| seen[i].process.pid).collect();
        let all_blocked_by_writers = writers.len() >= 2
            && writers.iter().all(|&(i, key)| {
                holders(seen, key, false)
                    .iter()
                    .any(|h| h.pid != seen[i].process.pid && writing_pids.contains(&h.pid))
            });
        if all_blocked_by_writers {
            let mut who_list: Vec<Who> = writers.iter().map(|&(i, _)| who(&seen[i])).collect();
            who_list.dedup();
            out.push(Finding::PipeWriteDeadlock { writers: who_list });
        } else {
            for &(i, key) in &writers {
                out.push(Finding::PipeFull {
                    writer: who(&seen[i]),
                    readers: held_by(key, false),
                });
            }
        }
        for s in seen {
            for (t, on) in s.process.threads.iter().zip(&s.blocked_on) {
                match (&t.activity, on) {
                    (Activity::ReadingPipe { fifo, .. }, Some(key))
                        if !someone(seen, *key, true) =>
                    {
                        let holders = held_by(*key, true);
                        // A reader that holds its FIFO's write end itself (opened read-write on purpose, so that
                        // it never reads end-of-file) is waiting for writers to come: when one is stuck opening a
                        // FIFO, that is the story, not this end.
                        let own_fifo = fifo.is_some()
                            && !holders.is_empty()
                            && holders.iter().all(|h| h.pid == s.process.pid);
                        if !(own_fifo && someone_opening) {
                            out.push(Finding::EofNeverComes {
                                reader: who(s),
                                holders,
                            });
                        }
                    }
                    (Activity::ReadingPipe { .. }, None) => out.push(Finding::EofNeverComes {
                        reader: who(s),
                        holders: Vec::new(),
                    }),
                    (Activity::ReadingSocket { .. }, _) => {
                        out.push(Finding::SocketNoShutdown { reader: who(s) })
                    }
                    _ => {}
                }
            }
        }
        let busy: Vec<Who> = seen
            .iter()
            .filter(|s| {
                s.process
                    .threads
                    .iter()
                    .any(|t| t.activity == Activity::Busy)
            })
            .map(who)
            .collect();
        if !busy.is_empty() {
            out.push(Finding::BusyLoop { who: busy });
        }
        for s in seen {
            if s.process
                .threads
                .iter()
                .any(|t| t.activity == Activity::WaitingForChild)
            {
                let children = seen
                    .iter()
                    .filter(|c| c.process.ppid == s.process.pid)
                    .map(who)
                    .collect();
                out.push(Finding::WaitingForChild {
                    parent: who(s),
                    children,
                });
            }
        }
        // A pipe only the check reads waits for the check's own scenario (a slow reader): that comes last.
        out.sort_by_key(|f| {
            matches!(f, Finding::PipeFull { readers, .. }
                if !readers.is_empty() && readers.iter().all(|r| r.role == THE_CHECK))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::role_from_args;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_role_is_called_by_its_name_and_arguments() {
        let check = "/t/conc-lings/build/spawn_all_then_wait__rt";
        assert_eq!(
            role_from_args(check, &args(&["--conc-lings-role=runner", "big"]), true),
            "runner big"
        );
        assert_eq!(
            role_from_args(check, &args(&["server", "/tmp/x/requests"]), true),
            "server …/requests"
        );
        assert_eq!(role_from_args(check, &[], true), "spawn_all_then_wait");
        assert_eq!(
            role_from_args("/bin/sh", &args(&["-c", "--conc-lings-role=x"]), false),
            "sh -c --conc-lings-role=x"
        );
    }
}
