// spawn_all_then_wait — multiprocessing (멀티프로세싱)
//
// EN: `run_all` runs a list of commands and returns their outputs in the order of the list. Run one by one, jobs
//     take the sum of their times, and jobs that need each other never finish. The solution starts every job
//     first, then waits for each. Waiting happens in list order, so the outputs come back in that order,
//     whichever job ends first. `wait_with_output` reads the child's stdout and stderr while it waits, so a job
//     that prints more than a pipe holds (64 KiB) is not stuck on a full pipe. When a job cannot be started, the
//     ones already started are waited for before the error is returned: every child started is reaped.
//
// KO: `run_all`은 명령 목록을 실행하고 그 출력들을 목록 순서대로 돌려줍니다. 하나씩 실행하면 작업 시간의 합만큼
//     걸리고, 서로가 필요한 작업들은 끝나지 않습니다. 해답은 먼저 모든 작업을 시작한 뒤 하나하나 기다립니다. 목록
//     순서대로 기다리므로, 어느 작업이 먼저 끝나든 출력은 그 순서로 돌아옵니다. `wait_with_output`은 기다리는 동안
//     자식의 stdout과 stderr를 읽으므로, 파이프가 담는 것(64 KiB)보다 많이 출력하는 작업도 가득 찬 파이프에 막히지
//     않습니다. 어떤 작업을 시작할 수 없으면, 오류를 돌려주기 전에 이미 시작한 작업들을 기다립니다. 시작한 자식은
//     모두 거둡니다(reap).
//
// Run it yourself: `cargo run -p solutions --bin spawn_all_then_wait` (three jobs of 300 ms each).
// 직접 실행해 보기: `cargo run -p solutions --bin spawn_all_then_wait` (작업 셋, 각각 300밀리초).

use std::io;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs every job and returns their outputs (status, stdout, stderr), in the order of `jobs`.
pub fn run_all(mut jobs: Vec<Command>) -> io::Result<Vec<Output>> {
    // First start them all: from here on they run at the same time.
    let mut running = Vec::with_capacity(jobs.len());
    for job in &mut jobs {
        let started = job
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match started {
            Ok(child) => running.push(child),
            Err(e) => {
                // Reap the ones already running before giving up, or they are left behind.
                for child in running {
                    let _ = child.wait_with_output();
                }
                return Err(e);
            }
        }
    }
    // Then wait for each, in list order. While we wait for one, the others run on; each can print up to a pipe
    // buffer (64 KiB) ahead of us before it has to wait until we get to it.
    running
        .into_iter()
        .map(|child| child.wait_with_output())
        .collect()
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, name, millis] = args.as_slice() {
        // One job: sleeps, then says its name.
        if mode != "job" {
            return Err(io::Error::other(
                "usage: spawn_all_then_wait [job NAME MILLIS]",
            ));
        }
        std::thread::sleep(Duration::from_millis(
            millis.parse().map_err(io::Error::other)?,
        ));
        println!("{name} done");
        return Ok(());
    }
    let me = std::env::current_exe()?;
    let jobs: Vec<Command> = ["a", "b", "c"]
        .iter()
        .map(|name| {
            let mut job = Command::new(&me);
            job.args(["job", name, "300"]);
            job
        })
        .collect();
    let started = Instant::now();
    let outputs = run_all(jobs)?;
    for output in &outputs {
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
    println!(
        "three jobs of 300 ms took {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}
