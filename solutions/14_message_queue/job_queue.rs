// job_queue — message queue (메시지 큐)
//
// EN: A dispatcher hands jobs to a worker process through a POSIX message queue. The solution starts the worker
//     before sending anything, so the worker drains the queue while the dispatcher fills it: a bounded queue
//     (10 messages) makes the sender wait when it is full, never fail or lose a job. The worker receives into a
//     buffer as large as the queue's message size, since a message only ever comes whole. And the dispatcher,
//     which created the queue, unlinks it when the worker is done — whether the run went well or not — because a
//     queue lives in the kernel until `mq_unlink`. When a send fails, no stop message will come: the dispatcher
//     ends the worker and waits for it before it returns the error.
//
// KO: 분배기가 POSIX 메시지 큐로 작업자 프로세스에게 작업을 넘깁니다. 해답은 아무것도 보내기 전에 작업자를 시작해서,
//     분배기가 큐를 채우는 동안 작업자가 비우게 합니다. 크기가 정해진 큐(메시지 10개)는 가득 차면 보내는 쪽을
//     기다리게 할 뿐, 실패시키거나 작업을 잃지 않습니다. 메시지는 언제나 통째로만 오므로, 작업자는 큐의 메시지
//     크기만큼 큰 버퍼로 받습니다. 그리고 큐를 만든 분배기가 작업자가 끝나면 잘 끝났든 아니든 큐를 unlink
//     합니다. 큐는 `mq_unlink`할 때까지 커널에 남기 때문입니다. 보내기가 실패하면 멈춤 메시지는 오지 않으므로,
//     분배기는 작업자를 끝내고 기다린 뒤에 오류를 돌려줍니다.
//
// Run it yourself: `cargo run -p solutions --bin job_queue`.
// 직접 실행해 보기: `cargo run -p solutions --bin job_queue`.

use nix::mqueue::{MQ_OFlag, MqAttr, MqdT, mq_close, mq_open, mq_receive, mq_send, mq_unlink};
use nix::sys::stat::Mode;
use std::io;
use std::process::{Command, Stdio};

/// How many messages the queue holds: Linux's default, and the most an ordinary user may ask for
/// (`/proc/sys/fs/mqueue/msg_max`).
pub const MAX_MESSAGES: i64 = 10;
/// The largest message, in bytes.
pub const MESSAGE_SIZE: i64 = 128;

/// Creates the queue `name` (`/something`) for sending; fails if it exists already.
pub fn create_queue(name: &str) -> io::Result<MqdT> {
    let attr = MqAttr::new(0, MAX_MESSAGES, MESSAGE_SIZE, 0);
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_WRONLY;
    Ok(mq_open(
        name,
        flags,
        Mode::S_IRUSR | Mode::S_IWUSR,
        Some(&attr),
    )?)
}

/// Opens the existing queue `name` for receiving.
pub fn open_queue(name: &str) -> io::Result<MqdT> {
    Ok(mq_open(name, MQ_OFlag::O_RDONLY, Mode::empty(), None)?)
}

/// Sends one job: its text is the message, its priority the message's priority.
pub fn send_job(queue: &MqdT, priority: u32, text: &str) -> io::Result<()> {
    Ok(mq_send(queue, text.as_bytes(), priority)?)
}

/// Tells the worker that no more jobs come: an empty message of priority 0, so it comes after every job still
/// waiting in the queue.
pub fn send_stop(queue: &MqdT) -> io::Result<()> {
    Ok(mq_send(queue, b"", 0)?)
}

/// The next job, highest priority first, as `(priority, text)`; `None` at the stop message.
pub fn receive(queue: &MqdT) -> io::Result<Option<(u32, String)>> {
    // Room for the longest message the queue allows: mq_receive delivers whole messages only, and refuses a
    // smaller buffer (EMSGSIZE) whatever the length of the next message.
    let mut buf = [0u8; MESSAGE_SIZE as usize];
    let mut priority = 0;
    let len = mq_receive(queue, &mut buf, &mut priority)?;
    if len == 0 {
        return Ok(None);
    }
    Ok(Some((
        priority,
        String::from_utf8_lossy(&buf[..len]).into_owned(),
    )))
}

/// The worker: receives jobs until the stop message and prints `PRIORITY TEXT` for each.
fn worker(name: &str) -> io::Result<()> {
    let queue = open_queue(name)?;
    while let Some((priority, text)) = receive(&queue)? {
        println!("{priority} {text}");
    }
    Ok(mq_close(queue)?)
}

/// Creates the queue `name`, starts a worker process, sends it every job and the stop message, and returns the
/// lines the worker printed.
pub fn dispatch(name: &str, jobs: &[(u32, &str)]) -> io::Result<Vec<String>> {
    let queue = create_queue(name)?;
    let result = send_to_worker(name, &queue, jobs);
    mq_close(queue)?;
    // We created the queue, so we remove it — also when something failed. Until then it stays in the kernel,
    // with every job still in it, after every process has closed it.
    mq_unlink(name)?;
    result
}

fn send_to_worker(name: &str, queue: &MqdT, jobs: &[(u32, &str)]) -> io::Result<Vec<String>> {
    // The worker first: the queue holds MAX_MESSAGES, so someone must be receiving while we send. When the queue
    // is full, `mq_send` waits until the worker has taken a message.
    let mut worker = Command::new(std::env::current_exe()?)
        .args(["worker", name])
        .stdout(Stdio::piped())
        .spawn()?;
    let sent = jobs
        .iter()
        .try_for_each(|(priority, text)| send_job(queue, *priority, text))
        .and_then(|()| send_stop(queue));
    if sent.is_err() {
        // No stop message is coming (a job too long, say): the worker would wait for it for ever. End it, and
        // still wait for it below.
        let _ = worker.kill();
    }
    let output = worker.wait_with_output()?;
    sent?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the worker failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, name] = args.as_slice() {
        if role != "worker" {
            return Err(io::Error::other("usage: job_queue [worker NAME]"));
        }
        return worker(name);
    }
    let jobs: Vec<(u32, String)> = (0..12)
        .map(|i| (if i % 5 == 0 { 7 } else { 1 }, format!("job {i}")))
        .collect();
    let jobs: Vec<(u32, &str)> = jobs.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let name = "/job_queue-demo";
    // A queue outlives the processes that use it: remove one left over by an earlier run that was interrupted.
    let _ = nix::mqueue::mq_unlink(name);
    for line in dispatch(name, &jobs)? {
        println!("{line}");
    }
    Ok(())
}
