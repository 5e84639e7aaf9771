// Hidden check for `lazy_config`: every caller gets the loaded port, and `load` runs exactly once.
use super::*;
use conc_check::prelude::*;

const PORT: u16 = 8080;

/// Settings whose loader returns `PORT` and counts its calls.
fn counted() -> (Arc<Settings>, Arc<AtomicUsize>) {
    let loads = Arc::new(AtomicUsize::new(0));
    let settings = Settings::new({
        let loads = Arc::clone(&loads);
        move || {
            loads.fetch_add(1, Ordering::SeqCst);
            PORT
        }
    });
    (Arc::new(settings), loads)
}

fn expect_port(port: u16) {
    assert!(
        port == PORT,
        "{}",
        msg(
            format!(
                "`port()` returned {port}, but `load` returns {PORT}: it read the port before it was stored"
            ),
            format!(
                "`port()`가 돌려준 값은 {port}, `load`가 돌려주는 값은 {PORT}입니다. 포트가 저장되기 전에 읽었습니다"
            ),
        )
    );
}

fn expect_loads(loads: &AtomicUsize) {
    let n = loads.load(Ordering::SeqCst);
    assert!(
        n == 1,
        "{}",
        msg(
            format!("`load` ran {n} times; it must run exactly once"),
            format!("`load`가 {n}번 실행되었습니다. 정확히 한 번 실행되어야 합니다"),
        )
    );
}

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

/// `threads` threads ask for the port at once.
fn ask_from(threads: usize) {
    let (settings, loads) = counted();
    let askers: Vec<_> = (0..threads)
        .map(|_| {
            let settings = Arc::clone(&settings);
            thread::spawn(move || settings.port())
        })
        .collect();
    for asker in askers {
        expect_port(asker.join().unwrap());
    }
    expect_loads(&loads);
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "nobody asks: `load` does not run",
            "아무도 묻지 않음: `load`는 실행되지 않음",
        ),
        || {
            let (_settings, loads) = counted();
            assert!(
                loads.load(Ordering::SeqCst) == 0,
                "{}",
                tr(
                    "`Settings::new` called `load`: it must wait until someone asks for the port",
                    "`Settings::new`가 `load`를 불렀습니다. 누군가 포트를 물을 때까지 기다려야 합니다"
                )
            );
        },
    );
    c.model(
        (
            "one thread asks twice: 8080 both times, one load",
            "스레드 하나가 두 번 물음: 두 번 모두 포트 8080, 읽기는 한 번",
        ),
        || {
            let (settings, loads) = counted();
            expect_port(settings.port());
            expect_port(settings.port());
            expect_loads(&loads);
        },
    );
    c.model(
        (
            "two threads ask at once: both get 8080, one load",
            "두 스레드가 동시에 물음: 둘 다 포트 8080, 읽기는 한 번",
        ),
        || ask_from(2),
    );
    c.model(
        (
            "three threads ask at once: all get 8080, one load",
            "세 스레드가 동시에 물음: 모두 포트 8080, 읽기는 한 번",
        ),
        || ask_from(3),
    );
}
