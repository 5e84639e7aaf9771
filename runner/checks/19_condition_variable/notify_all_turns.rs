// Hidden check for `notify_all_turns`.
//
// requirement (header)                                             → check
// take_turn waits until it is `me`'s turn, plays, passes the turn   → 1 "one thread", 2-4 (moves in order 0, 1, …)
// nobody sleeps through their turn (a wake-up is never spent on a    → 3 "three players", 4 "four players", 5 "six
//   player who cannot use it); spurious wake-ups included               players, three rounds"
// each call waits for `me`'s turn, even when two threads play `me`   → 6 "two threads play player 0"
// a player whose turn it is not sleeps: it does not pass wake-ups   → 7 "player 0 is away": a relayed notify_one
//   around (nor poll) while the player whose turn it is is away         spins between 1 and 2 past 2 000 steps
use super::*;
use conc_check::prelude::*;

/// `players` threads, each taking `rounds` turns; the moves must come in order 0, 1, …, players - 1, 0, …
fn play_rounds(players: usize, rounds: usize) {
    let turns = Arc::new(Turns::new(players));
    let moves = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..players)
        .map(|me| {
            let (turns, moves) = (Arc::clone(&turns), Arc::clone(&moves));
            thread::spawn(move || {
                for _ in 0..rounds {
                    turns.take_turn(me, || {
                        let n = moves.fetch_add(1, Ordering::SeqCst);
                        assert!(
                            n % players == me,
                            "{} ({} {}, {} {me})",
                            tr(
                                "a player moved out of turn",
                                "차례가 아닌 플레이어가 두었습니다"
                            ),
                            tr("move number:", "수 번호:"),
                            n + 1,
                            tr("played by player:", "둔 플레이어:"),
                        );
                    });
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread plays 0, 1, 2 in order",
            "스레드 하나가 0, 1, 2 순서로 둠",
        ),
        || {
            let turns = Turns::new(3);
            let moves = AtomicUsize::new(0);
            for me in 0..3 {
                turns.take_turn(me, || {
                    moves.fetch_add(1, Ordering::SeqCst);
                });
            }
        },
    );
    c.model(
        (
            "two players, two rounds each: 0, 1, 0, 1",
            "플레이어 둘, 두 판씩: 0, 1, 0, 1",
        ),
        || play_rounds(2, 2),
    );
    c.model(
        (
            "three players, two rounds each: 0, 1, 2, 0, 1, 2 — nobody sleeps through their turn",
            "플레이어 셋, 두 판씩: 0, 1, 2, 0, 1, 2 → 자기 차례에 잠들어 있는 플레이어는 없음",
        ),
        || play_rounds(3, 2),
    );
    c.model(
        (
            "four players, one round each: 0, 1, 2, 3",
            "플레이어 넷, 한 판씩: 0, 1, 2, 3",
        ),
        || play_rounds(4, 1),
    );
    c.model(
        (
            "six players, three rounds each: nobody sleeps through their turn",
            "플레이어 여섯, 세 판씩: 자기 차례에 잠들어 있는 플레이어는 없음",
        ),
        || play_rounds(6, 3),
    )
    .executions(300);
    c.model(
        (
            "two threads both play player 0's turns, one each, with players 1 and 2: 0, 1, 2, 0, 1, 2",
            "두 스레드가 모두 플레이어 0의 차례를 한 번씩 두고, 플레이어 1과 2도 둠: 0, 1, 2, 0, 1, 2",
        ),
        || {
            let turns = Arc::new(Turns::new(3));
            let moves = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = [(0, 1), (0, 1), (1, 2), (2, 2)]
                .into_iter()
                .map(|(me, rounds)| {
                    let (turns, moves) = (Arc::clone(&turns), Arc::clone(&moves));
                    thread::spawn(move || {
                        for _ in 0..rounds {
                            turns.take_turn(me, || {
                                let n = moves.fetch_add(1, Ordering::SeqCst);
                                let m = n + 1;
                                assert!(
                                    n % 3 == me,
                                    "{}",
                                    trf!(
                                        "move {m} was played by player {me}, out of turn: each take_turn call must \
                                         still see its own turn when it plays (check and play under one lock)",
                                        "{m}번째 수를 {me}번 플레이어가 차례가 아닌데 두었습니다. take_turn 호출마다 둘 \
                                         때에도 자기 차례여야 합니다 (확인과 두기를 한 락 아래에서)",
                                    )
                                );
                            });
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            let n = moves.load(Ordering::SeqCst);
            assert!(n == 6, "{}", trf!("{n} moves, expected 6", "수가 {n}개, 6개여야 합니다"));
        },
    );
    c.model(
        (
            "players 1 and 2 wait while player 0 is away for 1 000 steps: they sleep, not pass wake-ups around",
            "플레이어 0이 1,000단계 동안 자리를 비운 사이 플레이어 1과 2가 기다림: 깨우기를 주고받지 않고 잠들어 있음",
        ),
        || {
            let turns = Arc::new(Turns::new(3));
            let (back, away) = mpsc::channel::<()>();
            let players: Vec<_> = [1, 2]
                .into_iter()
                .map(|me| {
                    let turns = Arc::clone(&turns);
                    thread::spawn(move || turns.take_turn(me, || {}))
                })
                .collect();
            let zero = thread::spawn({
                let turns = Arc::clone(&turns);
                move || {
                    away.recv().unwrap();
                    turns.take_turn(0, || {});
                }
            });
            // Player 0 is away (not in take_turn) for 1 000 steps. Sleeping players cost no steps meanwhile; two
            // players that wake each other up (a relayed notify_one) keep spinning, at least doubling the count.
            for _ in 0..1_000 {
                thread::yield_now();
            }
            back.send(()).unwrap();
            zero.join().unwrap();
            players.into_iter().for_each(|p| p.join().unwrap());
        },
    )
    .executions(100)
    .max_steps(2500);
}
