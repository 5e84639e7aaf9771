// Known-wrong: writes the temporary file in the system's temp folder. `rename` only swaps names within one file
// system; when the temp folder is another one (a tmpfs /tmp is common), the rename fails with EXDEV.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Installs a new version of the config at `path`, its contents read from `new_contents` to the end.
pub fn install(path: &Path, mut new_contents: impl Read) -> io::Result<()> {
    // Temporary files belong in the temp folder.
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = std::env::temp_dir().join(format!("{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        io::copy(&mut new_contents, &mut file)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    let renamed = std::fs::rename(&temp, path);
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed?;
    if let Some(folder) = path.parent() {
        File::open(folder)?.sync_all()?;
    }
    Ok(())
}

/// `folder/.name.tmp-PID`: next to the config, and unique per process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// A stream that delivers its bytes in two parts, with a pause in between (as a slow network would), and lets
/// a reader of the config look in during the pause.
struct SlowStream<'a> {
    parts: [&'a [u8]; 2],
    at: usize,
    config: &'a Path,
}

impl Read for SlowStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.parts[self.at].is_empty() {
            if self.at == 1 {
                return Ok(0);
            }
            self.at = 1;
            // The pause: what does somebody who reads the config right now get?
            let seen = std::fs::read_to_string(self.config).unwrap_or_default();
            println!(
                "during the update a reader sees {} bytes: {:?}…",
                seen.len(),
                seen.lines().next().unwrap_or("")
            );
        }
        let part = &mut self.parts[self.at];
        let n = part.len().min(buf.len());
        buf[..n].copy_from_slice(&part[..n]);
        *part = &part[n..];
        Ok(n)
    }
}

fn main() -> io::Result<()> {
    let folder = std::env::temp_dir().join(format!("replace_the_config-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let config = folder.join("app.conf");
    let old = "# version 1\nworkers = 4\nlisten = 127.0.0.1:8080\n";
    let new = "# version 2\nworkers = 8\nlisten = 127.0.0.1:9090\nlog = /var/log/app.log\n";
    std::fs::write(&config, old)?;
    let (first, second) = new.as_bytes().split_at(20);
    install(
        &config,
        SlowStream {
            parts: [first, second],
            at: 0,
            config: &config,
        },
    )?;
    println!(
        "after the update: {:?}…",
        std::fs::read_to_string(&config)?
            .lines()
            .next()
            .unwrap_or("")
    );
    let mut left = Vec::new();
    for entry in std::fs::read_dir(&folder)? {
        left.push(entry?.file_name());
    }
    println!("the folder holds {left:?}");
    std::fs::remove_dir_all(&folder)
}
