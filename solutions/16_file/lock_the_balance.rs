// lock_the_balance — file (파일)
//
// EN: A shared account's balance lives in a small text file: the number, then a newline. Several processes use
//     it at once. A file has no synchronisation of its own, so the processes bring their own: an advisory file
//     lock. `withdraw` holds the exclusive lock (`File::lock`, `flock`) from before it reads the balance until
//     after it has written the new one, so that check and debit are one step for every other process; `balance`
//     holds the shared lock (`File::lock_shared`), so readers never look at a file a withdrawal is rewriting.
//
// KO: 공동 계좌의 잔액이 작은 텍스트 파일(숫자 하나와 줄바꿈)에 있고, 여러 프로세스가 동시에 사용합니다. 파일에는
//     자체 동기화가 없으므로 프로세스들이 직접 가져옵니다. 권고(advisory) 파일 락입니다. `withdraw`는 잔액을 읽기
//     전부터 새 잔액을 다 쓸 때까지 배타적 락(`File::lock`, `flock`)을 쥐어서, 확인과 출금이 다른 모든
//     프로세스에게 한 단계가 되게 합니다. `balance`는 공유 락(`File::lock_shared`)을 쥐어서, 출금이 다시 쓰고 있는
//     파일을 읽는 쪽이 보는 일이 없게 합니다.
//
// Run it yourself: `cargo run -p solutions --bin lock_the_balance`.
// 직접 실행해 보기: `cargo run -p solutions --bin lock_the_balance`.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Command;

/// Creates the account file with `initial` in it.
pub fn open_account(path: &Path, initial: u64) -> io::Result<()> {
    std::fs::write(path, format!("{initial}\n"))
}

/// The balance now.
pub fn balance(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    // Shared: readers may hold it together, but not while a withdrawal holds the exclusive lock.
    file.lock_shared()?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    parse(&text)
    // `file` is closed here, and the lock with it.
}

/// Takes `amount` out of the account if the balance covers it; returns whether it did.
pub fn withdraw(path: &Path, amount: u64) -> io::Result<bool> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    // Exclusive, from before the read until after the write: no other process that takes the lock can read the
    // balance in between, so the check and the debit are one step for all of them.
    file.lock()?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    let balance = parse(&text)?;
    if balance < amount {
        return Ok(false); // unlocked when `file` is dropped, as on every path
    }
    file.seek(SeekFrom::Start(0))?;
    file.set_len(0)?;
    file.write_all(format!("{}\n", balance - amount).as_bytes())?;
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
