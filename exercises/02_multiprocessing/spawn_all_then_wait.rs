// spawn_all_then_wait — multiprocessing (멀티프로세싱)
//
// EN: `run_all` runs a list of commands — like `make -j` or `xargs -P` — and returns their outputs in the order
//     of the list. It runs them one at a time: `output()` starts a job and waits for it to end before the next
//     one starts. Three jobs of a second each take three seconds, on any number of cores. Worse, jobs that need
//     each other never finish: a test client that waits for its server, a pipeline stage that waits for the next
//     one. A job that waits for a job that has not been started waits for ever.
//     TODO: start every job first (`spawn`), then wait for every one (`wait_with_output`). Then they all run at
//     the same time — concurrently, and in parallel when there are cores for it.
//     Rules: outputs in the order of `jobs`, whatever order the jobs end in; capture each job's stdout and
//     stderr (a job may print far more than a pipe holds); and if a job cannot be started, still wait for the
//     ones already started before returning the error — a child nobody waits for is left running (and, once it
//     ends, a zombie until its parent reaps it).
//
// KO: `run_all`은 (`make -j`나 `xargs -P`처럼) 명령 목록을 실행하고 그 출력들을 목록 순서대로 돌려줍니다. 지금은
//     하나씩 실행합니다. `output()`은 작업 하나를 시작하고, 그것이 끝날 때까지 기다린 뒤에야 다음 작업이
//     시작됩니다. 1초짜리 작업 셋은 코어가 몇 개든 3초가 걸립니다. 더 나쁘게는, 서로가 필요한 작업들은 끝나지
//     않습니다. 서버를 기다리는 테스트 클라이언트나 다음 단계를 기다리는 파이프라인 단계가 그렇습니다. 시작되지 않은 작업을
//     기다리는 작업은 영원히 기다립니다.
//     TODO: 먼저 모든 작업을 시작하고(`spawn`), 그다음 모두를 기다리세요(`wait_with_output`). 그러면 모두 동시에
//     돕니다. 동시적으로(concurrently) 돌고, 코어가 있으면 병렬로(in parallel) 돕니다.
//     규칙: 작업이 끝나는 순서와 상관없이 출력은 `jobs` 순서대로. 작업마다 stdout과 stderr를 받을 것(파이프가
//     담는 것보다 훨씬 많이 출력할 수 있습니다). 그리고 어떤 작업을 시작할 수 없으면, 오류를 돌려주기 전에 이미
//     시작한 작업들은 기다릴 것. 아무도 기다리지 않는 자식은 계속 돌고 있게 되고, 끝난 뒤에는 부모가 거둘
//     때까지 좀비로 남습니다.
//
// Run it yourself: `cargo run -p exercises --bin spawn_all_then_wait` (three jobs of 300 ms each).
// 직접 실행해 보기: `cargo run -p exercises --bin spawn_all_then_wait` (작업 셋, 각각 300밀리초).

use std::io;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs every job and returns their outputs (status, stdout, stderr), in the order of `jobs`.
pub fn run_all(mut jobs: Vec<Command>) -> io::Result<Vec<Output>> {
    let mut outputs = Vec::with_capacity(jobs.len());
    for job in &mut jobs {
        // TODO: `output()` starts this job and waits for it to end; only then does the next one start.
        // 할 일: `output()`은 이 작업을 시작하고 끝날 때까지 기다립니다. 그래야 다음 작업이 시작됩니다.
        outputs.push(job.output()?);
    }
    Ok(outputs)
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
