// crash_in_a_child — multiprocessing (멀티프로세싱)
//
// EN: A batch runner runs text jobs: each job's words come out in capital letters. The work is done by a parsing
//     library that, on input it cannot handle (here the word `boom`), calls `abort()` — as C libraries do with a
//     failed `assert`. `abort` does not unwind and cannot be caught: it ends the whole process, every thread of
//     it, and every result the batch had collected so far.
//     `run_jobs` returns one result per job, in order: `Some(line)` for a job that finished, `None` for one that
//     crashed. The good jobs' results must survive a bad job.
//     TODO: run each job in a child process of its own — this same program with the arguments `job TEXT`
//     (`main` already knows how to run one job that way). A process is isolated: its crash ends it alone, and
//     `wait` tells the parent how it ended. But isolation covers memory, not what the job already wrote: a job
//     that crashes halfway may have printed half a line. Trust a child's output only if it exited successfully.
//
// KO: 일괄 실행기(batch runner)가 텍스트 작업들을 실행합니다. 작업마다 단어들이 대문자로 나옵니다. 일은 파싱
//     라이브러리가 하는데, 이 라이브러리는 다룰 수 없는 입력(여기서는 단어 `boom`)을 만나면 `abort()`를 부릅니다.
//     C 라이브러리가 `assert`에 실패하면 그러듯이 말입니다. `abort`는 스택을 풀지(unwind) 않고 잡을 수도 없습니다. 프로세스
//     전체를, 그 모든 스레드를, 그리고 일괄 작업이 지금까지 모은 모든 결과를 끝내 버립니다.
//     `run_jobs`는 작업마다 결과 하나를 순서대로 돌려주는데, 끝난 작업은 `Some(줄)`, 죽은 작업은 `None`입니다.
//     나쁜 작업이 있어도 좋은 작업들의 결과는 살아남아야 합니다.
//     TODO: 작업마다 자기 자식 프로세스에서 실행하세요. 같은 프로그램을 `job TEXT` 인자로 실행하면 됩니다
//     (`main`은 그렇게 작업 하나를 실행할 줄 이미 압니다). 프로세스는 격리되어 있어서 죽어도 자기만 끝나고, 부모는
//     `wait`으로 그 프로세스가 어떻게 끝났는지 알 수 있습니다. 하지만 격리는 메모리만 덮고, 작업이 이미 쓴 것은
//     덮지 못합니다. 중간에 죽은 작업은 반 줄을 출력했을 수 있습니다. 자식의 출력은 정상 종료했을 때만 믿으세요.
//
// Run it yourself: `cargo run -p exercises --bin crash_in_a_child`.
// 직접 실행해 보기: `cargo run -p exercises --bin crash_in_a_child`.

use nix::sys::resource::{Resource, setrlimit};
use std::io::{self, Write};

/// Runs every job. One result per job, in order: `Some(line)` if the job finished, `None` if it crashed.
pub fn run_jobs(jobs: &[&str]) -> io::Result<Vec<Option<String>>> {
    let mut results = Vec::new();
    for job in jobs {
        // TODO: a job that aborts takes this whole process down, and every result collected so far with it.
        // 할 일: 작업 하나가 abort하면 이 프로세스 전체가 끝나고, 지금까지 모은 결과도 모두 함께 사라집니다.
        let mut output = Vec::new();
        process_job(job, &mut output)?;
        results.push(Some(
            String::from_utf8_lossy(&output).trim_end().to_string(),
        ));
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
