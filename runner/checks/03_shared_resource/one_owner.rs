// Hidden check for `one_owner`.
//
// | requirement (header)                                              | check                                    |
// |-------------------------------------------------------------------|------------------------------------------|
// | `play` returns (the channel closes once every `Sender` is gone)   | every check                              |
// | every point counted, whatever order the messages arrive in        | 1, 2, 3 (three players, rounds interleave)|
// | one thread per player, the owner alone touches the scores         | 2, 3 (players send at the same time)     |
// | no players                                                        | 4                                        |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn expect(players: &[(&str, &[u32])], expected: &[(&str, u32)]) {
    let game: Vec<(String, Vec<u32>)> = players
        .iter()
        .map(|(n, r)| (n.to_string(), r.to_vec()))
        .collect();
    let mut got: Vec<(String, u32)> = play(game).into_iter().collect();
    got.sort();
    let want: Vec<(String, u32)> = expected.iter().map(|&(n, p)| (n.to_string(), p)).collect();
    assert!(
        got == want,
        "{}",
        msg(
            format!("`play({players:?})` returned {got:?}; expected {want:?}"),
            format!("`play({players:?})`의 결과가 {got:?}입니다. 기대한 값은 {want:?}"),
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one player, three rounds: `play` returns, with all three counted",
            "플레이어 하나, 세 라운드: `play`가 돌아오고, 세 라운드가 모두 세어짐",
        ),
        || expect(&[("ann", &[3, 5, 1])], &[("ann", 9)]),
    );
    c.model(
        (
            "two players at once: every point is counted",
            "두 플레이어가 동시에: 모든 점수가 세어짐",
        ),
        || {
            expect(
                &[("ann", &[3]), ("ben", &[2, 2])],
                &[("ann", 3), ("ben", 4)],
            )
        },
    );
    c.model(
        (
            "three players at once, one to three rounds each: every point is counted",
            "세 플레이어가 동시에, 각자 한 라운드에서 세 라운드: 모든 점수가 세어짐",
        ),
        || {
            expect(
                &[("ann", &[1, 2]), ("ben", &[3]), ("cy", &[4, 5, 6])],
                &[("ann", 3), ("ben", 3), ("cy", 15)],
            )
        },
    );
    c.model(
        (
            "no players: an empty scoreboard",
            "플레이어 없음: 빈 점수판",
        ),
        || expect(&[], &[]),
    );
}
