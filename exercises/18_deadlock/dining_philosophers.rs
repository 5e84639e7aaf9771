// dining_philosophers — deadlock (교착 상태)
//
// EN: Three philosophers sit at a round table with one fork between each pair of neighbours: philosopher `p` has
//     fork `p` on the left and fork `(p + 1) % 3` on the right, and needs both to eat. Each picks up the left
//     fork, then the right one. If all three pick up their left fork at the same moment, each waits forever for
//     a right fork that its neighbour holds: all four conditions of a deadlock hold (mutual exclusion, hold and
//     wait, no preemption, circular wait). Break one of them so that every philosopher eats, in every
//     interleaving — and two neighbours must still never use the same fork at the same time.
//
// KO: 철학자 세 명이 원탁에 앉아 있고, 이웃한 두 사람 사이마다 포크가 하나 있습니다. 철학자 `p`의 왼쪽에는 포크 `p`,
//     오른쪽에는 포크 `(p + 1) % 3`이 있고, 먹으려면 둘 다 필요합니다 (식사하는 철학자). 저마다 왼쪽 포크를 들고,
//     그다음 오른쪽 포크를 듭니다. 세 사람이 동시에 왼쪽 포크를 들면, 각자 이웃이 쥔 오른쪽 포크를 영원히
//     기다립니다. 교착 상태의 네 조건(상호 배제, 점유 대기, 비선점, 순환 대기)이 모두 성립합니다. 그중 하나를 깨서
//     어떤 실행 순서에서도 모든 철학자가 먹게 하세요. 그래도 이웃한 두 사람이 같은 포크를 동시에 쓰면 안 됩니다.
//
// Run it yourself: `cargo run -p exercises --bin dining_philosophers` (it may hang: that is the deadlock).
// 직접 실행해 보기: `cargo run -p exercises --bin dining_philosophers` (멈출 수 있는데, 그것이 바로 교착 상태입니다).

use conc::sync::{Arc, Mutex};
use conc::thread;

pub const SEATS: usize = 3;

pub struct Table {
    forks: [Mutex<()>; SEATS],
}

impl Table {
    pub fn new() -> Self {
        let fork0 = Mutex::new(());
        let fork1 = Mutex::new(());
        let fork2 = Mutex::new(());
        Table {
            forks: [fork0, fork1, fork2],
        }
    }

    /// Philosopher `p` (0, 1 or 2) picks up fork `p` and fork `(p + 1) % SEATS`, calls `eat`, and puts both down.
    pub fn dine(&self, p: usize, eat: impl FnOnce()) {
        let left = p;
        let right = (p + 1) % SEATS;
        // TODO: everybody takes left, then right. All three can hold a left fork and wait for a right one.
        // 할 일: 모두 왼쪽을 집고 나서 오른쪽을 집습니다. 세 명 모두 왼쪽 포크를 쥔 채 오른쪽 포크를 기다릴 수
        // 있습니다.
        let _left_fork = self.forks[left].lock().unwrap();
        let _right_fork = self.forks[right].lock().unwrap();
        eat();
    }
}

fn main() {
    let table = Arc::new(Table::new());
    let philosophers: Vec<_> = (0..SEATS)
        .map(|p| {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                let mut meals = 0;
                for _ in 0..10_000 {
                    table.dine(p, || meals += 1);
                }
                println!("philosopher {p} ate {meals} times");
            })
        })
        .collect();
    for philosopher in philosophers {
        philosopher.join().unwrap();
    }
}
