// lock_order — mutex (뮤텍스)
//
// EN: Each bank account has its own mutex. `transfer(from, to, amount)` locks `from`, then `to`, and moves the
//     money while holding both, so nobody ever sees it in neither account. But when one thread transfers from
//     account 1 to account 2 while another transfers from 2 to 1, each can take its first lock and then wait
//     forever for the lock the other holds: a deadlock. Make every thread take the locks in one global order
//     (say, by account `id`), in `transfer` and in `audit`, which must see every balance at one instant.
//     Keep the public shape: `Account::new(id, balance)`, `balance`, `transfer`, `audit`.
//
// KO: 은행 계좌마다 뮤텍스가 하나씩 있습니다. `transfer(from, to, amount)`는 `from`을 잠그고, 그다음 `to`를 잠근 뒤
//     둘 다 쥔 채로 돈을 옮깁니다. 그래서 누구도 돈이 어느 계좌에도 없는 순간을 보지 못합니다. 그런데 한 스레드가
//     1번에서 2번 계좌로, 다른 스레드가 2번에서 1번으로 동시에 이체하면, 둘 다 첫 번째 락을 잡은 뒤 상대가 쥔 락을
//     영원히 기다릴 수 있습니다. 교착 상태입니다. 모든 스레드가 하나의 전역 순서(예: 계좌 `id` 순)로 락을 잡게
//     하세요. `transfer`뿐 아니라 모든 잔액을 한 순간에 보아야 하는 `audit`도 마찬가지입니다. 공개된 모양, 즉
//     `Account::new(id, balance)`, `balance`, `transfer`, `audit`은 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin lock_order`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin lock_order`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

pub struct Account {
    pub id: u32,
    balance: Mutex<u64>,
}

impl Account {
    pub fn new(id: u32, balance: u64) -> Self {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

/// Moves `amount` from `from` to `to`, both locked at once. Returns `false`, moving nothing, if `from` has
/// less than `amount`.
pub fn transfer(from: &Account, to: &Account, amount: u64) -> bool {
    if from.id == to.id {
        return true;
    }
    // TODO: two transfers in opposite directions take these two locks in opposite orders.
    // 할 일: 서로 반대 방향의 두 이체가 이 두 락을 서로 반대 순서로 잡습니다.
    let mut source = from.balance.lock().unwrap();
    let mut target = to.balance.lock().unwrap();
    if *source < amount {
        return false;
    }
    *source -= amount;
    *target += amount;
    true
}

/// The total of all `accounts` at one instant: every balance is locked at once while it adds them up.
pub fn audit(accounts: &[&Account]) -> u64 {
    // TODO: this takes the locks in the order the caller happened to list the accounts.
    // 할 일: 호출자가 계좌를 나열한 순서대로 락을 잡습니다.
    let guards: Vec<_> = accounts.iter().map(|a| a.balance.lock().unwrap()).collect();
    guards.iter().map(|balance| **balance).sum()
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run lock_order` to see why.
    let a = Arc::new(Account::new(1, 1000));
    let b = Arc::new(Account::new(2, 1000));
    let workers: Vec<_> = [(a.clone(), b.clone()), (b.clone(), a.clone())]
        .into_iter()
        .map(|(from, to)| {
            thread::spawn(move || {
                for _ in 0..100_000 {
                    transfer(&from, &to, 1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("total: {} (2000 expected)", audit(&[&a, &b]));
}
