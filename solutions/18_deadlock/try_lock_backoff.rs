// try_lock_backoff — deadlock (교착 상태)
//
// EN: `transfer(from, to, amount)` must hold both balances locked while it moves the money. To avoid a deadlock
//     its author used `try_lock` for the second lock, retrying until it succeeds. But it keeps the first lock
//     while it retries: when one transfer goes a → b and another b → a at the same time, each holds one account
//     and retries for the other, forever. `try_lock` alone breaks nothing: the threads no longer *sleep*, but
//     they still hold and wait. Break "no preemption" (비선점) yourself: when the second lock is taken, give back
//     the first one, let the other thread run, and start over. Every transfer must finish and no money may be
//     lost or made up. (Backing off in lockstep could in principle repeat forever — a livelock. The checker
//     tries 1000 random schedules and counts a run of more than 2 000 steps as spinning forever.)
//
// KO: `transfer(from, to, amount)`는 돈을 옮기는 동안 두 잔액을 모두 잠가 두어야 합니다. 이 코드를 쓴 사람은 교착 상태를
//     피하려고 두 번째 락에 `try_lock`을 쓰고 성공할 때까지 다시 시도했습니다. 그런데 다시 시도하는 동안 첫 번째
//     락을 계속 쥐고 있습니다. 한 이체는 a → b로, 다른 이체는 b → a로 동시에 진행되면, 각자 계좌 하나를 쥔 채
//     다른 계좌를 영원히 다시 시도합니다. `try_lock`만으로는 아무 조건도 깨지지 않습니다. 스레드가 *잠들지* 않을
//     뿐, 여전히 점유한 채 대기합니다. 비선점 조건을 스스로 깨세요. 두 번째 락이 잡혀 있으면 첫 번째 락을
//     돌려주고, 다른 스레드가 돌게 한 뒤, 처음부터 다시 하세요. 모든 이체가 끝나야 하고 돈이 사라지거나 생겨나면
//     안 됩니다. (모두가 똑같이 물러났다가 다시 시도하면 이론상 영원히 반복될 수도 있습니다(라이브락). 검사기는
//     무작위 실행 순서 1,000개를 시도하고, 2,000단계를 넘는 실행을 영원히 도는 것으로 칩니다.)
//
// Run it yourself: `cargo run -p exercises --bin try_lock_backoff` (it may spin forever: that is the bug).
// 직접 실행해 보기: `cargo run -p exercises --bin try_lock_backoff` (영원히 돌 수 있는데, 그것이 바로 버그입니다).

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

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

/// Moves `amount` from `from` to `to`, with both balances locked while it does.
pub fn transfer(from: &Account, to: &Account, amount: i64) {
    loop {
        let mut source = from.balance.lock().unwrap();
        if let Ok(mut target) = to.balance.try_lock() {
            *source -= amount;
            *target += amount;
            return;
        }
        // The second lock is taken: give back the first (we preempt ourselves, so "no preemption" no longer
        // holds and no cycle of waits can last), let the other thread finish, then start over from nothing.
        drop(source);
        thread::yield_now();
    }
}

fn main() {
    let a = Arc::new(Account::new(1_000_000));
    let b = Arc::new(Account::new(1_000_000));
    let other = thread::spawn({
        let (a, b) = (Arc::clone(&a), Arc::clone(&b));
        move || (0..10_000).for_each(|_| transfer(&b, &a, 2))
    });
    (0..10_000).for_each(|_| transfer(&a, &b, 1));
    other.join().unwrap();
    println!(
        "a = {}, b = {} (expected 1010000 and 990000)",
        a.balance(),
        b.balance()
    );
}
