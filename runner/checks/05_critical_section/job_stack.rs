// Hidden check for `job_stack`.
//
// | requirement (header)                                                  | check                                |
// |-----------------------------------------------------------------------|--------------------------------------|
// | `push` adds on top; `pop` takes the top, `None` when empty            | 1                                    |
// | every job goes to exactly one worker                                  | 2, 3, 4 (three poppers, two jobs)    |
// | `None` only when the stack is empty                                   | 2, 4 (exactly one of three gets None)|
// | `push` and `pop` at once                                              | 3, 5 (two pushers beside two poppers)|
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn stack_of(jobs: &[u32]) -> Arc<JobStack> {
    let stack = Arc::new(JobStack::new());
    for &job in jobs {
        stack.push(job);
    }
    stack
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: pop returns the jobs last-in first-out, then None",
            "스레드 하나: pop은 나중에 넣은 것부터 돌려주고, 그다음 None",
        ),
        || {
            let stack = stack_of(&[1, 2]);
            let got = [stack.pop(), stack.pop(), stack.pop()];
            assert!(
                got == [Some(2), Some(1), None],
                "{}",
                msg(
                    format!("after push(1), push(2), three pops returned {got:?}; expected [Some(2), Some(1), None]"),
                    format!(
                        "push(1), push(2) 뒤에 pop 세 번의 결과가 {got:?}입니다. 기대한 값은 [Some(2), Some(1), None]"
                    ),
                )
            );
        },
    );
    c.model(
        (
            "two workers pop from [1, 2] at once: each gets a different job, none is left",
            "두 작업자가 [1, 2]에서 동시에 pop: 서로 다른 작업을 하나씩 받고, 남는 것 없음",
        ),
        || {
            let stack = stack_of(&[1, 2]);
            let other = thread::spawn({
                let stack = Arc::clone(&stack);
                move || stack.pop()
            });
            let mine = stack.pop();
            let theirs = other.join().unwrap();
            assert!(
                mine.is_some() && theirs.is_some(),
                "{}",
                msg(
                    format!("the stack held two jobs, yet a worker got None (the two pops returned {mine:?} and {theirs:?})"),
                    format!("스택에 작업이 둘 있었는데 한 작업자가 None을 받았습니다 (두 pop의 결과: {mine:?}, {theirs:?})"),
                )
            );
            assert!(
                mine != theirs,
                "{}",
                msg(
                    format!("both workers got job {}: the same job was handed out twice", mine.unwrap()),
                    format!("두 작업자가 모두 같은 작업({})을 받았습니다. 같은 작업이 두 번 나갔습니다", mine.unwrap()),
                )
            );
            let left = stack.len();
            assert!(
                left == 0,
                "{}",
                msg(
                    format!("two jobs were popped from two, but {left} job(s) are still on the stack"),
                    format!("둘 중 두 작업을 꺼냈는데 스택에 아직 {left}개가 남아 있습니다"),
                )
            );
        },
    );
    c.model(
        (
            "one worker pushes 3 while another pops from [1]: each job ends up popped or on the stack, once",
            "한 작업자가 3을 push하는 동안 다른 작업자가 [1]에서 pop: 모든 작업이 꺼내졌거나 스택에 있음, 한 번씩",
        ),
        || {
            let stack = stack_of(&[1]);
            let pusher = thread::spawn({
                let stack = Arc::clone(&stack);
                move || stack.push(3)
            });
            let popped = stack.pop();
            pusher.join().unwrap();
            let mut seen: Vec<u32> = popped.into_iter().collect();
            while let Some(job) = stack.pop() {
                seen.push(job);
            }
            seen.sort();
            assert!(
                seen == [1, 3],
                "{}",
                msg(
                    format!("jobs 1 and 3 must each be popped exactly once; all pops together returned {seen:?}"),
                    format!("작업 1과 3은 각각 정확히 한 번 꺼내져야 합니다. 모든 pop의 결과를 합치면 {seen:?}입니다"),
                )
            );
        },
    );
    c.model(
        (
            "three workers pop from [1, 2] at once: two get jobs 1 and 2, exactly one gets None",
            "세 작업자가 [1, 2]에서 동시에 pop: 둘은 작업 1과 2를, 정확히 하나는 None을 받음",
        ),
        || {
            let stack = stack_of(&[1, 2]);
            let others: Vec<_> = (0..2)
                .map(|_| {
                    let stack = Arc::clone(&stack);
                    thread::spawn(move || stack.pop())
                })
                .collect();
            let mut got = vec![stack.pop()];
            got.extend(others.into_iter().map(|o| o.join().unwrap()));
            let mut sorted = got.clone();
            sorted.sort();
            assert!(
                sorted == [None, Some(1), Some(2)],
                "{}",
                msg(
                    format!("three pops from [1, 2] at once returned {got:?}; expected 1, 2 and one None"),
                    format!("[1, 2]에서 동시에 pop 세 번의 결과가 {got:?}입니다. 1, 2, 그리고 None 하나여야 합니다"),
                )
            );
        },
    );
    c.model(
        (
            "two workers push 3 and 4 while two others pop from [1]: every job is popped or left, exactly once",
            "두 작업자가 3과 4를 push하는 동안 다른 둘이 [1]에서 pop: 모든 작업이 꺼내졌거나 남음, 정확히 한 번",
        ),
        || {
            let stack = stack_of(&[1]);
            let pushers: Vec<_> = [3, 4]
                .into_iter()
                .map(|job| {
                    let stack = Arc::clone(&stack);
                    thread::spawn(move || stack.push(job))
                })
                .collect();
            let popper = thread::spawn({
                let stack = Arc::clone(&stack);
                move || stack.pop()
            });
            let mut seen: Vec<u32> = stack.pop().into_iter().collect();
            seen.extend(popper.join().unwrap());
            for pusher in pushers {
                pusher.join().unwrap();
            }
            while let Some(job) = stack.pop() {
                seen.push(job);
            }
            seen.sort();
            assert!(
                seen == [1, 3, 4],
                "{}",
                msg(
                    format!("jobs 1, 3 and 4 must each be popped exactly once; all pops together returned {seen:?}"),
                    format!("작업 1, 3, 4는 각각 정확히 한 번 꺼내져야 합니다. 모든 pop의 결과를 합치면 {seen:?}입니다"),
                )
            );
        },
    );
}
