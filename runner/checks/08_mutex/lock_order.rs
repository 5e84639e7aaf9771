// Hidden check for `lock_order`.
//
// | requirement (header)                                              | check                                   |
// |-------------------------------------------------------------------|-----------------------------------------|
// | transfers in opposite directions never deadlock                   | 1                                       |
// | one global order for every thread (no cycle of waits)             | 2 (a cycle of three), 4, 5              |
// | `audit` sees every balance at one instant                         | 3, 4, 5                                 |
// | `audit` takes the locks in the same global order, whatever the    | 4 (listed highest id first), 5 (mixed   |
// |   order the caller lists the accounts in or their balances        |   order, balances falling with the id)  |
// | `transfer` moves `amount` from `from` to `to`; `false`, moving    | 6 (both directions, the exact balance,  |
// |   nothing, if `from` has less                                     |   one unit short)                       |
use super::*;
use conc_check::prelude::*;

fn accounts(balances: &[u64]) -> Vec<Arc<Account>> {
    balances
        .iter()
        .enumerate()
        .map(|(i, &b)| Arc::new(Account::new(i as u32 + 1, b)))
        .collect()
}

/// Runs the transfers `(from, to, amount)` (indices into `accounts`) on one thread each.
fn run_transfers(
    accounts: &[Arc<Account>],
    transfers: &[(usize, usize, u64)],
) -> Vec<thread::JoinHandle<bool>> {
    transfers
        .iter()
        .map(|&(from, to, amount)| {
            let (from, to) = (accounts[from].clone(), accounts[to].clone());
            thread::spawn(move || transfer(&from, &to, amount))
        })
        .collect()
}

fn expect_balances(accounts: &[Arc<Account>], expected: &[u64]) {
    let found: Vec<u64> = accounts.iter().map(|a| a.balance()).collect();
    assert!(
        found == expected,
        "{}",
        trf!(
            "expected balances {expected:?}, found {found:?}",
            "기대한 잔액: {expected:?}, 실제 잔액: {found:?}"
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "two transfers at once: account 1 → 2 and account 2 → 1",
            "동시에 두 이체: 1번 → 2번, 2번 → 1번",
        ),
        || {
            let accounts = accounts(&[100, 100]);
            for t in run_transfers(&accounts, &[(0, 1, 10), (1, 0, 5)]) {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[95, 105]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "three transfers around a cycle at once: 1 → 2, 2 → 3, 3 → 1",
            "한 바퀴 도는 세 이체를 동시에: 1 → 2, 2 → 3, 3 → 1",
        ),
        || {
            let accounts = accounts(&[100, 100, 100]);
            for t in run_transfers(&accounts, &[(0, 1, 10), (1, 2, 20), (2, 0, 30)]) {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[120, 90, 90]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "an audit while two transfers run always sees a total of 300",
            "이체 두 건이 도는 동안의 감사는 늘 합계 300을 봄",
        ),
        || {
            let accounts = accounts(&[100, 100, 100]);
            let transfers = run_transfers(&accounts, &[(0, 1, 30), (2, 1, 20)]);
            let refs: Vec<&Account> = accounts.iter().map(|a| &**a).collect();
            let total = audit(&refs);
            assert!(
                total == 300,
                "{} {total}",
                tr(
                    "money went missing: an audit during the transfers expected a total of 300, found",
                    "돈이 사라졌습니다. 이체 중의 감사는 합계 300을 기대했지만, 찾은 합계는"
                )
            );
            for t in transfers {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[70, 150, 80]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "an audit listing the accounts highest id first, beside transfers both ways, sees a total of 300",
            "계좌를 id가 큰 것부터 나열한 감사가, 양방향 이체 옆에서 합계 300을 봄",
        ),
        || {
            let accounts = accounts(&[100, 100, 100]);
            let transfers = run_transfers(&accounts, &[(0, 2, 30), (2, 1, 20)]);
            let total = audit(&[&*accounts[2], &*accounts[1], &*accounts[0]]);
            assert!(
                total == 300,
                "{} {total}",
                tr(
                    "an audit during the transfers expected a total of 300, found",
                    "이체 중의 감사가 찾은 합계는 300이어야 하는데"
                )
            );
            for t in transfers {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[70, 120, 110]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "an audit listing the accounts out of order (ids 3, 1, 2), the richest account first by id, \
             beside two transfers, sees a total of 600",
            "계좌를 순서 없이 (id 3, 1, 2) 나열하고 id가 작을수록 잔액이 많은 감사가, 이체 두 건 옆에서 합계 600을 봄",
        ),
        || {
            let accounts = accounts(&[300, 200, 100]);
            let transfers = run_transfers(&accounts, &[(2, 0, 10), (0, 1, 20)]);
            let total = audit(&[&*accounts[2], &*accounts[0], &*accounts[1]]);
            assert!(
                total == 600,
                "{} {total}",
                tr(
                    "an audit during the transfers expected a total of 600, found",
                    "이체 중의 감사가 찾은 합계는 600이어야 하는데"
                )
            );
            for t in transfers {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[290, 220, 90]);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "transfers in both directions move the right money; one unit short is refused, moving nothing",
            "양방향 이체가 맞는 돈을 옮김; 한 단위라도 모자라면 거절되고 아무것도 옮기지 않음",
        ),
        || {
            let accounts = accounts(&[100, 1000]);
            let (a, b) = (&*accounts[0], &*accounts[1]);
            let steps: [(&Account, &Account, u64, bool, [u64; 2]); 5] = [
                (b, a, 300, true, [400, 700]),
                (a, b, 50, true, [350, 750]),
                (a, b, 351, false, [350, 750]),
                (b, a, 751, false, [350, 750]),
                (a, b, 350, true, [0, 1100]),
            ];
            for (from, to, amount, ok, after) in steps {
                let done = transfer(from, to, amount);
                assert!(
                    done == ok,
                    "{}",
                    trf!(
                        "transfer(account {}, account {}, {amount}) returned {done}; expected {ok}",
                        "transfer(계좌 {}, 계좌 {}, {amount})의 결과가 {done}입니다. {ok}이어야 합니다",
                        from.id,
                        to.id
                    )
                );
                expect_balances(&accounts, &after);
            }
        },
    )
    .executions(1);
}
