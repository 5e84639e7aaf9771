// lazy_config — race condition (경쟁 상태)
//
// EN: A service reads its port from a config file the first time anyone asks: `Settings::new(load)` stores the
//     loader, and `port()` calls it on first use. Loading is slow (it reads a file), so `load` must run at most
//     once, and every caller must get the port it returned — never the 0 that was there before. The code below
//     marks the settings "ready" and only then stores the port: a second thread can see "ready", read the port
//     before it was written, and get 0. Two threads can also both find "not ready" and both load. Make `port()`
//     right in every interleaving.
//
// KO: 서비스가 누군가 처음 물어볼 때 설정 파일에서 포트 번호를 읽습니다. `Settings::new(load)`는 읽는 함수를 저장하고,
//     `port()`는 처음 쓰일 때 그것을 부릅니다. 읽기는 느리므로(파일을 읽음) `load`는 많아야 한 번만 실행되어야 하고,
//     모든 호출자는 그것이 돌려준 포트를 받아야 합니다. 그 전에 있던 0은 절대 안 됩니다. 아래 코드는 먼저 "준비됨"
//     표시를 하고 그다음에야 포트를 저장합니다. 그래서 두 번째 스레드가 "준비됨"을 보고, 쓰이기 전의 포트를 읽어
//     0을 받을 수 있습니다. 두 스레드가 모두 "준비 안 됨"을 보고 둘 다 읽을 수도 있습니다. 어떤 실행 순서에서도
//     `port()`가 올바르게 동작하게 고치세요.
//
// Memory orderings: if you keep the `ready` flag, read it with `Acquire` and set it with `Release` (`SeqCst` is
// always allowed). The checker runs each thread's memory accesses in program order, so it cannot judge a weaker
// ordering on `ready`, and refuses it.
// 메모리 순서: `ready` 플래그를 계속 사용한다면 읽을 때(`load`)는 `Acquire`, 세울 때(`store`)는 `Release`를
// 사용합니다(`SeqCst`는 언제나 됩니다). 검사기는 각 스레드의 메모리 접근을 프로그램 순서대로 실행하므로
// `ready`에 대한 더 약한 순서는 판정할 수 없어서 받지 않습니다.
//
// Run it yourself: `cargo run -p exercises --bin lazy_config`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin lazy_config`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use conc::thread;

/// Settings loaded lazily, on first use.
pub struct Settings {
    load: Box<dyn Fn() -> u16 + Send + Sync>,
    ready: AtomicBool,
    port: AtomicU16,
}

impl Settings {
    /// `load` reads the port from the config file; it is not called until someone asks for the port.
    pub fn new(load: impl Fn() -> u16 + Send + Sync + 'static) -> Self {
        Settings {
            load: Box::new(load),
            ready: AtomicBool::new(false),
            port: AtomicU16::new(0),
        }
    }

    /// The configured port, loaded on first use. `load` runs at most once.
    pub fn port(&self) -> u16 {
        // TODO: "ready" is announced before the port is stored, and two threads can both see "not ready".
        // 할 일: 포트를 저장하기 전에 "준비됨"을 알리고, 두 스레드가 모두 "준비 안 됨"을 볼 수도 있습니다.
        if !self.ready.load(Ordering::Acquire) {
            self.ready.store(true, Ordering::Release);
            let port = (self.load)();
            self.port.store(port, Ordering::Release);
        }
        self.port.load(Ordering::Acquire)
    }
}

fn main() {
    let settings = Arc::new(Settings::new(|| {
        println!("reading service.toml…");
        thread::sleep(std::time::Duration::from_millis(10));
        8080
    }));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let settings = Arc::clone(&settings);
            thread::spawn(move || settings.port())
        })
        .collect();
    for (i, worker) in workers.into_iter().enumerate() {
        println!("worker {i} listens on port {}", worker.join().unwrap());
    }
    println!("expected: one \"reading\" line and port 8080 everywhere");
}
