// Known-wrong: starts every job, then waits for each to exit, and only then reads what it printed. A job that
// prints more than a pipe holds (64 KiB) blocks on its full stdout until someone reads it; the parent waits for
// it to exit first: a deadlock.

use std::io::{self, Read};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs every job and returns their outputs (status, stdout, stderr), in the order of `jobs`.
pub fn run_all(mut jobs: Vec<Command>) -> io::Result<Vec<Output>> {
    let mut running = Vec::with_capacity(jobs.len());
    for job in &mut jobs {
        running.push(
            job.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()?,
        );
    }
    let mut outputs = Vec::with_capacity(running.len());
    for mut child in running {
        let status = child.wait()?;
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        child
            .stdout
            .take()
            .expect("piped")
            .read_to_end(&mut stdout)?;
        child
            .stderr
            .take()
            .expect("piped")
            .read_to_end(&mut stderr)?;
        outputs.push(Output {
            status,
            stdout,
            stderr,
        });
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
