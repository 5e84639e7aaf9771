// one_shared_map — shared resource (공유 자원)
//
// EN: `count_words(documents)` counts how often each word appears in all the documents, with one thread per
//     document, and returns the counts. It returns an empty map: each thread counts into a `clone` of the map,
//     which is a private copy of its own, and the copies are thrown away when the threads end. A resource is shared
//     only if every thread uses the same one. Make the threads' counts end up in the map you return, and lose none
//     of them when two documents contain the same word.
//
// KO: `count_words(documents)`는 문서마다 스레드 하나를 써서 모든 문서에서 각 단어가 몇 번 나오는지 세고 그 개수를
//     돌려줍니다. 그런데 빈 맵을 돌려줍니다. 각 스레드가 맵의 `clone`에, 즉 자기만의 개인 사본에 세고, 그 사본들은
//     스레드가 끝날 때 버려집니다. 모든 스레드가 같은 것을 쓸 때에만 자원이 공유됩니다. 스레드들이 센 개수가
//     돌려주는 맵에 모이게 하고, 두 문서에 같은 단어가 있어도 하나도 잃지 마세요.
//
// Run it yourself: `cargo run -p exercises --bin one_shared_map`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin one_shared_map`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::thread;
use std::collections::HashMap;

/// How often each word appears in `documents`, counted with one thread per document.
pub fn count_words(documents: Vec<String>) -> HashMap<String, usize> {
    let counts: HashMap<String, usize> = HashMap::new();
    let workers: Vec<_> = documents
        .into_iter()
        .map(|document| {
            // TODO: `clone` gives this thread a private copy; nothing it counts reaches `counts`.
            // 할 일: `clone`은 이 스레드에 개인 사본을 줍니다. 여기서 센 것은 `counts`에 전달되지 않습니다.
            let mut counts = counts.clone();
            thread::spawn(move || {
                for word in document.split_whitespace() {
                    *counts.entry(word.to_string()).or_insert(0) += 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    counts
}

fn main() {
    let documents = vec![
        "the quick brown fox".to_string(),
        "the lazy dog".to_string(),
        "the end".to_string(),
    ];
    let counts = count_words(documents);
    println!(
        "\"the\" ×{:?} (3 expected); {} different words (7 expected)",
        counts.get("the"),
        counts.len()
    );
}
