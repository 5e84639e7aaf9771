// pass_the_data — multiprocessing (멀티프로세싱)
//
// EN: `shout_in_child` hands a list of words to a worker process, which prints each one in capital letters, and
//     returns the lines the worker printed. The worker is this same program started again (`current_exe()`
//     with the argument `worker`). The parent starts the worker early and only then puts the words into the
//     global `WORDS` for the worker to pick up. The worker finds `WORDS` empty and prints nothing.
//     A process has its own memory. A child started with `Command` is a fresh program whose globals start from
//     their initial values (even a `fork`ed child only gets a *copy* of the parent's memory as it was at the
//     fork). Nothing the parent changes afterwards reaches the child, and nothing the child changes reaches the
//     parent. Processes share only what is passed explicitly: arguments and environment when the child starts,
//     then bytes through a pipe (its stdin and stdout), a file or a socket.
//     TODO: pass the words to the worker explicitly, and make the worker read them from there. The worker must
//     stay a separate process; keep `shout_in_child(words) -> io::Result<Vec<String>>`. It must work for any
//     list: words with spaces or non-ASCII letters, and long lists (20,000 words: more than a pipe holds, more
//     than one argument may be). Calls running at the same time must not mix their words; leave no files behind.
//
// KO: `shout_in_child`는 단어 목록을 작업자 프로세스에 넘기고, 작업자는 단어마다 대문자로 출력합니다. 함수는
//     작업자가 출력한 줄들을 돌려줍니다. 작업자는 같은 프로그램을 `worker` 인자로 한 번 더 실행한 것입니다
//     (`current_exe()`). 부모는 작업자를 먼저 시작하고, 그다음에야 작업자가 가져가라고 단어들을 전역 변수
//     `WORDS`에 넣습니다. 작업자가 보는 `WORDS`는 비어 있어서 아무것도 출력하지 않습니다.
//     프로세스는 자기만의 메모리를 가집니다. `Command`로 시작한 자식은 전역 변수가 초기값에서 시작하는 새
//     프로그램입니다 (`fork`한 자식조차 fork 순간의 부모 메모리 *사본*을 받을 뿐입니다). 그 뒤에 부모가 바꾼 것은
//     자식에게 닿지 않고, 자식이 바꾼 것도 부모에게 닿지 않습니다. 프로세스끼리는 명시적으로 건넨 것만 나누는데, 바로
//     자식이 시작할 때의 인자와 환경 변수, 그 뒤로는 파이프(자식의 stdin과 stdout), 파일, 소켓으로 오가는 바이트입니다.
//     TODO: 단어들을 작업자에게 명시적으로 건네고, 작업자가 거기서 읽게 하세요. 작업자는 별도 프로세스로
//     남아야 합니다. `shout_in_child(words) -> io::Result<Vec<String>>`는 유지하세요. 다음과 같은 목록도 모두 되어야
//     합니다. 공백이나 ASCII가 아닌 글자가 든 단어, 긴 목록(단어 20,000개는 파이프 하나에 다 들어가지 않고, 인자
//     하나의 한도도 넘습니다). 동시에 실행되는 호출끼리 단어가 섞이면 안 되고, 파일을 남기면 안 됩니다.
//
// Run it yourself: `cargo run -p exercises --bin pass_the_data`.
// 직접 실행해 보기: `cargo run -p exercises --bin pass_the_data`.

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Where the parent leaves the words for the worker.
static WORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Has a worker process print `words` in capital letters; returns the lines it printed.
pub fn shout_in_child(words: &[&str]) -> io::Result<Vec<String>> {
    // Start the worker first, so that it is ready by the time the words are.
    let child = Command::new(std::env::current_exe()?)
        .arg("worker")
        .stdout(Stdio::piped())
        .spawn()?;
    // TODO: the worker is another process, with its own `WORDS`. It never sees this.
    // 할 일: 작업자는 자기만의 `WORDS`를 가진 다른 프로세스입니다. 여기서 바꾼 값은 작업자에게 보이지 않습니다.
    WORDS
        .lock()
        .unwrap()
        .extend(words.iter().map(|w| w.to_string()));
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the worker failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// The worker: prints every word it was given, in capital letters, one per line.
fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    // TODO: read the words from wherever the parent passes them.
    // 할 일: 부모가 단어를 건네는 곳에서 단어를 읽으세요.
    for word in WORDS.lock().unwrap().iter() {
        writeln!(out, "{}", word.to_uppercase())?;
    }
    out.flush()
}

fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let lines = shout_in_child(&["one", "two", "three"])?;
    println!("the worker printed {lines:?}");
    Ok(())
}
