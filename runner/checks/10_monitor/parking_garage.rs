// Hidden check for `parking_garage`: a waiting car gets in when another leaves (no lost wake-up), never more cars
// inside than spaces (counted by the check), several spaces are used at once, and the count is right at the end.
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
}
