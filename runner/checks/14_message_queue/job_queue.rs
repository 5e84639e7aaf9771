// Hidden check for `job_queue`: a real POSIX message queue between a dispatcher and a worker process. Jobs arrive
// whole (one of 120 bytes too), jobs already waiting come out highest priority first with the stop message last,
// more jobs than the queue holds still get through, and the queue is unlinked when the dispatcher is done.
//
// requirement (header)                                       → check
// jobs whole (up to MESSAGE_SIZE), full-size receive buffer  → "three jobs" (one of 120 bytes)
// highest priority first, stop message (0) last              → "five jobs already waiting"
// more jobs than the queue holds (worker started first)      → "25 jobs"
// dispatch unlinks the queue it made                         → every dispatch check
// … also when something failed; no worker left waiting       → "a job longer than MESSAGE_SIZE"
// … but not before the worker has opened it                  → every dispatch check: the worker's mq_open waits
//                                                               until the dispatcher is blocked or done (below)
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, ProcessFailure, RoleOutput, explain_timeout, pick, secs};

/// The queue's name, handed to the check's roles in the environment (keeps their names short).
const QUEUE_ENV: &str = "JOB_QUEUE_NAME";

/// Set in a dispatch role's environment (so also its worker's): a worker's `mq_open` first waits until its
/// parent, the dispatcher, has settled — asleep in the kernel (sending into a full queue, waiting for the worker)
/// or gone. Whatever the dispatcher does before the worker opens the queue (an early `mq_unlink`), it has done.
const HOLD_OPEN_ENV: &str = "JOB_QUEUE_HOLD_OPEN";

// A worker's mq_open waits for its dispatcher to settle when HOLD_OPEN_ENV is set (see conc_check::force::mq_hold).
conc_check::interpose_mq_open_hold!(HOLD_OPEN_ENV);

/// Jobs as `P:TEXT` lines, one per job.
fn jobs_text(jobs: &[(u32, String)]) -> String {
    jobs.iter().map(|(p, t)| format!("{p}:{t}\n")).collect()
}

/// The jobs a role got on stdin.
fn read_jobs() -> Vec<(u32, String)> {
    use std::io::BufRead;
    std::io::stdin()
        .lock()
        .lines()
        .map(|line| {
            let line = line.expect("a line");
            let (p, t) = line.split_once(':').expect("P:TEXT");
            (p.parse().expect("a priority"), t.to_string())
        })
        .collect()
}

fn queue_exists(name: &str) -> bool {
    use nix::mqueue::{MQ_OFlag, mq_close, mq_open};
    match mq_open(
        name,
        MQ_OFlag::O_RDONLY,
        nix::sys::stat::Mode::empty(),
        None,
    ) {
        Ok(q) => {
            let _ = mq_close(q);
            true
        }
        Err(e) => e != nix::errno::Errno::ENOENT,
    }
}

/// Fails the check if the queue `name` still exists (and removes it).
fn expect_unlinked(out: &RoleOutput, name: &str) {
    if queue_exists(name) {
        let _ = nix::mqueue::mq_unlink(name);
        out.fail(&pick(
            format!(
                "dispatch has returned and the worker has exited, but the queue {name} still exists. A POSIX message \
                 queue lives in the kernel until it is unlinked — closing it in every process is not enough. The \
                 dispatcher created it: it calls mq_unlink when the worker is done."
            ),
            format!(
                "dispatch는 돌아왔고 작업자도 끝났는데 큐가 아직 남아 있습니다({name}). POSIX 메시지 큐는 unlink할 때까지 커널에 \
                 남습니다. 모든 프로세스에서 닫는 것으로는 부족합니다. 큐를 만든 것은 분배기이니, 작업자가 끝나면 분배기가 \
                 mq_unlink를 부릅니다."
            ),
        ));
    }
}

/// Runs `dispatch(name, jobs)` in a helper process; returns its output.
fn run_dispatch(ex: &Exercise, name: &str, jobs: &[(u32, String)]) -> RoleOutput {
    let out = ex
        .check_role("dispatch", &[])
        .env(QUEUE_ENV, name)
        .env(HOLD_OPEN_ENV, "1")
        .stdin(jobs_text(jobs))
        .timeout(secs(3))
        .run();
    let stderr = out.stderr();
    if !out.success() && (stderr.contains("EMSGSIZE") || stderr.contains("Message too long")) {
        out.fail(tr(
            "a call failed with EMSGSIZE (message too long). mq_receive delivers a message only whole, and refuses a \
             buffer smaller than the queue's message size (MESSAGE_SIZE), however short the next message is; \
             mq_send refuses a message longer than that size.",
            "호출 하나가 EMSGSIZE(메시지가 너무 김)로 실패했습니다. mq_receive는 메시지를 통째로만 주고, 큐의 메시지 \
             크기(MESSAGE_SIZE)보다 작은 버퍼는 다음 메시지가 아무리 짧아도 거절합니다. mq_send는 그 크기보다 긴 메시지를 \
             거절합니다.",
        ));
    }
    if !out.success() && stderr.contains("No such file") {
        out.fail(tr(
            "the worker could not open the queue: there is no queue by that name (any more). mq_unlink removes the \
             name at once — the queue lives on for whoever has it open, but nobody can open it by name after that. \
             Unlink it when the worker is done with it.",
            "작업자가 큐를 열지 못했습니다. 그 이름의 큐가 (더는) 없습니다. mq_unlink는 이름을 곧바로 없앱니다. 큐는 \
             그것을 열어 둔 이들에게는 남지만, 그 뒤로는 아무도 이름으로 열 수 없습니다. 작업자가 다 쓴 뒤에 \
             unlink하세요.",
        ));
    }
    out.expect_success();
    let got = out.lines().len();
    if got < jobs.len()
        && out
            .lines()
            .iter()
            .zip(jobs)
            .all(|(l, (p, t))| *l == format!("{p} {t}"))
    {
        out.fail(&pick(
            format!(
                "the worker stopped after {got} of {} jobs. Did the stop message come out of the queue before the jobs \
                 still waiting in it? The queue delivers the highest priority first: the stop message needs the \
                 lowest (0).",
                jobs.len()
            ),
            format!(
                "작업자가 작업 {}개 중 {got}개 뒤에 멈췄습니다. 멈춤 메시지가 큐에서 아직 기다리는 작업들보다 먼저 나오지 \
                 않았습니까? 큐는 우선순위가 가장 높은 것부터 내줍니다. 멈춤 메시지는 가장 낮은 우선순위(0)여야 합니다.",
                jobs.len()
            ),
        ));
    }
    out
}

pub fn checks(c: &mut Checks) {
    // dispatch (queue name in $JOB_QUEUE_NAME, `P:TEXT` jobs on stdin) — the learner's `dispatch`, printing the
    // worker's lines.
    c.role("dispatch", |_| {
        let name = std::env::var(QUEUE_ENV).expect("the queue's name");
        let jobs = read_jobs();
        let jobs: Vec<(u32, &str)> = jobs.iter().map(|(p, t)| (*p, t.as_str())).collect();
        match dispatch(&name, &jobs) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(e) => {
                eprintln!("{}: {e}", tr("dispatch returned an error", "dispatch가 오류를 돌려주었습니다"));
                std::process::exit(1);
            }
        }
    });
    // fill (queue name in $JOB_QUEUE_NAME, `P:TEXT` jobs on stdin) — creates the queue with the learner's
    // functions, sends those jobs and the stop message.
    c.role("fill", |_| {
        let name = std::env::var(QUEUE_ENV).expect("the queue's name");
        let queue = create_queue(&name).unwrap_or_else(|e| {
            eprintln!("{}: {e}", tr("create_queue failed", "create_queue 호출 실패"));
            std::process::exit(1)
        });
        for (priority, text) in read_jobs() {
            send_job(&queue, priority, &text).unwrap_or_else(|e| {
                eprintln!("{}: {e}", tr("send_job failed", "send_job 호출 실패"));
                std::process::exit(1)
            });
        }
        send_stop(&queue).unwrap_or_else(|e| {
            eprintln!("{}: {e}", tr("send_stop failed", "send_stop 호출 실패"));
            std::process::exit(1)
        });
    });

    c.process(
        (
            "three jobs of one priority (one of them 120 bytes long) through a worker process; afterwards the queue is gone",
            "같은 우선순위의 작업 셋 (하나는 120바이트)이 작업자 프로세스를 거침; 끝나면 큐가 없어집니다",
        ),
        |ex| {
            let name = ex.mq_name("jobs");
            let long = "fold the laundry ".repeat(8)[..120].to_string();
            let jobs = vec![(1, "wash".to_string()), (1, "dry".to_string()), (1, long.clone())];
            let out = run_dispatch(ex, &name, &jobs);
            out.expect_lines(
                &["1 wash".to_string(), "1 dry".to_string(), format!("1 {long}")],
                tr(
                    "what the worker printed (`PRIORITY TEXT` per job)",
                    "작업자가 출력한 것 (작업마다 `우선순위 텍스트`)",
                ),
            );
            expect_unlinked(&out, &name);
        },
    );
    c.process(
        (
            "five jobs already waiting in the queue: the worker gets them highest priority first, the stop message last",
            "큐에서 이미 기다리는 작업 다섯: 작업자는 우선순위가 높은 것부터 받고, 멈춤 메시지는 마지막에 받습니다",
        ),
        |ex| {
            let name = ex.mq_name("waiting");
            let jobs = "1:low a\n5:high\n1:low b\n3:mid\n0:lowest\n";
            ex.check_role("fill", &[])
                .env(QUEUE_ENV, &name)
                .stdin(jobs)
                .timeout(secs(3))
                .run()
                .expect_success();
            let out = ex.run(&["worker", &name], secs(3));
            let _ = nix::mqueue::mq_unlink(name.as_str());
            out.expect_success();
            if out.lines().is_empty() {
                out.fail(tr(
                    "the worker printed no job at all: the stop message came out of the queue first. A queue delivers \
                     the highest priority first — a stop message must have the lowest priority (0), so that it comes \
                     after every job still waiting.",
                    "작업자가 작업을 하나도 출력하지 않았습니다. 멈춤 메시지가 큐에서 먼저 나왔습니다. 큐는 우선순위가 가장 높은 \
                     것부터 내줍니다. 멈춤 메시지는 가장 낮은 우선순위(0)여야, 아직 기다리는 모든 작업 뒤에 옵니다.",
                ));
            }
            out.expect_lines(
                &["5 high", "3 mid", "1 low a", "1 low b", "0 lowest"],
                tr(
                    "what the worker printed (highest priority first, equal priorities in the order sent)",
                    "작업자가 출력한 것 (우선순위가 높은 것부터, 같은 우선순위는 보낸 순서대로)",
                ),
            );
        },
    );
    c.process(
        (
            "25 jobs, more than the queue holds (10): every one reaches the worker, in order",
            "작업 25개, 큐가 담는 것(10개)보다 많음: 하나도 빠짐없이 순서대로 작업자에게 닿습니다",
        ),
        |ex| {
            let name = ex.mq_name("many");
            let jobs: Vec<(u32, String)> = (0..25).map(|i| (2, format!("job-{i}"))).collect();
            let message = pick(
                "dispatch did not finish: the queue holds MAX_MESSAGES (10) messages, and a send into a full queue waits \
                 until someone receives — but the worker that would receive is not running yet. Start the worker before \
                 sending."
                    .to_string(),
                "dispatch가 끝나지 않았습니다. 큐는 MAX_MESSAGES(10)개를 담고, 가득 찬 큐에 보내면 누군가 받을 때까지 \
                 기다립니다. 그런데 받아 줄 작업자가 아직 돌고 있지 않습니다. 보내기 전에 작업자를 시작하세요."
                    .to_string(),
            );
            let out = explain_timeout(message, || run_dispatch(ex, &name, &jobs));
            let expected: Vec<String> = jobs.iter().map(|(p, t)| format!("{p} {t}")).collect();
            out.expect_lines(
                &expected,
                tr("what the worker printed", "작업자가 출력한 것"),
            );
            expect_unlinked(&out, &name);
        },
    );
    c.process(
        (
            "a job longer than MESSAGE_SIZE: dispatch fails, and still unlinks the queue and stops its worker",
            "MESSAGE_SIZE보다 긴 작업: dispatch는 실패하지만, 그래도 큐를 unlink하고 작업자를 멈춥니다",
        ),
        |ex| {
            let name = ex.mq_name("too_long");
            // The long job first: the worker has printed nothing and waits in mq_receive when the send fails.
            let jobs = format!("1:{}\n1:after\n", "x".repeat(200));
            let out = ex
                .check_role("dispatch", &[])
                .env(QUEUE_ENV, &name)
                .env(HOLD_OPEN_ENV, "1")
                .stdin(jobs)
                .timeout(secs(3))
                .run();
            if out.success() {
                out.fail(tr(
                    "dispatch returned Ok although a job of 200 bytes cannot be sent into a queue of 128-byte \
                     messages (mq_send fails with EMSGSIZE): it should return that error",
                    "128바이트 메시지 큐에는 200바이트 작업을 보낼 수 없는데 (mq_send가 EMSGSIZE로 실패) dispatch가 \
                     Ok를 돌려주었습니다. 그 오류를 돌려주어야 합니다",
                ));
            }
            if queue_exists(&name) {
                let _ = nix::mqueue::mq_unlink(name.as_str());
                out.fail(&pick(
                    format!(
                        "sending a job failed (EMSGSIZE) and dispatch returned, but the queue {name} still exists: \
                         the dispatcher created it, so it unlinks it also when something went wrong (not only \
                         after the last `?`, and not in the worker, which never gets its stop message here)"
                    ),
                    format!(
                        "작업 보내기가 실패해서(EMSGSIZE) dispatch가 돌아왔는데, 큐가 아직 남아 있습니다({name}). 큐를 만든 \
                         분배기가 무언가 잘못되었을 때도 unlink합니다 (마지막 `?` 뒤에서만이 아니고, 여기서는 멈춤 \
                         메시지를 받지 못하는 작업자에서도 아닙니다)"
                    ),
                ));
            }
        },
    );
}
