// parking_garage — monitor (모니터)
//
// EN: A garage has a fixed number of spaces. `enter()` waits while the garage is full, `leave()` frees a space,
//     `free_spaces()` feeds the sign at the entrance. The count of free spaces is a public atomic *beside* the
//     lock, so `leave()` (and anyone else) can change it without the lock. Then a car can check "full" under
//     the lock, `leave()` can add a space and notify before that car is asleep, and the car sleeps forever next
//     to a free space: a lost wake-up. Turn `Garage` into a monitor: its state private, inside the one mutex,
//     changed only by its methods while holding that mutex, with a condition variable to wait on.
//     Keep `Garage::new(spaces)`, `enter`, `leave` and `free_spaces`. (The checker cannot see visibility from
//     inside your file, so it reads it from the source: a `pub` field of `Garage` is refused.)
//
// KO: 주차장에 정해진 수의 자리가 있습니다. `enter()`는 자리가 없으면 기다리고, `leave()`는 자리를 비우며,
//     `free_spaces()`는 입구의 안내판에 숫자를 알려 줍니다. 빈자리 수가 락 *옆의* 공개 원자 변수라서 `leave()`(와
//     누구든)가 락 없이 바꿀 수 있습니다. 그러면 어떤 차가 락 안에서 "꽉 참"을 확인하고, 그 차가 잠들기 전에
//     `leave()`가 자리를 더하고 notify할 수 있어서, 그 차는 빈자리 옆에서 영원히 잡니다. 깨우기 신호 유실입니다.
//     `Garage`를 모니터로 바꾸세요. 상태는 비공개로 하나의 뮤텍스 안에 두고, 그 뮤텍스를 쥔 메서드만 바꾸며,
//     기다릴 때는 조건 변수를 씁니다. `Garage::new(spaces)`, `enter`, `leave`, `free_spaces`는 유지하세요.
//     (검사기는 파일 안에서는 공개 여부를 볼 수 없어서 소스에서 읽으므로, `Garage`의 `pub` 필드는 거부됩니다.)
//
// Run it yourself: `cargo run -p exercises --bin parking_garage`. The checker tries every interleaving that
// matters.
// 직접 실행해 보기: `cargo run -p exercises --bin parking_garage`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::atomic::{AtomicUsize, Ordering};
use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

pub struct Garage {
    // TODO: state beside the lock, and public: anyone can change it without holding `lock`.
    // 할 일: 상태가 락 옆에 공개로 있어서, 누구든 `lock`을 쥐지 않고 바꿀 수 있습니다.
    /// Free spaces.
    pub free: AtomicUsize,
    lock: Mutex<()>,
    space_freed: Condvar,
}

impl Garage {
    pub fn new(spaces: usize) -> Self {
        Garage {
            free: AtomicUsize::new(spaces),
            lock: Mutex::new(()),
            space_freed: Condvar::new(),
        }
    }

    /// A car drives in, waiting while the garage is full.
    pub fn enter(&self) {
        let mut guard = self.lock.lock().unwrap();
        while self.free.load(Ordering::SeqCst) == 0 {
            guard = self.space_freed.wait(guard).unwrap();
        }
        self.free.fetch_sub(1, Ordering::SeqCst);
    }

    /// A car drives out.
    pub fn leave(&self) {
        // TODO: changes the state and notifies without the lock.
        // 할 일: 락 없이 상태를 바꾸고 notify합니다.
        self.free.fetch_add(1, Ordering::SeqCst);
        self.space_freed.notify_one();
    }

    /// How many spaces are free right now.
    pub fn free_spaces(&self) -> usize {
        self.free.load(Ordering::SeqCst)
    }
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run parking_garage` to see why.
    let garage = Arc::new(Garage::new(2));
    let cars: Vec<_> = (0..5)
        .map(|car| {
            let garage = garage.clone();
            thread::spawn(move || {
                garage.enter();
                println!("car {car} parked");
                thread::sleep(std::time::Duration::from_millis(10));
                garage.leave();
            })
        })
        .collect();
    for car in cars {
        car.join().unwrap();
    }
    println!("sign: {} free", garage.free.load(Ordering::SeqCst));
}
