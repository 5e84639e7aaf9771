// lock_the_balance — file (파일)
//
// EN: A shared account's balance lives in a small text file: the number, then a newline. Several processes use
//     it at once: `withdraw` reads the balance, checks that it covers the amount and writes the new balance back;
//     `balance` reads it. A file has no synchronisation of its own. Two processes can both read 100 before either
//     writes: both write 90, and one withdrawal is lost. Both can see enough money for the last 60: the account
//     pays out twice. And a reader can look in the very moment a writer has emptied the file but not yet written
//     the new number.
//     Make each function one critical section across processes, with a file lock:
//     1. In `withdraw`, take `File::lock` (an exclusive lock, `flock`) before reading, and keep it until the new
//        balance is written: check and debit must be one step for the other processes.
//     2. In `balance`, take `File::lock_shared`: readers may read together, but never during a withdrawal.
//     A lock is released when its `File` is closed (dropped), or with `unlock`. File locks are advisory: they stop
//     only processes that take the lock too — so every function that touches the balance must take it.
//
// KO: 공동 계좌의 잔액이 작은 텍스트 파일(숫자 하나와 줄바꿈)에 있고, 여러 프로세스가 동시에 사용합니다.
//     `withdraw`는 잔액을 읽고, 금액이 충분한지 확인하고, 새 잔액을 다시 씁니다. `balance`는 잔액을 읽습니다.
//     파일에는 자체 동기화가 없습니다. 두 프로세스가 둘 다 쓰기 전에 100을 읽을 수 있습니다. 둘 다 90을 쓰고,
//     출금 하나가 사라집니다. 마지막 60을 둘 다 충분하다고 볼 수 있습니다. 계좌가 두 번 지급합니다. 그리고 쓰는
//     쪽이 파일을 비웠지만 새 숫자를 아직 쓰지 않은 바로 그 순간에 읽는 쪽이 들여다볼 수 있습니다.
//     파일 락으로 각 함수를 프로세스들 사이의 임계 영역 하나로 만드세요:
//     1. `withdraw`에서는 읽기 전에 `File::lock`(배타적 락, `flock`)을 잡고 새 잔액을 다 쓸 때까지 쥐고
//        있으세요. 확인과 출금이 다른 프로세스들에게 한 단계여야 합니다.
//     2. `balance`에서는 `File::lock_shared`를 잡으세요. 읽는 쪽끼리는 함께 읽어도 되지만, 출금 중에는 안 됩니다.
//     락은 그 `File`이 닫힐 때(drop) 또는 `unlock`으로 풀립니다. 파일 락은 권고(advisory) 락입니다. 락을 똑같이
//     잡는 프로세스만 막습니다. 그러니 잔액을 건드리는 함수는 모두 락을 잡아야 합니다.
//
// Run it yourself: `cargo run -p exercises --bin lock_the_balance` (it prints how much money went missing).
// 직접 실행해 보기: `cargo run -p exercises --bin lock_the_balance` (사라진 금액을 출력합니다).

use std::io;
use std::path::Path;
use std::process::Command;

/// Creates the account file with `initial` in it.
pub fn open_account(path: &Path, initial: u64) -> io::Result<()> {
    std::fs::write(path, format!("{initial}\n"))
}

/// The balance now.
pub fn balance(path: &Path) -> io::Result<u64> {
    // TODO(2): a withdrawal may be halfway through rewriting the file right now.
    // 할 일(2): 바로 지금 출금 하나가 파일을 다시 쓰는 중일 수 있습니다.
    parse(&std::fs::read_to_string(path)?)
}

/// Takes `amount` out of the account if the balance covers it; returns whether it did.
pub fn withdraw(path: &Path, amount: u64) -> io::Result<bool> {
    // TODO(1): another process can read or write the file between these lines.
    // 할 일(1): 이 줄들 사이에 다른 프로세스가 파일을 읽거나 쓸 수 있습니다.
    let balance = parse(&std::fs::read_to_string(path)?)?;
    if balance < amount {
        return Ok(false);
    }
    std::fs::write(path, format!("{}\n", balance - amount))?;
    Ok(true)
}

fn parse(text: &str) -> io::Result<u64> {
    text.trim_end().parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the balance file holds {text:?}, not a number"),
        )
    })
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, path, times] = args.as_slice() {
        if role != "customer" {
            return Err(io::Error::other(
                "usage: lock_the_balance [customer PATH TIMES]",
            ));
        }
        let mut paid = 0;
        for _ in 0..times.parse().map_err(io::Error::other)? {
            paid += u64::from(withdraw(Path::new(path), 1)?);
        }
        println!("{paid}");
        return Ok(());
    }
    let path = std::env::temp_dir().join(format!("lock_the_balance-{}", std::process::id()));
    let (customers, times, initial) = (4, 500, 1000);
    open_account(&path, initial)?;
    let mut children = Vec::new();
    for _ in 0..customers {
        children.push(
            Command::new(std::env::current_exe()?)
                .arg("customer")
                .arg(&path)
                .arg(times.to_string())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()?,
        );
    }
    let mut paid = 0;
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output()?;
        match String::from_utf8_lossy(&out.stdout).trim().parse::<u64>() {
            Ok(n) => paid += n,
            Err(_) => println!(
                "customer {i} gave up: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        }
    }
    let left = balance(&path)?;
    println!(
        "started with {initial}, paid out {paid}, {left} left: {} unaccounted for",
        initial as i64 - paid as i64 - left as i64
    );
    std::fs::remove_file(&path)
}
