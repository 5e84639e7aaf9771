// whole_lines — shared resource (공유 자원)
//
// EN: Every thread of a chat server prints to one shared console. `write(text)` puts `text` on the screen in one
//     piece; `say(who, message)` prints the line `who: message` followed by a newline; `contents()` returns
//     everything printed so far. When two threads talk at once their lines come out mixed: `say` makes four
//     separate writes, and the other thread's writes can land between any two of them. Make every line that
//     `say` prints come out whole, even when other threads call `say` or `write` at the same time.
//
// KO: 채팅 서버의 모든 스레드가 공유 콘솔 하나에 출력합니다. `write(text)`는 `text`를 한 덩어리로 화면에 올리고,
//     `say(who, message)`는 `who: message` 줄과 줄바꿈을 출력하며, `contents()`는 지금까지 출력된 모든 것을
//     돌려줍니다. 두 스레드가 동시에 말하면 줄이 뒤섞여 나옵니다. `say`가 네 번 따로 쓰고, 다른 스레드의 쓰기가 그
//     사이 어디에나 끼어들 수 있기 때문입니다. 다른 스레드가 동시에 `say`나 `write`를 불러도 `say`가 출력하는 모든
//     줄이 온전하게 나오게 하세요.
//
// Run it yourself: `cargo run -p exercises --bin whole_lines`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin whole_lines`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

/// The screen every thread prints to.
pub struct Console {
    screen: Mutex<String>,
}

impl Console {
    pub fn new() -> Self {
        Console {
            screen: Mutex::new(String::new()),
        }
    }

    /// Puts `text` on the screen in one piece.
    #[track_caller] // the checker's trace shows the line that called `write`, not this one
    pub fn write(&self, text: &str) {
        self.screen.lock().unwrap().push_str(text);
    }

    /// Prints `who: message` and a newline, as one whole line.
    pub fn say(&self, who: &str, message: &str) {
        // Build the whole line first, then put it on the screen with one write: one critical section per line.
        self.write(&format!("{who}: {message}\n"));
    }

    /// Everything printed so far.
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().clone()
    }
}

fn main() {
    let console = Arc::new(Console::new());
    let people: Vec<_> = [
        ("alice", "hello"),
        ("bob", "hi there"),
        ("carol", "good morning"),
    ]
    .into_iter()
    .map(|(who, message)| {
        let console = Arc::clone(&console);
        thread::spawn(move || {
            for _ in 0..3 {
                console.say(who, message);
            }
        })
    })
    .collect();
    for person in people {
        person.join().unwrap();
    }
    print!("{}", console.contents());
}
