// compute_outside — critical section (임계 영역)
//
// EN: A search index counts how often each word appears in all the documents added so far. `add(text, analyse)`
//     turns a document into words with `analyse` (slow: it stems and spell-checks) and adds them to the counts;
//     `count(word)` reads one count. `add` below holds the lock while `analyse` runs, so while one document is
//     being analysed no other thread can add a document or even look a word up: four threads are no faster than
//     one. Make `add` analyse outside the critical section and lock only to add the words, without losing a single
//     count. The checker passes its own `analyse`; in one check, while the first document is being analysed,
//     another thread adds a whole document, and it must not have to wait.
//
// KO: 검색 색인이 지금까지 추가된 모든 문서에서 각 단어가 몇 번 나왔는지 셉니다. `add(text, analyse)`는 `analyse`로
//     문서를 단어들로 바꾸고(느림: 어간 추출과 맞춤법 검사) 그 단어들을 개수에 더합니다. `count(word)`는 개수
//     하나를 읽습니다. 아래의 `add`는 `analyse`가 도는 동안 락을 쥐고 있어서, 한 문서를 분석하는 동안 다른 어떤
//     스레드도 문서를 추가하거나 단어 하나 찾아보지 못합니다. 스레드 넷이 하나보다 빠르지 않습니다. `add`가 분석은
//     임계 영역 밖에서 하고, 단어를 더할 때만 락을 잡도록 고치세요. 개수는 하나도 잃으면 안 됩니다. 검사기는 자기
//     `analyse`를 넘깁니다. 한 검사에서는 첫 문서를 분석하는 동안 다른 스레드가 문서 하나를 통째로 추가하는데,
//     그 스레드가 기다려야 하면 안 됩니다.
//
// Run it yourself: `cargo run -p exercises --bin compute_outside`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin compute_outside`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often each word appears in the documents added so far.
pub struct Index {
    counts: Mutex<HashMap<String, usize>>,
}

impl Index {
    pub fn new() -> Self {
        Index {
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Adds one document: `analyse(text)` gives its words, and each one's count goes up by one.
    pub fn add(&self, text: &str, analyse: impl FnOnce(&str) -> Vec<String>) {
        let mut counts = self.counts.lock().unwrap();
        // TODO: `analyse` is slow, and it runs while the lock is held.
        // 할 일: `analyse`는 느린데, 락을 쥔 채로 실행됩니다.
        let words = analyse(text);
        for word in words {
            *counts.entry(word).or_insert(0) += 1;
        }
    }

    /// How often `word` appeared.
    pub fn count(&self, word: &str) -> usize {
        self.counts.lock().unwrap().get(word).copied().unwrap_or(0)
    }
}

/// Lower-cases and splits; the sleep stands for the real, slow analysis.
fn slow_analyse(text: &str) -> Vec<String> {
    thread::sleep(Duration::from_millis(200));
    text.split_whitespace().map(str::to_lowercase).collect()
}

fn main() {
    let index = Arc::new(Index::new());
    let started = Instant::now();
    let writers: Vec<_> = ["The cat sat", "the dog sat", "A cat ran", "the end"]
        .into_iter()
        .map(|doc| {
            let index = Arc::clone(&index);
            thread::spawn(move || index.add(doc, slow_analyse))
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    println!(
        "\"the\" ×{}, \"cat\" ×{}, \"sat\" ×{}; four documents in {:?} (one analysis takes 200 ms)",
        index.count("the"),
        index.count("cat"),
        index.count("sat"),
        started.elapsed()
    );
}
