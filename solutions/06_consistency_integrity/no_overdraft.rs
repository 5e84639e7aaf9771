// no_overdraft — data consistency vs integrity (데이터 정합성 / 무결성)
//
// EN: A bank account has one rule: its balance never goes below zero. `withdraw(amount)` takes the money and
//     returns `true` if the balance covers it, and returns `false` (changing nothing) if it does not; `deposit` and
//     `balance` do what they say. Two withdrawals of 70 from a balance of 100 can both succeed and leave -40: the
//     check ("is there enough?") and the debit are two critical sections, and both threads pass the check before
//     either debits. Keep the rule in every interleaving, and never refuse a withdrawal the balance covers. No
//     reader may ever see a negative balance, not even for a moment.
//
// KO: 은행 계좌에는 규칙이 하나 있습니다. 잔액은 절대 0 아래로 내려가지 않습니다. `withdraw(amount)`는 잔액이
//     충분하면 돈을 빼고 `true`를, 부족하면 아무것도 바꾸지 않고 `false`를 돌려줍니다. `deposit`과 `balance`는
//     이름 그대로입니다. 잔액 100에서 70씩 두 번 출금하면 둘 다 성공해 -40이 될 수 있습니다. 확인("충분한가?")과
//     출금이 서로 다른 두 임계 영역이어서, 두 스레드 모두 어느 쪽도 빼기 전에 확인을 통과합니다. 어떤 실행
//     순서에서도 규칙을 지키고, 잔액이 충분한 출금은 절대 거절하지 마세요. 읽는 쪽은 누구도 음수 잔액을 보면 안 됩니다,
//     한순간이라도.
//
// Run it yourself: `cargo run -p exercises --bin no_overdraft`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin no_overdraft`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

pub struct Account {
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Account {
            balance: Mutex::new(balance),
        }
    }

    #[track_caller] // the checker's trace shows the line that called `balance`, not this one
    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    pub fn deposit(&self, amount: i64) {
        *self.balance.lock().unwrap() += amount;
    }

    /// Takes `amount` out if the balance covers it (`true`); otherwise changes nothing (`false`).
    pub fn withdraw(&self, amount: i64) -> bool {
        // The rule is checked and the money taken under one guard: no other withdrawal can come in between, and
        // no reader can see the balance until the debit is done.
        let mut balance = self.balance.lock().unwrap();
        if *balance < amount {
            return false;
        }
        *balance -= amount;
        true
    }
}

fn main() {
    for _ in 0..1000 {
        let account = Arc::new(Account::new(100));
        let atms: Vec<_> = (0..2)
            .map(|_| {
                let account = Arc::clone(&account);
                thread::spawn(move || account.withdraw(70))
            })
            .collect();
        let paid: Vec<bool> = atms.into_iter().map(|a| a.join().unwrap()).collect();
        if account.balance() < 0 {
            println!(
                "both ATMs paid out ({paid:?}): the balance is {}",
                account.balance()
            );
            return;
        }
    }
    println!(
        "no overdraft in 1000 tries on real threads (the checker tries the interleavings that matter)"
    );
}
