// Hidden check for `not_reentrant`: the compound methods work for a thread alone (no self-deadlock), and stay
// one critical section each: two buyers never both get the last items, and `sell_all` racing `sell` counts
// every item once.
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
                    "두 손님 중 정확히 한 명만 물건을 사야 합니다; sell(2)의 결과:"
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
}
