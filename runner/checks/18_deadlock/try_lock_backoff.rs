// Hidden check for `try_lock_backoff`: transfers in a cycle of accounts all finish (no deadlock, no thread
// retrying forever while holding a lock) and move exactly the money they should.
use super::*;
use conc_check::prelude::*;

fn expect_balances(accounts: &[Arc<Account>], expected: &[i64]) {
    let got: Vec<i64> = accounts.iter().map(|a| a.balance()).collect();
    assert!(
        got == expected,
        "{} {expected:?}, {} {got:?}",
        tr("the balances should be", "잔액은 이래야 합니다:"),
        tr("but are", "실제:"),
    );
}

/// Runs `transfers` (from, to, amount) at the same time, one thread each, and checks the balances after.
fn transfers_at_once(transfers: &[(usize, usize, i64)], expected: &[i64]) {
    let accounts: Vec<Arc<Account>> = expected
        .iter()
        .map(|_| Arc::new(Account::new(100)))
        .collect();
    let threads: Vec<_> = transfers
        .iter()
        .map(|&(from, to, amount)| {
            let (from, to) = (accounts[from].clone(), accounts[to].clone());
            thread::spawn(move || transfer(&from, &to, amount))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    expect_balances(&accounts, expected);
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: 30 from a (100) to b (100) leaves 70 and 130",
            "스레드 하나: a(100)에서 b(100)로 30을 옮기면 70과 130",
        ),
        || transfers_at_once(&[(0, 1, 30)], &[70, 130]),
    );
    c.model(
        (
            "a → b (10) and b → a (20) at once: both finish in every schedule, a = 110, b = 90",
            "a → b (10)과 b → a (20)이 동시에: 모든 실행 순서에서 둘 다 끝나고, a = 110, b = 90",
        ),
        || transfers_at_once(&[(0, 1, 10), (1, 0, 20)], &[110, 90]),
    )
    // A transfer that backs off properly finishes in a few dozen steps; 2 000 is generous, and short enough for
    // the whole story of a thread that never lets go to fit in the report.
    .max_steps(2_000);
    c.model(
        (
            "a → b (1), b → c (2), c → a (3) at once: all finish, a = 102, b = 99, c = 99",
            "a → b (1), b → c (2), c → a (3)이 동시에: 모두 끝나고, a = 102, b = 99, c = 99",
        ),
        || transfers_at_once(&[(0, 1, 1), (1, 2, 2), (2, 0, 3)], &[102, 99, 99]),
    )
    .max_steps(2_000);
}
