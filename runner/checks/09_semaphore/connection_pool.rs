// Hidden check for `connection_pool`: a refused query gives back its connection and permit, `size` clients can
// hold a connection at the same time but never more (counted by the check), and concurrent queries all succeed.
//
// Requirement (header)                                    → check
// every path gives back what it took (a refused query too) → "pool of 1: a refused query", "pool of 2, three
//                                                             clients query at once" (refused and ok mixed)
// up to `size` clients hold a connection at once          → "pool of 3: three clients hold a connection"
// never more than `size`                                   → "pool of 2, three clients: never more than two",
//                                                             "pool of 2, three clients query at once" (a client
//                                                             whose permit comes before its connection panics)
// concurrent queries all succeed (a refused one fails)    → "pool of 1: two clients query at once", "pool of 2,
//                                                             three clients query at once, twice each"
use super::*;
use conc_check::prelude::*;

/// Whether the learner reads Korean (`tr` picks between fixed texts; this message carries numbers).
fn korean() -> bool {
    tr("en", "ko") == "ko"
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "pool of 1: a refused query (DROP …), then a SELECT still gets the connection",
            "크기 1인 풀: 거절된 질의(DROP …) 뒤에도 SELECT가 연결을 얻음",
        ),
        || {
            let pool = Pool::new(1);
            assert!(pool.query("DROP TABLE users").is_err());
            assert!(pool.query("SELECT 1").is_ok());
            assert!(pool.query("SELECT 2").is_ok());
        },
    );
    c.model(
        (
            "pool of 3: three clients hold a connection at the same time",
            "크기 3인 풀: 세 클라이언트가 동시에 연결을 가짐",
        ),
        || {
            let pool = Arc::new(Pool::new(3));
            let all_connected = Arc::new(Barrier::new(3));
            let clients: Vec<_> = (0..3)
                .map(|_| {
                    let (pool, all_connected) = (pool.clone(), all_connected.clone());
                    thread::spawn(move || {
                        let connection = pool.get();
                        all_connected.wait();
                        drop(connection);
                    })
                })
                .collect();
            for client in clients {
                client.join().unwrap();
            }
        },
    );
    c.model(
        (
            "pool of 2, three clients: never more than two hold a connection",
            "크기 2인 풀, 클라이언트 셋: 연결을 가진 클라이언트가 둘을 넘지 않음",
        ),
        || {
            let pool = Arc::new(Pool::new(2));
            let holding = Arc::new(AtomicUsize::new(0));
            let clients: Vec<_> = (0..3)
                .map(|_| {
                    let (pool, holding) = (pool.clone(), holding.clone());
                    thread::spawn(move || {
                        let connection = pool.get();
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        assert!(
                            now <= 2,
                            "{}",
                            if korean() {
                                format!("연결 2개짜리 풀에서 클라이언트 {now}개가 동시에 연결을 가졌습니다")
                            } else {
                                format!("{now} clients hold a connection at once from a pool of 2")
                            }
                        );
                        holding.fetch_sub(1, Ordering::SeqCst);
                        drop(connection);
                    })
                })
                .collect();
            for client in clients {
                client.join().unwrap();
            }
        },
    );
    c.model(
        (
            "pool of 1: two clients query at once, both succeed",
            "크기 1인 풀: 두 클라이언트가 동시에 질의하고 둘 다 성공함",
        ),
        || {
            let pool = Arc::new(Pool::new(1));
            let other = thread::spawn({
                let pool = pool.clone();
                move || pool.query("SELECT 1")
            });
            let mine = pool.query("SELECT 2");
            let theirs = other.join().unwrap();
            assert!(mine.is_ok() && theirs.is_ok(), "{mine:?} / {theirs:?}");
        },
    );
    c.model(
        (
            "pool of 2, three clients query at once, twice each (one sends DROP …): refused ones fail, the rest succeed",
            "크기 2인 풀, 세 클라이언트가 동시에 두 번씩 질의 (하나는 DROP …): 거절된 것만 실패하고 나머지는 성공",
        ),
        || {
            let pool = Arc::new(Pool::new(2));
            let clients: Vec<_> = ["DROP TABLE users", "SELECT 1", "SELECT 2"]
                .into_iter()
                .map(|sql| {
                    let pool = pool.clone();
                    thread::spawn(move || {
                        for _ in 0..2 {
                            let result = pool.query(sql);
                            assert!(
                                result.is_ok() != sql.starts_with("DROP"),
                                "{} {sql}: {result:?}",
                                tr("wrong result for", "결과가 틀림:")
                            );
                        }
                    })
                })
                .collect();
            for client in clients {
                client.join().unwrap();
            }
        },
    );
}
