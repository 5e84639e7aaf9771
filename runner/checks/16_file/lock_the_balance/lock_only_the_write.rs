// Known-wrong: takes the lock only around the write, as if only writes needed it. Two processes still read the
// same balance before either writes: one withdrawal is lost, and the last 60 is paid twice.

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
    let balance = parse(&std::fs::read_to_string(path)?)?;
    if balance < amount {
        return Ok(false);
    }
    // Only the write changes the file, so only the write needs the lock.
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.lock()?;
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
