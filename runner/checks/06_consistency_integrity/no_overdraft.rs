// Hidden check for `no_overdraft`.
//
// | requirement (header)                                                | check                                  |
// |---------------------------------------------------------------------|----------------------------------------|
// | `withdraw` pays out and returns true if covered (the exact balance  | 1, 3                                   |
// |   too); false and nothing changed if not                            | 1, 2                                   |
// | the balance never goes below zero in any interleaving               | 2, 4, 5                                |
// | never refuse a covered withdrawal                                   | 1, 3                                   |
// | no reader ever sees a negative balance                              | 4, 5 (a reader beside the writers)     |
// | `deposit` and `balance` do what they say (nothing lost, even when   | 1, 5 (two deposits and a withdrawal at |
// |   deposits and withdrawals run at once)                             |   once)                                |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

/// Withdrawals of `amounts` from `start`, each on its own thread; with `watch`, the main thread reads the balance
/// twice meanwhile. Returns which ones paid out.
fn withdraw_at_once(start: i64, amounts: &[i64], watch: bool) -> (Arc<Account>, Vec<bool>) {
    let account = Arc::new(Account::new(start));
    let atms: Vec<_> = amounts
        .iter()
        .map(|&amount| {
            let account = Arc::clone(&account);
            thread::spawn(move || account.withdraw(amount))
        })
        .collect();
    for _ in 0..if watch { 2 } else { 0 } {
        let seen = account.balance();
        assert!(
            seen >= 0,
            "{}",
            msg(
                format!(
                    "a reader saw the balance at {seen}: it must never be below zero, not even for a moment"
                ),
                format!(
                    "읽는 스레드 하나가 본 잔액은 {seen}입니다. 잔액은 한순간이라도 0 아래이면 안 됩니다"
                ),
            )
        );
    }
    let paid: Vec<bool> = atms.into_iter().map(|a| a.join().unwrap()).collect();
    let paid_out: i64 = amounts
        .iter()
        .zip(&paid)
        .filter(|(_, p)| **p)
        .map(|(a, _)| a)
        .sum();
    let balance = account.balance();
    assert!(
        balance >= 0,
        "{}",
        msg(
            format!(
                "withdrawals of {amounts:?} from {start} returned {paid:?} and left the balance at {balance}"
            ),
            format!(
                "잔액 {start}에서 출금 {amounts:?}의 결과: {paid:?}, 남은 잔액: {balance}"
            ),
        )
    );
    assert!(
        balance == start - paid_out,
        "{}",
        msg(
            format!(
                "withdrawals of {amounts:?} from {start} returned {paid:?}, so the balance should be {}, but it is {balance}",
                start - paid_out
            ),
            format!(
                "잔액 {start}에서 출금 {amounts:?}의 결과가 {paid:?}이므로 남은 잔액은 {}여야 하는데, 실제 잔액은 {balance}입니다",
                start - paid_out
            ),
        )
    );
    (account, paid)
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: covered withdrawals pay out, an uncovered one changes nothing",
            "스레드 하나: 잔액이 충분한 출금은 지급하고, 부족한 출금은 아무것도 바꾸지 않음",
        ),
        || {
            let account = Account::new(100);
            for (what, amount, paid, left) in [("withdraw(70)", 70, true, 30), ("withdraw(70)", 70, false, 30)] {
                let got = account.withdraw(amount);
                let balance = account.balance();
                assert!(
                    got == paid && balance == left,
                    "{}",
                    msg(
                        format!("`{what}` returned {got} and left {balance}; expected {paid} and {left}"),
                        format!("`{what}`의 결과가 {got}, 남은 잔액이 {balance}입니다. 기대한 값은 {paid}, {left}"),
                    )
                );
            }
            account.deposit(50);
            let got = account.withdraw(80);
            assert!(
                got && account.balance() == 0,
                "{}",
                msg(
                    format!("after a deposit of 50 the balance is 80, so `withdraw(80)` must pay out; it returned {got}"),
                    format!("50을 입금하면 잔액이 80이므로 `withdraw(80)`은 지급해야 합니다. 결과: {got}"),
                )
            );
        },
    );
    c.model(
        (
            "two withdrawals of 70 from 100 at once: exactly one pays out, 30 is left",
            "100에서 동시에 70씩 두 번 출금: 정확히 하나만 지급, 30이 남음",
        ),
        || {
            let (_, paid) = withdraw_at_once(100, &[70, 70], false);
            assert!(
                paid.iter().filter(|p| **p).count() == 1,
                "{}",
                msg(
                    format!("the balance covers one withdrawal of 70, and exactly one must pay out; results: {paid:?}"),
                    format!("잔액은 70 출금 한 번만 감당하므로 정확히 하나만 지급해야 합니다. 결과: {paid:?}"),
                )
            );
        },
    );
    c.model(
        (
            "two withdrawals of 30 from 100 at once: both pay out, 40 is left",
            "100에서 동시에 30씩 두 번 출금: 둘 다 지급, 40이 남음",
        ),
        || {
            let (_, paid) = withdraw_at_once(100, &[30, 30], false);
            assert!(
                paid == [true, true],
                "{}",
                msg(
                    format!("100 covers both withdrawals of 30, yet one was refused: {paid:?}"),
                    format!(
                        "100이면 30 출금 두 번을 모두 감당하는데 하나가 거절되었습니다: {paid:?}"
                    ),
                )
            );
        },
    );
    c.model(
        (
            "withdrawals of 70 and 50 from 100 at once, with a reader watching: never below zero",
            "100에서 동시에 70과 50을 출금하고 읽는 스레드가 지켜봄: 절대 0 아래로 내려가지 않음",
        ),
        || {
            withdraw_at_once(100, &[70, 50], true);
        },
    );
    c.model(
        (
            "two deposits and a withdrawal at once, with a reader watching: nothing is lost, never below zero",
            "입금 두 번과 출금 한 번을 동시에, 읽는 스레드가 지켜봄: 사라지는 것 없이, 절대 0 아래로 내려가지 않음",
        ),
        || {
            let account = Arc::new(Account::new(50));
            let depositors: Vec<_> = [30, 20]
                .into_iter()
                .map(|amount| {
                    let account = Arc::clone(&account);
                    thread::spawn(move || account.deposit(amount))
                })
                .collect();
            let atm = thread::spawn({
                let account = Arc::clone(&account);
                move || account.withdraw(60)
            });
            for _ in 0..2 {
                let seen = account.balance();
                assert!(
                    seen >= 0,
                    "{}",
                    msg(
                        format!(
                            "a reader saw the balance at {seen}: it must never be below zero, not even for a moment"
                        ),
                        format!(
                            "읽는 스레드 하나가 본 잔액은 {seen}입니다. 잔액은 한순간이라도 0 아래이면 안 됩니다"
                        ),
                    )
                );
            }
            for d in depositors {
                d.join().unwrap();
            }
            let paid = atm.join().unwrap();
            let balance = account.balance();
            let expected = 50 + 30 + 20 - if paid { 60 } else { 0 };
            assert!(
                balance == expected,
                "{}",
                msg(
                    format!(
                        "from 50, deposit(30), deposit(20) and withdraw(60) (which returned {paid}) ran at once and \
                         left {balance}; expected {expected}: an update was lost"
                    ),
                    format!(
                        "50에서 deposit(30), deposit(20), withdraw(60)(결과 {paid})을 동시에 실행한 뒤 \
                         남은 잔액은 {balance}, 기대값은 {expected}입니다. 갱신 하나가 사라졌습니다"
                    ),
                )
            );
        },
    );
}
