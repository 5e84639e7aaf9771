// Hidden check for `consistent_report`.
//
// | requirement (header)                                                | check                                    |
// |---------------------------------------------------------------------|------------------------------------------|
// | `receive(item, n)` adds `n` of `item`; no update is lost            | 1, 3, 4 (the same item twice at once)    |
// | `report()`: the stock of every item and the total                   | 1, 2, 3, 4                               |
// | every report's total equals the sum of its lines, in every          | 2, 3, 4 (two reporters at once, beside   |
// |   interleaving                                                      |   two deliveries)                        |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn expect_consistent(report: &Report) {
    let sum: usize = report.lines.iter().map(|(_, n)| n).sum();
    assert!(
        sum == report.total,
        "{}",
        msg(
            format!(
                "a report contradicts itself: its lines {:?} add up to {sum}, but its total is {}",
                report.lines, report.total
            ),
            format!(
                "보고서가 자기모순입니다. 줄 {:?}의 합은 {sum}인데 합계는 {}입니다",
                report.lines, report.total
            ),
        )
    );
}

fn expect_final(report: &Report, lines: &[(&str, usize)]) {
    let expected: Vec<(String, usize)> = lines.iter().map(|&(i, n)| (i.to_string(), n)).collect();
    let total: usize = lines.iter().map(|(_, n)| n).sum();
    assert!(
        report.lines == expected && report.total == total,
        "{}",
        msg(
            format!(
                "after all deliveries the report is {report:?}; expected lines {expected:?} and total {total}"
            ),
            format!(
                "모든 입고가 끝난 뒤 보고서는 {report:?}입니다. 기대한 줄은 {expected:?}, 합계는 {total}"
            ),
        )
    );
}

/// Deliveries arrive on their own threads while the main thread takes a report.
fn report_during(deliveries: &'static [(&'static str, usize)]) {
    let warehouse = Arc::new(Warehouse::new());
    let trucks: Vec<_> = deliveries
        .iter()
        .map(|&(item, n)| {
            let warehouse = Arc::clone(&warehouse);
            thread::spawn(move || warehouse.receive(item, n))
        })
        .collect();
    expect_consistent(&warehouse.report());
    for truck in trucks {
        truck.join().unwrap();
    }
    let report = warehouse.report();
    expect_consistent(&report);
    expect_final(&report, deliveries);
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: two deliveries, then a report with both",
            "스레드 하나: 입고 두 번, 그다음 둘 다 담은 보고서",
        ),
        || {
            let warehouse = Warehouse::new();
            expect_final(&warehouse.report(), &[]);
            warehouse.receive("pears", 3);
            warehouse.receive("apples", 2);
            warehouse.receive("pears", 1);
            let report = warehouse.report();
            expect_consistent(&report);
            expect_final(&report, &[("apples", 2), ("pears", 4)]);
        },
    );
    c.model(
        (
            "a report taken while a delivery arrives agrees with itself",
            "입고 중에 만든 보고서도 자기 자신과 맞음",
        ),
        || report_during(&[("apples", 2)]),
    );
    c.model(
        (
            "a report taken while two deliveries arrive agrees with itself",
            "입고 두 건이 도착하는 중에 만든 보고서도 자기 자신과 맞음",
        ),
        || report_during(&[("apples", 2), ("pears", 5)]),
    );
    c.model(
        (
            "two reporters while the same item is delivered twice: every report agrees with itself, none is lost",
            "같은 품목이 두 번 입고되는 동안 보고자 둘: 모든 보고서가 자기 자신과 맞고, 사라지는 입고 없음",
        ),
        || {
            let warehouse = Arc::new(Warehouse::new());
            let trucks: Vec<_> = [2, 3]
                .into_iter()
                .map(|n| {
                    let warehouse = Arc::clone(&warehouse);
                    thread::spawn(move || warehouse.receive("apples", n))
                })
                .collect();
            let reporter = thread::spawn({
                let warehouse = Arc::clone(&warehouse);
                move || expect_consistent(&warehouse.report())
            });
            expect_consistent(&warehouse.report());
            for truck in trucks {
                truck.join().unwrap();
            }
            reporter.join().unwrap();
            let report = warehouse.report();
            expect_consistent(&report);
            expect_final(&report, &[("apples", 5)]);
        },
    );
}
