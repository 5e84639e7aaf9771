// Hidden check for `try_lock_backoff`.
//
// requirement (header)                                              → check
// a lone transfer moves the money                                    → 1 "one thread"
// a → b and b → a at once both finish (no deadlock, no holding while   → 2 "a → b and b → a", 3 "a cycle of three",
//   retrying; a run past 2 000 steps counts as spinning forever)         4 "two threads, three transfers each way"
// both balances locked while the money moves: no moment at which     → 5 "an auditor": reading a then b never
//   it is in neither account (or in both)                                shows less than 200, b then a never more
// no money lost or made up                                           → every check compares the final balances
use super::*;
use conc_check::prelude::*;

fn expect_balances(accounts: &[Arc<Account>], expected: &[i64]) {
    let got: Vec<i64> = accounts.iter().map(|a| a.balance()).collect();
    assert!(
        got == expected,
        "{}",
        trf!(
            "the balances should be {expected:?}, but are {got:?}",
            "기대한 잔액: {expected:?}, 실제 잔액: {got:?}"
        ),
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
    c.model(
        (
            "two threads, three transfers each: a → b (1) and b → a (2), over and over: all finish, a = 103, b = 97",
            "스레드 둘이 세 번씩: a → b (1)과 b → a (2)를 되풀이: 모두 끝나고, a = 103, b = 97",
        ),
        || {
            let accounts = [Arc::new(Account::new(100)), Arc::new(Account::new(100))];
            let other = thread::spawn({
                let (a, b) = (accounts[0].clone(), accounts[1].clone());
                move || (0..3).for_each(|_| transfer(&b, &a, 2))
            });
            (0..3).for_each(|_| transfer(&accounts[0], &accounts[1], 1));
            other.join().unwrap();
            expect_balances(&accounts, &[103, 97]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "two transfers a → b (10, 20) while an auditor reads a then b, and b then a: the money is always in \
             exactly one account",
            "a → b 이체 둘(10, 20) 동안 감사자가 a 다음 b, b 다음 a를 읽음: 돈은 언제나 정확히 한 계좌에 있음",
        ),
        || {
            let accounts = [Arc::new(Account::new(100)), Arc::new(Account::new(100))];
            let movers: Vec<_> = [10, 20]
                .into_iter()
                .map(|amount| {
                    let (a, b) = (accounts[0].clone(), accounts[1].clone());
                    thread::spawn(move || transfer(&a, &b, amount))
                })
                .collect();
            // Money only flows from a to b. Read a first: b, read later, has received at least every amount that
            // had left a, so a correct transfer never shows less than 200. Read b first: a, read later, has lost
            // at least what b had received, so never more than 200.
            for _ in 0..2 {
                let (a, b) = (accounts[0].balance(), accounts[1].balance());
                let total = a + b;
                assert!(
                    total >= 200,
                    "{}",
                    trf!(
                        "an auditor read a = {a}, then b = {b}: {total} in all, not 200. The money had left a but \
                         not reached b: hold both balances locked while it moves.",
                        "감사자가 a = {a}, 그다음 b = {b} 값을 읽었습니다. 합계 {total}, 200이 아닙니다. 돈이 a에서는 \
                         나갔는데 b에는 아직 들어가지 않았습니다. 돈을 옮기는 동안 두 잔액을 모두 잠가 두세요.",
                    )
                );
                let (b, a) = (accounts[1].balance(), accounts[0].balance());
                let total = a + b;
                assert!(
                    total <= 200,
                    "{}",
                    trf!(
                        "an auditor read b = {b}, then a = {a}: {total} in all, not 200. The money had reached b but \
                         not yet left a: hold both balances locked while it moves.",
                        "감사자가 b = {b}, 그다음 a = {a} 값을 읽었습니다. 합계 {total}, 200이 아닙니다. 돈이 b에는 \
                         들어갔는데 a에서는 아직 나가지 않았습니다. 돈을 옮기는 동안 두 잔액을 모두 잠가 두세요.",
                    )
                );
            }
            for mover in movers {
                mover.join().unwrap();
            }
            expect_balances(&accounts, &[70, 130]);
        },
    );
}
