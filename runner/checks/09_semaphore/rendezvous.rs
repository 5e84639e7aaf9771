// Hidden check for `rendezvous`: neither A nor B gets past the meeting point before the other has reached it, and
// both always get past it (no deadlock), meeting after meeting.
//
// Requirement (header)                                     → check
// A does not continue until B has arrived, and vice versa  → "A (T1) and B (T2) meet", "B (main) meets A (T1)"
// no deadlock, whoever arrives first                       → the same two (the model checker tries both orders)
// they may meet many times: the n-th arrive_a meets the    → "A and B meet three times in a row" (a permit left
//   n-th arrive_b                                             over from one meeting lets the next one pass early)
use super::*;
use conc_check::prelude::*;

const A_TOO_EARLY: (&str, &str) = (
    "A got past the meeting point before B had arrived",
    "B가 도착하기도 전에 A가 만남 지점을 지나갔습니다",
);
const B_TOO_EARLY: (&str, &str) = (
    "B got past the meeting point before A had arrived",
    "A가 도착하기도 전에 B가 만남 지점을 지나갔습니다",
);

/// One side of the meeting: note the arrival, meet, then check that the other side has arrived too.
fn side(
    meeting: &Rendezvous,
    me_here: &AtomicBool,
    other_here: &AtomicBool,
    arrive: fn(&Rendezvous),
    too_early: (&'static str, &'static str),
) {
    me_here.store(true, Ordering::SeqCst);
    arrive(meeting);
    assert!(
        other_here.load(Ordering::SeqCst),
        "{}",
        tr(too_early.0, too_early.1)
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "A (T1) and B (T2) meet: neither goes on before the other has arrived",
            "A(T1)와 B(T2)가 만남: 상대가 도착하기 전에는 누구도 계속하지 않음",
        ),
        || {
            let meeting = Arc::new(Rendezvous::new());
            let a_here = Arc::new(AtomicBool::new(false));
            let b_here = Arc::new(AtomicBool::new(false));
            let a = thread::spawn({
                let (meeting, a_here, b_here) = (meeting.clone(), a_here.clone(), b_here.clone());
                move || {
                    side(
                        &meeting,
                        &a_here,
                        &b_here,
                        Rendezvous::arrive_a,
                        A_TOO_EARLY,
                    )
                }
            });
            let b = thread::spawn({
                let (meeting, a_here, b_here) = (meeting.clone(), a_here.clone(), b_here.clone());
                move || {
                    side(
                        &meeting,
                        &b_here,
                        &a_here,
                        Rendezvous::arrive_b,
                        B_TOO_EARLY,
                    )
                }
            });
            a.join().unwrap();
            b.join().unwrap();
        },
    );
    c.model(
        ("B (main) meets A (T1)", "B(main)가 A(T1)를 만남"),
        || {
            let meeting = Arc::new(Rendezvous::new());
            let a_here = Arc::new(AtomicBool::new(false));
            let b_here = Arc::new(AtomicBool::new(false));
            let a = thread::spawn({
                let (meeting, a_here, b_here) = (meeting.clone(), a_here.clone(), b_here.clone());
                move || {
                    side(
                        &meeting,
                        &a_here,
                        &b_here,
                        Rendezvous::arrive_a,
                        A_TOO_EARLY,
                    )
                }
            });
            side(
                &meeting,
                &b_here,
                &a_here,
                Rendezvous::arrive_b,
                B_TOO_EARLY,
            );
            a.join().unwrap();
        },
    );
    c.model(
        (
            "A (T1) and B (T2) meet three times in a row: at each meeting, neither goes on before the other has arrived",
            "A(T1)와 B(T2)가 연달아 세 번 만남: 만날 때마다 상대가 도착하기 전에는 누구도 계속하지 않음",
        ),
        || {
            let meeting = Arc::new(Rendezvous::new());
            // How many meetings each side has reached so far.
            let a_reached = Arc::new(AtomicUsize::new(0));
            let b_reached = Arc::new(AtomicUsize::new(0));
            let side = |me: &Arc<AtomicUsize>,
                        other: &Arc<AtomicUsize>,
                        arrive: fn(&Rendezvous),
                        too_early: (&'static str, &'static str)| {
                let (meeting, me, other) = (meeting.clone(), me.clone(), other.clone());
                thread::spawn(move || {
                    for round in 1..=3 {
                        me.store(round, Ordering::SeqCst);
                        arrive(&meeting);
                        let there = other.load(Ordering::SeqCst);
                        assert!(
                            there >= round,
                            "{} {}",
                            tr(too_early.0, too_early.1),
                            trf!(
                                "(meeting {round}; the other side had reached meeting {there})",
                                "(만남 {round}; 상대는 만남 {there}까지 왔음)"
                            ),
                        );
                    }
                })
            };
            let a = side(&a_reached, &b_reached, Rendezvous::arrive_a, A_TOO_EARLY);
            let b = side(&b_reached, &a_reached, Rendezvous::arrive_b, B_TOO_EARLY);
            a.join().unwrap();
            b.join().unwrap();
        },
    );
}
