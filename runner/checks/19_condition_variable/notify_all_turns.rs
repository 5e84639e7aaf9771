// Hidden check for `notify_all_turns`: players play strictly in turn (0, 1, 2, 0, …) and nobody sleeps through
// their turn.
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
            "플레이어 셋, 두 판씩: 0, 1, 2, 0, 1, 2 — 자기 차례에 잠들어 있는 플레이어는 없음",
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
}
