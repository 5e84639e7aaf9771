// Hidden check for `priority_mailbox`: the highest priority number comes out first, equal priorities in the order
// they were sent (with texts whose alphabetical order differs from it), and a receiver that waits on an empty
// mailbox gets every message, in an order the rule allows, in every interleaving.
use super::*;
use conc_check::prelude::*;

fn received(mailbox: &PriorityMailbox, n: usize) -> Vec<(u32, String)> {
    (0..n).map(|_| mailbox.recv()).collect()
}

fn expect_order(got: Vec<(u32, String)>, expected: &[(u32, &str)]) {
    let got: Vec<(u32, &str)> = got.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert!(
        got == expected,
        "{} {expected:?}, {} {got:?}. {}",
        tr("expected", "기대한 순서는"),
        tr("received", "받은 순서는"),
        tr(
            "Highest priority number first (0 is the lowest), and among equal priorities the one sent first.",
            "우선순위 숫자가 가장 큰 것부터 (0이 가장 낮음), 우선순위가 같으면 먼저 보낸 것부터입니다.",
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "sent (1, a), (5, b), (1, c), (3, d): received b, d, a, c",
            "(1, a), (5, b), (1, c), (3, d)를 보냄: b, d, a, c 순서로 받음",
        ),
        || {
            let mailbox = PriorityMailbox::new();
            for (p, t) in [(1, "a"), (5, "b"), (1, "c"), (3, "d")] {
                mailbox.send(p, t);
            }
            expect_order(
                received(&mailbox, 4),
                &[(5, "b"), (3, "d"), (1, "a"), (1, "c")],
            );
        },
    )
    .executions(5);
    c.model(
        (
            "equal priorities keep the order of sending: zebra, apple, mango — and an urgent one before them",
            "같은 우선순위는 보낸 순서를 지킴: zebra, apple, mango — 그리고 그보다 먼저 급한 것 하나",
        ),
        || {
            let mailbox = PriorityMailbox::new();
            for (p, t) in [(2, "zebra"), (2, "apple"), (7, "urgent"), (2, "mango"), (0, "later")] {
                mailbox.send(p, t);
            }
            expect_order(
                received(&mailbox, 5),
                &[(7, "urgent"), (2, "zebra"), (2, "apple"), (2, "mango"), (0, "later")],
            );
        },
    )
    .executions(5);
    c.model(
        (
            "a receiver waits on the empty mailbox while two senders send: all four arrive, each sender's in a \
             permitted order",
            "받는 쪽이 빈 우편함에서 기다리는 동안 두 보내는 쪽이 보냄: 넷 모두 도착하고, 보내는 쪽마다 규칙에 맞는 순서",
        ),
        || {
            let mailbox = Arc::new(PriorityMailbox::new());
            let receiver = thread::spawn({
                let mailbox = Arc::clone(&mailbox);
                move || received(&mailbox, 4)
            });
            let sender = thread::spawn({
                let mailbox = Arc::clone(&mailbox);
                move || {
                    mailbox.send(1, "s-low");
                    mailbox.send(1, "s-low-2");
                }
            });
            mailbox.send(4, "m-high");
            mailbox.send(4, "m-high-2");
            sender.join().unwrap();
            let got = receiver.join().unwrap();
            let pos = |t: &str| got.iter().position(|(_, x)| x == t);
            for t in ["s-low", "s-low-2", "m-high", "m-high-2"] {
                assert!(
                    pos(t).is_some(),
                    "{t:?} {}: {got:?}",
                    tr("was never received", "을(를) 끝내 받지 못했습니다")
                );
            }
            assert!(
                pos("s-low") < pos("s-low-2") && pos("m-high") < pos("m-high-2"),
                "{} {got:?}",
                tr(
                    "messages of equal priority from one sender must come in the order sent; received",
                    "한 보내는 쪽의 같은 우선순위 메시지는 보낸 순서대로 와야 합니다; 받은 것은"
                )
            );
            for (p, t) in &got {
                let expected = if t.starts_with("m-") { 4 } else { 1 };
                assert!(
                    *p == expected,
                    "{t:?} {} {p}, {} {expected}",
                    tr("came with priority", "의 우선순위가"),
                    tr("but was sent with", "인데 보낸 우선순위는")
                );
            }
        },
    )
    .executions(2_000);
}
