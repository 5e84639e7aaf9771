// Hidden check for `unlock_on_every_path`: a refused withdrawal leaves the account usable (the lock is released
// on every path), and withdrawals stay mutually exclusive.
use super::*;
use conc_check::prelude::*;

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
                    "100에서 60씩 두 번 출금하면 정확히 하나만 성공해야 합니다; 결과:"
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
}
