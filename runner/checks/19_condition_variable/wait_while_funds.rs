// Hidden check for `wait_while_funds`.
//
// requirement (header)                                             → check
// withdraw goes ahead at once when the balance covers it             → 1 "one thread", 4 (exactly the balance)
// withdraw waits until the balance covers it, then takes it          → 2 "withdraw(30) from 10", 3, 5
// the balance never goes below zero (nobody takes what is not there) → 4 "two withdraw(10)", 5 (u64: underflow panics)
// a deposit wakes every withdrawal it makes possible (mixed sizes)   → 3 "withdraw(30) and withdraw(5)", 5 "two
//                                                                      depositors, three withdrawals"
use super::*;
use conc_check::prelude::*;

fn expect_balance(wallet: &Wallet, expected: u64) {
    let got = wallet.balance();
    assert!(
        got == expected,
        "{}",
        trf!(
            "the balance should be {expected}, but is {got}",
            "기대한 잔액: {expected}, 실제 잔액: {got}"
        ),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: withdraw(5) from 10 goes ahead at once and leaves 5",
            "스레드 하나: 10에서 withdraw(5)는 곧바로 진행되고 5가 남음",
        ),
        || {
            let wallet = Wallet::new(10);
            wallet.withdraw(5);
            expect_balance(&wallet, 5);
        },
    );
    c.model(
        (
            "withdraw(30) from 10 waits for a deposit of 25, then leaves 5",
            "10에서 withdraw(30)은 25 입금을 기다렸다가 5를 남김",
        ),
        || {
            let wallet = Arc::new(Wallet::new(10));
            let spender = thread::spawn({
                let wallet = Arc::clone(&wallet);
                move || wallet.withdraw(30)
            });
            wallet.deposit(25);
            spender.join().unwrap();
            expect_balance(&wallet, 5);
        },
    );
    c.model(
        (
            "withdraw(30) and withdraw(5) wait on an empty wallet; deposits of 5 and 30 let both through",
            "빈 지갑에서 withdraw(30)과 withdraw(5)가 기다림; 5와 30을 입금하면 둘 다 통과",
        ),
        || {
            let wallet = Arc::new(Wallet::new(0));
            let spenders: Vec<_> = [30, 5]
                .into_iter()
                .map(|amount| {
                    let wallet = Arc::clone(&wallet);
                    thread::spawn(move || wallet.withdraw(amount))
                })
                .collect();
            wallet.deposit(5);
            wallet.deposit(30);
            spenders.into_iter().for_each(|s| s.join().unwrap());
            expect_balance(&wallet, 0);
        },
    );
    c.model(
        (
            "two withdraw(10) on a balance of 10, then a deposit of 10: neither takes money that is not there",
            "잔액 10에서 withdraw(10) 둘, 그다음 10 입금: 어느 쪽도 없는 돈을 가져가지 않음",
        ),
        || {
            let wallet = Arc::new(Wallet::new(10));
            let spenders: Vec<_> = (0..2)
                .map(|_| {
                    let wallet = Arc::clone(&wallet);
                    thread::spawn(move || wallet.withdraw(10))
                })
                .collect();
            wallet.deposit(10);
            spenders.into_iter().for_each(|s| s.join().unwrap());
            expect_balance(&wallet, 0);
        },
    );
    c.model(
        (
            "withdraw(15), withdraw(10), withdraw(5) on an empty wallet while two depositors put in 10 and 20: all \
             three get through, 0 left",
            "빈 지갑에서 withdraw(15), withdraw(10), withdraw(5)가 기다리는 동안 두 사람이 10과 20을 입금: 셋 모두 \
             통과하고 0이 남음",
        ),
        || {
            let wallet = Arc::new(Wallet::new(0));
            let spenders: Vec<_> = [15, 10, 5]
                .into_iter()
                .map(|amount| {
                    let wallet = Arc::clone(&wallet);
                    thread::spawn(move || wallet.withdraw(amount))
                })
                .collect();
            let depositor = thread::spawn({
                let wallet = Arc::clone(&wallet);
                move || wallet.deposit(10)
            });
            wallet.deposit(20);
            depositor.join().unwrap();
            spenders.into_iter().for_each(|s| s.join().unwrap());
            expect_balance(&wallet, 0);
        },
    );
}
