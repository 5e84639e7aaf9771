// Hidden check for `parking_garage`: a waiting car gets in when another leaves (no lost wake-up), never more cars
// inside than spaces (counted by the check), several spaces are used at once, and the count is right at the end.
//
// Requirement (header)                                   → check
// enter() waits while full; a leave() wakes a waiting car → "one space, taken by main; T1 waits"
//   (no lost wake-up)                                       "two spaces, both taken; two cars wait; two leave"
//                                                           (two sleepers, two frees back to back)
// never more cars inside than spaces                     → "one space, three cars", "two spaces, four cars"
// several spaces are used at once                        → "two spaces: two cars are parked at the same time"
// free_spaces() is the count of free spaces              → "free_spaces() is 2 again", "free_spaces() counts",
//   (also while a car is coming or going)                   "the sign shows 1 or 2 while one car comes and goes"
// state private, inside the one mutex                    → not observable by a check (it sees private items
//                                                           too): listed as a gap in gate.toml
use super::*;
use conc_check::prelude::*;

/// Whether the learner reads Korean (`tr` picks between fixed texts; this message carries numbers).
fn korean() -> bool {
    tr("en", "ko") == "ko"
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one space, taken by main; T1 waits; main leaves: T1 gets in",
            "자리 하나를 main이 차지; T1이 기다림; main이 나감: T1이 들어감",
        ),
        || {
            let garage = Arc::new(Garage::new(1));
            garage.enter();
            let car = thread::spawn({
                let garage = garage.clone();
                move || {
                    garage.enter();
                    garage.leave();
                }
            });
            garage.leave();
            car.join().unwrap();
        },
    );
    c.model(
        (
            "one space, three cars: never two inside at once",
            "자리 하나, 차 세 대: 동시에 두 대가 안에 있으면 안 됨",
        ),
        || {
            let garage = Arc::new(Garage::new(1));
            let parked = Arc::new(AtomicUsize::new(0));
            let cars: Vec<_> = (0..3)
                .map(|_| {
                    let (garage, parked) = (garage.clone(), parked.clone());
                    thread::spawn(move || {
                        garage.enter();
                        let now = parked.fetch_add(1, Ordering::SeqCst) + 1;
                        assert!(
                            now <= 1,
                            "{}",
                            if korean() {
                                format!("자리가 하나뿐인데 차 {now}대가 안에 있습니다")
                            } else {
                                format!("{now} cars are inside a garage with one space")
                            }
                        );
                        parked.fetch_sub(1, Ordering::SeqCst);
                        garage.leave();
                    })
                })
                .collect();
            for car in cars {
                car.join().unwrap();
            }
        },
    )
    .executions(2_000);
    c.model(
        (
            "two spaces: two cars are parked at the same time",
            "자리 둘: 차 두 대가 동시에 주차함",
        ),
        || {
            let garage = Arc::new(Garage::new(2));
            let both_parked = Arc::new(Barrier::new(2));
            let car = thread::spawn({
                let (garage, both_parked) = (garage.clone(), both_parked.clone());
                move || {
                    garage.enter();
                    both_parked.wait();
                    garage.leave();
                }
            });
            garage.enter();
            both_parked.wait();
            garage.leave();
            car.join().unwrap();
        },
    );
    c.model(
        (
            "two spaces, two cars come and go: free_spaces() is 2 again at the end",
            "자리 둘, 차 두 대가 왔다 감: 끝나면 free_spaces()가 다시 2",
        ),
        || {
            let garage = Arc::new(Garage::new(2));
            let car = thread::spawn({
                let garage = garage.clone();
                move || {
                    garage.enter();
                    garage.leave();
                }
            });
            garage.enter();
            garage.leave();
            car.join().unwrap();
            assert_eq!(garage.free_spaces(), 2);
        },
    );
    c.model(
        (
            "two spaces, both taken by main; T1 and T2 wait; main leaves twice: both get in",
            "자리 둘을 main이 모두 차지; T1과 T2가 기다림; main이 두 번 나감: 둘 다 들어감",
        ),
        || {
            let garage = Arc::new(Garage::new(2));
            garage.enter();
            garage.enter();
            let cars: Vec<_> = (0..2)
                .map(|_| {
                    let garage = garage.clone();
                    thread::spawn(move || {
                        garage.enter();
                        garage.leave();
                    })
                })
                .collect();
            garage.leave();
            garage.leave();
            for car in cars {
                car.join().unwrap();
            }
        },
    );
    c.model(
        (
            "two spaces, four cars come and go: never three inside at once, free_spaces() counts, 2 at the end",
            "자리 둘, 차 네 대가 왔다 감: 동시에 세 대가 안에 있으면 안 됨, free_spaces()가 맞게 셈, 끝나면 2",
        ),
        || {
            let garage = Arc::new(Garage::new(2));
            let parked = Arc::new(AtomicUsize::new(0));
            let cars: Vec<_> = (0..4)
                .map(|_| {
                    let (garage, parked) = (garage.clone(), parked.clone());
                    thread::spawn(move || {
                        garage.enter();
                        let now = parked.fetch_add(1, Ordering::SeqCst) + 1;
                        assert!(
                            now <= 2,
                            "{}",
                            trf!(
                                "{now} cars are inside a garage with two spaces",
                                "자리가 둘뿐인데 차 {now}대가 안에 있습니다"
                            )
                        );
                        // This car is inside and counted: at most 2 - 1 spaces can be free now.
                        let free = garage.free_spaces();
                        assert!(
                            free <= 1,
                            "{}",
                            trf!(
                                "free_spaces() says {free} while a car is parked in a garage with two spaces",
                                "자리 둘인 주차장에 차가 있는데 free_spaces()가 {free}라고 합니다"
                            )
                        );
                        parked.fetch_sub(1, Ordering::SeqCst);
                        garage.leave();
                    })
                })
                .collect();
            for car in cars {
                car.join().unwrap();
            }
            assert_eq!(garage.free_spaces(), 2);
        },
    );
    c.model(
        (
            "two spaces, one car comes and goes twice while main reads the sign: it shows 1 or 2 every time",
            "자리 둘, 차 한 대가 두 번 왔다 가는 동안 main이 안내판을 읽음: 매번 1이나 2",
        ),
        || {
            let garage = Arc::new(Garage::new(2));
            let car = thread::spawn({
                let garage = garage.clone();
                move || {
                    for _ in 0..2 {
                        garage.enter();
                        garage.leave();
                    }
                }
            });
            for _ in 0..3 {
                let free = garage.free_spaces();
                assert!(
                    (1..=2).contains(&free),
                    "{}",
                    trf!(
                        "free_spaces() says {free}, but only one car uses the garage with two spaces",
                        "자리 둘인 주차장을 차 한 대만 쓰는데 free_spaces()가 {free}라고 합니다"
                    )
                );
            }
            car.join().unwrap();
        },
    );
}
