// lock_cycle — deadlock (교착 상태)
//
// EN: A warehouse keeps its shelf and its order book under two locks. `order()` ships one item if the shelf has
//     one, otherwise the order waits; `restock(n)` first ships waiting orders, then shelves the rest. Each
//     method takes "its own" lock and then calls a helper that takes the other: `order` holds `orders` and
//     asks for `shelf`, `restock` holds `shelf` and asks for `orders`. Run alone, each is fine; run at the same
//     time, each can get its first lock and wait forever for the other's: a circular wait (순환 대기), in one
//     interleaving only. Make every path take the two locks in the same order. The rule stays: no order may be
//     left waiting while an item sits on the shelf.
//
// KO: 창고가 선반과 주문 장부를 두 락 아래에 둡니다. `order()`는 선반에 물건이 있으면 하나를 보내고, 없으면 주문이
//     기다립니다. `restock(n)`은 기다리는 주문부터 보내고 나머지를 선반에 올립니다. 각 메서드는 "자기" 락을 먼저
//     잡고, 다른 락을 잡는 보조 함수를 부릅니다. `order`는 `orders`를 쥔 채 `shelf`를, `restock`은 `shelf`를
//     쥔 채 `orders`를 요청합니다. 따로 실행하면 둘 다 괜찮지만, 동시에 실행하면 각자 첫 락을 잡은 뒤 상대의 락을
//     영원히 기다릴 수 있습니다. 순환 대기이고, 특정 실행 순서에서만 일어납니다. 모든 경로가 두 락을 같은 순서로
//     잡게 하세요. 규칙은 그대로입니다. 선반에 물건이 있는데 주문이 기다리는 일은 없어야 합니다.
//
// Run it yourself: `cargo run -p exercises --bin lock_cycle` (it may hang: that is the deadlock).
// 직접 실행해 보기: `cargo run -p exercises --bin lock_cycle` (멈출 수 있는데, 그것이 바로 교착 상태입니다).

use conc::sync::{Arc, Mutex};
use conc::thread;

#[derive(Default)]
struct Orders {
    /// Orders placed but not shipped, waiting for a restock.
    waiting: u32,
    shipped: u32,
}

pub struct Warehouse {
    orders: Mutex<Orders>,
    /// Items on the shelf.
    shelf: Mutex<u32>,
}

impl Warehouse {
    pub fn new(on_shelf: u32) -> Self {
        Warehouse {
            orders: Mutex::new(Orders::default()),
            shelf: Mutex::new(on_shelf),
        }
    }

    /// A customer orders one item: shipped now if the shelf has one, otherwise it waits for a restock.
    pub fn order(&self) {
        // TODO: holds `orders`, then (inside `take_from_shelf`) asks for `shelf`.
        // 할 일: `orders`를 쥔 채로 (`take_from_shelf` 안에서) `shelf`를 요청합니다.
        let mut orders = self.orders.lock().unwrap();
        if self.take_from_shelf() {
            orders.shipped += 1;
        } else {
            orders.waiting += 1;
        }
    }

    /// A delivery of `n` items: waiting orders are shipped first, the rest goes on the shelf.
    pub fn restock(&self, n: u32) {
        // TODO: holds `shelf`, then (inside `ship_waiting`) asks for `orders`: the opposite order.
        // 할 일: `shelf`를 쥔 채로 (`ship_waiting` 안에서) `orders`를 요청합니다. 반대 순서입니다.
        let mut shelf = self.shelf.lock().unwrap();
        let left = self.ship_waiting(n);
        *shelf += left;
    }

    /// Takes one item off the shelf, if there is one.
    fn take_from_shelf(&self) -> bool {
        let mut shelf = self.shelf.lock().unwrap();
        if *shelf > 0 {
            *shelf -= 1;
            true
        } else {
            false
        }
    }

    /// Ships up to `n` waiting orders; returns how many of the `n` items are left over.
    fn ship_waiting(&self, n: u32) -> u32 {
        let mut orders = self.orders.lock().unwrap();
        let shipped = n.min(orders.waiting);
        orders.waiting -= shipped;
        orders.shipped += shipped;
        n - shipped
    }

    pub fn on_shelf(&self) -> u32 {
        *self.shelf.lock().unwrap()
    }

    pub fn waiting(&self) -> u32 {
        self.orders.lock().unwrap().waiting
    }

    pub fn shipped(&self) -> u32 {
        self.orders.lock().unwrap().shipped
    }
}

fn main() {
    let warehouse = Arc::new(Warehouse::new(0));
    let customers = thread::spawn({
        let warehouse = Arc::clone(&warehouse);
        move || (0..10_000).for_each(|_| warehouse.order())
    });
    for _ in 0..10_000 {
        warehouse.restock(1);
    }
    customers.join().unwrap();
    println!(
        "shipped {}, waiting {}, on the shelf {}",
        warehouse.shipped(),
        warehouse.waiting(),
        warehouse.on_shelf()
    );
}
