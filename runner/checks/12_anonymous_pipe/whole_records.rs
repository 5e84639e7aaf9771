// Hidden check for `whole_records`: every record goes into the pipe with exactly ONE write of at most PIPE_BUF
// bytes, and a longer record is refused without writing anything. Whether two writes would interleave is left to
// chance in a real run; how many writes a record takes is not. The check counts them: `send_record` writes into a
// pipe in packet mode (`O_DIRECT`), where every `write` becomes a packet of its own and every `read` returns one.
//
// | requirement (header)                                           | check                                         |
// |----------------------------------------------------------------|-----------------------------------------------|
// | a record is `"{worker} {seq} {text}\n"`, put in with ONE write | `1 0 hello`; 1 000, 4 000, 4 096 bytes        |
// | at most PIPE_BUF bytes — bytes, not characters                 | Korean text: 4 085 bytes (1 360 syllables) in |
// |                                                                |   one write; 4 205 and 6 005 bytes refused    |
// | longer: refused with InvalidInput, nothing written             | 4 097 and 10 000 bytes refused                |
// | the same caller, record after record                           | several records per helper, each counted      |
// | three workers, one pipe: every record arrives whole            | 3 × 300 records through one ordinary pipe     |
// | the program (demo) counts what arrived: it ends, 0 broken      | `whole_records` with no arguments             |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, explain_timeout, fail_check, pick, secs};
use std::io::Read;
use std::os::fd::AsFd;

/// A letter per worker, `len` of them; with `korean`, `len` Hangul syllables of 3 bytes each.
fn text(worker: usize, len: usize, korean: bool) -> String {
    let one = if korean {
        char::from_u32(0xAC00 + worker as u32).unwrap()
    } else {
        char::from(b'a' + (worker % 26) as u8)
    };
    one.to_string().repeat(len)
}

/// Reads every packet waiting in the (non-blocking) pipe.
fn drain(read_end: &mut std::fs::File) -> Vec<Vec<u8>> {
    let mut packets = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match read_end.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => packets.push(buf[..n].to_vec()),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("the check cannot read its pipe: {e}"),
        }
    }
    packets
}

/// One record the check sends and what comes of it, as the helper reports it: `WORKER SEQ LEN` in, then
/// `ok`/`refused`/`error KIND`, the sizes of the writes it made, and whether their bytes are the record.
struct Sent {
    worker: usize,
    seq: usize,
    text_len: usize,
    korean: bool,
    result: String,
    writes: Vec<usize>,
    bytes_ok: bool,
}

impl Sent {
    /// The record's length in bytes.
    fn len(&self) -> usize {
        format!("{} {} ", self.worker, self.seq).len()
            + self.text_len * if self.korean { 3 } else { 1 }
            + 1
    }

    /// The text, as a message shows it.
    fn shown(&self) -> String {
        if self.korean {
            pick(
                format!("<{} Hangul syllables, 3 bytes each>", self.text_len),
                format!("<한글 {}자, 글자마다 3바이트>", self.text_len),
            )
        } else {
            pick(
                format!("<{} letters>", self.text_len),
                format!("<글자 {}개>", self.text_len),
            )
        }
    }
}

/// Has the helper send the records `(worker, seq, text length)` one after another through a packet pipe; with
/// `korean`, the texts are Hangul syllables (3 bytes each in UTF-8) and the length counts them.
fn send(ex: &Exercise, records: &[(usize, usize, usize)], korean: bool) -> Vec<Sent> {
    let args: Vec<String> = records
        .iter()
        .map(|(w, s, l)| format!("{w}:{s}:{l}:{}", u8::from(korean)))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ex.check_role("send", &args).timeout(secs(3)).run();
    out.expect_success();
    let sent: Vec<Sent> = out
        .lines()
        .iter()
        .map(|line| {
            // W S LEN RESULT SIZES BYTES_OK
            let f: Vec<&str> = line.split(' ').collect();
            Sent {
                worker: f[0].parse().unwrap(),
                seq: f[1].parse().unwrap(),
                text_len: f[2].parse().unwrap(),
                korean,
                result: f[3].replace('_', " "),
                writes: f[4]
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap())
                    .collect(),
                bytes_ok: f[5] == "whole",
            }
        })
        .collect();
    if sent.len() != records.len() {
        out.fail(tr(
            "the helper did not report every record",
            "도우미가 레코드를 모두 보고하지 않았습니다",
        ));
    }
    sent
}

/// Every record fits: exactly one write each, with the record's bytes.
fn expect_one_write_each(sent: &[Sent]) {
    for s in sent {
        let len = s.len();
        if s.result != "ok" {
            fail_check(&pick(
                format!(
                    "send_record({}, {}, {}) returned {} for a record of {len} bytes, which fits in PIPE_BUF \
                     ({PIPE_BUF})",
                    s.worker,
                    s.seq,
                    s.shown(),
                    s.result
                ),
                format!(
                    "send_record({}, {}, {})가 {len}바이트짜리 레코드에 돌려준 값이 {}입니다. 이 레코드는 \
                     PIPE_BUF({PIPE_BUF})에 들어갑니다",
                    s.worker,
                    s.seq,
                    s.shown(),
                    s.result
                ),
            ));
        }
        if s.writes.len() != 1 {
            let sizes: Vec<String> = s.writes.iter().map(|n| n.to_string()).collect();
            fail_check(&pick(
                format!(
                    "record {} of worker {} ({len} bytes) went into the pipe in {} separate writes, of {} bytes. \
                     Between two of them another process writing into the same pipe can put its own bytes: the \
                     collector would read a broken line. Build the whole record first, then write it with one call.",
                    s.seq,
                    s.worker,
                    s.writes.len(),
                    sizes.join(", ")
                ),
                format!(
                    "작업자 {}의 레코드 {}({len} 바이트)가 {}번의 따로 떨어진 write로 파이프에 들어갔습니다 (각 {} \
                     바이트). 그 사이에 같은 파이프에 쓰는 다른 프로세스가 자기 바이트를 넣을 수 있습니다. 수집기는 깨진 \
                     줄을 읽게 됩니다. 레코드 전체를 먼저 만들고, 한 번의 호출로 쓰세요.",
                    s.worker,
                    s.seq,
                    s.writes.len(),
                    sizes.join(", ")
                ),
            ));
        }
        if !s.bytes_ok {
            fail_check(&pick(
                format!(
                    "record {} of worker {}: the bytes written are not `\"{{worker}} {{seq}} {{text}}\\n\"`",
                    s.seq, s.worker
                ),
                format!(
                    "작업자 {}의 레코드 {}: 쓴 바이트가 `\"{{worker}} {{seq}} {{text}}\\n\"`이 아닙니다",
                    s.worker, s.seq
                ),
            ));
        }
    }
}

pub fn checks(c: &mut Checks) {
    // send W:S:LEN… — sends each record through a packet-mode pipe and prints, per record:
    // `W S LEN RESULT SIZES whole|broken`, RESULT being ok, refused or error_KIND.
    c.role("send", |args| {
        use nix::fcntl::{FcntlArg, OFlag, fcntl};
        let (read_end, write_end) =
            nix::unistd::pipe2(OFlag::O_DIRECT | OFlag::O_CLOEXEC).expect("a packet-mode pipe");
        // Room for 256 packets, so that a record written in many small pieces does not block.
        let _ = fcntl(write_end.as_fd(), FcntlArg::F_SETPIPE_SZ(1 << 20));
        fcntl(read_end.as_fd(), FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).expect("non-blocking");
        let mut read_end = std::fs::File::from(read_end);
        let mut write_end = std::fs::File::from(write_end);
        for arg in args {
            let f: Vec<usize> = arg.split(':').map(|n| n.parse().unwrap()).collect();
            let (worker, seq, len) = (f[0], f[1], f[2]);
            let t = text(worker, len, f[3] == 1);
            let result = match send_record(&mut write_end, worker, seq, &t) {
                Ok(()) => "ok".to_string(),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => "refused".to_string(),
                Err(e) => format!("error_{:?}", e.kind()),
            };
            let packets = drain(&mut read_end);
            let sizes: Vec<String> = packets.iter().map(|p| p.len().to_string()).collect();
            let bytes: Vec<u8> = packets.concat();
            let whole = bytes == format!("{worker} {seq} {t}\n").as_bytes();
            println!(
                "{worker} {seq} {len} {result} {} {}",
                sizes.join(","),
                if whole { "whole" } else { "broken" }
            );
        }
    });
    // collect WORKERS COUNT — one ordinary pipe, the learner's workers writing into it; prints how many lines
    // arrived whole and how many broken.
    c.role("collect", |args| {
        use std::io::BufRead;
        let (workers, count): (usize, usize) = (args[0].parse().unwrap(), args[1].parse().unwrap());
        let (read_end, write_end) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).expect("a pipe");
        let me = std::env::current_exe().unwrap();
        let children: Vec<_> = (0..workers)
            .map(|id| {
                std::process::Command::new(&me)
                    .args(["worker", &id.to_string(), &count.to_string()])
                    .stdout(write_end.try_clone().unwrap())
                    .spawn()
                    .expect("start a worker")
            })
            .collect();
        drop(write_end);
        let (mut whole, mut broken) = (0, 0);
        for line in std::io::BufReader::new(std::fs::File::from(read_end)).lines() {
            let line = line.expect("read a line");
            let mut parts = line.splitn(3, ' ');
            let ok = match (parts.next(), parts.next(), parts.next()) {
                (Some(w), Some(s), Some(t)) => match (w.parse(), s.parse::<usize>()) {
                    (Ok(w), Ok(s)) => t == text_of(w, s),
                    _ => false,
                },
                _ => false,
            };
            if ok { whole += 1 } else { broken += 1 }
        }
        for mut child in children {
            child.wait().expect("wait for a worker");
        }
        println!("{whole} whole");
        println!("{broken} broken");
    });

    c.process(
        (
            "a short record, `1 0 hello`, goes into the pipe with one write",
            "짧은 레코드 `1 0 hello`는 write 한 번으로 파이프에 들어갑니다",
        ),
        |ex| {
            let sent = send(ex, &[(1, 0, 5)], false);
            expect_one_write_each(&sent);
        },
    );
    c.process(
        (
            "records of 1 000, 4 000 and exactly 4 096 bytes (PIPE_BUF): one write each",
            "1,000, 4,000, 그리고 정확히 4,096바이트(PIPE_BUF)짜리 레코드: 각각 write 한 번",
        ),
        |ex| {
            let sent = send(ex, &[(2, 1, 995), (2, 2, 3995), (2, 3, 4091)], false);
            expect_one_write_each(&sent);
        },
    );
    c.process(
        (
            "records of 4 097 and 10 000 bytes, longer than PIPE_BUF: refused (InvalidInput), nothing written",
            "4,097, 10,000바이트짜리 레코드 (PIPE_BUF보다 김): 거절 (InvalidInput), 아무것도 쓰지 않음",
        ),
        |ex| {
            for s in send(ex, &[(3, 2, 4092), (3, 3, 9995)], false) {
                expect_refused(&s);
            }
        },
    );
    c.process(
        (
            "three worker processes, 300 records each, one pipe: every record arrives whole",
            "작업자 프로세스 셋이 각각 레코드 300개를 파이프 하나로: 모든 레코드가 온전히 도착합니다",
        ),
        |ex| {
            ex.check_role("collect", &["3", "300"])
                .timeout(secs(5))
                .run()
                .expect_success()
                .expect_lines(
                    &["900 whole", "0 broken"],
                    tr(
                        "records the collector read whole, and broken lines",
                        "수집기가 온전히 읽은 레코드와 깨진 줄",
                    ),
                );
        },
    );
    c.process(
        (
            "Korean text, 3 bytes a syllable: 4 085 bytes (1 360 syllables) in one write; 4 205 and 6 005 bytes \
             (1 400 and 2 000 syllables, fewer than PIPE_BUF characters) refused",
            "한글 텍스트 (글자마다 3바이트): 4,085바이트(1,360자)는 write 한 번; 4,205, 6,005바이트(1,400자, \
             2,000자: 글자 수는 PIPE_BUF보다 적음)는 거절",
        ),
        |ex| {
            let sent = send(ex, &[(4, 0, 1360), (4, 1, 1400), (4, 2, 2000)], true);
            expect_one_write_each(&sent[..1]);
            for s in &sent[1..] {
                expect_refused(s);
            }
        },
    );
    c.process(
        (
            "the program itself (no arguments): three workers, 2 000 records each; it ends, and none is broken",
            "프로그램 자체 (인자 없이): 작업자 셋이 각각 레코드 2,000개; 끝나고, 깨진 것이 없습니다",
        ),
        |ex| {
            let out = explain_timeout(
                tr(
                    "the program never ended. The collector reads until end-of-file, which comes only when every \
                     write end of the pipe is closed — the collector's own copy too.",
                    "프로그램이 끝나지 않았습니다. 수집기는 EOF까지 읽는데, EOF는 수집기 자신의 사본까지 포함해 파이프의 \
                     쓰기 끝이 모두 닫혀야 옵니다.",
                ),
                || ex.run(&[], secs(3)),
            );
            out.expect_success().expect_lines(
                &["6000 records arrived whole, 0 lines were broken"],
                tr("what the program printed", "프로그램이 출력한 것"),
            );
        },
    );
}

/// A record longer than PIPE_BUF: refused with InvalidInput, nothing written.
fn expect_refused(s: &Sent) {
    let len = s.len();
    if s.result != "refused" || !s.writes.is_empty() {
        fail_check(&pick(
            format!(
                "send_record returned {} for a record of {len} bytes and wrote {} byte(s). That is more \
                 than PIPE_BUF ({PIPE_BUF}): the kernel may split such a write, and another process's bytes \
                 can land in the middle. Refuse it with ErrorKind::InvalidInput, before writing anything.",
                if s.result == "ok" { "Ok" } else { &s.result },
                s.writes.iter().sum::<usize>()
            ),
            format!(
                "{len}바이트짜리 레코드에 대한 send_record의 결과: {}, 쓴 바이트: {}바이트. PIPE_BUF \
                 ({PIPE_BUF})보다 깁니다. 커널은 그런 쓰기를 나눌 수 있고, 그 사이에 다른 프로세스의 바이트가 \
                 끼어들 수 있습니다. 아무것도 쓰기 전에 ErrorKind::InvalidInput으로 거절하세요.",
                if s.result == "ok" { "Ok" } else { &s.result },
                s.writes.iter().sum::<usize>()
            ),
        ));
    }
}
