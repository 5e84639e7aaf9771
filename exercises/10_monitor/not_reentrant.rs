// not_reentrant — monitor (모니터)
//
// EN: `Shop` is a monitor: its shelf (stock and sold count) is private, behind one mutex, and every method locks
//     it. `sell(n)` holds the lock and, to check the stock, calls `in_stock()`, which locks the same mutex
//     again. Rust's `Mutex` is not reentrant: a thread that already holds it and locks it again waits for
//     itself, forever. `sell_all()` has the same problem through `sell()`. Fix the compound methods so that
//     each one takes the lock once and works on the locked shelf, sharing code through internal helpers that
//     take the already-locked data (`&mut Shelf`), not `&self`. Each method must stay one critical section:
//     two customers must never both buy the last items.
//     Keep `Shop::new(stock)`, `in_stock`, `sold`, `restock`, `sell` and `sell_all`.
//
// KO: `Shop`은 모니터입니다. 진열대(재고와 판매 수)는 비공개로 뮤텍스 하나 뒤에 있고, 모든 메서드가 그것을
//     잠급니다. `sell(n)`은 락을 쥔 채 재고를 확인하려고 `in_stock()`을 부르는데, 이 메서드가 같은 뮤텍스를 또
//     잠급니다. Rust의 `Mutex`는 재진입이 안 됩니다. 이미 쥐고 있는 스레드가 다시 잠그면 자기 자신을 영원히
//     기다립니다. `sell_all()`도 `sell()`을 거쳐 같은 문제를 겪습니다. 복합 메서드가 각자 락을 한 번만 잡고 잠긴
//     진열대로 일하게 고치세요. 코드를 함께 쓰려면 `&self`가 아니라 이미 잠긴 데이터(`&mut Shelf`)를 받는 내부
//     도우미를 쓰세요. 각 메서드는 하나의 임계 영역으로 남아야 합니다. 두 손님이 마지막 물건을 둘 다 사면 안 됩니다.
//     `Shop::new(stock)`, `in_stock`, `sold`, `restock`, `sell`, `sell_all`은 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin not_reentrant`. The checker tries every interleaving that
// matters.
// 직접 실행해 보기: `cargo run -p exercises --bin not_reentrant`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

/// The monitor's private state.
struct Shelf {
    stock: u32,
    sold: u32,
}

pub struct Shop {
    shelf: Mutex<Shelf>,
}

impl Shop {
    pub fn new(stock: u32) -> Self {
        Shop {
            shelf: Mutex::new(Shelf { stock, sold: 0 }),
        }
    }

    /// Items on the shelf.
    pub fn in_stock(&self) -> u32 {
        self.shelf.lock().unwrap().stock
    }

    /// Items sold so far.
    pub fn sold(&self) -> u32 {
        self.shelf.lock().unwrap().sold
    }

    pub fn restock(&self, n: u32) {
        self.shelf.lock().unwrap().stock += n;
    }

    /// Sells `n` items if there are that many; returns whether it did.
    pub fn sell(&self, n: u32) -> bool {
        let mut shelf = self.shelf.lock().unwrap();
        // TODO: `in_stock()` locks `self.shelf` again, while this thread holds it.
        // 할 일: 이 스레드가 `self.shelf`를 쥔 채로 `in_stock()`이 그 락을 다시 잠급니다.
        if self.in_stock() < n {
            return false;
        }
        shelf.stock -= n;
        shelf.sold += n;
        true
    }

    /// Sells everything on the shelf; returns how many items that was.
    pub fn sell_all(&self) -> u32 {
        let shelf = self.shelf.lock().unwrap();
        let n = shelf.stock;
        // TODO: `sell()` locks `self.shelf` again, while this thread holds it.
        // 할 일: 이 스레드가 `self.shelf`를 쥔 채로 `sell()`이 그 락을 다시 잠급니다.
        self.sell(n);
        n
    }
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run not_reentrant` to see why.
    let shop = Arc::new(Shop::new(5));
    let customer = thread::spawn({
        let shop = shop.clone();
        move || println!("customer buys 2: {}", shop.sell(2))
    });
    customer.join().unwrap();
    println!("clearance sale: {} items", shop.sell_all());
    shop.restock(3);
    println!("in stock: {}, sold: {}", shop.in_stock(), shop.sold());
}
