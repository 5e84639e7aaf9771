// Hidden check for `lock_cycle`.
//
// requirement (header)                                             → check
// order ships one item if the shelf has one, else the order waits;  → 1 "one thread"
//   restock ships waiting orders first, then shelves the rest
// order and restock at the same time never deadlock                → 2 "an order and a restock", 3, 4
// no order waits while an item sits on the shelf (every call does   → 3 "two orders and a restock(1)", 4 "two
//   its whole decision; none is dropped because a lock was busy)       customers, two restocks, an onlooker"
// on_shelf, waiting, shipped may be called at any time               → 4 (the onlooker reads all three meanwhile)
use super::*;
use conc_check::prelude::*;

/// The end state: (shipped, waiting, on the shelf).
fn expect_counts(warehouse: &Warehouse, expected: (u32, u32, u32)) {
    let got = (
        warehouse.shipped(),
        warehouse.waiting(),
        warehouse.on_shelf(),
    );
    assert!(
        got == expected,
        "{}",
        trf!(
            "(shipped, waiting, on the shelf) should be {expected:?}, but is {got:?}",
            "(보냄, 기다림, 선반)의 기대값: {expected:?}, 실제 값: {got:?}"
        ),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, 1 on the shelf: order, order, restock(2) — 2 shipped, 1 left on the shelf",
            "스레드 하나, 선반에 1개: order, order, restock(2) → 2개 보냄, 선반에 1개 남음",
        ),
        || {
            let warehouse = Warehouse::new(1);
            warehouse.order();
            warehouse.order();
            expect_counts(&warehouse, (1, 1, 0));
            warehouse.restock(2);
            expect_counts(&warehouse, (2, 0, 1));
        },
    );
    c.model(
        (
            "empty shelf: an order and a restock(1) at the same time — no deadlock, the order is shipped",
            "빈 선반: order와 restock(1)이 동시에 → 교착 상태 없이 주문이 보내짐",
        ),
        || {
            let warehouse = Arc::new(Warehouse::new(0));
            let customer = thread::spawn({
                let warehouse = Arc::clone(&warehouse);
                move || warehouse.order()
            });
            warehouse.restock(1);
            customer.join().unwrap();
            expect_counts(&warehouse, (1, 0, 0));
        },
    );
    c.model(
        (
            "empty shelf: two orders and a restock(1) at the same time — one shipped, one waiting",
            "빈 선반: order 둘과 restock(1)이 동시에 → 하나는 보내고 하나는 기다림",
        ),
        || {
            let warehouse = Arc::new(Warehouse::new(0));
            let customers: Vec<_> = (0..2)
                .map(|_| {
                    let warehouse = Arc::clone(&warehouse);
                    thread::spawn(move || warehouse.order())
                })
                .collect();
            warehouse.restock(1);
            customers.into_iter().for_each(|c| c.join().unwrap());
            expect_counts(&warehouse, (1, 1, 0));
        },
    );
    c.model(
        (
            "two orders wait; then two customers order, restock(1) and restock(2) arrive, and an onlooker reads the \
             counts meanwhile — 3 shipped, 1 waiting, none on the shelf",
            "주문 둘이 기다림; 그다음 손님 둘이 주문하고, restock(1)과 restock(2)가 들어오고, 구경꾼이 그동안 개수를 \
             읽음 → 3개 보냄, 1개 기다림, 선반에 0개",
        ),
        || {
            let warehouse = Arc::new(Warehouse::new(0));
            warehouse.order();
            warehouse.order();
            let customers: Vec<_> = (0..2)
                .map(|_| {
                    let warehouse = Arc::clone(&warehouse);
                    thread::spawn(move || warehouse.order())
                })
                .collect();
            let restocker = thread::spawn({
                let warehouse = Arc::clone(&warehouse);
                move || warehouse.restock(1)
            });
            let onlooker = thread::spawn({
                let warehouse = Arc::clone(&warehouse);
                move || {
                    for _ in 0..2 {
                        let _ = warehouse.on_shelf();
                        // Orders only ever move from waiting to shipped, so reading waiting first and shipped after
                        // counts every order placed before the reading at least once.
                        let (waiting, shipped) = (warehouse.waiting(), warehouse.shipped());
                        assert!(
                            waiting + shipped >= 2,
                            "{}",
                            trf!(
                                "an onlooker read waiting = {waiting}, then shipped = {shipped}, with two orders \
                                 placed before: an order was neither waiting nor shipped. A restock must move \
                                 orders from waiting to shipped in one step under the locks.",
                                "구경꾼이 waiting = {waiting}, 그다음 shipped = {shipped} 값을 읽었는데, 그 전에 주문이 \
                                 둘 있었습니다. 기다리지도 보내지지도 않은 주문이 있었습니다. restock은 락을 쥔 채 \
                                 한 번에 주문을 기다림에서 보냄으로 옮겨야 합니다.",
                            )
                        );
                    }
                }
            });
            warehouse.restock(2);
            restocker.join().unwrap();
            onlooker.join().unwrap();
            customers.into_iter().for_each(|c| c.join().unwrap());
            expect_counts(&warehouse, (3, 1, 0));
        },
    );
}
