// Hidden check for `lock_cycle`: orders and restocks at the same time never deadlock, and no order is left
// waiting while an item is on the shelf.
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
        "{} {expected:?}, {} {got:?}",
        tr(
            "(shipped, waiting, on the shelf) should be",
            "(보냄, 기다림, 선반) 은 이래야 합니다:"
        ),
        tr("but is", "실제:"),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, 1 on the shelf: order, order, restock(2) — 2 shipped, 1 left on the shelf",
            "스레드 하나, 선반에 1개: order, order, restock(2) — 2개 보냄, 선반에 1개 남음",
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
            "빈 선반: order와 restock(1)이 동시에 — 교착 상태 없이 주문이 보내짐",
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
            "빈 선반: order 둘과 restock(1)이 동시에 — 하나는 보내고 하나는 기다림",
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
}
