// borrow_with_scope — multithreading (멀티스레딩)
//
// EN: `checksum_all(files, checksum)` computes `checksum(file)` for every file on a thread of its own, all at the
//     same time, and returns the results in the order of `files`. It does not compile: the threads borrow `files`
//     and `checksum`, which belong to the caller, but a thread started with `thread::spawn` may outlive the
//     function that started it, so it may only hold data that lives forever (`'static`). Don't copy the data to
//     satisfy the compiler: use `thread::scope`, whose threads are all joined before it returns, so they may
//     borrow what lives outside it.
//
// KO: `checksum_all(files, checksum)`는 모든 파일의 `checksum(file)`을 각자의 스레드에서 동시에 계산하고, 결과를
//     `files`의 순서대로 돌려줍니다. 그런데 컴파일되지 않습니다. 스레드들이 호출자의 것인 `files`와 `checksum`을
//     빌리는데, `thread::spawn`으로 시작한 스레드는 자기를 시작한 함수보다 오래 살 수 있으므로 영원히 사는
//     데이터(`'static`)만 가질 수 있습니다. 컴파일러를 달래려고 데이터를 복사하지 말고 `thread::scope`를 쓰세요.
//     scope의 스레드는 scope가 돌아가기 전에 모두 join되므로, scope 밖에 사는 것을 빌릴 수 있습니다.
//
// Run it yourself: `cargo run -p exercises --bin borrow_with_scope`.
// 직접 실행해 보기: `cargo run -p exercises --bin borrow_with_scope`.

use conc::thread;

/// `checksum(file)` for every file, each on its own thread, all at once; results in the order of `files`.
pub fn checksum_all(files: &[String], checksum: impl Fn(&str) -> u64 + Sync) -> Vec<u64> {
    let mut workers = Vec::new();
    for file in files {
        // TODO: this thread borrows `file` and `checksum`, but `thread::spawn` may let it outlive this call.
        // 할 일: 이 스레드는 `file`과 `checksum`을 빌리는데, `thread::spawn`으로 시작한 스레드는 이 호출보다 오래 살
        // 수 있습니다.
        workers.push(thread::spawn(|| checksum(file)));
    }
    workers
        .into_iter()
        .map(|worker| worker.join().unwrap())
        .collect()
}

/// A stand-in for reading a file and hashing it.
fn fake_checksum(name: &str) -> u64 {
    thread::sleep(std::time::Duration::from_millis(100));
    name.bytes().map(u64::from).sum()
}

fn main() {
    let files: Vec<String> = ["notes.txt", "photo.jpg", "song.mp3"]
        .map(String::from)
        .to_vec();
    let started = std::time::Instant::now();
    let sums = checksum_all(&files, fake_checksum);
    for (file, sum) in files.iter().zip(&sums) {
        println!("{file}: {sum}");
    }
    println!("{:?} for three files of 100 ms each", started.elapsed());
}
