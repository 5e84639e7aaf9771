// Hidden check for `fixed_lock_order`.
//
// | requirement (header)                                                  | check                               |
// |-----------------------------------------------------------------------|-------------------------------------|
// | `transfer` moves exactly `amount`; `balance(i)` reads one account     | 1, and the final balances of all    |
// | every audit sees the same total, whatever runs at the same time       | 2, 3, 6 (an audit beside two        |
// |                                                                       |   transfers in opposite directions) |
// | opposite transfers, or a transfer and an audit, never deadlock        | 3, 4, 5 (a cycle of three), 6       |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn expect_total(bank: &Bank, total: i64) {
    let seen = bank.audit();
    assert!(
        seen == total,
        "{}",
        msg(
            format!(
                "`audit()` returned {seen}, but the accounts hold {total} altogether: transfers only move money"
            ),
            format!(
                "`audit()`가 돌려준 값은 {seen}인데, 계좌들의 합계는 {total}입니다. 이체는 돈을 옮기기만 합니다"
            ),
        )
    );
}

fn expect_balances(bank: &Bank, expected: &[i64]) {
    let got: Vec<i64> = (0..expected.len()).map(|i| bank.balance(i)).collect();
    assert!(
        got == expected,
        "{}",
        msg(
            format!("after the transfers the balances are {got:?}; expected {expected:?}"),
            format!("이체가 끝난 뒤 잔액은 {got:?}입니다. 기대한 값은 {expected:?}"),
        )
    );
}

/// `transfers` (from, to, amount) run on their own threads while the main thread audits (if `audit`).
fn run(start: &[i64], transfers: &'static [(usize, usize, i64)], audit: bool, end: &[i64]) {
    let bank = Arc::new(Bank::new(start));
    let total: i64 = start.iter().sum();
    let clerks: Vec<_> = transfers
        .iter()
        .map(|&(from, to, amount)| {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(from, to, amount))
        })
        .collect();
    if audit {
        expect_total(&bank, total);
    }
    for clerk in clerks {
        clerk.join().unwrap();
    }
    expect_balances(&bank, end);
    expect_total(&bank, total);
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: transfers both ways move exactly their amount",
            "스레드 하나: 양방향 이체가 정확히 그 금액만 옮김",
        ),
        || {
            let bank = Bank::new(&[100, 50]);
            bank.transfer(0, 1, 30);
            expect_balances(&bank, &[70, 80]);
            bank.transfer(1, 0, 50);
            expect_balances(&bank, &[120, 30]);
            expect_total(&bank, 150);
        },
    );
    c.model(
        (
            "an audit during a transfer from account 0 to 1 sees the same total",
            "계좌 0에서 1로 이체하는 동안의 감사도 같은 합계를 봄",
        ),
        || run(&[100, 50], &[(0, 1, 30)], true, &[70, 80]),
    );
    c.model(
        (
            "an audit during a transfer from account 1 to 0: same total, no deadlock",
            "계좌 1에서 0으로 이체하는 동안의 감사: 같은 합계, 교착 상태 없음",
        ),
        || run(&[100, 50], &[(1, 0, 30)], true, &[130, 20]),
    );
    c.model(
        (
            "two transfers in opposite directions at once: no deadlock, right balances",
            "반대 방향의 두 이체를 동시에: 교착 상태 없음, 올바른 잔액",
        ),
        || run(&[100, 50], &[(0, 1, 30), (1, 0, 50)], false, &[120, 30]),
    );
    c.model(
        (
            "three transfers around a circle 0 → 1 → 2 → 0 at once: no deadlock, right balances",
            "원을 도는 세 이체 0 → 1 → 2 → 0을 동시에: 교착 상태 없음, 올바른 잔액",
        ),
        || {
            run(
                &[10, 20, 30],
                &[(0, 1, 1), (1, 2, 2), (2, 0, 3)],
                false,
                &[12, 19, 29],
            )
        },
    );
    c.model(
        (
            "an audit while two transfers run in opposite directions: same total, no deadlock, right balances",
            "반대 방향의 두 이체가 도는 동안의 감사: 같은 합계, 교착 상태 없음, 올바른 잔액",
        ),
        || run(&[100, 50], &[(0, 1, 30), (1, 0, 50)], true, &[120, 30]),
    );
}
