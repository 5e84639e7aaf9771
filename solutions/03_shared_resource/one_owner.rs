// one_owner — shared resource (공유 자원)
//
// EN: A game keeps its scoreboard in one thread, the owner, instead of behind a lock: player threads send it
//     `(name, points)` messages over a channel, and only the owner ever touches the scores. `play(players)` starts
//     the owner and one thread per player, each sending its rounds' points, and returns the final scores. The
//     owner stops when the channel is closed, which happens when every `Sender` is gone. `play` never returns: it
//     waits for the owner, the owner waits for a message, and the `Sender` that would close the channel is still
//     alive in `play` itself. Make `play` return every point, whatever order the messages arrive in.
//
// KO: 게임이 점수판을 락 뒤가 아니라 스레드 하나(소유자) 안에 둡니다. 플레이어 스레드들이 채널로 `(name, points)`
//     메시지를 보내고, 점수는 오직 소유자만 건드립니다. `play(players)`는 소유자와 플레이어마다 스레드 하나를
//     시작하고, 각 플레이어는 자기 라운드 점수를 보내며, 최종 점수를 돌려줍니다. 소유자는 채널이 닫히면 멈추는데,
//     채널은 모든 `Sender`가 사라질 때 닫힙니다. 그런데 `play`가 돌아오지 않습니다. `play`는 소유자를 기다리고,
//     소유자는 메시지를 기다리며, 채널을 닫을 `Sender`는 아직 `play` 안에 살아 있습니다. 메시지가 어떤 순서로
//     도착해도 `play`가 모든 점수를 돌려주게 하세요.
//
// Run it yourself: `cargo run -p exercises --bin one_owner` (it hangs until you fix it: press Ctrl-C).
// 직접 실행해 보기: `cargo run -p exercises --bin one_owner` (고치기 전에는 멈추므로 Ctrl-C를 누르세요).

use conc::sync::mpsc;
use conc::thread;
use std::collections::HashMap;

/// Plays a game: each player thread sends the points of its rounds to the scoreboard's owner thread.
/// Returns each player's total.
pub fn play(players: Vec<(String, Vec<u32>)>) -> HashMap<String, u32> {
    let (scores_tx, scores_rx) = mpsc::channel::<(String, u32)>();

    // The owner: the only thread that touches the scoreboard.
    let owner = thread::spawn(move || {
        let mut board = HashMap::new();
        for (name, points) in scores_rx {
            *board.entry(name).or_insert(0) += points;
        }
        board
    });

    let player_threads: Vec<_> = players
        .into_iter()
        .map(|(name, rounds)| {
            let tx = scores_tx.clone();
            thread::spawn(move || {
                for points in rounds {
                    tx.send((name.clone(), points)).unwrap();
                }
            })
        })
        .collect();
    for player in player_threads {
        player.join().unwrap();
    }
    // Every player's clone is gone with its thread; dropping the original closes the channel, so the owner's
    // `for` loop ends once it has taken every message, and the owner returns the board. (Dropping it right
    // after the loop that makes the clones works too: the owner still gets every message sent before.)
    drop(scores_tx);
    owner.join().unwrap()
}

fn main() {
    let scores = play(vec![
        ("ann".to_string(), vec![3, 5, 1]),
        ("ben".to_string(), vec![2, 2]),
    ]);
    println!("{scores:?} (ann 9, ben 4 expected)");
}
