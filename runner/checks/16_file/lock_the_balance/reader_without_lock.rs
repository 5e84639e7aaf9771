// Known-wrong: `withdraw` is right, but `balance` reads without the lock ("reading changes nothing"). It can read
// the file in the moment a withdrawal has emptied it and not yet written the new number.

use std::fs::OpenOptions;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Command;

/// Creates the account file with `initial` in it.
pub fn open_account(path: &Path, initial: u64) -> io::Result<()> {
    std::fs::write(path, format!("{initial}\n"))
}

/// The balance now.
pub fn balance(path: &Path) -> io::Result<u64> {
    // Reading changes nothing, so it needs no lock.
    parse(&std::fs::read_to_string(path)?)
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
