// check_then_act — race condition (경쟁 상태)
//
// EN: A chat server hands out user names. `register(name, user)` claims `name` for `user` and returns `true` if
//     the name was free; if someone already has it, it returns `false` and the name keeps its first owner.
//     `owner(name)` says who has a name. Two people who pick the same name at the same moment can both be told
//     "it's yours": the check ("is it free?") and the act ("take it") are two separate critical sections, and
//     the other thread can run in between. Make claiming a name one indivisible step.
//
// KO: 채팅 서버가 사용자 이름을 나눠 줍니다. `register(name, user)`는 `name`이 비어 있으면 `user`의 것으로 만들고
//     `true`를 돌려줍니다. 이미 주인이 있으면 `false`를 돌려주고 이름은 처음 주인의 것으로 남습니다.
//     `owner(name)`은 이름의 주인을 알려 줍니다. 두 사람이 같은 순간에 같은 이름을 고르면 둘 다 "당신 것"이라는
//     답을 받을 수 있습니다. 확인("비어 있나?")과 행동("가져가기")이 서로 다른 두 임계 영역이고, 그 사이에 다른
//     스레드가 실행될 수 있기 때문입니다. 이름 차지하기를 나눌 수 없는 한 단계로 만드세요.
//
// Run it yourself: `cargo run -p exercises --bin check_then_act`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin check_then_act`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Who owns which user name.
pub struct Registry {
    owners: Mutex<HashMap<String, u32>>,
}

impl Registry {
    pub fn new() -> Self {
        Registry {
            owners: Mutex::new(HashMap::new()),
        }
    }

    /// Claims `name` for `user`: `true` if it was free and is now `user`'s, `false` if someone already had it.
    pub fn register(&self, name: &str, user: u32) -> bool {
        // One guard for the check and the insert: no other thread can take the lock in between.
        // The entry API does both in one lookup.
        let mut owners = self.owners.lock().unwrap();
        match owners.entry(name.to_string()) {
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(user);
                true
            }
        }
    }

    /// The user who owns `name`, if anyone does.
    pub fn owner(&self, name: &str) -> Option<u32> {
        self.owners.lock().unwrap().get(name).copied()
    }
}

fn main() {
    let registry = Arc::new(Registry::new());
    let people: Vec<_> = (1..=4)
        .map(|user| {
            let registry = Arc::clone(&registry);
            thread::spawn(move || (user, registry.register("neo", user)))
        })
        .collect();
    for person in people {
        let (user, won) = person.join().unwrap();
        println!(
            "user {user}: {}",
            if won {
                "got `neo`"
            } else {
                "was told it is taken"
            }
        );
    }
    println!(
        "`neo` belongs to {:?}; exactly one user should have been told they got it",
        registry.owner("neo")
    );
}
