// replace_the_config — file (파일)
//
// EN: A service keeps its settings in a config file that other processes read whenever they like; `install` puts
//     a new version in place. A file has no synchronisation of its own, so the config is never changed in place:
//     the new contents go into a temporary file in the same folder, are made durable (`sync_all`), and then
//     `rename` swaps the name over in one step. Readers open either the old file or the new one, never half of
//     either; a reader that already has the old file open keeps reading it, whole. If the new contents fail to
//     arrive, the temporary file is removed and the old config stays as it was.
//
// KO: 서비스가 설정을 설정 파일에 두고, 다른 프로세스들이 아무 때나 읽습니다. `install`은 새 버전을 제자리에
//     놓습니다. 파일에는 자체 동기화가 없으므로 설정 파일을 제자리에서 고치지 않습니다. 새 내용은 같은 폴더의 임시
//     파일에 들어가고, 디스크에 확실히 기록된 뒤(`sync_all`), `rename`이 이름을 한 단계로 바꿉니다. 읽는 쪽은 옛
//     파일이나 새 파일 중 하나를 열 뿐 어느 쪽의 절반도 보지 않습니다. 옛 파일을 이미 열어 둔 쪽은 옛 파일을 끝까지
//     온전히 읽습니다. 새 내용이 끝까지 오지 않으면 임시 파일을 지우고 옛 설정은 그대로 둡니다.
//
// Run it yourself: `cargo run -p solutions --bin replace_the_config`.
// 직접 실행해 보기: `cargo run -p solutions --bin replace_the_config`.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Installs a new version of the config at `path`, its contents read from `new_contents` to the end.
pub fn install(path: &Path, mut new_contents: impl Read) -> io::Result<()> {
    // In the same folder: `rename` swaps names within one file system only (to another one, it fails).
    let temp = temp_path(path);
    let written = (|| {
        // `create_new`: never write into a file somebody else is also writing.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        io::copy(&mut new_contents, &mut file)?;
        // On disk before the name points at it: after a crash the config is the old one or the new one, whole.
        file.sync_all()
    })();
    if let Err(e) = written {
        // The old config was never touched; leave no half-written temporary file behind either.
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // One step: from now on `path` names the new file. Readers that opened the old one keep reading it, whole.
    std::fs::rename(&temp, path)?;
    // Make the rename itself durable: it is a change to the folder.
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
