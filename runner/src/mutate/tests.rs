//! Each operator, applied to a small fixture, produces the expected mutant.

use super::*;

fn all(source: &str) -> Vec<Mutant> {
    mutants(source, Options::default()).expect("fixture parses")
}

/// The mutants one operator makes, as the changed lines after the change.
fn made(source: &str, operator: &str) -> Vec<String> {
    all(source)
        .into_iter()
        .filter(|m| m.operator == operator)
        .map(|m| m.after)
        .collect()
}

const SEMAPHORE: &str = r#"
impl Semaphore {
    pub fn wait(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    pub fn signal(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        self.available.notify_all();
    }
}
"#;

const WAIT_WHILE: &str = r#"
fn take(&self, n: usize) {
    let stock = self.stock.lock().unwrap();
    let mut stock = self.more.wait_while(stock, |s| *s < n).unwrap();
    *stock -= n;
}
"#;

const TRANSFER: &str = r#"
fn transfer(a: &Mutex<u32>, b: &Mutex<u32>) {
    let mut from = a.lock().unwrap();
    let mut to = b.lock().unwrap();
    *from -= 1;
    *to += 1;
    drop(to);
    drop(from);
    slow();
}
"#;

const ORDERINGS: &str = r#"
fn f(x: &AtomicUsize, flag: &AtomicBool) {
    flag.store(true, Ordering::Release);
    while !flag.load(Ordering::Acquire) {}
    x.fetch_add(1, Ordering::AcqRel);
    let _ = x.compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst);
}
"#;

const HIT: &str = r#"
fn hit(&self) {
    self.hits.fetch_add(1, Ordering::Relaxed);
}
"#;

const CAS_LOOP: &str = r#"
fn lock(&self) {
    while self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        thread::yield_now();
    }
    loop {
        if self.other.swap(true, Ordering::Acquire) == false { break; }
    }
}
"#;

const PROCESS: &str = r#"
fn main() -> std::io::Result<()> {
    let a = File::open("a")?;
    let b = File::open("b")?;
    let mut child = Command::new("x").spawn()?;
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"record\n")?;
    drop(input);
    let mut text = String::new();
    child.stdout.take().unwrap().read_to_string(&mut text)?;
    child.wait()?;
    file.sync_all()?;
    stream.shutdown(Shutdown::Write)?;
    std::fs::remove_file("fifo")?;
    Ok(())
}
"#;

#[test]
fn while_becomes_if_around_a_wait() {
    assert_eq!(made(SEMAPHORE, "while_to_if"), ["if *permits == 0 {"]);
}

#[test]
fn notify_all_becomes_notify_one_or_is_deleted_or_moves_up() {
    assert_eq!(
        made(SEMAPHORE, "notify_all_to_one"),
        ["self.available.notify_one();"]
    );
    assert_eq!(made(SEMAPHORE, "delete_notify"), [""]);
    assert_eq!(
        made(SEMAPHORE, "notify_earlier"),
        ["self.available.notify_all(); ⏎ *permits += 1;"]
    );
}

#[test]
fn counts_are_deleted_and_doubled() {
    assert_eq!(made(SEMAPHORE, "delete_count"), ["", ""]);
    assert_eq!(
        made(SEMAPHORE, "double_count"),
        [
            "*permits -= 1; *permits -= 1;",
            "*permits += 1; *permits += 1;"
        ]
    );
}

#[test]
fn a_section_is_split_and_the_lock_taken_again() {
    // Between the wait loop and the decrement: the classic check-then-act gap.
    assert_eq!(
        made(SEMAPHORE, "split_section"),
        ["} drop(permits); let mut permits = self.permits.lock().unwrap();"]
    );
}

#[test]
fn lock_becomes_a_try_lock_that_gives_up() {
    assert!(
        made(SEMAPHORE, "lock_to_try_lock").contains(
            &"let Ok(mut permits) = self.permits.try_lock() else { return Default::default(); };"
                .to_string()
        )
    );
}

#[test]
fn a_statement_moves_out_of_the_guard() {
    assert_eq!(
        made(SEMAPHORE, "move_out_of_guard"),
        ["drop(permits); self.available.notify_all();"]
    );
}

#[test]
fn wait_while_becomes_one_wait_and_its_boundary_flips() {
    let src = WAIT_WHILE;
    assert_eq!(
        made(src, "wait_while_to_wait"),
        ["let mut stock = self.more.wait(stock).unwrap();"]
    );
    assert_eq!(
        made(src, "flip_boundary"),
        ["let mut stock = self.more.wait_while(stock, |s| *s <= n).unwrap();"]
    );
}

#[test]
fn two_locks_swap_order_and_a_guard_drop_is_moved_or_deleted() {
    let src = TRANSFER;
    assert_eq!(
        made(src, "swap_lock_order"),
        ["let mut to = b.lock().unwrap(); ⏎ let mut from = a.lock().unwrap();"]
    );
    assert!(made(src, "drop_guard_early").contains(&"drop(to); ⏎ *to += 1;".to_string()));
    assert_eq!(made(src, "hold_across_blocking").len(), 2);
}

#[test]
fn orderings_weaken_one_step_as_the_operation_allows() {
    let src = ORDERINGS;
    let weaker = made(src, "weaken_ordering");
    assert_eq!(
        weaker,
        [
            "flag.store(true, Ordering::Relaxed);",
            "while !flag.load(Ordering::Relaxed) {}",
            "x.fetch_add(1, Ordering::Acquire);",
            "x.fetch_add(1, Ordering::Release);",
            "let _ = x.compare_exchange(0, 1, Ordering::AcqRel, Ordering::SeqCst);",
            "let _ = x.compare_exchange(0, 1, Ordering::SeqCst, Ordering::Acquire);",
        ]
    );
}

#[test]
fn read_modify_writes_become_a_load_and_a_store() {
    let src = HIT;
    assert_eq!(
        made(src, "rmw_to_load_store"),
        [
            "{ let __old = self.hits.load(Ordering::SeqCst); self.hits.store(__old + (1), Ordering::SeqCst); __old };"
        ]
    );
}

#[test]
fn a_cas_loop_runs_once() {
    let src = CAS_LOOP;
    assert_eq!(
        made(src, "loop_once"),
        [
            "if self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {",
            "for _ in 0..1 {"
        ]
    );
}

#[test]
fn process_operators() {
    let src = PROCESS;
    assert_eq!(
        made(src, "swap_open"),
        [r#"let b = File::open("b")?; ⏎ let a = File::open("a")?;"#]
    );
    assert_eq!(
        made(src, "split_write_all"),
        [
            r#"{ let __bytes: &[u8] = AsRef::<[u8]>::as_ref(&(b"record\n")); let (__first, __rest) = __bytes.split_at(__bytes.len() / 2); input.write_all(__first).and_then(|()| input.write_all(__rest)) }?;"#
        ]
    );
    assert_eq!(made(src, "delete_drop"), [""]);
    assert_eq!(made(src, "delete_wait_join"), [""]);
    assert_eq!(made(src, "delete_sync"), [""]);
    assert_eq!(made(src, "delete_shutdown"), [""]);
    assert_eq!(made(src, "delete_unlink"), [""]);
    assert_eq!(made(src, "read_once").len(), 1);
}

#[test]
fn main_is_left_alone_when_asked_and_ids_name_the_function() {
    let src = "fn main() { c.notify_all(); }\nimpl Pool { fn put(&self) { c.notify_all(); c.notify_all(); } }\n";
    let ids: Vec<String> = mutants(src, Options { skip_main: true })
        .unwrap()
        .into_iter()
        .filter(|m| m.operator == "notify_all_to_one")
        .map(|m| m.id)
        .collect();
    assert_eq!(
        ids,
        [
            "notify_all_to_one:Pool::put#1",
            "notify_all_to_one:Pool::put#2"
        ]
    );
}

#[test]
fn every_mutant_differs_from_the_original_and_from_the_others() {
    let ms = all(SEMAPHORE);
    let texts: std::collections::HashSet<&str> = ms.iter().map(|m| m.source.as_str()).collect();
    assert_eq!(texts.len(), ms.len());
    assert!(!texts.contains(SEMAPHORE));
    assert!(ms.iter().all(|m| syn::parse_file(&m.source).is_ok()));
}

#[test]
fn every_operator_in_the_catalogue_is_exercised_by_a_fixture() {
    let fixtures = [
        SEMAPHORE, WAIT_WHILE, TRANSFER, ORDERINGS, HIT, CAS_LOOP, PROCESS,
    ];
    let used: std::collections::BTreeSet<&str> = fixtures
        .iter()
        .flat_map(|f| all(f))
        .map(|m| m.operator)
        .collect();
    let names: Vec<&str> = OPERATORS.iter().map(|o| o.name).collect();
    let missing: Vec<&&str> = names.iter().filter(|n| !used.contains(*n)).collect();
    assert!(missing.is_empty(), "no fixture for {missing:?}");
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "operator names are unique");
}
