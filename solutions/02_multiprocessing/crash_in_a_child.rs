// crash_in_a_child — multiprocessing (멀티프로세싱)
//
// EN: A batch runner runs text jobs with a parsing library that calls `abort()` on input it cannot handle.
//     `abort` ends the whole process and cannot be caught — not by `catch_unwind`, not by running the job on a
//     thread. The solution runs each job in a child process of its own (this program with `job TEXT`). A crash
//     then ends that child alone; `output()` waits for it and says how it ended. Only a child that exited
//     successfully counts: one that crashed halfway may have printed half a line, and isolation does not take
//     back what a process already wrote.
//
// KO: 일괄 실행기가 다룰 수 없는 입력에서 `abort()`를 부르는 파싱 라이브러리로 텍스트 작업들을 실행합니다.
//     `abort`는 프로세스 전체를 끝내고 잡을 수 없습니다. `catch_unwind`로도, 작업을 스레드에서 돌려도 안 됩니다.
//     해답은 작업마다 자기 자식 프로세스(이 프로그램을 `job TEXT`로 실행)에서 돌립니다. 그러면 크래시는 그 자식만
//     끝내고, `output()`이 자식을 기다려 어떻게 끝났는지 알려 줍니다. 정상 종료한 자식만 인정합니다. 중간에 죽은
//     자식은 반 줄을 출력했을 수 있고, 격리는 프로세스가 이미 쓴 것을 되돌리지 않습니다.
//
// Run it yourself: `cargo run -p solutions --bin crash_in_a_child`.
// 직접 실행해 보기: `cargo run -p solutions --bin crash_in_a_child`.

use nix::sys::resource::{Resource, setrlimit};
use std::io::{self, Write};
use std::process::{Command, Stdio};

/// Runs every job. One result per job, in order: `Some(line)` if the job finished, `None` if it crashed.
pub fn run_jobs(jobs: &[&str]) -> io::Result<Vec<Option<String>>> {
    let me = std::env::current_exe()?;
    let mut results = Vec::new();
    for job in jobs {
        // Each job in its own process: an abort ends that process, not this one.
        let output = Command::new(&me)
            .args(["job", job])
            .stdin(Stdio::null())
            .output()?;
        // `output()` waited for the child: its status says whether it finished or was killed (by SIGABRT here).
        // What a crashed child printed is only part of a result, so it does not count.
        results.push(output.status.success().then(|| {
            String::from_utf8_lossy(&output.stdout)
                .trim_end()
                .to_string()
        }));
    }
    Ok(results)
}

/// One job: writes the words of `job` in capital letters to `out`, one at a time, as the library parses them.
/// Do not change: this is the library's behaviour, `abort` included.
fn process_job(job: &str, out: &mut impl Write) -> io::Result<()> {
    for (i, word) in job.split_whitespace().enumerate() {
        if word == "boom" {
            library_abort();
        }
        if i > 0 {
            write!(out, " ")?;
        }
        write!(out, "{}", word.to_uppercase())?;
        out.flush()?;
    }
    writeln!(out)?;
    out.flush()
}

/// What the library does with input it cannot handle.
fn library_abort() -> ! {
    // No core dump file: this crash is part of the exercise.
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
    std::process::abort()
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, job] = args.as_slice() {
        // One job, in this process: its result goes to stdout.
        return match mode.as_str() {
            "job" => process_job(job, &mut io::stdout().lock()),
            _ => Err(io::Error::other("usage: crash_in_a_child [job TEXT]")),
        };
    }
    let jobs = ["hello world", "this one goes boom", "still here"];
    for (job, result) in jobs.iter().zip(run_jobs(&jobs)?) {
        match result {
            Some(line) => println!("{job:?} → {line:?}"),
            None => println!("{job:?} → crashed"),
        }
    }
    Ok(())
}
