// Hidden check for `whole_lines`.
//
// | requirement (header)                                                  | check                               |
// |-----------------------------------------------------------------------|-------------------------------------|
// | `say(who, message)` prints `who: message` and a newline, in order     | 1                                   |
// | every line `say` prints comes out whole while others call `say`       | 2 (two threads at once)             |
// | ... or `write`                                                        | 3                                   |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

/// The screen must be one of `allowed`.
fn expect_screen(console: &Console, allowed: &[&str]) {
    let screen = console.contents();
    assert!(
        allowed.contains(&screen.as_str()),
        "{}",
        msg(
            format!(
                "the screen reads {screen:?}; every line must arrive whole, like {:?}",
                allowed[0]
            ),
            format!(
                "화면 내용이 {screen:?}입니다. 모든 줄은 {:?}처럼 온전하게 나와야 합니다",
                allowed[0]
            ),
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread says two lines: both are printed, in order",
            "스레드 하나가 두 줄을 말함: 둘 다 순서대로 출력됨",
        ),
        || {
            let console = Console::new();
            console.say("alice", "hi");
            console.say("bob", "yo");
            expect_screen(&console, &["alice: hi\nbob: yo\n"]);
        },
    );
    c.model(
        (
            "two threads say a line each at once: both lines come out whole",
            "두 스레드가 동시에 한 줄씩 말함: 두 줄 모두 온전하게 나옴",
        ),
        || {
            let console = Arc::new(Console::new());
            let bob = thread::spawn({
                let console = Arc::clone(&console);
                move || console.say("bob", "yo")
            });
            console.say("alice", "hi");
            bob.join().unwrap();
            expect_screen(&console, &["alice: hi\nbob: yo\n", "bob: yo\nalice: hi\n"]);
        },
    );
    c.model(
        (
            "one thread says a line while another writes one directly: both come out whole",
            "한 스레드가 한 줄을 말하는 동안 다른 스레드가 직접 한 줄을 write: 둘 다 온전하게 나옴",
        ),
        || {
            let console = Arc::new(Console::new());
            let server = thread::spawn({
                let console = Arc::clone(&console);
                move || console.write("[restart]\n")
            });
            console.say("alice", "hi");
            server.join().unwrap();
            expect_screen(
                &console,
                &["alice: hi\n[restart]\n", "[restart]\nalice: hi\n"],
            );
        },
    );
}
