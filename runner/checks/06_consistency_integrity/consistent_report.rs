// Hidden check for `consistent_report`: every report's total equals the sum of its lines, even one taken while
// deliveries arrive, and once they are done the report shows all of them.
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
                "보고서가 자기모순입니다: 줄 {:?}의 합은 {sum}인데 합계는 {}입니다",
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
}
