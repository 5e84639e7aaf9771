// notify_all_turns — condition variable (조건 변수)
//
// EN: Three players take turns, 0, 1, 2, 0, 1, 2, …: `take_turn(me, play)` waits until it is `me`'s turn, runs
//     `play`, and passes the turn to the next player. They all sleep on one condition variable, each waiting
//     for a *different* condition (`turn == me`). After its move a player calls `notify_one`, which wakes *some*
//     sleeper — perhaps the one whose turn it is not. That one re-checks, rightly goes back to sleep, and the
//     player whose turn it is was never told: everybody sleeps. The wake-up was spent on the wrong thread. When
//     waiters on one condition variable wait for different things, wake them all and let each re-check.
//
// KO: 세 플레이어가 0, 1, 2, 0, 1, 2, … 순서로 차례를 갖습니다. `take_turn(me, play)`는 `me`의 차례가 될 때까지
//     기다렸다가 `play`를 실행하고 다음 플레이어에게 차례를 넘깁니다. 모두 조건 변수 하나에서 잠들지만, 저마다
//     *다른* 조건(`turn == me`)을 기다립니다. 자기 수를 둔 플레이어는 `notify_one`을 부르는데, 이것은 잠든 스레드
//     *아무나* 하나 깨웁니다. 차례가 아닌 스레드일 수도 있습니다. 그 스레드는 다시 확인하고 옳게 다시 잠들지만,
//     차례인 플레이어는 끝내 소식을 듣지 못합니다. 모두가 잠듭니다. 깨우기를 엉뚱한 스레드에 써 버린 것입니다. 한
//     조건 변수에서 서로 다른 것을 기다린다면, 모두 깨우고 각자 다시 확인하게 하세요.
//
// Run it yourself: `cargo run -p exercises --bin notify_all_turns` (it may hang: that is the lost progress).
// 직접 실행해 보기: `cargo run -p exercises --bin notify_all_turns` (멈출 수 있는데, 그것이 바로 진행의 융통성이 깨진
// 모습입니다).

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

pub struct Turns {
    players: usize,
    /// Whose turn it is.
    turn: Mutex<usize>,
    changed: Condvar,
}

impl Turns {
    pub fn new(players: usize) -> Self {
        Turns {
            players,
            turn: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    /// Waits for `me`'s turn, runs `play`, and passes the turn on.
    pub fn take_turn(&self, me: usize, play: impl FnOnce()) {
        let mut turn = self.turn.lock().unwrap();
        while *turn != me {
            turn = self.changed.wait(turn).unwrap();
        }
        play();
        *turn = (me + 1) % self.players;
        // Every sleeper waits for a different condition (its own turn), so `notify_one` could wake a player who
        // can do nothing with it. Wake them all: each re-checks in its `while`, one goes on, the rest sleep again.
        self.changed.notify_all();
    }
}

fn main() {
    let turns = Arc::new(Turns::new(3));
    let players: Vec<_> = (0..3)
        .map(|me| {
            let turns = Arc::clone(&turns);
            thread::spawn(move || {
                for round in 0..3 {
                    turns.take_turn(me, || println!("round {round}: player {me}"));
                }
            })
        })
        .collect();
    for player in players {
        player.join().unwrap();
    }
}
