// Hidden check for `lost_wakeup`: every `ring()` lets exactly one `wait()` through, in any order.
//
// Requirement (header)                                   → check
// a ring before the printer waits is not lost            → "one thread: ring(), then wait()", "two rings, then two"
// every ring lets one wait() through, whatever the order → "a client rings twice while the printer waits twice",
//                                                           "two clients and two printers at once"
// no wait() returns without a ring of its own            → "two printers, one client", "two clients and two
//                                                           printers at once" (waits returned <= rings started)
use super::*;
use conc_check::prelude::*;

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: ring(), then wait() returns",
            "스레드 하나: ring() 후 wait()가 돌아옴",
        ),
        || {
            let bell = Doorbell::new();
            bell.ring();
            bell.wait();
        },
    );
    c.model(
        (
            "one thread: two rings, then two waits both return",
            "스레드 하나: ring 두 번 후 wait 두 번이 모두 돌아옴",
        ),
        || {
            let bell = Doorbell::new();
            bell.ring();
            bell.ring();
            bell.wait();
            bell.wait();
        },
    );
    c.model(
        (
            "a client rings twice while the printer waits twice",
            "클라이언트가 두 번 ring, 프린터가 두 번 wait",
        ),
        || {
            let bell = Arc::new(Doorbell::new());
            let client = thread::spawn({
                let bell = Arc::clone(&bell);
                move || {
                    bell.ring();
                    bell.ring();
                }
            });
            bell.wait();
            bell.wait();
            client.join().unwrap();
        },
    );
    c.model(
        (
            "two printers, one client ringing twice: no wait() returns without a ring of its own",
            "프린터 둘, 클라이언트가 두 번 ring: 자기 몫의 ring 없이 돌아오는 wait()는 없음",
        ),
        || {
            let bell = Arc::new(Doorbell::new());
            let rings = Arc::new(AtomicUsize::new(0));
            let passed = Arc::new(AtomicUsize::new(0));
            let printers: Vec<_> = (0..2)
                .map(|_| {
                    let (bell, rings, passed) = (bell.clone(), rings.clone(), passed.clone());
                    thread::spawn(move || {
                        bell.wait();
                        let through = passed.fetch_add(1, Ordering::SeqCst) + 1;
                        let rung = rings.load(Ordering::SeqCst);
                        assert!(
                            through <= rung,
                            "{} ({} {through}, {} {rung})",
                            tr(
                                "a wait() returned without a ring of its own",
                                "자기 몫의 ring 없이 돌아온 wait()가 있습니다"
                            ),
                            tr("waits returned:", "돌아온 wait:"),
                            tr("rings so far:", "지금까지 ring:"),
                        );
                    })
                })
                .collect();
            for _ in 0..2 {
                // Counted before the ring: a wait() may return as soon as ring() has started.
                rings.fetch_add(1, Ordering::SeqCst);
                bell.ring();
            }
            for printer in printers {
                printer.join().unwrap();
            }
        },
    );
    c.model(
        (
            "two clients ring once each while two printers wait once each, all at once: every wait() returns, none without a ring",
            "클라이언트 둘이 한 번씩 ring, 프린터 둘이 한 번씩 wait, 모두 동시에: wait()는 모두 돌아오고, ring 없이 돌아오는 것은 없음",
        ),
        || {
            let bell = Arc::new(Doorbell::new());
            let rings = Arc::new(AtomicUsize::new(0));
            let passed = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..4)
                .map(|i| {
                    let (bell, rings, passed) = (bell.clone(), rings.clone(), passed.clone());
                    thread::spawn(move || {
                        if i % 2 == 0 {
                            // Counted before the ring: a wait() may return as soon as ring() has started.
                            rings.fetch_add(1, Ordering::SeqCst);
                            bell.ring();
                            return;
                        }
                        bell.wait();
                        let through = passed.fetch_add(1, Ordering::SeqCst) + 1;
                        let rung = rings.load(Ordering::SeqCst);
                        assert!(
                            through <= rung,
                            "{} ({} {through}, {} {rung})",
                            tr(
                                "a wait() returned without a ring of its own",
                                "자기 몫의 ring 없이 돌아온 wait()가 있습니다"
                            ),
                            tr("waits returned:", "돌아온 wait:"),
                            tr("rings so far:", "지금까지 ring:"),
                        );
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
        },
    );
}
