// fixed_lock_order — data consistency vs integrity (데이터 정합성 / 무결성)
//
// EN: A bank keeps each account behind a lock of its own. `transfer(from, to, amount)` moves money between two
//     different accounts; `audit()` locks every account at once and returns the sum of all balances, which
//     transfers must never change; `balance(i)` reads one account. The transfer below takes the money out of
//     `from` in one critical section and puts it into `to` in another: an audit that runs in between finds money
//     missing. Make every audit see the same total, whatever runs at the same time, and make sure that two
//     transfers in opposite directions, or a transfer and an audit, can never deadlock.
//
// KO: 은행이 계좌마다 따로 락을 둡니다. `transfer(from, to, amount)`는 서로 다른 두 계좌 사이에서 돈을 옮기고,
//     `audit()`은 모든 계좌를 한꺼번에 잠근 채 잔액의 합을 돌려줍니다. 이체는 이 합을 절대 바꾸면 안 됩니다.
//     `balance(i)`는 계좌 하나를 읽습니다. 아래의 이체는 한 임계 영역에서 `from`의 돈을 빼고 다른 임계 영역에서
//     `to`에 넣습니다. 그 사이에 감사(audit)가 실행되면 돈이 사라진 것을 봅니다. 무엇이 동시에 실행되든 모든
//     감사가 같은 합계를 보게 하고, 반대 방향의 두 이체나 이체와 감사가 절대 교착 상태에 빠지지 않게 하세요.
//
// Run it yourself: `cargo run -p exercises --bin fixed_lock_order`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin fixed_lock_order`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

pub struct Bank {
    accounts: Vec<Mutex<i64>>,
}

impl Bank {
    pub fn new(balances: &[i64]) -> Self {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// Moves `amount` from account `from` to account `to` (two different accounts).
    pub fn transfer(&self, from: usize, to: usize, amount: i64) {
        // Both accounts locked at once: no audit can look while the money is in neither. Every thread takes its
        // locks in the same global order (lower index first, as `audit` does), so no two threads can each hold a
        // lock the other one waits for: a cycle of waiting, a deadlock, cannot form.
        let (first, second) = (from.min(to), from.max(to));
        let mut low = self.accounts[first].lock().unwrap();
        let mut high = self.accounts[second].lock().unwrap();
        let (from_balance, to_balance) = if from < to {
            (&mut *low, &mut *high)
        } else {
            (&mut *high, &mut *low)
        };
        *from_balance -= amount;
        *to_balance += amount;
    }

    /// The sum of all balances, read with every account locked (in index order).
    pub fn audit(&self) -> i64 {
        let guards: Vec<_> = self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|balance| **balance).sum()
    }

    pub fn balance(&self, account: usize) -> i64 {
        *self.accounts[account].lock().unwrap()
    }
}

fn main() {
    let bank = Arc::new(Bank::new(&[1000, 1000]));
    let clerks: Vec<_> = [(0, 1), (1, 0)]
        .into_iter()
        .map(|(from, to)| {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                for _ in 0..10_000 {
                    bank.transfer(from, to, 1);
                }
            })
        })
        .collect();
    let mut wrong = 0;
    for _ in 0..10_000 {
        if bank.audit() != 2000 {
            wrong += 1;
        }
    }
    for clerk in clerks {
        clerk.join().unwrap();
    }
    println!("{wrong} of 10000 audits did not see 2000; 0 expected");
}
