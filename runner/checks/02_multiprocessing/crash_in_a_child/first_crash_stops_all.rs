// Known-wrong: one child process per job and the exit status checked — but the first crash stops the whole batch
// with an error, so the results of every other job, before and after it, are lost all the same.

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
        if !output.status.success() {
            return Err(io::Error::other(format!(
                "job {job:?} failed: {}",
                output.status
            )));
        }
        results.push(Some(
            String::from_utf8_lossy(&output.stdout)
                .trim_end()
                .to_string(),
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
