// Known-wrong: uses `spawn` and `wait_with_output` — but in the same loop turn, so each job is still waited for
// before the next one starts. Jobs that need each other never finish.

use std::io;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs every job and returns their outputs (status, stdout, stderr), in the order of `jobs`.
pub fn run_all(mut jobs: Vec<Command>) -> io::Result<Vec<Output>> {
    let mut outputs = Vec::with_capacity(jobs.len());
    for job in &mut jobs {
        let child = job
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        outputs.push(child.wait_with_output()?);
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
