//! Where each operator applies, found on the syntax tree.

use super::text::{Edit, Lines};
use super::{Found, Options};
use crate::atomics::{Access, ORDERINGS, ordering_args};
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{BinOp, Block, Expr, ExprMethodCall, Pat, Stmt};

pub(super) fn find(file: &syn::File, lines: &Lines<'_>, options: Options) -> Vec<Found> {
    let mut finder = Finder {
        lines,
        options,
        impl_type: Vec::new(),
        function: Vec::new(),
        found: Vec::new(),
    };
    finder.visit_file(file);
    finder.found
}

struct Finder<'a, 'src> {
    lines: &'a Lines<'src>,
    options: Options,
    impl_type: Vec<String>,
    function: Vec<String>,
    found: Vec<Found>,
}

/// Calls that wait for another thread or process to do something: a loop around one is a retry loop.
const RETRIES: &[&str] = &[
    "compare_exchange",
    "compare_exchange_weak",
    "swap",
    "try_lock",
    "try_recv",
    "try_wait",
    "read",
    "recv",
];

impl Finder<'_, '_> {
    fn here(&self) -> String {
        self.function
            .last()
            .cloned()
            .unwrap_or_else(|| "<item>".to_string())
    }

    fn push(&mut self, operator: &'static str, edits: Vec<Edit>) {
        self.found.push(Found {
            operator,
            function: self.here(),
            edits,
        });
    }

    fn enter_fn(&mut self, name: &str, body: impl FnOnce(&mut Self)) {
        let qualified = match self.impl_type.last() {
            Some(ty) if self.function.is_empty() => format!("{ty}::{name}"),
            _ => name.to_string(),
        };
        if self.options.skip_main && self.function.is_empty() && qualified == "main" {
            return;
        }
        self.function.push(qualified);
        body(self);
        self.function.pop();
    }

    fn text(&self, node: &impl syn::spanned::Spanned) -> String {
        self.lines.text(node).to_string()
    }

    /// A statement deleted.
    fn delete(&mut self, operator: &'static str, stmt: &Stmt) {
        let range = self.lines.range(stmt);
        self.push(operator, vec![Edit::replace(range, "")]);
    }

    /// Two statements (or any two nodes) exchanged.
    fn swap(&mut self, operator: &'static str, a: &Stmt, b: &Stmt) {
        let (ra, rb) = (self.lines.range(a), self.lines.range(b));
        let (ta, tb) = (self.text(a), self.text(b));
        self.push(operator, vec![Edit::replace(ra, tb), Edit::replace(rb, ta)]);
    }

    fn statements(&mut self, block: &Block) {
        let stmts = &block.stmts;
        let guards: Vec<Guard> = stmts
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Guard::of(i, s, self.lines))
            .collect();
        let is_guard = |name: &str| guards.iter().any(|g| g.name == name);

        for (i, stmt) in stmts.iter().enumerate() {
            let calls = own_calls(stmt);
            let calls_any = |names: &[&str]| calls.iter().any(|(n, _)| names.contains(&n.as_str()));

            if calls_any(&["notify_one", "notify_all"]) {
                self.delete("delete_notify", stmt);
                if i > 0 && !matches!(stmts[i - 1], Stmt::Item(_)) {
                    self.swap("notify_earlier", &stmts[i - 1], stmt);
                }
            }
            if let Some(dropped) = dropped_value(stmt) {
                let operator = if is_guard(&dropped) {
                    "hold_across_blocking"
                } else {
                    "delete_drop"
                };
                self.delete(operator, stmt);
            } else if calls.iter().any(|(n, _)| n == "close") {
                self.delete("delete_drop", stmt);
            }
            if !matches!(stmt, Stmt::Local(_))
                && calls
                    .iter()
                    .any(|(n, args)| (*args == 0 && (n == "join" || n == "wait")) || n == "waitpid")
            {
                self.delete("delete_wait_join", stmt);
            }
            if calls_any(&[
                "remove_file",
                "unlink",
                "mq_unlink",
                "shm_unlink",
                "remove_dir_all",
                "remove_dir",
            ]) {
                self.delete("delete_unlink", stmt);
            }
            if calls_any(&["sync_all", "sync_data", "fsync", "fdatasync"]) {
                self.delete("delete_sync", stmt);
            }
            if calls_any(&["shutdown"]) {
                self.delete("delete_shutdown", stmt);
            }
            if let Some(next) = stmts.get(i + 1)
                && calls_any(&["open"])
                && own_calls(next).iter().any(|(n, _)| n == "open")
            {
                self.swap("swap_open", stmt, next);
            }
            if is_count(stmt) {
                self.delete("delete_count", stmt);
                let text = self.text(stmt);
                let end = self.lines.range(stmt).end;
                self.push("double_count", vec![Edit::insert(end, format!(" {text}"))]);
            }
        }

        for pair in guards.windows(2) {
            if pair[1].index == pair[0].index + 1 {
                self.swap(
                    "swap_lock_order",
                    &stmts[pair[0].index],
                    &stmts[pair[1].index],
                );
            }
        }

        for guard in &guards {
            let after = &stmts[guard.index + 1..];
            let explicit_drop = after
                .iter()
                .position(|s| dropped_value(s).as_deref() == Some(guard.name.as_str()));
            let uses: Vec<bool> = after.iter().map(|s| mentions(s, &guard.name)).collect();
            let section = explicit_drop.unwrap_or(after.len());
            // Split: after a statement that uses the guard, when a later one in the section uses it too.
            for k in 0..section {
                if uses[k] && uses[k + 1..section].iter().any(|u| *u) {
                    let end = self.lines.range(&after[k]).end;
                    let relock = format!(
                        " drop({name}); let {pat} = {init};",
                        name = guard.name,
                        pat = guard.pattern,
                        init = guard.init
                    );
                    self.push("split_section", vec![Edit::insert(end, relock)]);
                }
            }
            // Move a statement that does not name the guard to after the guard's end.
            if explicit_drop.is_none() {
                let last = after.len();
                let tail_expr = matches!(after.last(), Some(Stmt::Expr(_, None)));
                for k in 0..last {
                    let stmt = &after[k];
                    if uses[k]
                        || matches!(stmt, Stmt::Local(_) | Stmt::Item(_))
                        || (tail_expr && k + 1 == last)
                    {
                        continue;
                    }
                    let moved = format!(" drop({}); {}", guard.name, self.text(stmt));
                    let at = match (tail_expr, last) {
                        (true, l) if l >= 2 => self.lines.range(&after[l - 2]).end,
                        (true, _) => continue,
                        (false, l) => self.lines.range(&after[l - 1]).end,
                    };
                    let remove = self.lines.range(stmt);
                    if remove.end > at {
                        continue;
                    }
                    self.push(
                        "move_out_of_guard",
                        vec![Edit::replace(remove, ""), Edit::insert(at, moved)],
                    );
                }
            }
            if let Some(d) = explicit_drop
                && d > 0
            {
                self.swap("drop_guard_early", &after[d - 1], &after[d]);
            }
        }

        for guard in guards.iter().filter(|g| g.plain_lock) {
            let stmt = &stmts[guard.index];
            let try_lock = format!(
                "let Ok({pat}) = {receiver}.try_lock() else {{ return Default::default(); }};",
                pat = guard.pattern,
                receiver = guard.receiver
            );
            self.push(
                "lock_to_try_lock",
                vec![Edit::replace(self.lines.range(stmt), try_lock)],
            );
        }
    }

    fn method_call(&mut self, call: &ExprMethodCall) {
        let name = call.method.to_string();
        let args: Vec<&Expr> = call.args.iter().collect();
        let call_end = self.lines.span_range(call.paren_token.span.join()).end;
        let from_method = self.lines.range(&call.method).start;
        match name.as_str() {
            "wait_while" | "wait_timeout_while" if args.len() >= 2 => {
                let kept: Vec<String> = args[..args.len() - 1]
                    .iter()
                    .map(|a| self.text(*a))
                    .collect();
                let single = name.trim_end_matches("_while");
                self.push(
                    "wait_while_to_wait",
                    vec![Edit::replace(
                        from_method..call_end,
                        format!("{single}({})", kept.join(", ")),
                    )],
                );
                if let Some(Expr::Closure(cond)) = args.last() {
                    self.flip_boundaries(&cond.body);
                }
            }
            "notify_all" => {
                let range = self.lines.range(&call.method);
                self.push(
                    "notify_all_to_one",
                    vec![Edit::replace(range, "notify_one")],
                );
            }
            "write_all" if args.len() == 1 => {
                let receiver = self.text(&*call.receiver);
                let data = self.text(args[0]);
                let split = format!(
                    "{{ let __bytes: &[u8] = AsRef::<[u8]>::as_ref(&({data})); \
                     let (__first, __rest) = __bytes.split_at(__bytes.len() / 2); \
                     {receiver}.write_all(__first).and_then(|()| {receiver}.write_all(__rest)) }}"
                );
                self.push(
                    "split_write_all",
                    vec![Edit::replace(self.lines.range(call), split)],
                );
            }
            "read_to_end" | "read_to_string" if args.len() == 1 => {
                let receiver = self.text(&*call.receiver);
                let buffer = self.text(args[0]);
                let append = if name == "read_to_end" {
                    "(__into).extend_from_slice(&__chunk[..__n])"
                } else {
                    "(__into).push_str(&String::from_utf8_lossy(&__chunk[..__n]))"
                };
                let once = format!(
                    "{{ let __into = {buffer}; let mut __chunk = [0u8; 4096]; \
                     std::io::Read::read(&mut {receiver}, &mut __chunk).map(|__n| {{ {append}; __n }}) }}"
                );
                self.push(
                    "read_once",
                    vec![Edit::replace(self.lines.range(call), once)],
                );
            }
            _ => {}
        }
        self.orderings(&name, &args);
        self.load_store(call, &name, &args);
    }

    /// Each `Ordering` argument one step weaker, as far as the operation allows it.
    fn orderings(&mut self, name: &str, args: &[&Expr]) {
        for &(at, access) in ordering_args(name) {
            let Some(Expr::Path(path)) = args.get(at) else {
                continue;
            };
            let Some(last) = path.path.segments.last() else {
                continue;
            };
            let weaker: &[&str] = match (access, last.ident.to_string().as_str()) {
                (Access::Load | Access::Failure, "SeqCst") => &["Acquire"],
                (Access::Load | Access::Failure, "Acquire") => &["Relaxed"],
                (Access::Store, "SeqCst") => &["Release"],
                (Access::Store, "Release") => &["Relaxed"],
                (Access::Update, "SeqCst") => &["AcqRel"],
                (Access::Update, "AcqRel") => &["Acquire", "Release"],
                (Access::Update, "Acquire" | "Release") => &["Relaxed"],
                _ => &[],
            };
            let range = self.lines.range(&last.ident);
            for w in weaker {
                self.push("weaken_ordering", vec![Edit::replace(range.clone(), *w)]);
            }
        }
    }

    /// A read-modify-write split into a load and a store: atomic no more.
    fn load_store(&mut self, call: &ExprMethodCall, name: &str, args: &[&Expr]) {
        let ordering_at = match name {
            "compare_exchange" | "compare_exchange_weak" => 2,
            "swap" | "fetch_add" | "fetch_sub" | "fetch_and" | "fetch_or" | "fetch_xor"
            | "fetch_max" | "fetch_min" => 1,
            _ => return,
        };
        let Some(Expr::Path(ordering)) = args.get(ordering_at) else {
            return;
        };
        let Some(last) = ordering.path.segments.last() else {
            return;
        };
        if !ORDERINGS.contains(&last.ident.to_string().as_str()) {
            return;
        }
        // The same path, ending in SeqCst: the mutant is about atomicity, not ordering.
        let prefix: Vec<String> = ordering
            .path
            .segments
            .iter()
            .take(ordering.path.segments.len() - 1)
            .map(|s| s.ident.to_string())
            .collect();
        let seq_cst = if prefix.is_empty() {
            "SeqCst".to_string()
        } else {
            format!("{}::SeqCst", prefix.join("::"))
        };
        let r = self.text(&*call.receiver);
        let a = |i: usize| self.text(args[i]);
        let new_value = |value: &str| match name {
            "swap" => value.to_string(),
            "fetch_add" => format!("__old + ({value})"),
            "fetch_sub" => format!("__old - ({value})"),
            "fetch_and" => format!("__old & ({value})"),
            "fetch_or" => format!("__old | ({value})"),
            "fetch_xor" => format!("__old ^ ({value})"),
            "fetch_max" => format!("__old.max({value})"),
            _ => format!("__old.min({value})"),
        };
        let replacement = if ordering_at == 2 {
            format!(
                "{{ let __old = {r}.load({seq_cst}); if __old == ({expected}) {{ {r}.store({new}, {seq_cst}); Ok(__old) }} else {{ Err(__old) }} }}",
                expected = a(0),
                new = a(1),
            )
        } else {
            format!(
                "{{ let __old = {r}.load({seq_cst}); {r}.store({new}, {seq_cst}); __old }}",
                new = new_value(&a(0)),
            )
        };
        self.push(
            "rmw_to_load_store",
            vec![Edit::replace(self.lines.range(call), replacement)],
        );
    }

    fn flip_boundaries(&mut self, expr: &Expr) {
        struct Ops<'x>(Vec<&'x syn::ExprBinary>);
        impl<'x> Visit<'x> for Ops<'x> {
            fn visit_expr_binary(&mut self, b: &'x syn::ExprBinary) {
                self.0.push(b);
                visit::visit_expr_binary(self, b);
            }
            fn visit_expr_closure(&mut self, _: &'x syn::ExprClosure) {}
        }
        let mut ops = Ops(Vec::new());
        ops.visit_expr(expr);
        for b in ops.0 {
            let flipped = match b.op {
                BinOp::Ge(_) => ">",
                BinOp::Gt(_) => ">=",
                BinOp::Le(_) => "<",
                BinOp::Lt(_) => "<=",
                _ => continue,
            };
            let range = self.lines.range(&b.op);
            self.push("flip_boundary", vec![Edit::replace(range, flipped)]);
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_, '_> {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let ty = match &*item.self_ty {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map_or_else(|| "impl".to_string(), |s| s.ident.to_string()),
            _ => "impl".to_string(),
        };
        self.impl_type.push(ty);
        visit::visit_item_impl(self, item);
        self.impl_type.pop();
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let name = item.sig.ident.to_string();
        // A free function inside an impl's method is not a method of the impl.
        let outer = std::mem::take(&mut self.impl_type);
        self.enter_fn(&name, |me| visit::visit_item_fn(me, item));
        self.impl_type = outer;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let name = item.sig.ident.to_string();
        self.enter_fn(&name, |me| visit::visit_impl_item_fn(me, item));
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let is_test = item
            .attrs
            .iter()
            .any(|a| a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("test"));
        if !is_test {
            visit::visit_item_mod(self, item);
        }
    }

    fn visit_block(&mut self, block: &'ast Block) {
        if !self.function.is_empty() {
            self.statements(block);
        }
        visit::visit_block(self, block);
    }

    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        if !self.function.is_empty() && w.label.is_none() {
            let body_calls = calls_in(&w.body);
            let cond_calls = calls_in(&*w.cond);
            let waits = body_calls
                .iter()
                .any(|(n, args)| (n == "wait" || n == "wait_timeout") && *args >= 1);
            let retries = body_calls
                .iter()
                .chain(&cond_calls)
                .any(|(n, _)| RETRIES.contains(&n.as_str()));
            let range = self.lines.span_range(w.while_token.span);
            if waits {
                self.push("while_to_if", vec![Edit::replace(range.clone(), "if")]);
                self.flip_boundaries(&w.cond);
            }
            if retries {
                self.push("loop_once", vec![Edit::replace(range, "if")]);
            }
        }
        visit::visit_expr_while(self, w);
    }

    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        if !self.function.is_empty()
            && l.label.is_none()
            && calls_in(&l.body)
                .iter()
                .any(|(n, _)| RETRIES.contains(&n.as_str()))
        {
            let range = self.lines.span_range(l.loop_token.span);
            self.push("loop_once", vec![Edit::replace(range, "for _ in 0..1")]);
        }
        visit::visit_expr_loop(self, l);
    }

    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if !self.function.is_empty() {
            self.method_call(call);
        }
        visit::visit_expr_method_call(self, call);
    }
}

/// A `let` that takes a lock: `let mut g = x.lock().unwrap();` (or `.read()`, `.write()`, with `?` or `expect`).
struct Guard {
    index: usize,
    name: String,
    pattern: String,
    /// The whole initialiser, to take the lock again.
    init: String,
    /// What is locked (`x` above).
    receiver: String,
    /// `x.lock().unwrap()` or `.expect(…)`: can become a `try_lock` that gives up.
    plain_lock: bool,
}

impl Guard {
    fn of(index: usize, stmt: &Stmt, lines: &Lines<'_>) -> Option<Guard> {
        let Stmt::Local(local) = stmt else {
            return None;
        };
        let Pat::Ident(ident) = &local.pat else {
            return None;
        };
        let init = &local.init.as_ref()?.expr;
        if local.init.as_ref()?.diverge.is_some() {
            return None;
        }
        let mut core = &**init;
        let mut unwrapped = false;
        loop {
            match core {
                Expr::Try(t) => core = &t.expr,
                Expr::MethodCall(m)
                    if ["unwrap", "expect", "unwrap_or_else"]
                        .contains(&m.method.to_string().as_str()) =>
                {
                    unwrapped |= m.method != "unwrap_or_else";
                    core = &m.receiver;
                }
                _ => break,
            }
        }
        let Expr::MethodCall(lock) = core else {
            return None;
        };
        let method = lock.method.to_string();
        if !lock.args.is_empty() || !["lock", "read", "write"].contains(&method.as_str()) {
            return None;
        }
        Some(Guard {
            index,
            name: ident.ident.to_string(),
            pattern: lines.text(&local.pat).to_string(),
            init: lines.text(&**init).to_string(),
            receiver: lines.text(&*lock.receiver).to_string(),
            plain_lock: method == "lock" && unwrapped && matches!(&**init, Expr::MethodCall(_)),
        })
    }
}

/// `drop(x);` → `x`.
fn dropped_value(stmt: &Stmt) -> Option<String> {
    let Stmt::Expr(Expr::Call(call), Some(_)) = stmt else {
        return None;
    };
    let Expr::Path(f) = &*call.func else {
        return None;
    };
    if !f.path.is_ident("drop") || call.args.len() != 1 {
        return None;
    }
    match &call.args[0] {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        other => Some(other.to_token_stream().to_string()),
    }
}

/// A counter changed by a statement: `x += n;`, `*g -= 1;`, `c.fetch_add(1, o);` (its result unused).
fn is_count(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(Expr::Binary(b), Some(_)) => {
            matches!(b.op, BinOp::AddAssign(_) | BinOp::SubAssign(_))
        }
        Stmt::Expr(Expr::MethodCall(m), Some(_)) => {
            m.method == "fetch_add" || m.method == "fetch_sub"
        }
        _ => false,
    }
}

/// The calls a statement makes itself, as (name, number of arguments): method calls and function calls by
/// their last path segment. A statement that is a block (`if`, `for`, `while`, `loop`, `match`, `{…}`) has
/// none of its own: its inner statements are found one by one.
fn own_calls(stmt: &Stmt) -> Vec<(String, usize)> {
    match stmt {
        Stmt::Expr(
            Expr::If(_)
            | Expr::ForLoop(_)
            | Expr::While(_)
            | Expr::Loop(_)
            | Expr::Match(_)
            | Expr::Block(_)
            | Expr::Unsafe(_),
            _,
        ) => Vec::new(),
        Stmt::Item(_) => Vec::new(),
        other => calls_in(other),
    }
}

fn calls_in(node: &impl VisitWith) -> Vec<(String, usize)> {
    let mut calls = Calls(Vec::new());
    node.visit_with(&mut calls);
    calls.0
}

/// The node kinds whose calls are looked for.
trait VisitWith {
    fn visit_with(&self, v: &mut Calls);
}
impl VisitWith for Stmt {
    fn visit_with(&self, v: &mut Calls) {
        v.visit_stmt(self);
    }
}
impl VisitWith for Block {
    fn visit_with(&self, v: &mut Calls) {
        v.visit_block(self);
    }
}
impl VisitWith for Expr {
    fn visit_with(&self, v: &mut Calls) {
        v.visit_expr(self);
    }
}

struct Calls(Vec<(String, usize)>);
impl<'a> Visit<'a> for Calls {
    fn visit_expr_method_call(&mut self, m: &'a ExprMethodCall) {
        self.0.push((m.method.to_string(), m.args.len()));
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        if let Expr::Path(p) = &*c.func
            && let Some(last) = p.path.segments.last()
        {
            self.0.push((last.ident.to_string(), c.args.len()));
        }
        visit::visit_expr_call(self, c);
    }
}

/// Whether the identifier appears anywhere in the node (macros included).
fn mentions(node: &impl ToTokens, name: &str) -> bool {
    fn walk(tokens: proc_macro2::TokenStream, name: &str) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => i == name,
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), name),
            _ => false,
        })
    }
    walk(node.to_token_stream(), name)
}
