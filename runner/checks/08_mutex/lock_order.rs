// Hidden check for `lock_order`: transfers in opposite directions and around a cycle never deadlock, money is
// conserved, and an audit running beside transfers always sees the same total.
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
        "{} {expected:?}, {} {found:?}",
        tr("expected balances", "기대한 잔액은"),
        tr("found", "실제로는")
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
                    "돈이 사라졌습니다: 이체 중의 감사가 찾은 합계는 300이어야 하는데"
                )
            );
            for t in transfers {
                assert!(t.join().unwrap());
            }
            expect_balances(&accounts, &[70, 150, 80]);
        },
    )
    .max_steps(2_000);
}
