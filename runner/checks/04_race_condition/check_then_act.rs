// Hidden check for `check_then_act`.
//
// | requirement (header)                                                 | check                                 |
// |----------------------------------------------------------------------|---------------------------------------|
// | `register` gives a free name (`true`), refuses a taken one (`false`) | 1, 3                                  |
// | the name keeps its first owner                                       | 1, 2, 4, 5                            |
// | claiming is one indivisible step: exactly one of several winners     | 2, 4 (three at once), 5               |
// | `owner(name)` says who has it, even while others race for it         | 5 (a reader sees only None, then the  |
// |                                                                      |   winner)                             |
use super::*;
use conc_check::prelude::*;

/// Users `users` try to register `name` at the same time; exactly one must win and own it.
fn race_for(name: &'static str, users: &[u32]) {
    race_watched(name, users, false);
}

/// `race_for`; with `watch`, the main thread also reads `owner(name)` twice while the users race.
fn race_watched(name: &'static str, users: &[u32], watch: bool) {
    let registry = Arc::new(Registry::new());
    let tries: Vec<_> = users
        .iter()
        .map(|&user| {
            let registry = Arc::clone(&registry);
            thread::spawn(move || (user, registry.register(name, user)))
        })
        .collect();
    let seen: Vec<Option<u32>> = (0..if watch { 2 } else { 0 })
        .map(|_| registry.owner(name))
        .collect();
    let winners: Vec<u32> = tries
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|&(_, won)| won)
        .map(|(user, _)| user)
        .collect();
    assert!(
        winners.len() == 1,
        "{}",
        msg(
            format!(
                "exactly one user must be told they got `{name}`, but users {winners:?} all were"
            ),
            format!(
                "정확히 한 사용자만 `{name}` 이름을 얻었다는 답을 받아야 하는데, 사용자 {winners:?} 모두가 받았습니다"
            ),
        )
    );
    let winner = winners[0];
    let owner = registry.owner(name);
    assert!(
        owner == Some(winner),
        "{}",
        msg(
            format!("user {winner} was told they got `{name}`, but `owner()` returned {owner:?}"),
            format!(
                "사용자 {winner}에게 `{name}` 이름을 주었다고 답했지만 `owner()`의 결과는 {owner:?}입니다"
            ),
        )
    );
    let first = seen.iter().position(|s| s.is_some()).unwrap_or(seen.len());
    assert!(
        seen[first..].iter().all(|&s| s == Some(winner)),
        "{}",
        msg(
            format!(
                "while users {users:?} raced for `{name}`, `owner()` returned {seen:?}, but user {winner} got it: \
                 a name has no owner, then its first owner, and never another"
            ),
            format!(
                "사용자들({users:?})이 `{name}` 이름을 두고 경쟁하는 동안 `owner()`의 결과가 {seen:?}인데, 이름을 얻은 것은 \
                 사용자 {winner}입니다. 이름은 주인이 없다가 첫 주인이 생기고, 다른 주인으로 바뀌지 않습니다"
            ),
        )
    );
}

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: a free name is given, a taken one is refused and keeps its owner",
            "스레드 하나: 빈 이름은 주고, 주인이 있는 이름은 거절하며 주인은 그대로",
        ),
        || {
            let registry = Registry::new();
            assert!(
                registry.register("neo", 1),
                "{}",
                tr(
                    "`register(\"neo\", 1)` on an empty registry returned false",
                    "빈 등록부에서 `register(\"neo\", 1)`이 false를 돌려주었습니다"
                )
            );
            assert!(
                !registry.register("neo", 2),
                "{}",
                tr(
                    "`register(\"neo\", 2)` returned true although user 1 has `neo`",
                    "사용자 1이 `neo`를 가졌는데 `register(\"neo\", 2)`가 true를 돌려주었습니다"
                )
            );
            assert!(
                registry.owner("neo") == Some(1),
                "{}",
                msg(
                    format!(
                        "`neo` must still belong to user 1, but `owner()` returned {:?}",
                        registry.owner("neo")
                    ),
                    format!(
                        "`neo`는 여전히 사용자 1의 것이어야 하는데 `owner()`의 결과는 {:?}입니다",
                        registry.owner("neo")
                    ),
                )
            );
            assert!(
                registry.register("trinity", 2) && registry.owner("trinity") == Some(2),
                "{}",
                tr(
                    "a different free name must still be given",
                    "비어 있는 다른 이름은 여전히 주어야 합니다"
                )
            );
        },
    );
    c.model(
        (
            "two threads register `neo` at once: exactly one gets it and owns it",
            "두 스레드가 동시에 `neo`를 등록: 정확히 하나가 얻고 주인이 됨",
        ),
        || race_for("neo", &[1, 2]),
    );
    c.model(
        (
            "two threads register different names at once: both get theirs",
            "두 스레드가 동시에 서로 다른 이름을 등록: 둘 다 얻음",
        ),
        || {
            let registry = Arc::new(Registry::new());
            let other = thread::spawn({
                let registry = Arc::clone(&registry);
                move || registry.register("trinity", 2)
            });
            let mine = registry.register("neo", 1);
            let theirs = other.join().unwrap();
            assert!(
                mine && theirs,
                "{}",
                tr(
                    "nobody else wanted these names, yet a registration was refused",
                    "아무도 원하지 않은 이름인데 등록이 거절되었습니다"
                )
            );
            assert!(registry.owner("neo") == Some(1) && registry.owner("trinity") == Some(2));
        },
    );
    c.model(
        (
            "three threads register `neo` at once: exactly one gets it and owns it",
            "세 스레드가 동시에 `neo`를 등록: 정확히 하나가 얻고 주인이 됨",
        ),
        || race_for("neo", &[1, 2, 3]),
    );
    c.model(
        (
            "two threads register `neo` at once while a reader asks `owner`: it sees no owner, then the winner",
            "두 스레드가 동시에 `neo`를 등록하는 동안 `owner`를 물음: 주인 없음, 그다음 이긴 쪽만 보임",
        ),
        || race_watched("neo", &[1, 2], true),
    );
}
