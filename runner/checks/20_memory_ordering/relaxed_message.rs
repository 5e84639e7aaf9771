// Hidden check for `relaxed_message`: under weak memory (loom), a receiver that sees the message sees the value
// sent, never the old one.
use super::*;
use conc_check::prelude::*;

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: try_recv() is None before send(42), Some(42) after",
            "스레드 하나: send(42) 전에는 try_recv()가 None, 후에는 Some(42)",
        ),
        || {
            let mailbox = Mailbox::new();
            assert!(
                mailbox.try_recv().is_none(),
                "{}",
                tr(
                    "try_recv() returned a message before anything was sent",
                    "아무것도 보내지 않았는데 try_recv()가 메시지를 돌려주었습니다"
                ),
            );
            mailbox.send(42);
            let got = mailbox.try_recv();
            assert!(
                got == Some(42),
                "{} {got:?}",
                tr(
                    "after send(42), try_recv() should return Some(42), but returned",
                    "send(42) 후 try_recv()는 Some(42)를 돌려줘야 하는데, 돌려준 값:"
                ),
            );
        },
    );
    c.model(
        (
            "a sender sends 42 while a receiver tries once: it gets None or Some(42), never a stale value",
            "보내는 쪽이 42를 보내는 동안 받는 쪽이 한 번 시도: None 또는 Some(42), 옛 값은 절대 아님",
        ),
        || {
            let mailbox = Arc::new(Mailbox::new());
            let sender = thread::spawn({
                let mailbox = Arc::clone(&mailbox);
                move || mailbox.send(42)
            });
            let got = mailbox.try_recv();
            assert!(
                got.is_none() || got == Some(42),
                "{} {got:?}",
                tr(
                    "the receiver saw the message arrive, but not its contents: try_recv() returned",
                    "받는 쪽은 메시지가 온 것은 보았지만 그 내용은 보지 못했습니다: try_recv()가 돌려준 값:"
                ),
            );
            sender.join().unwrap();
        },
    );
}
