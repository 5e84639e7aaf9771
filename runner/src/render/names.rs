//! Names for the locks, atomics and channels in a trace, read from the line of the learner's code that made
//! each one: `let counter = AtomicUsize::new(0)` is `counter`, `permits: Mutex::new(n)` is `permits`.

use conc_check::report::Trace;
use std::collections::HashMap;
use std::path::Path;

/// Source files read once each, by path relative to the workspace.
pub(super) struct Sources<'a> {
    root: &'a Path,
    files: HashMap<String, Option<Vec<String>>>,
}

impl<'a> Sources<'a> {
    pub(super) fn new(root: &'a Path) -> Self {
        Sources {
            root,
            files: HashMap::new(),
        }
    }

    /// Line `line` (from 1) of `file`, trimmed.
    pub(super) fn line(&mut self, file: &str, line: u32) -> Option<String> {
        let root = self.root;
        let lines = self.files.entry(file.to_string()).or_insert_with(|| {
            std::fs::read_to_string(root.join(file))
                .ok()
                .map(|s| s.lines().map(str::to_string).collect())
        });
        lines
            .as_ref()?
            .get((line as usize).checked_sub(1)?)
            .map(|l| l.trim().to_string())
    }
}

/// Names objects after the variable or field they were created for, read from the line that created them:
/// `let counter = AtomicUsize::new(0)` → `counter`; `permits: Mutex::new(n)` → `permits`.
pub(super) fn object_names(trace: &Trace, root: &Path) -> HashMap<usize, String> {
    let mut sources = Sources::new(root);
    // Objects made on one line in one go (`Bank { from: Mutex::new(..), to: Mutex::new(..) }`) are created in
    // source order: the k-th of a kind made at a line is its k-th constructor call there.
    let mut made_at: HashMap<(String, u32, String), usize> = HashMap::new();
    let mut names: Vec<String> = trace
        .objects
        .iter()
        .map(|o| {
            let line = sources
                .line(&o.created_at.file, o.created_at.line)
                .unwrap_or_default();
            let key = (o.created_at.file.clone(), o.created_at.line, o.kind.clone());
            let k = made_at.entry(key).or_default();
            let name = name_from_line(&line, &o.kind, *k).unwrap_or_else(|| o.kind.clone());
            *k += 1;
            name
        })
        .collect();
    // Several objects with one name (made in a loop, or by one constructor called twice): number them.
    let mut count: HashMap<String, usize> = HashMap::new();
    for n in &names {
        *count.entry(n.clone()).or_default() += 1;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in names.iter_mut() {
        if let Some(base) = n.strip_suffix("[]") {
            let k = seen.entry(n.clone()).or_default();
            *n = format!("{base}[{k}]");
            *k += 1;
        } else if count[n.as_str()] > 1 {
            let k = seen.entry(n.clone()).or_default();
            *k += 1;
            *n = format!("{n}#{k}");
        }
    }
    names.into_iter().enumerate().collect()
}

/// Objects made inside a closure or a `vec!` (`accounts: balances.iter().map(|&b| Mutex::new(b)).collect()`) are
/// the elements of the field or variable the line starts with: `accounts[]`, numbered from 0 by the caller.
fn collection_name(line: &str, call: usize) -> Option<String> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let head = &line[..call];
    if !(head.contains('|') || head.contains("vec!")) {
        return None;
    }
    let start = line.trim_start();
    let start = start
        .strip_prefix("let ")
        .map_or(start, |s| s.trim_start().strip_prefix("mut ").unwrap_or(s));
    let name: String = start.chars().take_while(|&c| is_ident(c)).collect();
    let rest = start[name.len()..].trim_start();
    let named = rest.starts_with(':') || rest.starts_with('=');
    (named && !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| format!("{name}[]"))
}

/// The name for the `nth` object of `kind` made on `line` (counting from 0; wraps around for a loop).
fn name_from_line(line: &str, kind: &str, nth: usize) -> Option<String> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    // Constructor calls: `Kind::new(..)`, `Kind::default()`, or for channels the function itself. A type
    // annotation (`Mutex<u32>`) is not one.
    let calls: Vec<usize> = line
        .match_indices(&format!("{kind}::"))
        .chain(line.match_indices(&format!("{kind}(")))
        .map(|(i, _)| i)
        .filter(|&i| !line[..i].ends_with(|c: char| is_ident(c)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let call = *calls.get(nth % calls.len().max(1))?;
    let ident_at_end = |s: &str| -> Option<String> {
        let start = s.trim_end_matches(is_ident).len();
        let name = &s[start..];
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| name.to_string())
    };
    // Peel the call's path and wrapping constructors: `Arc::new(conc::sync::Mutex::` → ``.
    let mut before = line[..call].trim_end();
    while let Some(b) = before
        .strip_suffix("::")
        .or_else(|| before.strip_suffix('('))
    {
        before = b.trim_end_matches(is_ident).trim_end();
    }
    if let Some(b) = before.strip_suffix(':') {
        return ident_at_end(b.trim_end());
    }
    let Some(b) = before.strip_suffix('=') else {
        return collection_name(line, call);
    };
    let b = b.trim_end();
    match b.rfind("let ") {
        Some(i) => {
            let after = b[i + 4..].trim_start();
            let after = after.strip_prefix("mut ").unwrap_or(after).trim_start();
            // `let (tx, rx) = mpsc::channel()`: one channel, both ends' names.
            if let Some(tuple) = after.strip_prefix('(') {
                let names: Vec<&str> = tuple
                    .split(')')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|n| n.trim().trim_start_matches("mut ").trim())
                    .filter(|n| !n.is_empty() && n.chars().all(is_ident))
                    .collect();
                return (!names.is_empty()).then(|| names.join("/"));
            }
            let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
            (!name.is_empty()).then_some(name)
        }
        None => ident_at_end(b.split(':').next().unwrap_or(b).trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_lets_and_fields() {
        assert_eq!(
            name_from_line("let counter = AtomicUsize::new(0);", "AtomicUsize", 0).as_deref(),
            Some("counter")
        );
        assert_eq!(
            name_from_line("let mut hits = Arc::new(Mutex::new(0));", "Mutex", 0).as_deref(),
            Some("hits")
        );
        assert_eq!(
            name_from_line("hits: AtomicUsize::new(0),", "AtomicUsize", 0).as_deref(),
            Some("hits")
        );
        assert_eq!(
            name_from_line(
                "Semaphore { permits: Mutex::new(n), freed: Condvar::new() }",
                "Condvar",
                0
            )
            .as_deref(),
            Some("freed")
        );
        assert_eq!(
            name_from_line("let (tx, rx) = mpsc::channel();", "channel", 0).as_deref(),
            Some("tx/rx")
        );
        assert_eq!(
            name_from_line(
                "let x: Arc<Mutex<u32>> = Arc::new(Mutex::new(0));",
                "Mutex",
                0
            )
            .as_deref(),
            Some("x")
        );
        assert_eq!(
            name_from_line("self.lock = Mutex::new(0);", "Mutex", 0).as_deref(),
            Some("lock")
        );
        assert_eq!(name_from_line("Mutex::new(0)", "Mutex", 0), None);
        // Two objects of one kind made on one line: the first call is the first object.
        let line = "Bank { from: Mutex::new(10), to: Mutex::new(0) }";
        assert_eq!(name_from_line(line, "Mutex", 0).as_deref(), Some("from"));
        assert_eq!(name_from_line(line, "Mutex", 1).as_deref(), Some("to"));
        // Elements made in a closure or `vec!` are named after the collection.
        assert_eq!(
            name_from_line(
                "accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),",
                "Mutex",
                0
            )
            .as_deref(),
            Some("accounts[]")
        );
        assert_eq!(
            name_from_line(
                "let forks: Vec<_> = (0..3).map(|_| Mutex::new(())).collect();",
                "Mutex",
                0
            )
            .as_deref(),
            Some("forks[]")
        );
        // `channel(` inside `sync_channel(` is not a `channel` call.
        assert_eq!(
            name_from_line("let (tx, rx) = mpsc::sync_channel(1);", "channel", 0),
            None
        );
    }
}
