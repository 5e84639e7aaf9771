// Known-wrong: runs each job on a thread of its own and treats a failed `join` as a crashed job. That catches a
// panic, which unwinds one thread — but `abort` ends the whole process, every thread of it, batch runner included.

use nix::sys::resource::{Resource, setrlimit};
use std::io::{self, Write};

/// Runs every job. One result per job, in order: `Some(line)` if the job finished, `None` if it crashed.
pub fn run_jobs(jobs: &[&str]) -> io::Result<Vec<Option<String>>> {
    let mut results = Vec::new();
    for job in jobs {
        // On a thread of its own: if the job fails, `join` says so and the batch goes on.
        let job = job.to_string();
        let worker = std::thread::spawn(move || {
            let mut output = Vec::new();
            process_job(&job, &mut output).map(|()| output)
        });
        results.push(match worker.join() {
            Ok(Ok(output)) => Some(String::from_utf8_lossy(&output).trim_end().to_string()),
            _ => None,
        });
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
