// Hidden check for `spawn_all_then_wait`: `run_all` runs its jobs at the same time — forced, not timed: three jobs
// that wait for each other in a chain (through FIFOs) can only finish if all three run at once, and a one-by-one
// runner is stopped and diagnosed. Outputs come back in list order although the chain ends them last to first; a
// job printing more than a pipe holds comes back whole; and when a job cannot start, the started ones are reaped.
//
// | rule (header)                                              | check                                             |
// |------------------------------------------------------------|---------------------------------------------------|
// | start every job, then wait: they all run at once           | three jobs chained through FIFOs                  |
// | outputs in the order of `jobs`, whatever order they end in | `say a`/`fail`/`say c`; the chain ends last first |
// | capture stdout and stderr, each may exceed a pipe (64 KiB) | 200 000 B on stdout; 100 000 B on stdout then     |
// |   (both pipes drained at once, whichever the job fills)    |   100 000 B on stderr; 100 000 B stderr first     |
// | a job that cannot start: wait for the started ones, then   | `pause 700`, a job printing 100 000 B on both     |
// |   return the error (and none is left running)              |   streams, then a program that does not exist     |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, ProcessFailure, explain_timeout, pick, secs};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

/// A command that runs this check program as its role `job` with `args`: the jobs handed to the learner's
/// `run_all` are the check's own.
fn job(args: &[&str]) -> Command {
    conc_check::process::role_command("job", args)
}

/// FNV-1a, to print one line about a big output instead of the output.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// What the `big` job prints: `len` bytes of numbered lines.
fn big_output(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 16);
    let mut i = 0;
    while out.len() < len {
        out.extend_from_slice(format!("line {i}\n").as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

/// One stream as the runner prints it: its text, or its length and fingerprint if it is long.
fn describe(bytes: &[u8]) -> String {
    if bytes.len() > 1000 {
        format!("{} {:016x}", bytes.len(), fingerprint(bytes))
    } else {
        String::from_utf8_lossy(bytes).trim_end().to_string()
    }
}

fn mkfifo(path: &Path) {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o600))
        .unwrap_or_else(|e| panic!("the check cannot make a FIFO at {}: {e}", path.display()));
}

fn run_runner(ex: &Exercise, args: &[&str]) -> conc_check::process::RoleOutput {
    let out = ex.check_role("runner", args).timeout(secs(3)).run();
    out.expect_success();
    out
}

pub fn checks(c: &mut Checks) {
    // job say TEXT | fail | meet NAME WAIT|- SIGNAL|- | big BYTES [ERR [out|err first]] | pause MILLIS — what the
    // jobs do.
    c.role("job", |args| match args[0].as_str() {
        "say" => println!("{}", args[1]),
        "fail" => std::process::exit(3),
        "meet" => {
            // Wait until the next job in the chain has opened WAIT and closed it again, say who we are, then
            // release the previous one through SIGNAL. Opening a FIFO blocks until the other side opens it too.
            if args[2] != "-" {
                let mut go = String::new();
                std::fs::File::open(&args[2])
                    .and_then(|mut f| f.read_to_string(&mut go))
                    .expect(tr("the job cannot read its FIFO", "작업이 자기 FIFO를 읽지 못했습니다"));
            }
            println!("{}", args[1]);
            if args[3] != "-" {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&args[3])
                    .and_then(|mut f| f.write_all(b"go"))
                    .expect(tr("the job cannot write its FIFO", "작업이 자기 FIFO에 쓰지 못했습니다"));
            }
        }
        "big" => {
            // BYTES on stdout and ERR on stderr, stdout first unless told `err`.
            let out = big_output(args[1].parse().expect("a size"));
            let err = big_output(args.get(2).map_or(0, |n| n.parse().expect("a size")));
            let to_stdout = || std::io::stdout().lock().write_all(&out);
            let to_stderr = || std::io::stderr().lock().write_all(&err);
            if args.get(3).is_some_and(|first| first == "err") {
                to_stderr().and_then(|_| to_stdout())
            } else {
                to_stdout().and_then(|_| to_stderr())
            }
            .expect(tr("the job cannot print", "작업이 출력하지 못했습니다"));
        }
        "pause" => {
            std::thread::sleep(std::time::Duration::from_millis(
                args[1].parse().expect("milliseconds"),
            ));
            println!("paused");
        }
        other => panic!("no such job: {other}"),
    });
    // runner order | meet F01 F12 | big | missing — calls the learner's `run_all` with those jobs and prints one
    // line per output: the exit code, then stdout (or its length and fingerprint), then `| err` and stderr the
    // same way if the job printed any.
    c.role("runner", |args| {
        let jobs = match args[0].as_str() {
            "order" => vec![job(&["say", "a"]), job(&["fail"]), job(&["say", "c"])],
            "meet" => vec![
                job(&["meet", "job0", &args[1], "-"]),
                job(&["meet", "job1", &args[2], &args[1]]),
                job(&["meet", "job2", "-", &args[2]]),
            ],
            "big" => vec![
                job(&["big", "200000"]),
                job(&["say", "after"]),
                job(&["big", "100000", "100000", "out"]),
                job(&["big", "100000", "100000", "err"]),
            ],
            _ => vec![
                job(&["pause", "700"]),
                job(&["big", "100000", "100000"]),
                Command::new("/nonexistent/conc-lings-job"),
                job(&["pause", "700"]),
            ],
        };
        let n = jobs.len();
        match run_all(jobs) {
            Ok(outputs) => {
                if outputs.len() != n {
                    eprintln!(
                        "{}",
                        pick(
                            format!("run_all returned {} outputs for {n} jobs", outputs.len()),
                            format!("run_all이 작업 {n}개에 대해 출력 {}개를 돌려주었습니다", outputs.len()),
                        )
                    );
                    std::process::exit(1);
                }
                for o in outputs {
                    let code = o
                        .status
                        .code()
                        .map_or("killed".to_string(), |c| c.to_string());
                    let mut line = format!("{code} {}", describe(&o.stdout));
                    if !o.stderr.is_empty() {
                        line = format!("{} | err {}", line.trim_end(), describe(&o.stderr));
                    }
                    println!("{}", line.trim_end());
                }
            }
            Err(e) => {
                eprintln!("{}: {e}", tr("run_all returned an error", "run_all이 오류를 돌려주었습니다"));
                println!("error");
            }
        }
    });

    c.process(
        (
            "jobs `say a`, `fail` (exit code 3), `say c`: their outputs and exit codes, in that order",
            "작업 `say a`, `fail`(종료 코드 3), `say c`: 그 출력과 종료 코드가 그 순서대로",
        ),
        |ex| {
            run_runner(ex, &["order"]).expect_lines(
                &["0 a", "3", "0 c"],
                tr(
                    "exit code and stdout of each job, as run_all returned them",
                    "run_all이 돌려준 작업별 종료 코드와 stdout",
                ),
            );
        },
    );
    c.process(
        (
            "three jobs that wait for each other in a chain: all three must run at once; outputs still in list order",
            "사슬처럼 서로를 기다리는 작업 셋: 셋이 동시에 돌아야 합니다. 출력은 그래도 목록 순서대로",
        ),
        |ex| {
            let (f01, f12) = (ex.fifo_path("job0-waits-for-job1"), ex.fifo_path("job1-waits-for-job2"));
            mkfifo(&f01);
            mkfifo(&f12);
            let message = pick(
                "run_all did not finish: job0 waits for job1 (opening a FIFO blocks until the other side opens it \
                 too), job1 waits for job2 — and the jobs after job0 were never started. run_all waits for each job \
                 before it starts the next one; start them all first, then wait."
                    .to_string(),
                "run_all이 끝나지 않았습니다. job0은 job1을 기다리고(FIFO를 열면 반대쪽도 열 때까지 멈춥니다), job1은 job2를 \
                 기다리는데, job0 다음 작업들은 시작조차 되지 않았습니다. run_all이 작업 하나를 기다린 뒤에야 다음 작업을 \
                 시작합니다. 먼저 모두 시작하고, 그다음 기다리세요."
                    .to_string(),
            );
            let out = explain_timeout(message, || {
                run_runner(ex, &["meet", f01.to_str().unwrap(), f12.to_str().unwrap()])
            });
            let _ = std::fs::remove_file(&f01);
            let _ = std::fs::remove_file(&f12);
            out.expect_lines(
                &["0 job0", "0 job1", "0 job2"],
                tr(
                    "the outputs as run_all returned them (the jobs end job2 first, job0 last; the list order stays)",
                    "run_all이 돌려준 출력 (작업은 job2가 먼저, job0이 마지막에 끝나지만 목록 순서는 그대로)",
                ),
            );
        },
    );
    c.process(
        (
            "jobs print 200 000 bytes, or 100 000 on stdout and on stderr in either order (a pipe holds 64 KiB): \
             every output comes back whole",
            "작업들이 200,000바이트를, 또는 stdout과 stderr에 100,000바이트씩 어느 순서로든 출력 (파이프는 64 KiB를 \
             담습니다) → 모든 출력이 고스란히 돌아옵니다",
        ),
        |ex| {
            let first = format!("0 {}", describe(&big_output(200_000)));
            let half = describe(&big_output(100_000));
            let both = format!("0 {half} | err {half}");
            let message = pick(
                "run_all did not finish: a job that prints more than a pipe holds (64 KiB) waits until someone reads \
                 its output. Waiting for a child before reading its output deadlocks, and so does reading stdout to \
                 its end while the job is stuck on a full stderr (or the other way round); `wait_with_output` reads \
                 both pipes at once while it waits."
                    .to_string(),
                "run_all이 끝나지 않았습니다. 파이프가 담는 것(64 KiB)보다 많이 출력하는 작업은 누군가 그 출력을 읽을 때까지 \
                 기다립니다. 자식의 출력을 읽기 전에 자식이 끝나기를 기다리면 교착 상태가 되고, 작업이 가득 찬 stderr에서 \
                 멈춰 있는 동안 stdout을 끝까지 읽어도(또는 그 반대도) 마찬가지입니다. `wait_with_output`은 기다리면서 두 \
                 파이프를 한꺼번에 읽습니다."
                    .to_string(),
            );
            explain_timeout(message, || run_runner(ex, &["big"])).expect_lines(
                &[first.as_str(), "0 after", &both, &both],
                tr(
                    "exit code, length and fingerprint of each job's stdout (and stderr)",
                    "작업별 종료 코드, stdout(과 stderr)의 길이와 지문",
                ),
            );
        },
    );
    c.process(
        (
            "the third of four jobs cannot start: run_all returns the error, after waiting for the two it started \
             (one printing 100 000 bytes on stdout and on stderr)",
            "작업 넷 중 세 번째를 시작할 수 없음: run_all은 이미 시작한 둘(하나는 stdout과 stderr에 100,000바이트씩 \
             출력)을 기다린 뒤 오류를 돌려줍니다",
        ),
        |ex| {
            run_runner(ex, &["missing"]).expect_lines(
                &["error"],
                tr("what run_all returned", "run_all이 돌려준 것"),
            );
        },
    );
}
