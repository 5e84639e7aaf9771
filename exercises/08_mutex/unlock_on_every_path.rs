// unlock_on_every_path — mutex (뮤텍스)
//
// EN: A bank account is guarded by `RawLock`, a lock with separate `lock()` and `unlock()` calls, as in C
//     (`pthread_mutex_lock` / `pthread_mutex_unlock`). `withdraw` refuses amounts over the limit and amounts
//     larger than the balance, but those early returns (one of them hidden in a `?`) leave without calling
//     `unlock()`. After the first refusal the account is locked forever, and the next caller waits for good.
//     Make every way out of `withdraw` release the lock, including the ones added later, without losing the
//     mutual exclusion: a guard value whose `Drop` unlocks (RAII) does it on every path.
//     Keep the public shape: `Account::new`, `balance`, `deposit`, `withdraw` and `WithdrawError`.
//
// KO: 은행 계좌를 `RawLock`이 지킵니다. C의 `pthread_mutex_lock` / `pthread_mutex_unlock`처럼 `lock()`과
//     `unlock()`을 따로 부르는 락입니다. `withdraw`는 한도를 넘는 금액과 잔액보다 큰 금액을 거절하는데, 이 조기
//     반환들(하나는 `?` 속에 숨어 있습니다)이 `unlock()`을 부르지 않고 빠져나갑니다. 처음 거절된 뒤로 계좌는 영원히
//     잠기고, 다음 호출자는 끝없이 기다립니다. 나중에 더해질 경로까지 포함해 `withdraw`를 빠져나가는 모든 길에서
//     락이 풀리게 하세요. 상호 배제는 그대로 지켜야 합니다. `Drop`에서 락을 푸는 가드 값(RAII)이 모든 경로에서
//     대신 해 줍니다. 공개된 모양(`Account::new`, `balance`, `deposit`, `withdraw`, `WithdrawError`)은 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin unlock_on_every_path`. The checker tries every interleaving that
// matters.
// 직접 실행해 보기: `cargo run -p exercises --bin unlock_on_every_path`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::atomic::{AtomicU64, Ordering};
use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

/// A lock with separate `lock()` and `unlock()` calls. It works; the caller must remember `unlock()` on every
/// way out.
pub struct RawLock {
    locked: Mutex<bool>,
    released: Condvar,
}

impl RawLock {
    pub fn new() -> Self {
        RawLock {
            locked: Mutex::new(false),
            released: Condvar::new(),
        }
    }

    /// Waits until the lock is free, then takes it.
    pub fn lock(&self) {
        let mut locked = self.locked.lock().unwrap();
        while *locked {
            locked = self.released.wait(locked).unwrap();
        }
        *locked = true;
    }

    /// Releases the lock. Only the thread that took it may call this.
    pub fn unlock(&self) {
        *self.locked.lock().unwrap() = false;
        self.released.notify_one();
    }
}

/// No single withdrawal may be larger than this.
pub const LIMIT: u64 = 100;

#[derive(Debug, PartialEq, Eq)]
pub enum WithdrawError {
    /// More than `LIMIT` at once.
    OverLimit,
    /// More than the balance.
    Insufficient,
}

pub struct Account {
    lock: RawLock,
    // An atomic only so that it can change through `&self`: the lock is what keeps a read and the write that
    // follows it together.
    balance: AtomicU64,
}

impl Account {
    pub fn new(balance: u64) -> Self {
        Account {
            lock: RawLock::new(),
            balance: AtomicU64::new(balance),
        }
    }

    pub fn balance(&self) -> u64 {
        self.lock.lock();
        let balance = self.balance.load(Ordering::Relaxed);
        self.lock.unlock();
        balance
    }

    pub fn deposit(&self, amount: u64) {
        self.lock.lock();
        let balance = self.balance.load(Ordering::Relaxed);
        self.balance.store(balance + amount, Ordering::Relaxed);
        self.lock.unlock();
    }

    /// Takes `amount` out; returns the new balance.
    pub fn withdraw(&self, amount: u64) -> Result<u64, WithdrawError> {
        self.lock.lock();
        // TODO: both refusals below leave with the lock still taken.
        // 할 일: 아래의 두 거절은 모두 락을 잡은 채로 빠져나갑니다.
        if amount > LIMIT {
            return Err(WithdrawError::OverLimit);
        }
        let balance = self.balance.load(Ordering::Relaxed);
        let left = balance
            .checked_sub(amount)
            .ok_or(WithdrawError::Insufficient)?;
        self.balance.store(left, Ordering::Relaxed);
        self.lock.unlock();
        Ok(left)
    }
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run unlock_on_every_path` to see why.
    let account = Arc::new(Account::new(50));
    println!("withdraw 500: {:?}", account.withdraw(500));
    let teller = thread::spawn({
        let account = account.clone();
        move || account.deposit(30)
    });
    teller.join().unwrap();
    println!("withdraw 20: {:?}", account.withdraw(20));
    println!("balance: {}", account.balance());
}
