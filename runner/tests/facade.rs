//! The `conc` facade under the model checker is exactly as permissive as std, never kinder: in some execution a
//! `wait` wakes with no notify, a `wait_timeout` times out, and `notify_one` wakes a waiter that is not the first
//! one asleep. Each is observed through the real pipeline: a probe check that panics when the behaviour happens,
//! built and run by `conc-lings run`, must fail with the probe's message (and the trace must say what happened).

mod support;

use std::path::Path;

/// Runs `probe` (the body of one model check) as the hidden check of a one-exercise workspace.
fn run_probe(probe: &str) -> String {
    let dir = support::workspace();
    let root = dir.path();
    let check = format!(
        "use super::*;\nuse conc_check::prelude::*;\n\npub fn checks(c: &mut Checks) {{\n    c.model((\"probe\", \"probe\"), || {{\n{probe}\n    }});\n}}\n"
    );
    std::fs::write(
        root.join("runner/checks/04_race_condition/fix_the_race.rs"),
        check,
    )
    .unwrap();
    std::fs::write(support::exercise(root), support::solution(root)).unwrap();
    let out = run(root);
    assert_eq!(out.0, Some(1), "the probe must fail a check:\n{}", out.1);
    out.1
}

fn run(root: &Path) -> (Option<i32>, String) {
    let out = support::conc_lings(root)
        .args(["run", "fix_the_race", "-v"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn a_wait_may_wake_with_no_notify() {
    // `if` instead of `while`: correct if a waiter only ever wakes after the notify that follows the change.
    let out = run_probe(
        r#"
        let shared = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = thread::spawn({
            let shared = shared.clone();
            move || {
                *shared.0.lock().unwrap() = true;
                shared.1.notify_one();
            }
        });
        let (ready, bell) = &*shared;
        let mut guard = ready.lock().unwrap();
        if !*guard {
            guard = bell.wait(guard).unwrap();
            assert!(*guard, "PROBE: woke with no notify");
        }
        drop(guard);
        setter.join().unwrap();
"#,
    );
    assert!(out.contains("PROBE: woke with no notify"), "{out}");
    assert!(out.contains("spurious"), "the trace names it:\n{out}");
}

#[test]
fn a_timed_wait_may_time_out() {
    // Nobody ever notifies: if a timed wait could not time out, this would be a deadlock.
    let out = run_probe(
        r#"
        let ready = Mutex::new(false);
        let bell = Condvar::new();
        let guard = ready.lock().unwrap();
        let (_guard, result) = bell.wait_timeout(guard, std::time::Duration::from_secs(60)).unwrap();
        assert!(!result.timed_out(), "PROBE: timed out");
"#,
    );
    assert!(out.contains("PROBE: timed out"), "{out}");
    assert!(out.contains("times out"), "the trace names it:\n{out}");
}

#[test]
fn notify_one_may_wake_a_waiter_that_is_not_the_first() {
    // Two sleepers (counted under the lock, so both are in `wait` when main sees 2); one token, one
    // notify_one. Whoever takes the token first is recorded; the probe fails when it is the second sleeper.
    let out = run_probe(
        r#"
        let shared = Arc::new((Mutex::new((0usize, 0usize, None::<usize>)), Condvar::new()));
        let sleepers: Vec<_> = (0..2)
            .map(|_| {
                let shared = shared.clone();
                thread::spawn(move || {
                    let (lock, bell) = &*shared;
                    let mut state = lock.lock().unwrap();
                    let me = state.0;
                    state.0 += 1;
                    while state.1 == 0 {
                        state = bell.wait(state).unwrap();
                    }
                    state.1 -= 1;
                    state.2.get_or_insert(me);
                })
            })
            .collect();
        let (lock, bell) = &*shared;
        loop {
            let mut state = lock.lock().unwrap();
            if state.0 == 2 {
                state.1 = 1;
                bell.notify_one();
                break;
            }
            drop(state);
            thread::yield_now();
        }
        loop {
            let mut state = lock.lock().unwrap();
            if state.2.is_some() {
                state.1 += 1;
                bell.notify_all();
                break;
            }
            drop(state);
            thread::yield_now();
        }
        for sleeper in sleepers {
            sleeper.join().unwrap();
        }
        assert_ne!(lock.lock().unwrap().2, Some(1), "PROBE: the second sleeper took the token first");
"#,
    );
    assert!(
        out.contains("PROBE: the second sleeper took the token first"),
        "{out}"
    );
}

/// The lines of `out` that show one step of the interleaving.
fn steps(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.contains(" │ ")).collect()
}

#[test]
fn a_lock_is_shown_released_only_once_it_is_free() {
    // The holder says it is about to let go, then drops its guard; main waits for the word, then tries the lock.
    // Under shuttle the release begins with a scheduling point, so main can fail in the middle of the holder's
    // drop: the trace must then show the holder still holding the lock, not a release and then a failed
    // `try_lock`.
    let out = run_probe(
        r#"
        let m = Arc::new(Mutex::new(0));
        let releasing = Arc::new(AtomicBool::new(false));
        let holder = thread::spawn({
            let (m, releasing) = (m.clone(), releasing.clone());
            move || {
                let guard = m.lock().unwrap();
                releasing.store(true, Ordering::SeqCst);
                drop(guard);
            }
        });
        // Once the holder has said so, its only step before the lock is free is inside the release itself.
        while !releasing.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        if m.try_lock().is_err() {
            panic!("PROBE: try_lock failed while the holder was letting go");
        }
        holder.join().unwrap();
"#,
    );
    assert!(
        out.contains("PROBE: try_lock failed while the holder was letting go"),
        "{out}"
    );
    let steps = steps(&out);
    let failed = steps
        .iter()
        .rposition(|l| l.contains("try_lock `m` fails"))
        .expect("the failed try_lock is shown");
    assert!(
        steps[failed].contains("held by T1 since check:"),
        "the failed try_lock names the holder:\n{out}"
    );
    assert!(
        !steps[..failed].iter().any(|l| l.contains("releases `m`")),
        "no release is shown before the lock is free:\n{out}"
    );
}

#[test]
fn receives_through_try_iter_and_iterator_adapters_are_traced_at_the_learners_line() {
    let out = run_probe(
        r#"
        let (tx, rx) = mpsc::channel::<u32>();
        tx.send(1).unwrap();
        let waiting: Vec<u32> = rx.try_iter().collect();
        drop(tx);
        let rest: Vec<u32> = rx.iter().collect();
        panic!("PROBE: {waiting:?} then {rest:?}");
"#,
    );
    assert!(out.contains("PROBE: [1] then []"), "{out}");
    let steps = steps(&out);
    let at = |code: &str, effect: &str| {
        steps
            .iter()
            .any(|l| l.contains(code) && l.contains("check:") && l.contains(effect))
    };
    assert!(
        at("rx.try_iter().collect()", "receives from `tx/rx`"),
        "{out}"
    );
    assert!(
        at("rx.try_iter().collect()", "finds `tx/rx` empty"),
        "{out}"
    );
    assert!(at("rx.iter().collect()", "finds `tx/rx` closed"), "{out}");
}

#[test]
fn a_step_limit_keeps_the_steps_that_caused_it() {
    // The thread takes the lock, then spins on `try_lock` for it far past what the trace can hold: the step
    // that took the lock must still be shown, and nothing promised to --verbose that it cannot show.
    let out = run_probe(
        r#"
        let m = Mutex::new(0);
        let flag = AtomicBool::new(false);
        let _held = m.lock().unwrap();
        flag.store(true, Ordering::SeqCst);
        while m.try_lock().is_err() {
            flag.load(Ordering::SeqCst);
            thread::yield_now();
        }
"#,
    );
    assert!(out.contains("never finished"), "{out}");
    assert!(!out.contains("--verbose"), "{out}");
    assert!(out.contains("steps not recorded"), "{out}");
    let steps = steps(&out);
    assert!(
        steps
            .iter()
            .any(|l| l.contains("m.lock().unwrap()") && l.contains("locks `m`")),
        "{out}"
    );
    assert!(
        steps.iter().any(|l| l.contains("writes `flag` = true")),
        "{out}"
    );
    assert!(
        steps
            .iter()
            .any(|l| l.contains("this thread already holds it (since check:")),
        "{out}"
    );
    assert!(out.contains("main holds `m`"), "{out}");
}
