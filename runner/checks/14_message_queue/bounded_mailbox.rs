// Hidden check for `bounded_mailbox`.
//
// requirement (header)                                          → check
// messages are copies: reusing the buffer after send is safe     → 1 "one buffer reused"
// a full mailbox never drops a message: send waits for room      → 2 "capacity 1", 4 "capacity 2, two and two"
// it holds at most `capacity` messages                           → 3 "capacity 1", 4 "capacity 2" (len after each send)
// recv takes the oldest, waiting while empty (spurious wake-ups)  → 1, 2, 4 (each sender's messages in order)
// two receivers and two senders at once: every message once      → 4 "capacity 2, two and two"
// len() counts the waiting messages                              → 5 "len"
use super::*;
use conc_check::prelude::*;

fn buffer(text: &str) -> Buffer {
    Arc::new(Mutex::new(text.to_string()))
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "the sender reuses one buffer: `first`, then `second`; the receiver gets `first`, then `second`",
            "보내는 쪽이 버퍼 하나를 다시 씀: `first`, 그다음 `second`; 받는 쪽은 `first`, 그다음 `second`를 받음",
        ),
        || {
            let mailbox = Arc::new(Mailbox::new(4));
            let sender = thread::spawn({
                let mailbox = Arc::clone(&mailbox);
                move || {
                    let buf = buffer("first");
                    mailbox.send(&buf);
                    *buf.lock().unwrap() = "second".to_string();
                    mailbox.send(&buf);
                }
            });
            let first = mailbox.recv();
            assert!(
                first == "first",
                "{} {first:?}: {}",
                tr(
                    "the first message received was",
                    "처음 받은 메시지가",
                ),
                tr(
                    "the sender had written `second` into its buffer since, and the mailbox holds a handle to that \
                     buffer rather than a copy of the message. A message queue must copy the message when it is sent.",
                    "보낸 뒤 보내는 쪽이 버퍼에 `second`를 썼는데, 우편함은 메시지의 사본이 아니라 그 버퍼의 핸들을 들고 \
                     있습니다. 메시지 큐는 보낼 때 메시지를 복사해야 합니다.",
                )
            );
            let second = mailbox.recv();
            sender.join().unwrap();
            assert!(
                second == "second",
                "{} {second:?}",
                tr("the second message received was", "두 번째로 받은 메시지가")
            );
        },
    );
    c.model(
        (
            "capacity 1: `one` then `two` are sent while the receiver takes its first message: it is `one`",
            "용량 1: 받는 쪽이 첫 메시지를 꺼내는 동안 `one`, `two`가 보내짐: 첫 메시지는 `one`",
        ),
        || {
            let mailbox = Arc::new(Mailbox::new(1));
            let sender = thread::spawn({
                let mailbox = Arc::clone(&mailbox);
                move || {
                    mailbox.send(&buffer("one"));
                    mailbox.send(&buffer("two"));
                }
            });
            let first = mailbox.recv();
            assert!(
                first == "one",
                "{} {first:?}: {}",
                tr("the first message received was", "처음 받은 메시지가"),
                tr(
                    "`one` was thrown away to make room for `two`. A bounded queue must not lose messages: a send \
                     into a full queue waits until a receiver makes room.",
                    "`two`의 자리를 만들려고 `one`이 버려졌습니다. 크기가 정해진 큐는 메시지를 잃으면 안 됩니다. 가득 찬 큐에 \
                     보내는 쪽은 받는 쪽이 자리를 낼 때까지 기다립니다.",
                )
            );
            let second = mailbox.recv();
            sender.join().unwrap();
            assert!(
                second == "two",
                "{} {second:?}",
                tr("the second message received was", "두 번째로 받은 메시지가")
            );
        },
    );
    c.model(
        (
            "two senders, two messages each, capacity 1: all four arrive, and the mailbox never holds more than 1",
            "보내는 쪽 둘이 두 개씩, 용량 1: 넷 모두 도착하고, 우편함에는 한 번도 1개보다 많이 들어 있지 않음",
        ),
        || {
            let mailbox = Arc::new(Mailbox::new(1));
            let senders: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|who| {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || {
                        for i in 0..2 {
                            mailbox.send(&buffer(&format!("{who}{i}")));
                            let len = mailbox.len();
                            assert!(
                                len <= 1,
                                "{} {len} {}",
                                tr("the mailbox of capacity 1 held", "용량 1인 우편함에 메시지가"),
                                tr(
                                    "messages: a sender that woke up did not check again whether there was room",
                                    "개 들어 있었습니다. 깨어난 보내는 쪽이 자리가 있는지 다시 확인하지 않았습니다",
                                )
                            );
                        }
                    })
                })
                .collect();
            let mut got: Vec<String> = (0..4).map(|_| mailbox.recv()).collect();
            for sender in senders {
                sender.join().unwrap();
            }
            let a: Vec<&String> = got.iter().filter(|m| m.starts_with('a')).collect();
            assert!(
                a == ["a0", "a1"],
                "{} {got:?}",
                tr(
                    "each sender's messages must arrive in the order it sent them; received",
                    "보내는 쪽마다 보낸 순서대로 도착해야 합니다. 받은 것은"
                )
            );
            got.sort();
            assert!(
                got == ["a0", "a1", "b0", "b1"],
                "{} {got:?}",
                tr("expected a0, a1, b0, b1; received", "a0, a1, b0, b1이어야 하는데 받은 것은")
            );
        },
    )
    .executions(3_000);
    c.model(
        (
            "capacity 2, two senders send three each while two receivers take three each: every message arrives \
             once, and the mailbox never holds more than 2",
            "용량 2, 보내는 쪽 둘이 세 개씩 보내고 받는 쪽 둘이 세 개씩 꺼냄: 모든 메시지가 한 번씩 도착하고, 우편함에는 \
             한 번도 2개보다 많이 들어 있지 않음",
        ),
        || {
            let mailbox = Arc::new(Mailbox::new(2));
            let senders: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|who| {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || {
                        // One buffer per sender, reused for every message.
                        let buf = buffer("");
                        for i in 0..3 {
                            *buf.lock().unwrap() = format!("{who}{i}");
                            mailbox.send(&buf);
                            let len = mailbox.len();
                            assert!(
                                len <= 2,
                                "{}",
                                trf!(
                                    "the mailbox of capacity 2 held {len} messages: a send must wait while it is \
                                     full, and check again after every wake-up",
                                    "용량 2인 우편함에 메시지가 {len}개 들어 있었습니다. 가득 차 있는 동안 send는 \
                                     기다리고, 깨어날 때마다 다시 확인해야 합니다",
                                )
                            );
                        }
                    })
                })
                .collect();
            let receivers: Vec<_> = (0..2)
                .map(|_| {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || (0..3).map(|_| mailbox.recv()).collect::<Vec<String>>())
                })
                .collect();
            for sender in senders {
                sender.join().unwrap();
            }
            let mut all = Vec::new();
            for receiver in receivers {
                let got = receiver.join().unwrap();
                for who in ["a", "b"] {
                    let mine: Vec<&String> = got.iter().filter(|m| m.starts_with(who)).collect();
                    let mut sorted = mine.clone();
                    sorted.sort();
                    assert!(
                        mine == sorted,
                        "{}",
                        trf!(
                            "one receiver got {got:?}: one sender's messages out of the order sent",
                            "한 받는 쪽이 받은 메시지는 {got:?}입니다. 한 보내는 쪽의 메시지가 보낸 순서와 다릅니다",
                        )
                    );
                }
                all.extend(got);
            }
            all.sort();
            assert!(
                all == ["a0", "a1", "a2", "b0", "b1", "b2"],
                "{}",
                trf!(
                    "the receivers got {all:?} between them; expected a0, a1, a2, b0, b1, b2, each once",
                    "받는 쪽들이 모두 합쳐 받은 것은 {all:?}입니다. a0, a1, a2, b0, b1, b2를 한 번씩 받아야 합니다",
                )
            );
        },
    )
    .executions(1_000);
    c.model(
        (
            "len: 0 when new, 3 after three sends into a mailbox of 3, 2 after one recv, 0 at the end",
            "len: 처음엔 0, 용량 3인 우편함에 세 번 보낸 뒤 3, 한 번 받은 뒤 2, 끝에 0",
        ),
        || {
            let mailbox = Mailbox::new(3);
            let mut lens = vec![mailbox.len()];
            for text in ["x", "y", "z"] {
                mailbox.send(&buffer(text));
            }
            lens.push(mailbox.len());
            let first = mailbox.recv();
            lens.push(mailbox.len());
            let rest = [mailbox.recv(), mailbox.recv()];
            lens.push(mailbox.len());
            assert!(
                lens == [0, 3, 2, 0] && first == "x" && rest == ["y", "z"],
                "{}",
                trf!(
                    "len() gave {lens:?} (expected [0, 3, 2, 0]) and recv gave {first:?} then {rest:?} (expected \
                     x, then y, z)",
                    "len()이 {lens:?}(기대값 [0, 3, 2, 0]), recv가 {first:?} 다음 {rest:?}(기대값 x, 그다음 y, z)를 \
                     돌려주었습니다",
                )
            );
        },
    )
    .executions(5);
}
