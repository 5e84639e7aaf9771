// replace_the_config — file (파일)
//
// EN: A service keeps its settings in a config file that other processes read whenever they like. `install`
//     puts a new version in place; the new contents arrive as a stream (in the real service, over the network).
//     Right now it truncates the config and copies the stream into it as it arrives. A file has no
//     synchronisation of its own, so every reader that looks during the copy gets half a config: the start of
//     the new one, or nothing at all. A reader that was halfway through the old config when the update started
//     reads the rest of the file from the *new* one. And if the stream breaks off, the half-written config stays.
//     Never change the config in place. Write the new contents into a temporary file in the same folder, make
//     them durable (`sync_all`), then `std::fs::rename` the temporary file over the config: within one file
//     system a rename swaps the name in one step. A reader opens either the old file or the new one, and a reader
//     that already has the old file open keeps reading the old file, whole. If anything fails before the rename,
//     remove the temporary file and leave the old config as it was.
//
// KO: 서비스가 설정을 설정 파일에 두고, 다른 프로세스들이 아무 때나 읽습니다. `install`은 새 버전을 제자리에
//     놓습니다. 새 내용은 스트림으로 도착합니다 (실제 서비스에서는 네트워크로). 지금은 설정 파일을 비우고
//     스트림이 도착하는 대로 그 안에 복사합니다. 파일에는 자체 동기화가 없으므로, 복사하는 동안 들여다본 읽는
//     쪽은 반쪽짜리 설정을 받습니다. 새 설정의 앞부분이거나, 아예 빈 파일입니다. 갱신이 시작될 때 옛 설정을 반쯤
//     읽고 있던 쪽은 파일의 나머지를 *새* 설정에서 읽습니다. 그리고 스트림이 중간에 끊기면 반쯤 쓴 설정이 남습니다.
//     설정 파일을 제자리에서 고치지 마세요. 새 내용을 같은 폴더의 임시 파일에 쓰고, 디스크에 확실히 기록한
//     다음(`sync_all`), `std::fs::rename`으로 임시 파일을 설정 파일 위로 옮기세요. 같은 파일 시스템 안에서
//     rename은 이름을 한 단계로 바꿉니다. 읽는 쪽은 옛 파일이나 새 파일 중 하나를 열고, 옛 파일을 이미 열어 둔
//     쪽은 옛 파일을 끝까지 온전히 읽습니다. rename 전에 무엇이든 실패하면 임시 파일을 지우고 옛 설정을 그대로
//     두세요.
//
// Run it yourself: `cargo run -p exercises --bin replace_the_config` (it shows what a reader saw mid-update).
// 직접 실행해 보기: `cargo run -p exercises --bin replace_the_config` (갱신 도중에 읽는 쪽이 본 값을 보여 줍니다).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Installs a new version of the config at `path`, its contents read from `new_contents` to the end.
pub fn install(path: &Path, mut new_contents: impl Read) -> io::Result<()> {
    // TODO: readers can look at this file at any moment — and right now it is half old, half new, or empty.
    // 할 일: 읽는 쪽은 언제든 이 파일을 볼 수 있는데, 지금 이 파일은 반은 옛 내용, 반은 새 내용이거나 비어 있습니다.
    let mut file = File::create(path)?;
    io::copy(&mut new_contents, &mut file)?;
    Ok(())
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
