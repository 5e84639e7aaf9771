// wait_while_funds — condition variable (조건 변수)
//
// EN: A `Wallet` is shared by a family. `deposit(amount)` adds money; `withdraw(amount)` waits until the balance
//     covers `amount`, then takes it, so the balance never goes below zero. `withdraw` uses
//     `Condvar::wait_while`, which does the re-check loop for you: `wait_while(guard, condition)` keeps waiting
//     *while* `condition` returns `true`, and returns the guard once it is `false`. Read that twice: the closure
//     says when to keep sleeping, not what you are waiting for. Here it is the wrong way round: a withdrawal
//     that could go ahead sleeps, and one that cannot goes ahead.
//
// KO: 가족이 `Wallet`(지갑) 하나를 같이 씁니다. `deposit(amount)`는 돈을 넣고, `withdraw(amount)`는 잔액이
//     `amount`를 감당할 수 있을 때까지 기다렸다가 가져가므로, 잔액은 0 아래로 내려가지 않습니다. `withdraw`는
//     `Condvar::wait_while`을 씁니다. 이 메서드가 재확인 반복문을 대신 돌려 줍니다. `wait_while(guard, condition)`은
//     `condition`이 `true`를 돌려주는 *동안* 계속 기다리고, `false`가 되면 가드를 돌려줍니다. 두 번 읽으세요.
//     클로저는 기다리는 대상이 아니라, 언제 계속 잘지를 말합니다. 여기서는 거꾸로 되어 있습니다. 진행할 수 있는
//     출금은 잠들고, 진행할 수 없는 출금은 진행합니다.
//
// Run it yourself: `cargo run -p exercises --bin wait_while_funds`.
// 직접 실행해 보기: `cargo run -p exercises --bin wait_while_funds`.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

pub struct Wallet {
    balance: Mutex<u64>,
    changed: Condvar,
}

impl Wallet {
    pub fn new(balance: u64) -> Self {
        Wallet {
            balance: Mutex::new(balance),
            changed: Condvar::new(),
        }
    }

    pub fn deposit(&self, amount: u64) {
        let mut balance = self.balance.lock().unwrap();
        *balance += amount;
        // Withdrawals wait for different amounts: wake them all, each checks its own.
        self.changed.notify_all();
    }

    /// Waits until the balance covers `amount`, then takes it.
    pub fn withdraw(&self, amount: u64) {
        let guard = self.balance.lock().unwrap();
        // TODO: `wait_while` keeps waiting while the closure returns true. Is this "too little money"?
        // 할 일: `wait_while`은 클로저가 true를 돌려주는 동안 계속 기다립니다. 이 조건이 "돈이 모자람"입니까?
        let mut balance = self
            .changed
            .wait_while(guard, |balance| *balance >= amount)
            .unwrap();
        *balance -= amount;
    }

    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

fn main() {
    let wallet = Arc::new(Wallet::new(0));
    let child = thread::spawn({
        let wallet = Arc::clone(&wallet);
        move || {
            wallet.withdraw(30);
            println!("child: withdrew 30");
        }
    });
    for _ in 0..4 {
        wallet.deposit(10);
        println!("parent: deposited 10");
    }
    child.join().unwrap();
    println!("left in the wallet: {} (expected 10)", wallet.balance());
}
