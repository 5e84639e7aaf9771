// consistent_report — data consistency vs integrity (데이터 정합성 / 무결성)
//
// EN: A warehouse keeps its stock per item and, so that reports are cheap, a running total of all items.
//     `receive(item, n)` adds `n` of `item`; `report()` returns a `Report`: the stock of every item and the total.
//     No update is ever lost — every step below is atomic or locked — yet a report can contradict itself: its total
//     is not the sum of its lines. `receive` changes the stock in one critical section and the total in another
//     step, and `report` can run in between. Make every report consistent: its total always equals the sum of its
//     lines, in every interleaving.
//
// KO: 창고가 품목별 재고와, 보고서를 빨리 만들려고 전체 품목 수의 누적 합계를 관리합니다. `receive(item, n)`은
//     `item`을 `n`개 더하고, `report()`는 모든 품목의 재고와 합계를 담은 `Report`를 돌려줍니다. 갱신은 하나도 사라지지
//     않는데도(아래의 모든 단계는 원자적이거나 락 안에 있음) 보고서가 자기모순일 수 있습니다. 합계가 각 줄의 합과
//     다릅니다. `receive`가 재고는 한 임계 영역에서, 합계는 다른 단계에서 바꾸고, 그 사이에 `report`가 실행될 수
//     있기 때문입니다. 모든 보고서가 정합하게 만드세요. 어떤 실행 순서에서도 합계가 언제나 각 줄의 합과 같아야
//     합니다.
//
// Run it yourself: `cargo run -p exercises --bin consistent_report`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin consistent_report`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::atomic::{AtomicUsize, Ordering};
use conc::sync::{Arc, Mutex};
use conc::thread;
use std::collections::BTreeMap;

/// A snapshot of the warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every item and how many are in stock, sorted by item.
    pub lines: Vec<(String, usize)>,
    /// How many items are in stock altogether.
    pub total: usize,
}

pub struct Warehouse {
    stock: Mutex<BTreeMap<String, usize>>,
    total: AtomicUsize,
}

impl Warehouse {
    pub fn new() -> Self {
        Warehouse {
            stock: Mutex::new(BTreeMap::new()),
            total: AtomicUsize::new(0),
        }
    }

    /// `n` more of `item` arrived.
    pub fn receive(&self, item: &str, n: usize) {
        // TODO: the stock and the total change in two separate steps; a report can run in between.
        // 할 일: 재고와 합계가 따로 떨어진 두 단계로 바뀝니다. 그 사이에 보고서가 실행될 수 있습니다.
        {
            let mut stock = self.stock.lock().unwrap();
            *stock.entry(item.to_string()).or_insert(0) += n;
        }
        self.total.fetch_add(n, Ordering::Relaxed);
    }

    /// The stock of every item, and the total.
    pub fn report(&self) -> Report {
        let stock = self.stock.lock().unwrap().clone();
        let total = self.total.load(Ordering::Relaxed);
        Report {
            lines: stock.into_iter().collect(),
            total,
        }
    }
}

fn main() {
    let warehouse = Arc::new(Warehouse::new());
    let trucks: Vec<_> = ["apples", "pears", "plums"]
        .into_iter()
        .map(|item| {
            let warehouse = Arc::clone(&warehouse);
            thread::spawn(move || {
                for _ in 0..1000 {
                    warehouse.receive(item, 1);
                }
            })
        })
        .collect();
    let mut contradictions = 0;
    for _ in 0..1000 {
        let report = warehouse.report();
        if report.lines.iter().map(|(_, n)| n).sum::<usize>() != report.total {
            contradictions += 1;
        }
    }
    for truck in trucks {
        truck.join().unwrap();
    }
    println!("{:?}", warehouse.report());
    println!("{contradictions} of 1000 reports contradicted themselves; 0 expected");
}
