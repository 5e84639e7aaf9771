// job_queue — message queue (메시지 큐)
//
// EN: A dispatcher hands jobs to a worker process through a POSIX message queue, a queue the kernel keeps under
//     a name like `/jobs`. `dispatch` creates the queue, starts the worker (this program, `worker NAME`), sends
//     every job and then a stop message, and returns what the worker printed. Each job is one message: its text
//     is the message, its priority the message's priority; the kernel hands out the highest priority first.
//     The stop message is empty, priority 0, so it comes after every job still waiting.
//     Three things are wrong, each a property of POSIX queues:
//     1. They are bounded: this one holds MAX_MESSAGES (10; also the most an ordinary Linux user may ask for).
//        `mq_send` on a full queue waits until someone receives. `dispatch` sends every job before it starts
//        the worker — fine for 3 jobs, stuck for ever at the 11th.
//     2. They keep message boundaries: `mq_receive` returns one whole message, never part of one, and it
//        refuses (EMSGSIZE) a buffer smaller than the queue's message size — even if the message itself is
//        short. `receive` uses a 64-byte buffer for a queue of 128-byte messages.
//     3. They live until `mq_unlink`, like a file: closing it in every process does not remove it. `dispatch`
//        created the queue and never removes it. It must, once the worker is done — also when something failed
//        (a send refused): then no stop message comes, so end the worker and wait for it before returning.
//     Fix the three TODOs. Keep MAX_MESSAGES and MESSAGE_SIZE, and the functions' names and signatures.
//
// KO: 분배기가 POSIX 메시지 큐로 작업자 프로세스에게 작업을 넘깁니다. 커널이 `/jobs` 같은 이름으로 관리하는 큐입니다.
//     `dispatch`는 큐를 만들고, 작업자(이 프로그램, `worker NAME`)를 시작하고, 모든 작업과 그다음 멈춤 메시지를
//     보낸 뒤, 작업자가 출력한 것을 돌려줍니다. 작업 하나가 메시지 하나입니다. 작업의 텍스트가 메시지이고, 우선순위가
//     메시지의 우선순위입니다. 커널은 우선순위가 가장 높은 것부터 내줍니다. 멈춤 메시지는 비어 있고 우선순위 0이라서,
//     아직 기다리는 모든 작업 뒤에 옵니다.
//     세 가지가 잘못되었는데, 모두 POSIX 큐의 성질입니다:
//     1. 크기가 정해져 있습니다. 이 큐는 MAX_MESSAGES(10개, 리눅스 일반 사용자가 요청할 수 있는 최대이기도 합니다)를
//        담습니다. 가득 찬 큐에 `mq_send`하면 누군가 받을 때까지 기다립니다. `dispatch`는 작업자를 시작하기 전에 모든
//        작업을 보냅니다. 작업 3개면 괜찮지만, 11번째에서 영원히 멈춥니다.
//     2. 메시지 경계를 지킵니다. `mq_receive`는 메시지를 통째로 하나 돌려주고, 결코 일부만 주지 않으며, 큐의 메시지
//        크기보다 작은 버퍼는 메시지 자체가 짧더라도 거절합니다 (EMSGSIZE). `receive`는 128바이트 메시지 큐에
//        64바이트 버퍼를 씁니다.
//     3. 큐는 파일처럼 `mq_unlink`할 때까지 남습니다. 모든 프로세스에서 닫아도 지워지지 않습니다. `dispatch`는 큐를
//        만들고 지우지 않습니다. 작업자가 끝나면 지워야 하고, 무언가 실패했을 때(보내기가 거절됨)도 지워야 합니다. 그때는
//        멈춤 메시지가 오지 않으니, 작업자를 끝내고 기다린 뒤에 돌아오세요.
//     TODO 세 곳을 고치세요. MAX_MESSAGES와 MESSAGE_SIZE, 함수들의 이름과 시그니처는 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin job_queue`.
// 직접 실행해 보기: `cargo run -p exercises --bin job_queue`.

use nix::mqueue::{MQ_OFlag, MqAttr, MqdT, mq_close, mq_open, mq_receive, mq_send};
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
    // TODO(2): "the jobs are short" — but mq_receive wants room for the longest message the queue allows.
    // 할 일(2): "작업은 짧다"고 해도, mq_receive는 큐가 허용하는 가장 긴 메시지가 들어갈 자리를 요구합니다.
    let mut buf = [0u8; 64];
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
    // TODO(1): every job goes into the queue before the worker is started. The queue holds MAX_MESSAGES.
    // 할 일(1): 작업자를 시작하기 전에 모든 작업을 큐에 넣습니다. 큐에는 MAX_MESSAGES개까지만 들어갑니다.
    for (priority, text) in jobs {
        send_job(&queue, *priority, text)?;
    }
    send_stop(&queue)?;
    let worker = Command::new(std::env::current_exe()?)
        .args(["worker", name])
        .stdout(Stdio::piped())
        .spawn()?;
    let output = worker.wait_with_output()?;
    mq_close(queue)?;
    // TODO(3): the queue stays in the kernel until it is unlinked, long after both processes are gone.
    // 할 일(3): 큐는 unlink할 때까지 커널에 남습니다. 두 프로세스가 모두 끝난 뒤에도 남습니다.
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
