// Hidden check for `not_reentrant`: the compound methods work for a thread alone (no self-deadlock), and stay
// one critical section each: two buyers never both get the last items, and `sell_all` racing `sell` counts
// every item once.
//
// Requirement (header)                                     → check
// sell and sell_all work for a thread alone (no re-lock)   → "one customer alone", "a clearance sale alone"
// each method one critical section: two customers never   → "two customers want 2 of 3 at once"
//   both buy the last items
// sell_all racing sell counts every item once             → "sell_all() while another customer buys 1"
// a sale that fits always goes through, even while        → "two customers buy 1 each of 3 at once"
//   another customer holds the lock (it waits, never gives up)
// every method, run at once with every other, keeps        → "restock, sell, sell_all and sell at once" (stock
//   stock and sold in step                                    + sold = everything ever stocked, sold = sales)
use super::*;
use conc_check::prelude::*;

fn expect_shelf(shop: &Shop, stock: u32, sold: u32) {
    let (found_stock, found_sold) = (shop.in_stock(), shop.sold());
    assert!(
        (found_stock, found_sold) == (stock, sold),
        "{} {stock}/{sold}, {} {found_stock}/{found_sold}",
        tr("expected in stock/sold", "기대한 재고/판매 수는"),
        tr("found", "실제로는")
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one customer alone buys 2 of 3",
            "손님 하나가 혼자서 3개 중 2개를 삼",
        ),
        || {
            let shop = Shop::new(3);
            assert!(shop.sell(2));
            assert!(!shop.sell(2));
            expect_shelf(&shop, 1, 2);
        },
    );
    c.model(
        (
            "a clearance sale alone: sell_all() sells all 3",
            "혼자 하는 떨이 판매: sell_all()이 3개를 모두 팖",
        ),
        || {
            let shop = Shop::new(3);
            assert_eq!(shop.sell_all(), 3);
            shop.restock(2);
            expect_shelf(&shop, 2, 3);
        },
    );
    c.model(
        (
            "two customers want 2 of 3 at once: exactly one gets them",
            "두 손님이 동시에 3개 중 2개를 원함: 정확히 한 명만 삼",
        ),
        || {
            let shop = Arc::new(Shop::new(3));
            let other = thread::spawn({
                let shop = shop.clone();
                move || shop.sell(2)
            });
            let mine = shop.sell(2);
            let theirs = other.join().unwrap();
            assert!(
                mine != theirs,
                "{} {mine} / {theirs}",
                tr(
                    "exactly one of the two customers must get the items; sell(2) returned",
                    "두 손님 중 정확히 한 명만 물건을 사야 합니다. sell(2)의 결과:"
                )
            );
            expect_shelf(&shop, 1, 2);
        },
    );
    c.model(
        (
            "sell_all() while another customer buys 1: every item is sold once",
            "다른 손님이 1개 사는 동안 sell_all(): 모든 물건이 한 번씩만 팔림",
        ),
        || {
            let shop = Arc::new(Shop::new(3));
            let other = thread::spawn({
                let shop = shop.clone();
                move || shop.sell(1)
            });
            let cleared = shop.sell_all();
            let bought = other.join().unwrap();
            let expected = if bought { 2 } else { 3 };
            assert!(
                cleared == expected,
                "sell(1) = {bought}, sell_all() = {cleared}: {}",
                tr(
                    "the two sales do not add up to the 3 items",
                    "두 판매를 합쳐도 물건 3개가 맞지 않습니다"
                )
            );
            expect_shelf(&shop, 0, 3);
        },
    );
    c.model(
        (
            "restock(3), sell(2), sell_all() and sell(1) at once on a shop with 1: every item counted once",
            "재고 1인 가게에서 restock(3), sell(2), sell_all(), sell(1)을 동시에: 모든 물건이 한 번씩만 셈",
        ),
        || {
            let shop = Arc::new(Shop::new(1));
            let restocker = thread::spawn({
                let shop = shop.clone();
                move || shop.restock(3)
            });
            let buyers: Vec<_> = [2, 1]
                .into_iter()
                .map(|n| {
                    let shop = shop.clone();
                    thread::spawn(move || if shop.sell(n) { n } else { 0 })
                })
                .collect();
            let cleared = shop.sell_all();
            restocker.join().unwrap();
            let bought: u32 = buyers.into_iter().map(|b| b.join().unwrap()).sum();
            let (stock, sold) = (shop.in_stock(), shop.sold());
            assert!(
                stock + sold == 4 && sold == bought + cleared,
                "{}",
                trf!(
                    "4 items were stocked and the sales returned {bought} + {cleared}, but the shop says {stock} in stock, {sold} sold",
                    "물건 4개를 들여놓았고 판매 결과는 {bought} + {cleared}인데, 가게는 재고 {stock}, 판매 {sold}라고 합니다"
                )
            );
        },
    );
    c.model(
        (
            "two customers buy 1 each of 3 at once: both get it",
            "두 손님이 3개 중 1개씩 동시에 삼: 둘 다 삼",
        ),
        || {
            let shop = Arc::new(Shop::new(3));
            let other = thread::spawn({
                let shop = shop.clone();
                move || shop.sell(1)
            });
            let mine = shop.sell(1);
            let theirs = other.join().unwrap();
            assert!(
                mine && theirs,
                "{} {mine} / {theirs}",
                tr(
                    "there were 3 items, so both customers must get theirs; sell(1) returned",
                    "물건이 3개 있었으니 두 손님 모두 사야 합니다. sell(1)의 결과:"
                )
            );
            expect_shelf(&shop, 1, 2);
        },
    );
}
