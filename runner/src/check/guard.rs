//! The honesty guard: a model-checked exercise must do its threading through `conc`. A thread from
//! `std::thread` or a lock from `std::sync` runs outside the scheduler, so a racy program would pass by luck;
//! `static mut` or `unsafe` shared state is invisible to it. Reading the tokens takes a millisecond and catches
//! aliases (`use std as s`), globs (`use std::*`) and macros, without being fooled by comments or strings.

use crate::atomics::{Access, ORDERINGS, ordering_args};
use crate::info_file::OrderingRule;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::str::FromStr;

/// One forbidden use, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Escape {
    pub line: usize,
    pub column: usize,
    pub what: String,
}

/// The forbidden uses in `source`. `allow_unsafe` is set when the exercise as shipped uses `unsafe` itself (an
/// exercise about building a lock on `conc::cell::UnsafeCell`).
pub fn scan(source: &str, allow_unsafe: bool) -> Vec<Escape> {
    // A file that does not even lex is the compiler's to report.
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut escapes = Vec::new();
    walk(&tokens, allow_unsafe, &mut escapes);
    escapes
}

/// Whether `source` has an `unsafe` block, fn or impl (as code: a comment or a string saying "unsafe" does not
/// count).
pub fn uses_unsafe(source: &str) -> bool {
    fn any_unsafe(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            TokenTree::Ident(i) => i == "unsafe",
            TokenTree::Group(g) => any_unsafe(g.stream()),
            _ => false,
        })
    }
    TokenStream::from_str(source).is_ok_and(any_unsafe)
}

fn is_ident(t: Option<&TokenTree>, names: &[&str]) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if names.iter().any(|n| i == n))
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn walk(tokens: &[TokenTree], allow_unsafe: bool, out: &mut Vec<Escape>) {
    const ROOTS: [&str; 3] = ["std", "core", "alloc"];
    const ESCAPES: [&str; 2] = ["sync", "thread"];
    for (i, token) in tokens.iter().enumerate() {
        let at = |what: String| {
            let start = token.span().start();
            Escape {
                line: start.line,
                column: start.column + 1,
                what,
            }
        };
        match token {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                walk(&inner, allow_unsafe, out);
            }
            TokenTree::Ident(ident) if ROOTS.iter().any(|r| ident == r) => {
                let root = ident.to_string();
                let path_sep = is_punct(tokens.get(i + 1), ':') && is_punct(tokens.get(i + 2), ':');
                let next = tokens.get(i + 3);
                if path_sep && is_ident(next, &ESCAPES) {
                    out.push(at(format!("{root}::{}", next.expect("checked"))));
                } else if path_sep && is_punct(next, '*') {
                    out.push(at(format!("{root}::*")));
                } else if path_sep && let Some(TokenTree::Group(g)) = next {
                    // `use std::{sync::Mutex, self as s}`: look at the names directly inside the braces.
                    if g.delimiter() == Delimiter::Brace {
                        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                        if inner
                            .iter()
                            .any(|t| is_ident(Some(t), &ESCAPES) || is_ident(Some(t), &["self"]))
                            || inner.iter().any(|t| is_punct(Some(t), '*'))
                        {
                            out.push(at(format!("{root}::{{…}}")));
                        }
                    }
                } else if is_ident(tokens.get(i + 1), &["as"]) {
                    // `use std as s;` or `extern crate std as s;` would hide `s::thread`.
                    out.push(at(format!("{root} as …")));
                }
            }
            TokenTree::Ident(ident)
                if ident == "static" && is_ident(tokens.get(i + 1), &["mut"]) =>
            {
                out.push(at("static mut".into()));
            }
            TokenTree::Ident(ident) if ident == "unsafe" && !allow_unsafe => {
                out.push(at("unsafe".into()));
            }
            _ => {}
        }
    }
}

/// Attributes that make code run before `main` or replace a symbol of the check program (so the learner's code
/// could act before or instead of the checks), or that load another file as a module.
const TRUST_ATTRIBUTES: [&str; 13] = [
    "link_section",
    "no_mangle",
    "export_name",
    "used",
    "link",
    "link_name",
    "linkage",
    "naked",
    "ctor",
    "dtor",
    "global_allocator",
    "panic_handler",
    "path",
];
/// Macros that read files or build-time variables outside the learner's file, or write assembly.
const TRUST_MACROS: [&str; 8] = [
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "asm",
    "global_asm",
    "naked_asm",
];

/// What no exercise file may contain, whatever its kind (see docs/SECURITY.md): code that runs before `main` or
/// replaces the check program's own symbols, a module loaded from another file, assembly, and macros that read
/// files or variables outside the file. No exercise needs any of them.
pub fn trust_escapes(source: &str) -> Vec<Escape> {
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    trust_walk(&tokens, &mut out);
    out
}

fn escape_at(token: &TokenTree, what: String) -> Escape {
    let start = token.span().start();
    Escape {
        line: start.line,
        column: start.column + 1,
        what,
    }
}

/// Every identifier inside `tokens`, at any depth.
fn idents(tokens: TokenStream, out: &mut Vec<proc_macro2::Ident>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => out.push(i),
            TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

fn trust_walk(tokens: &[TokenTree], out: &mut Vec<Escape>) {
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // `#[…]` or `#![…]`: any of the attributes, also nested (`#[unsafe(no_mangle)]`, `cfg_attr`).
                let at = if is_punct(tokens.get(i + 1), '!') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(TokenTree::Group(g)) = tokens.get(at)
                    && g.delimiter() == Delimiter::Bracket
                {
                    let mut names = Vec::new();
                    idents(g.stream(), &mut names);
                    for name in names {
                        if TRUST_ATTRIBUTES.iter().any(|a| name == a) {
                            out.push(escape_at(token, format!("#[{name}]")));
                        }
                    }
                }
            }
            TokenTree::Ident(ident)
                if TRUST_MACROS.iter().any(|m| ident == m) && is_punct(tokens.get(i + 1), '!') =>
            {
                out.push(escape_at(token, format!("{ident}!")));
            }
            // `mod name;`: a module read from another file (an inline `mod name { … }` is fine).
            TokenTree::Ident(ident)
                if ident == "mod"
                    && matches!(tokens.get(i + 1), Some(TokenTree::Ident(_)))
                    && is_punct(tokens.get(i + 2), ';') =>
            {
                out.push(escape_at(token, format!("mod {};", tokens[i + 1])));
            }
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                trust_walk(&inner, out);
            }
            _ => {}
        }
    }
}

/// What a model-checked exercise (model, ordering, compile) may name from the standard library: its threads and
/// locks come from `conc`, and it has no business with files, processes, the environment or the OS.
const STD_ALLOWED: [&str; 43] = [
    "collections",
    "cmp",
    "fmt",
    "mem",
    "ops",
    "time",
    "cell",
    "rc",
    "ptr",
    "panic",
    "iter",
    "option",
    "result",
    "string",
    "vec",
    "boxed",
    "borrow",
    "convert",
    "default",
    "hash",
    "marker",
    "num",
    "char",
    "str",
    "slice",
    "array",
    "clone",
    "error",
    "any",
    "hint",
    "ascii",
    "prelude",
    "primitive",
    "u8",
    "u16",
    "u32",
    "u64",
    "usize",
    "i32",
    "i64",
    "isize",
    "f64",
    "io",
];
/// Of `std::io`, only what printing needs.
const IO_ALLOWED: [&str; 8] = [
    "Write",
    "stdout",
    "stderr",
    "Stdout",
    "Stderr",
    "Result",
    "Error",
    "ErrorKind",
];

/// Names a model-checked exercise may not use (beyond [`scan`]'s): `std` modules outside [`STD_ALLOWED`] (and
/// `std::io` beyond printing), the other crates the check program is built with (`crates`), and `extern` (foreign
/// functions, other crates).
pub fn allowlist_escapes(source: &str, crates: &[String]) -> Vec<Escape> {
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    allowlist_walk(&tokens, crates, &mut out);
    out
}

fn allowlist_walk(tokens: &[TokenTree], crates: &[String], out: &mut Vec<Escape>) {
    const ROOTS: [&str; 3] = ["std", "core", "alloc"];
    for (i, token) in tokens.iter().enumerate() {
        let path_sep =
            |at: usize| is_punct(tokens.get(at), ':') && is_punct(tokens.get(at + 1), ':');
        match token {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                allowlist_walk(&inner, crates, out);
            }
            TokenTree::Ident(ident) if ident == "extern" => {
                out.push(escape_at(token, "extern".into()));
            }
            // A `::` before it (`std::…::nix`) makes it not a crate root.
            TokenTree::Ident(ident)
                if crates.iter().any(|c| ident == c)
                    && path_sep(i + 1)
                    && !(i >= 2 && is_punct(tokens.get(i - 1), ':')) =>
            {
                out.push(escape_at(token, format!("{ident}::")));
            }
            TokenTree::Ident(ident) if ROOTS.iter().any(|r| ident == r) && path_sep(i + 1) => {
                let mut names: Vec<(String, Option<String>)> = Vec::new();
                match tokens.get(i + 3) {
                    Some(TokenTree::Ident(m)) => {
                        let after = path_sep(i + 4)
                            .then(|| tokens.get(i + 6))
                            .flatten()
                            .map(ToString::to_string);
                        names.push((m.to_string(), after));
                    }
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        // `use std::{fs, io::Write}`: the names directly inside the braces.
                        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                        for (k, t) in inner.iter().enumerate() {
                            let first = k == 0 || is_punct(inner.get(k - 1), ',');
                            if let (true, TokenTree::Ident(m)) = (first, t) {
                                let sep = is_punct(inner.get(k + 1), ':')
                                    && is_punct(inner.get(k + 2), ':');
                                names.push((
                                    m.to_string(),
                                    sep.then(|| inner.get(k + 3))
                                        .flatten()
                                        .map(ToString::to_string),
                                ));
                            }
                        }
                    }
                    _ => {}
                }
                for (module, item) in names {
                    let sync_or_thread = module == "sync" || module == "thread"; // `scan` reports those
                    if !sync_or_thread && !STD_ALLOWED.contains(&module.as_str()) {
                        out.push(escape_at(token, format!("{ident}::{module}")));
                    } else if module == "io"
                        && let Some(item) = item
                        && item.chars().next().is_some_and(char::is_alphabetic)
                        && !IO_ALLOWED.contains(&item.as_str())
                    {
                        out.push(escape_at(token, format!("{ident}::io::{item}")));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Fields of the named types that are not private (`pub`, `pub(crate)`, `pub(super)`, …): a monitor's state may be
/// reached only through its methods.
pub fn visibility_escapes(source: &str, types: &[String]) -> Vec<Escape> {
    use syn::visit::Visit;
    struct Finder<'t> {
        types: &'t [String],
        out: Vec<Escape>,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            let name = item.ident.to_string();
            if !self.types.contains(&name) {
                return;
            }
            for (i, field) in item.fields.iter().enumerate() {
                if matches!(field.vis, syn::Visibility::Inherited) {
                    continue;
                }
                let start = syn::spanned::Spanned::span(&field.vis).start();
                let field_name = field
                    .ident
                    .as_ref()
                    .map_or_else(|| i.to_string(), ToString::to_string);
                self.out.push(Escape {
                    line: start.line,
                    column: start.column + 1,
                    what: format!("field `{field_name}` of `{name}` is not private"),
                });
            }
        }
    }
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut finder = Finder {
        types,
        out: Vec::new(),
    };
    finder.visit_file(&file);
    finder.out
}

/// Atomic operations on the named atomics whose memory ordering the exercise does not allow (see
/// [`OrderingRule`]). An ordering that is not written out (a variable, a parameter) cannot be judged, so it is
/// refused too.
pub fn ordering_escapes(
    source: &str,
    rules: &std::collections::BTreeMap<String, OrderingRule>,
) -> Vec<Escape> {
    use syn::visit::Visit;
    if rules.get("*") == Some(&OrderingRule::LockWords) {
        return lock_word_escapes(source);
    }
    struct Finder<'r> {
        rules: &'r std::collections::BTreeMap<String, OrderingRule>,
        out: Vec<Escape>,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            syn::visit::visit_expr_method_call(self, call);
            // A named atomic has its own rule; `"*"` names every atomic of the file, also one reached through a
            // helper (`self.flag(me).store(…)`), where only an ordering written out can tell it is an atomic.
            let name = atomic_name(&call.receiver);
            let (rule, named) = match name.as_ref().and_then(|n| self.rules.get(n)) {
                Some(rule) => (rule, true),
                None => match self.rules.get("*") {
                    Some(rule) => (rule, false),
                    None => return,
                },
            };
            let name = name.unwrap_or_else(|| "this atomic".to_string());
            let method = call.method.to_string();
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            // The failure ordering of a compare-exchange is free: a failed attempt takes nothing.
            let checked = ordering_args(&method)
                .iter()
                .filter(|(_, access)| *access != Access::Failure);
            for &(at, access) in checked {
                let Some(arg) = args.get(at) else { continue };
                let written = match arg {
                    syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                // Under `"*"`, `v.swap(i, j)` is not an atomic: only a written-out ordering is judged.
                if !named && !written.as_deref().is_some_and(|w| ORDERINGS.contains(&w)) {
                    continue;
                }
                let allowed = match (rule, access, written.as_deref()) {
                    (_, _, Some("SeqCst")) => true,
                    (OrderingRule::SeqCst, _, _) => false,
                    (OrderingRule::AcquireRelease, Access::Load, Some(o)) => o == "Acquire",
                    (OrderingRule::AcquireRelease, Access::Store, Some(o)) => o == "Release",
                    (OrderingRule::AcquireRelease, Access::Update, Some(o)) => o != "Relaxed",
                    (OrderingRule::LockWords, _, _) => true,
                    (_, Access::Failure, _) | (_, _, None) => false,
                };
                if allowed {
                    continue;
                }
                let start = syn::spanned::Spanned::span(*arg).start();
                let needed = match (rule, access) {
                    (OrderingRule::SeqCst, _) => "SeqCst",
                    (OrderingRule::AcquireRelease, Access::Load) => "Acquire (or SeqCst)",
                    (OrderingRule::AcquireRelease, Access::Store) => "Release (or SeqCst)",
                    (OrderingRule::AcquireRelease, Access::Update | Access::Failure) => {
                        "Acquire, Release, AcqRel or SeqCst, not Relaxed"
                    }
                    (OrderingRule::LockWords, _) => "",
                };
                self.out.push(Escape {
                    line: start.line,
                    column: start.column + 1,
                    what: format!(
                        "`{name}.{method}({})`: here it needs {needed}",
                        written.unwrap_or_else(|| "…".to_string())
                    ),
                });
            }
        }
    }
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut finder = Finder {
        rules,
        out: Vec::new(),
    };
    finder.visit_file(&file);
    finder.out
}

/// Lock words (atomics taken with `compare_exchange`) whose taking is not `Acquire` or whose releasing store is
/// not `Release` ([`OrderingRule::LockWords`]). An atomic is known by the text of its receiver (`self.lock_word()`,
/// `seq`), so a lock word reached in two spellings is judged only where it is spelled as in its exchange.
fn lock_word_escapes(source: &str) -> Vec<Escape> {
    use quote::ToTokens;
    use syn::visit::Visit;
    fn written(arg: Option<&syn::Expr>) -> Option<String> {
        match arg? {
            syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }
    }
    fn is_exchange(method: &str) -> bool {
        method == "compare_exchange" || method == "compare_exchange_weak"
    }
    #[derive(Default)]
    struct Calls<'ast>(Vec<&'ast syn::ExprMethodCall>);
    impl<'ast> Visit<'ast> for Calls<'ast> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            syn::visit::visit_expr_method_call(self, call);
            self.0.push(call);
        }
    }
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut calls = Calls::default();
    calls.visit_file(&file);
    let receiver = |c: &syn::ExprMethodCall| c.receiver.to_token_stream().to_string();
    let lock_words: std::collections::BTreeSet<String> = calls
        .0
        .iter()
        .filter(|c| is_exchange(&c.method.to_string()))
        .map(|c| receiver(c))
        .collect();
    let mut out = Vec::new();
    for call in &calls.0 {
        let method = call.method.to_string();
        let (at, allowed, needed): (usize, &[&str], &str) = match method.as_str() {
            m if is_exchange(m) => (
                2,
                &["Acquire", "AcqRel", "SeqCst"],
                "Acquire (or AcqRel, SeqCst) to take it",
            ),
            "store" => (
                1,
                &["Release", "SeqCst"],
                "Release (or SeqCst) to give it back",
            ),
            _ => continue,
        };
        let name = receiver(call);
        if !lock_words.contains(&name) {
            continue;
        }
        let arg = call.args.iter().nth(at);
        let ordering = written(arg);
        if ordering.as_deref().is_some_and(|o| allowed.contains(&o)) {
            continue;
        }
        let Some(arg) = arg else { continue };
        let start = syn::spanned::Spanned::span(arg).start();
        out.push(Escape {
            line: start.line,
            column: start.column + 1,
            what: format!(
                "`{}.{method}({})`: `{}` is a lock word here (it is taken with a compare-exchange), so this needs {needed}",
                name.replace(' ', ""),
                ordering.unwrap_or_else(|| "…".to_string()),
                name.replace(' ', ""),
            ),
        });
    }
    out
}

/// The name an atomic goes by in `self.locked.load(…)`, `locked.load(…)` or `flags[me].load(…)`.
fn atomic_name(receiver: &syn::Expr) -> Option<String> {
    match receiver {
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(ident) => Some(ident.to_string()),
            syn::Member::Unnamed(_) => None,
        },
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Index(i) => atomic_name(&i.expr),
        syn::Expr::Reference(r) => atomic_name(&r.expr),
        syn::Expr::Paren(p) => atomic_name(&p.expr),
        syn::Expr::MethodCall(m) if m.method == "deref" || m.method == "as_ref" => {
            atomic_name(&m.receiver)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::info_file::OrderingRule;

    #[test]
    fn lock_words_are_taken_with_acquire_and_given_back_with_release() {
        let rules = std::collections::BTreeMap::from([("*".to_string(), OrderingRule::LockWords)]);
        let source = r#"
fn lock(&self) {
    while self.lock_word().compare_exchange_weak(0, 1, Ordering::Relaxed, Ordering::Relaxed).is_err() {}
    self.lock_word().store(0, Ordering::Relaxed);
    self.word(0).store(5, Ordering::Relaxed);
}
fn seqlock(seq: &AtomicU64) {
    let s = seq.load(Ordering::Relaxed);
    let _ = seq.compare_exchange_weak(s, s + 1, Ordering::Acquire, Ordering::Relaxed);
    seq.store(s + 2, Ordering::Release);
}
"#;
        let found: Vec<usize> = ordering_escapes(source, &rules)
            .into_iter()
            .map(|e| e.line)
            .collect();
        // The lock word's Relaxed exchange and Relaxed unlock; not the data word, not the seqlock.
        assert_eq!(found, [3, 4]);
    }

    #[test]
    fn a_type_with_private_state_refuses_every_field_that_is_not_private() {
        let source = "pub struct Garage {\n    pub free: AtomicUsize,\n    pub(crate) lock: Mutex<()>,\n    cv: Condvar,\n}\npub struct Other { pub x: u8 }\npub struct Pair(pub u8, u8);\n";
        let types = ["Garage".to_string(), "Pair".to_string()];
        let found: Vec<(usize, String)> = visibility_escapes(source, &types)
            .into_iter()
            .map(|e| (e.line, e.what))
            .collect();
        assert_eq!(
            found,
            [
                (2, "field `free` of `Garage` is not private".to_string()),
                (3, "field `lock` of `Garage` is not private".to_string()),
                (7, "field `0` of `Pair` is not private".to_string()),
            ]
        );
        assert!(visibility_escapes(source, &[]).is_empty());
    }

    #[test]
    fn pinned_orderings_are_checked_per_atomic_and_per_access() {
        let rules = std::collections::BTreeMap::from([
            ("locked".to_string(), OrderingRule::AcquireRelease),
            ("turn".to_string(), OrderingRule::SeqCst),
        ]);
        let source = r#"
            fn f(&self, order: Ordering) {
                self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed);
                self.locked.compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed);
                self.locked.load(Ordering::Relaxed);
                self.locked.store(false, Ordering::Release);
                self.locked.store(false, order);
                self.turn.store(1, Ordering::SeqCst);
                flags[1].load(Ordering::Relaxed);
                turn.load(Acquire);
                self.other.load(Ordering::Relaxed);
            }
        "#;
        let lines: Vec<usize> = ordering_escapes(source, &rules)
            .iter()
            .map(|e| e.line)
            .collect();
        // The relaxed CAS, the relaxed load, the unnamed ordering, and `turn` below SeqCst.
        assert_eq!(lines, [4, 5, 7, 10]);
        let all = std::collections::BTreeMap::from([("*".to_string(), OrderingRule::SeqCst)]);
        // Every written-out ordering that is not SeqCst, but not the unnamed `order`: under "*" only a
        // written-out ordering tells an atomic from `v.store(…)` of something else.
        assert_eq!(ordering_escapes(source, &all).len(), 7);
        let through_helper =
            "fn f(&self) { self.flag(me).store(true, Ordering::Release); v.swap(0, 1); }";
        assert_eq!(ordering_escapes(through_helper, &all).len(), 1);
    }

    use super::*;

    fn whats(src: &str) -> Vec<String> {
        scan(src, false).into_iter().map(|e| e.what).collect()
    }

    #[test]
    fn facade_code_passes() {
        let src = "use conc::sync::{Arc, Mutex};\nuse conc::thread;\nuse std::collections::HashMap;\n\
                   // std::thread::spawn in a comment is fine\nfn f() { let s = \"std::sync\"; std::hint::spin_loop(); }";
        assert_eq!(whats(src), Vec::<String>::new());
    }

    #[test]
    fn direct_paths_are_caught_with_their_line() {
        let e = scan("fn main() {\n    std::thread::spawn(|| {});\n}", false);
        assert_eq!(
            e,
            vec![Escape {
                line: 2,
                column: 5,
                what: "std::thread".into()
            }]
        );
        assert_eq!(whats("use ::std::sync::Mutex;"), ["std::sync"]);
        assert_eq!(
            whats("use core::sync::atomic::AtomicUsize;"),
            ["core::sync"]
        );
    }

    #[test]
    fn aliases_globs_groups_and_macros_are_caught() {
        assert_eq!(whats("use std as s;"), ["std as …"]);
        assert_eq!(whats("extern crate std as s;"), ["std as …"]);
        assert_eq!(whats("use std::*;"), ["std::*"]);
        assert_eq!(
            whats("use std::{collections::HashMap, sync::Mutex};"),
            ["std::{…}"]
        );
        assert_eq!(whats("use std::{self as s};"), ["std::{…}"]);
        assert_eq!(
            whats("macro_rules! m { () => { std::thread::yield_now() } }"),
            ["std::thread"]
        );
    }

    #[test]
    fn only_unsafe_code_counts_as_using_unsafe() {
        assert!(uses_unsafe("fn f() { unsafe { g() } }"));
        assert!(uses_unsafe("unsafe impl Sync for S {}"));
        assert!(!uses_unsafe(
            "// this would be unsafe\nfn f() { let s = \"unsafe\"; }"
        ));
    }

    #[test]
    fn unsafe_shared_state_is_caught_unless_the_exercise_needs_it() {
        assert_eq!(whats("static mut N: u32 = 0;"), ["static mut"]);
        assert_eq!(whats("fn f() { unsafe { g() } }"), ["unsafe"]);
        assert!(scan("fn f() { unsafe { g() } }", true).is_empty());
    }

    #[test]
    fn code_before_main_symbol_replacement_other_files_and_assembly_are_refused_everywhere() {
        let source = r#"
#[unsafe(link_section = ".init_array")]
static BEFORE_MAIN: extern "C" fn() = forge;
#[unsafe(no_mangle)]
pub extern "C" fn fsync(fd: i32) -> i32 { 0 }
#[cfg_attr(all(), export_name = "main")]
fn other() {}
const SOLUTION: &str = include_str!("../../solutions/08_mutex/job_stack.rs");
const HOME: Option<&str> = option_env!("HOME");
#[path = "../../solutions/x.rs"]
mod copied;
mod elsewhere;
mod inline { fn fine() {} }
fn f() { unsafe { core::arch::asm!("nop") } }
// include_str!("in a comment") and "env!(in a string)" are fine
#[derive(Debug)] struct Fine;
"#;
        let found: Vec<(usize, String)> = super::trust_escapes(source)
            .into_iter()
            .map(|e| (e.line, e.what))
            .collect();
        assert_eq!(
            found,
            [
                (2, "#[link_section]".to_string()),
                (4, "#[no_mangle]".to_string()),
                (6, "#[export_name]".to_string()),
                (8, "include_str!".to_string()),
                (9, "option_env!".to_string()),
                (10, "#[path]".to_string()),
                (11, "mod copied;".to_string()),
                (12, "mod elsewhere;".to_string()),
                (14, "asm!".to_string()),
            ]
        );
    }

    #[test]
    fn a_model_exercise_names_only_the_std_it_needs_and_no_other_crate() {
        let source = r#"
use std::collections::HashMap;
use std::{fmt, fs, io::Write};
use std::io::{self, Read};
use std::io::stdout;
use std::os::fd::FromRawFd;
fn f() {
    let _ = std::process::exit(0);
    let _ = nix::unistd::write(3, b"passed");
    let _ = conc_check::channel::CHANNEL_ENV;
    let _ = conc::sync::Mutex::new(0);
    let _ = std::env::var("X");
    let _ = std::time::Instant::now();
    let _ = core::mem::size_of::<u8>();
}
extern "C" { fn write(fd: i32) -> isize; }
"#;
        let crates = [
            "nix".to_string(),
            "memmap2".to_string(),
            "conc_check".to_string(),
        ];
        let found: Vec<(usize, String)> = super::allowlist_escapes(source, &crates)
            .into_iter()
            .map(|e| (e.line, e.what))
            .collect();
        assert_eq!(
            found,
            [
                (3, "std::fs".to_string()),
                (6, "std::os".to_string()),
                (8, "std::process".to_string()),
                (9, "nix::".to_string()),
                (10, "conc_check::".to_string()),
                (12, "std::env".to_string()),
                (16, "extern".to_string()),
            ]
        );
    }
}
