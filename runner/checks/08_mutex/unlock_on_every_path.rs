// Hidden check for `unlock_on_every_path`.
//
// | requirement (header)                                                  | check                             |
// |-----------------------------------------------------------------------|-----------------------------------|
// | every way out of `withdraw` releases the lock (return, `?`)           | 1 (both refusals, then success), 2 |
// | ... and releases it once: the next holder keeps it until it is done   | 4 (three threads, every method)   |
// | mutual exclusion: a read and the write after it stay together         | 3, 4                              |
// | refuses over `LIMIT` and over the balance; returns the new balance    | 1, 5                              |
use super::*;
use conc_check::prelude::*;

/// One call a thread made, with what it returned.
#[derive(Debug)]
enum Call {
    Withdraw(u64, Result<u64, WithdrawError>),
    Deposit(u64),
}

/// True if some interleaving of the threads' calls, each run alone on an account that starts at `start`, returns
/// exactly what each call returned and ends at `end`.
fn one_at_a_time(start: u64, threads: &[Vec<Call>], end: u64) -> bool {
    fn search(balance: u64, threads: &[Vec<Call>], next: &mut Vec<usize>, end: u64) -> bool {
        if next.iter().zip(threads).all(|(&n, calls)| n == calls.len()) {
            return balance == end;
        }
        for t in 0..threads.len() {
            let Some(call) = threads[t].get(next[t]) else {
                continue;
            };
            let after = match call {
                Call::Deposit(amount) => Some(balance + amount),
                Call::Withdraw(amount, result) => {
                    let expected = if *amount > LIMIT {
                        Err(WithdrawError::OverLimit)
                    } else {
                        balance
                            .checked_sub(*amount)
                            .ok_or(WithdrawError::Insufficient)
                    };
                    (expected == *result).then(|| expected.map_or(balance, |left| left))
                }
            };
            if let Some(after) = after {
                next[t] += 1;
                let found = search(after, threads, next, end);
                next[t] -= 1;
                if found {
                    return true;
                }
            }
        }
        false
    }
    search(start, threads, &mut vec![0; threads.len()], end)
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "after two refused withdrawals (over the limit, then too much) a third one still works",
            "거절된 출금 두 번(한도 초과, 잔액 부족) 뒤에도 세 번째 출금이 됨",
        ),
        || {
            let account = Account::new(50);
            assert_eq!(account.withdraw(LIMIT + 1), Err(WithdrawError::OverLimit));
            assert_eq!(account.withdraw(80), Err(WithdrawError::Insufficient));
            assert_eq!(account.withdraw(20), Ok(30));
            assert_eq!(account.balance(), 30);
        },
    );
    c.model(
        (
            "a refused withdrawal while another thread deposits",
            "다른 스레드가 입금하는 동안 출금이 거절됨",
        ),
        || {
            let account = Arc::new(Account::new(50));
            let teller = thread::spawn({
                let account = account.clone();
                move || account.deposit(10)
            });
            assert_eq!(account.withdraw(80), Err(WithdrawError::Insufficient));
            teller.join().unwrap();
            assert_eq!(account.balance(), 60);
        },
    );
    c.model(
        (
            "two threads withdraw 60 from 100 at once: exactly one succeeds, 40 is left",
            "두 스레드가 100에서 동시에 60씩 출금: 정확히 하나만 성공하고 40이 남음",
        ),
        || {
            let account = Arc::new(Account::new(100));
            let other = thread::spawn({
                let account = account.clone();
                move || account.withdraw(60)
            });
            let mine = account.withdraw(60);
            let theirs = other.join().unwrap();
            let succeeded = [&mine, &theirs].iter().filter(|r| r.is_ok()).count();
            assert!(
                succeeded == 1,
                "{} {mine:?} / {theirs:?}",
                tr(
                    "exactly one of two withdrawals of 60 from 100 must succeed; got",
                    "100에서 60씩 두 번 출금하면 정확히 하나만 성공해야 합니다. 결과:"
                )
            );
            let balance = account.balance();
            assert!(
                balance == 40,
                "{} {balance}",
                tr("expected a balance of 40, found", "잔액은 40이어야 하는데")
            );
        },
    );
    c.model(
        (
            "three threads at once, each calling two or three times: withdrawals, deposits and a refusal; \
             every result and the final balance match some order of the calls, one at a time",
            "세 스레드가 동시에 두세 번씩: 출금, 입금, 거절; 모든 결과와 최종 잔액이 호출들을 하나씩 한 어떤 \
             순서와 맞음",
        ),
        || {
            let account = Arc::new(Account::new(100));
            let withdrawer = thread::spawn({
                let account = account.clone();
                move || vec![Call::Withdraw(10, account.withdraw(10)), Call::Withdraw(10, account.withdraw(10))]
            });
            let depositor = thread::spawn({
                let account = account.clone();
                move || {
                    account.deposit(5);
                    account.deposit(5);
                    vec![Call::Deposit(5), Call::Deposit(5)]
                }
            });
            let mut mine = vec![Call::Withdraw(LIMIT + 1, account.withdraw(LIMIT + 1))];
            account.deposit(7);
            mine.push(Call::Deposit(7));
            mine.push(Call::Withdraw(3, account.withdraw(3)));
            let threads = [withdrawer.join().unwrap(), depositor.join().unwrap(), mine];
            let balance = account.balance();
            assert!(
                one_at_a_time(100, &threads, balance),
                "{}",
                trf!(
                    "from 100, three threads called {threads:?} and the balance is now {balance}: no order of these \
                     calls, one at a time, gives these results (two threads were inside at once: is the lock \
                     released twice, or too early?)",
                    "100에서 세 스레드가 부른 호출은 {threads:?}이고, 이제 잔액은 {balance}입니다. 이 호출들을 하나씩 하는 \
                     어떤 순서로도 이 결과가 나오지 않습니다 (두 스레드가 동시에 안에 있었습니다. 락을 두 번, 또는 \
                     너무 일찍 풀지 않았습니까?)"
                )
            );
        },
    );
    c.model(
        (
            "the limit and the balance themselves are allowed; the new balance comes back",
            "한도와 잔액 그 자체는 허용됨; 새 잔액이 돌아옴",
        ),
        || {
            let account = Account::new(LIMIT + 50);
            assert_eq!(account.withdraw(LIMIT), Ok(50));
            assert_eq!(account.withdraw(51), Err(WithdrawError::Insufficient));
            assert_eq!(account.withdraw(50), Ok(0));
            assert_eq!(account.withdraw(1), Err(WithdrawError::Insufficient));
            account.deposit(LIMIT + 1);
            assert_eq!(account.withdraw(LIMIT + 1), Err(WithdrawError::OverLimit));
            assert_eq!(account.balance(), LIMIT + 1);
        },
    )
    .executions(1);
}
