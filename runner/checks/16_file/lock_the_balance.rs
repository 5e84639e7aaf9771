// Hidden check for `lock_the_balance`: withdrawals from several processes are never lost, never pay out more
// than the balance, and a reader never sees a half-rewritten file. The interleavings are forced, not hoped for:
// the processes take turns one file operation each (conc_check::force::turns), so without one lock around the whole
// read-check-write both read before either writes, on every run; and a reader makes a whole `balance()` call at
// every step of a withdrawal, so it looks at every half-done state the withdrawal leaves.
//
// requirement (header)                                     → check
// withdraw pays only what the balance covers               → "one process: five withdrawals…", "60 each from 100"
// exclusive lock from before the read until after the      → "two processes withdraw 10 each", "three processes",
//   write (no lost update, no overdraft)                       "a whole withdrawal … at every step" (a lock released
//                                                              early, e.g. by closing another descriptor of the file)
// balance holds the shared lock: never a half-written file → "a process reads the balance at every step"
// the program's customer mode counts what was paid         → "the program as a customer"
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, RoleOutput, fail_check, pick, secs};
use std::path::{Path, PathBuf};

use conc_check::force::turns;

// This program's read, write, lock and rename calls go through the turnstile (see conc_check::force::turns).
conc_check::interpose_file_turns!();

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

/// A fresh folder with the account file holding `initial`; returns the account's path.
fn account(ex: &Exercise, initial: u64) -> PathBuf {
    let folder = ex.file_path("bank");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("the check's folder");
    let path = folder.join("balance");
    std::fs::write(&path, format!("{initial}\n")).expect("the check's account file");
    path
}

fn control(ex: &Exercise, parties: u32) -> String {
    let control = ex.file_path("turns.ctl");
    turns::prepare(&control, parties).expect("the check's turnstile");
    control.display().to_string()
}

/// What the account file holds at the end.
fn final_balance(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.trim_end().parse().unwrap_or_else(|_| {
        fail_check(&pick(
            format!("after the withdrawals the balance file holds {text:?}, not a number"),
            format!("출금이 끝난 뒤 잔액 파일에 숫자가 아닌 내용이 있습니다: {text:?}"),
        ))
    })
}

/// How many withdrawals a `withdraw` role got paid.
fn paid(out: &RoleOutput) -> u64 {
    out.expect_success();
    out.stdout().trim().parse().unwrap_or_else(|_| {
        out.fail(tr(
            "the check's customer did not report a number",
            "검사의 고객 프로세스가 숫자를 알려 주지 않았습니다",
        ))
    })
}

/// Runs `customers` processes of `times` withdrawals of `amount` each from `initial`, taking turns; fails unless
/// the number paid and the balance left add up. Returns the number paid.
fn withdraw_together(ex: &Exercise, customers: u32, times: u64, amount: u64, initial: u64) -> u64 {
    let path = account(ex, initial);
    let control = control(ex, customers);
    let path_s = path.display().to_string();
    let (times_s, amount_s) = (times.to_string(), amount.to_string());
    let running = (0..customers)
        .map(|_| {
            ex.check_role("withdraw", &[&path_s, &amount_s, &times_s, &control])
                .timeout(secs(8))
                .start()
        })
        .collect();
    let paid: u64 = ex.wait_all(running, secs(8)).iter().map(paid).sum();
    let tried = u64::from(customers) * times;
    settle(&path, customers, tried, amount, initial, paid)
}

/// An account holding `initial`; a customer making two withdrawals of 10 and check role `role` (`ACCOUNT ARGS…
/// CONTROL`), taking turns. Returns the account's path and both roles' outputs (the customer's first).
fn beside_two_withdrawals(
    ex: &Exercise,
    initial: u64,
    role: &str,
    args: &[&str],
) -> (PathBuf, Vec<RoleOutput>) {
    let path = account(ex, initial);
    let control = control(ex, 2);
    let path_s = path.display().to_string();
    let customer = ex
        .check_role("withdraw", &[&path_s, "10", "2", &control])
        .timeout(secs(8))
        .start();
    let mut role_args = vec![path_s.as_str()];
    role_args.extend_from_slice(args);
    role_args.push(&control);
    let other = ex.check_role(role, &role_args).timeout(secs(8)).start();
    let outs = ex.wait_all(vec![customer, other], secs(8));
    (path, outs)
}

/// Fails unless `paid` withdrawals of `amount` and the balance left in `path` add up to `initial`, and exactly as
/// many of the `tried` ones were paid as the balance covers. Returns `paid`.
fn settle(path: &Path, customers: u32, tried: u64, amount: u64, initial: u64, paid: u64) -> u64 {
    let left = final_balance(path);
    let should_pay = tried.min(initial / amount);
    if paid * amount + left != initial {
        let lost = (paid * amount + left).saturating_sub(initial) / amount;
        fail_check(&pick(
            format!(
                "{customers} processes withdrew {amount} at a time from {initial}: {paid} withdrawal(s) were paid, \
                 so {} should be left, but the balance file says {left}: {lost} withdrawal(s) lost. The processes \
                 took turns, one file operation each, and both read the balance before either wrote it back. Hold \
                 one lock from before the read until after the write (an `fcntl` record lock is released as soon \
                 as the process closes any descriptor of the file, even one `fs::read_to_string` opened).",
                initial - paid * amount
            ),
            format!(
                "프로세스 {customers}개가 {initial}에서 {amount}씩 출금했습니다. {paid}번 지급되었으니 기대하는 잔액은 {}인데 \
                 잔액 파일은 {left}입니다. 출금 {lost}번이 사라졌습니다. 프로세스들이 파일 연산 하나씩 번갈아 \
                 실행했고, 둘 다 잔액을 다시 쓰기 전에 읽었습니다. 읽기 전부터 쓰기가 끝날 때까지 락 하나를 쥐세요 \
                 (`fcntl` 레코드 락은 프로세스가 그 파일의 디스크립터를 하나라도 닫으면 바로 풀립니다. \
                 `fs::read_to_string`이 연 디스크립터라도 마찬가지입니다).",
                initial - paid * amount
            ),
        ));
    }
    if paid != should_pay {
        fail_check(&pick(
            format!(
                "{customers} processes tried {tried} withdrawal(s) of {amount} from {initial}: exactly {should_pay} \
                 can be paid, but {paid} were — {} paid out of an account holding {initial}. Each process checked \
                 the balance before another one's debit was written: the check and the debit must be one critical \
                 section.",
                paid * amount
            ),
            format!(
                "프로세스 {customers}개가 {initial}에서 {amount}씩 {tried}번 출금하려 했습니다. 정확히 {should_pay}번만 \
                 지급될 수 있는데 {paid}번 지급되었습니다. 잔액이 {initial}인 계좌에서 모두 {}만큼 나갔습니다. 각 프로세스가 \
                 다른 프로세스의 출금이 기록되기 전에 잔액을 확인했습니다. 확인과 출금이 하나의 임계 영역이어야 \
                 합니다.",
                paid * amount
            ),
        ));
    }
    paid
}

pub fn checks(c: &mut Checks) {
    // withdraw ACCOUNT AMOUNT TIMES CONTROL|- : prints how many were paid
    c.role("withdraw", |args| {
        let path = PathBuf::from(&args[0]);
        let amount: u64 = args[1].parse().expect("an amount");
        let times: u64 = args[2].parse().expect("a number of withdrawals");
        let turnstile = (args[3] != "-").then(|| {
            or_exit(
                turns::arm(Path::new(&args[3]), path.parent().expect("a folder")),
                "the check could not arm its turnstile",
            )
        });
        let mut paid = 0;
        for _ in 0..times {
            paid += u64::from(or_exit(withdraw(&path, amount), tr("withdraw failed", "withdraw 호출 실패")));
        }
        if let Some(t) = turnstile {
            t.finish();
        }
        println!("{paid}");
    });
    // withdraw_whole ACCOUNT AMOUNT CONTROL : one whole withdraw() at every step of the other parties; prints how
    // many were paid
    c.role("withdraw_whole", |args| {
        let path = PathBuf::from(&args[0]);
        let amount: u64 = args[1].parse().expect("an amount");
        let turnstile = or_exit(
            turns::arm(Path::new(&args[2]), path.parent().expect("a folder")),
            "the check could not arm its turnstile",
        );
        let (mut paid, mut tried) = (0, 0);
        loop {
            let last_round = turns::others_done();
            paid += u64::from(or_exit(turns::section(|| withdraw(&path, amount)), tr("withdraw failed", "withdraw 호출 실패")));
            tried += 1;
            if last_round {
                break;
            }
        }
        turnstile.finish();
        println!("{paid} {tried}");
    });
    // watch ACCOUNT CONTROL : one whole balance() at every step of the other parties; prints what it saw
    c.role("watch", |args| {
        let path = PathBuf::from(&args[0]);
        let turnstile = or_exit(
            turns::arm(Path::new(&args[1]), path.parent().expect("a folder")),
            "the check could not arm its turnstile",
        );
        let mut seen = Vec::new();
        loop {
            let last_round = turns::others_done();
            match turns::section(|| balance(&path)) {
                Ok(b) => seen.push(b.to_string()),
                Err(e) => {
                    seen.push(format!("error: {e}"));
                    break;
                }
            }
            if last_round {
                break;
            }
        }
        turnstile.finish();
        for s in seen {
            println!("{s}");
        }
    });

    c.process(
        (
            "one process: five withdrawals of 10 from 100 are paid, then 60 is refused; 50 is left",
            "프로세스 하나: 100에서 10씩 다섯 번 지급, 그다음 60은 거절; 50이 남음",
        ),
        |ex| {
            let path = account(ex, 100);
            let path_s = path.display().to_string();
            let five = ex
                .check_role("withdraw", &[&path_s, "10", "5", "-"])
                .timeout(secs(5))
                .run();
            let refused = ex
                .check_role("withdraw", &[&path_s, "60", "1", "-"])
                .timeout(secs(5))
                .run();
            let (five, refused) = (paid(&five), paid(&refused));
            let left = final_balance(&path);
            if (five, refused, left) != (5, 0, 50) {
                fail_check(&pick(
                    format!(
                        "expected 5 withdrawals of 10 paid, 60 refused and 50 left; got {five} paid, {} and {left} \
                         left",
                        if refused == 1 { "60 paid" } else { "60 refused" }
                    ),
                    format!(
                        "10씩 5번 지급, 60은 거절, 50이 남아야 하는데 {five}번 지급, 60은 {}, 남은 잔액은 {left}입니다",
                        if refused == 1 { "지급" } else { "거절" }
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "two processes withdraw 10 each from 100, both reading before either writes: both are paid, 80 is left",
            "두 프로세스가 100에서 10씩 출금, 둘 다 쓰기 전에 읽음: 둘 다 지급, 80이 남음",
        ),
        |ex| {
            withdraw_together(ex, 2, 1, 10, 100);
        },
    );
    c.process(
        (
            "two processes withdraw 60 each from 100: exactly one is paid, 40 is left",
            "두 프로세스가 100에서 60씩 출금: 정확히 하나만 지급, 40이 남음",
        ),
        |ex| {
            withdraw_together(ex, 2, 1, 60, 100);
        },
    );
    c.process(
        (
            "three processes, 10 withdrawals of 5 each from 100, taking turns: exactly 20 are paid, 0 is left",
            "세 프로세스가 100에서 5씩 10번, 번갈아 출금: 정확히 20번 지급, 0이 남음",
        ),
        |ex| {
            withdraw_together(ex, 3, 10, 5, 100);
        },
    );
    c.process(
        (
            "a whole withdrawal of 10 runs at every step of another process's two withdrawals of 10 from 1000: none \
             is lost",
            "다른 프로세스가 1,000에서 10씩 두 번 출금하는 매 단계마다 출금 하나가 통째로 실행됨: 사라지는 출금이 없음",
        ),
        |ex| {
            let (path, outs) = beside_two_withdrawals(ex, 1000, "withdraw_whole", &["10"]);
            let counts: Vec<u64> = outs[1]
                .expect_success()
                .stdout()
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            let [paid_whole, tried_whole] = counts[..] else {
                outs[1].fail(tr(
                    "the check's customer did not report its numbers",
                    "검사의 고객 프로세스가 숫자를 알려 주지 않았습니다",
                ))
            };
            let paid = paid(&outs[0]) + paid_whole;
            settle(&path, 2, 2 + tried_whole, 10, 1000, paid);
        },
    );
    c.process(
        (
            "a process reads the balance at every step of two withdrawals of 10 from 100: it always reads 100, 90 \
             or 80",
            "100에서 10씩 두 번 출금하는 동안 매 단계마다 다른 프로세스가 잔액을 읽음: 언제나 100, 90, 80 중 하나",
        ),
        |ex| {
            let (path, outs) = beside_two_withdrawals(ex, 100, "watch", &[]);
            outs[1].expect_success();
            let allowed = ["100", "90", "80"];
            if let Some(bad) = outs[1].lines().into_iter().find(|l| !allowed.contains(l)) {
                outs[1].fail(&pick(
                    format!(
                        "balance() in the middle of a withdrawal gave {bad:?}. A withdrawal rewrites the file in \
                         steps (empty it, write the new number); a reader that does not take the lock can look in \
                         between. Take the shared lock in balance() (`File::lock_shared`).",
                    ),
                    format!(
                        "출금 도중에 balance()가 돌려준 값은 {bad:?}입니다. 출금은 파일을 여러 단계로 다시 씁니다 (비우고, \
                         새 숫자를 씀). 락을 잡지 않는 읽는 쪽은 그 사이를 들여다볼 수 있습니다. balance()에서 공유 락을 \
                         잡으세요 (`File::lock_shared`).",
                    ),
                ));
            }
            paid(&outs[0]);
            if final_balance(&path) != 80 {
                fail_check(&pick(
                    format!(
                        "two withdrawals of 10 from 100 should leave 80; the balance file says {}",
                        final_balance(&path)
                    ),
                    format!(
                        "100에서 10씩 두 번 출금하면 80이 남아야 하는데 잔액 파일은 {}입니다",
                        final_balance(&path)
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "the program as a customer (`customer PATH 3`) with 5 in the account: prints 3, leaves 2",
            "고객으로 실행한 프로그램 (`customer PATH 3`), 계좌에 5: 3을 출력하고 2를 남김",
        ),
        |ex| {
            let path = account(ex, 5);
            let out = ex.run(&["customer", &path.display().to_string(), "3"], secs(5));
            out.expect_success();
            out.expect_lines(&["3"], tr("the number of withdrawals paid", "지급된 출금 수"));
            let left = final_balance(&path);
            if left != 2 {
                out.fail(&pick(
                    format!("three withdrawals of 1 from 5: 2 should be left, the balance file says {left}"),
                    format!("5에서 1씩 세 번 출금: 2가 남아야 하는데 잔액 파일은 {left}입니다"),
                ));
            }
        },
    );
}
