//! Concurrency mutation operators: small, plausible changes to a correct program that a good check must notice.
//!
//! Each operator finds its place on the syntax tree (`syn`), then changes the source text at the spans of the
//! nodes it matched, so a mutant keeps the file's formatting and comments and reads as a small diff. A mutant that
//! does not compile is "stillborn" and does not count; one whose check still passes "survived", and is either
//! equivalent (listed with a reason in the exercise's `gate.toml`) or a gap in the check.
//!
//! A mutant's id is `operator:function#n` (the n-th place in that function where the operator applies), so it
//! stays the same when unrelated code moves.

mod operators;
mod text;

use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashSet};

/// One operator of the catalogue.
pub struct Operator {
    pub name: &'static str,
    pub what: &'static str,
}

/// The catalogue, in the order mutants are reported.
pub const OPERATORS: &[Operator] = &[
    Operator {
        name: "while_to_if",
        what: "`while` → `if` around a condition-variable wait",
    },
    Operator {
        name: "wait_while_to_wait",
        what: "`wait_while(g, cond)` → a single `wait(g)`",
    },
    Operator {
        name: "notify_all_to_one",
        what: "`notify_all` → `notify_one`",
    },
    Operator {
        name: "delete_notify",
        what: "a `notify_*` deleted",
    },
    Operator {
        name: "notify_earlier",
        what: "a notify moved before the statement above it (the state change it announces)",
    },
    Operator {
        name: "split_section",
        what: "a critical section split in two: the guard dropped and the lock taken again between two statements",
    },
    Operator {
        name: "move_out_of_guard",
        what: "a statement moved out of the guard's scope (after the guard is dropped)",
    },
    Operator {
        name: "drop_guard_early",
        what: "a guard dropped one statement earlier",
    },
    Operator {
        name: "hold_across_blocking",
        what: "a guard's `drop` deleted: it is held to the end of its scope, across what follows",
    },
    Operator {
        name: "swap_lock_order",
        what: "two locks taken in the other order",
    },
    Operator {
        name: "lock_to_try_lock",
        what: "`lock()` → `try_lock()` that gives up (returns) when the lock is busy",
    },
    Operator {
        name: "weaken_ordering",
        what: "an atomic `Ordering` weakened one step",
    },
    Operator {
        name: "rmw_to_load_store",
        what: "a `fetch_*`/`swap`/`compare_exchange` → a `load` followed by a `store`",
    },
    Operator {
        name: "loop_once",
        what: "a retry loop (CAS, swap, try_lock, read, recv) runs once",
    },
    Operator {
        name: "delete_count",
        what: "a counter's increment or decrement deleted",
    },
    Operator {
        name: "double_count",
        what: "a counter's increment or decrement done twice",
    },
    Operator {
        name: "flip_boundary",
        what: "`>=` ↔ `>` or `<=` ↔ `<` in a wait condition",
    },
    Operator {
        name: "delete_drop",
        what: "a `drop`/`close` of a pipe end, file or value deleted",
    },
    Operator {
        name: "delete_wait_join",
        what: "a `wait()`/`join()` of a child or thread deleted",
    },
    Operator {
        name: "delete_unlink",
        what: "an `unlink`/`remove_file`/`mq_unlink` deleted",
    },
    Operator {
        name: "swap_open",
        what: "two `open` calls in the other order",
    },
    Operator {
        name: "split_write_all",
        what: "one `write_all` of a record → two writes",
    },
    Operator {
        name: "delete_sync",
        what: "a `sync_all`/`sync_data`/`fsync` deleted",
    },
    Operator {
        name: "delete_shutdown",
        what: "a `shutdown` deleted",
    },
    Operator {
        name: "read_once",
        what: "`read_to_end`/`read_to_string` → one `read`",
    },
];

/// What to mutate.
#[derive(Clone, Copy, Default)]
pub struct Options {
    /// Leave `fn main` alone: in thread exercises it is the learner's demo, which no check runs, so every
    /// mutant there would survive without telling anything.
    pub skip_main: bool,
}

/// One mutant of a file.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// `operator:function#n`.
    pub id: String,
    pub operator: &'static str,
    /// 1-based line of the first change.
    pub line: usize,
    /// The changed lines, before and after (for a report).
    pub before: String,
    pub after: String,
    /// The whole mutated file.
    pub source: String,
}

/// A change found by an operator: edits of the original text, in any order, not overlapping.
pub(crate) struct Found {
    pub operator: &'static str,
    pub function: String,
    pub edits: Vec<text::Edit>,
}

/// Every mutant of `source`, each distinct from the original and from the others (the first operator that makes
/// a given text keeps it).
pub fn mutants(source: &str, options: Options) -> Result<Vec<Mutant>> {
    let file = syn::parse_file(source).context("the file does not parse")?;
    let lines = text::Lines::new(source);
    let found = operators::find(&file, &lines, options);
    let mut seen: HashSet<String> = HashSet::from([source.to_string()]);
    let mut counters: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut out = Vec::new();
    for f in found {
        let n = counters
            .entry((f.function.clone(), f.operator))
            .or_default();
        *n += 1;
        let id = format!("{}:{}#{}", f.operator, f.function, n);
        let Some(mutated) = text::apply(source, &f.edits) else {
            continue;
        };
        if !seen.insert(mutated.clone()) {
            continue;
        }
        let first = f.edits.iter().map(|e| e.start).min().unwrap_or(0);
        let line = source[..first].matches('\n').count() + 1;
        let (before, after) = text::changed_lines(source, &mutated);
        out.push(Mutant {
            id,
            operator: f.operator,
            line,
            before,
            after,
            source: mutated,
        });
    }
    let order = |m: &Mutant| OPERATORS.iter().position(|o| o.name == m.operator);
    out.sort_by_key(|m| (order(m), m.line));
    Ok(out)
}

#[cfg(test)]
mod tests;
