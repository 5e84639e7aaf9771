// Hidden check for `priority_mailbox`.
//
// requirement (header)                                         → check
// recv takes the highest priority number first (0 the lowest)  → 1 "b, d, a, c", 3 "120 messages", 5 "two receivers"
// equal priorities: the one sent first (not by text, not newest) → 2 "zebra, apple, mango", 3 "120 messages"
//   (more messages than std's small-sort threshold, sends and receives mixed, so an unstable sort shows)
// recv waits while the mailbox is empty                         → 4 "two receivers wait", spurious wake-ups included
// every message is delivered once, with its priority            → 4 "two receivers wait"
// recv takes the message as one step under the lock             → 5 "two receivers race on a full mailbox": what is
//   (two receivers at once never take the same one, nor skip one)    left afterwards is exactly the tail of the order
use super::*;
use conc_check::prelude::*;

fn received(mailbox: &PriorityMailbox, n: usize) -> Vec<(u32, String)> {
    (0..n).map(|_| mailbox.recv()).collect()
}

fn expect_order(got: Vec<(u32, String)>, expected: &[(u32, &str)]) {
    let got: Vec<(u32, &str)> = got.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert!(
        got == expected,
        "{}",
        trf!(
            "expected {expected:?}, received {got:?}. Highest priority number first (0 is the lowest), and among \
             equal priorities the one sent first.",
            "기대한 순서: {expected:?}, 받은 순서: {got:?}. 우선순위 숫자가 가장 큰 것부터 받고(0이 가장 낮음), \
             우선순위가 같으면 먼저 보낸 것부터 받습니다.",
        )
    );
}

/// The rule, written plainly: the message of the highest priority, of those the one sent first.
fn take_by_rule(waiting: &mut Vec<(u32, String)>) -> (u32, String) {
    let highest = waiting.iter().map(|(p, _)| *p).max().expect("not empty");
    let index = waiting
        .iter()
        .position(|(p, _)| *p == highest)
        .expect("present");
    waiting.remove(index)
}

/// The order in which `sent` must come out when nothing else is sent meanwhile.
fn rule_order(sent: &[(u32, &str)]) -> Vec<(u32, String)> {
    let mut waiting: Vec<(u32, String)> = sent.iter().map(|(p, t)| (*p, t.to_string())).collect();
    (0..sent.len())
        .map(|_| take_by_rule(&mut waiting))
        .collect()
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
            "같은 우선순위는 보낸 순서를 지킴: zebra, apple, mango, 그리고 그보다 먼저 급한 것 하나",
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
            "120 messages of priorities 0 to 2, sends and receives mixed: each comes out when the rule says",
            "우선순위 0~2의 메시지 120개, 보내기와 받기를 섞음: 모두 규칙이 정한 때에 나옴",
        ),
        || {
            let mailbox = PriorityMailbox::new();
            let mut waiting: Vec<(u32, String)> = Vec::new();
            let mut got = Vec::new();
            let mut expected = Vec::new();
            // Texts in the reverse of their alphabetical order, priorities in an irregular pattern.
            for round in 0..3 {
                for i in 0..40 {
                    let n = round * 40 + i;
                    let priority = [0, 1, 0, 2, 1, 0, 0, 1][n % 8];
                    let text = format!("m{:03}", 999 - n);
                    mailbox.send(priority, &text);
                    waiting.push((priority, text));
                }
                let take = if round < 2 { 25 } else { waiting.len() };
                for _ in 0..take {
                    got.push(mailbox.recv());
                    expected.push(take_by_rule(&mut waiting));
                }
            }
            let first_wrong = got.iter().zip(&expected).position(|(g, e)| g != e);
            if let Some(i) = first_wrong {
                let (n, g, e) = (i + 1, &got[i], &expected[i]);
                panic!(
                    "{}",
                    trf!(
                        "receive number {n} returned {g:?}, but by the rule it is {e:?} (highest priority \
                         first; equal priorities in the order sent).",
                        "{n}번째 받기가 돌려준 값은 {g:?}이지만 규칙대로라면 {e:?}입니다 (우선순위가 가장 큰 것부터, \
                         같으면 보낸 순서대로).",
                    )
                );
            }
        },
    )
    .executions(1);
    c.model(
        (
            "two receivers wait on the empty mailbox while two senders send two each: every message arrives once, \
             with its priority",
            "두 받는 쪽이 빈 우편함에서 기다리는 동안 두 보내는 쪽이 둘씩 보냄: 모든 메시지가 한 번씩, 제 우선순위로 도착",
        ),
        || {
            let mailbox = Arc::new(PriorityMailbox::new());
            let receivers: Vec<_> = (0..2)
                .map(|_| {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || received(&mailbox, 2))
                })
                .collect();
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
            let mut all = Vec::new();
            for receiver in receivers {
                let got = receiver.join().unwrap();
                let pos = |t: &str| got.iter().position(|(_, x)| x == t);
                for (a, b) in [("s-low", "s-low-2"), ("m-high", "m-high-2")] {
                    if let (Some(a_at), Some(b_at)) = (pos(a), pos(b)) {
                        assert!(
                            a_at < b_at,
                            "{} {got:?}",
                            tr(
                                "one receiver got two messages of equal priority from one sender out of the order \
                                 sent:",
                                "한 받는 쪽이 한 보내는 쪽의 같은 우선순위 메시지 둘을 보낸 순서와 다르게 받았습니다:"
                            )
                        );
                    }
                }
                all.extend(got);
            }
            for t in ["s-low", "s-low-2", "m-high", "m-high-2"] {
                let times = all.iter().filter(|(_, x)| x == t).count();
                assert!(
                    times == 1,
                    "{}",
                    trf!(
                        "{t:?} was received {times} times (it was sent once); the receivers got {all:?}",
                        "{t:?} 메시지를 {times}번 받았습니다 (한 번 보냄). 받는 쪽들이 받은 것: {all:?}"
                    )
                );
            }
            for (p, t) in &all {
                let expected = if t.starts_with("m-") { 4 } else { 1 };
                assert!(
                    *p == expected,
                    "{}",
                    trf!(
                        "{t:?} came with priority {p}, but was sent with {expected}",
                        "{t:?} 메시지의 우선순위가 받을 때는 {p}, 보낼 때는 {expected}입니다"
                    )
                );
            }
        },
    )
    .executions(2_000);
    c.model(
        (
            "two receivers race on a mailbox of five messages, one each: they get the top two, and the other three \
             come out in order",
            "메시지 다섯 개가 든 우편함에서 두 받는 쪽이 하나씩 경쟁: 둘은 맨 앞 두 개를 받고, 나머지 셋은 순서대로 나옴",
        ),
        || {
            let sent = [(1, "a"), (5, "b"), (1, "c"), (3, "d"), (1, "e")];
            let order = rule_order(&sent);
            let mailbox = Arc::new(PriorityMailbox::new());
            for (p, t) in sent {
                mailbox.send(p, t);
            }
            let receivers: Vec<_> = (0..2)
                .map(|_| {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || mailbox.recv())
                })
                .collect();
            let mut first_two: Vec<(u32, String)> =
                receivers.into_iter().map(|r| r.join().unwrap()).collect();
            first_two.sort_by(|x, y| y.0.cmp(&x.0));
            let top = &order[..2];
            assert!(
                first_two == order[..2],
                "{}",
                trf!(
                    "two receivers at once got {first_two:?}; the two most urgent were {top:?}. Each recv must find \
                     and take its message in one step under the lock.",
                    "두 받는 쪽이 동시에 받은 것은 {first_two:?}이고, 가장 급한 둘은 {top:?}입니다. recv는 잠금을 쥔 채 \
                     한 번에 찾고 꺼내야 합니다.",
                )
            );
            let tail: Vec<(u32, &str)> = order[2..].iter().map(|(p, t)| (*p, t.as_str())).collect();
            expect_order(received(&mailbox, 3), &tail);
        },
    )
    .executions(1_000);
}
