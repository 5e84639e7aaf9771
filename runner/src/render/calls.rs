//! Which call in the learner's code led into a helper. The trace has one source line per step, not a call stack:
//! a thread stuck at `self.shelf.lock()` inside `in_stock()` shows line 45, while the mistake is the call to
//! `in_stock()` at line 61 in `sell()`, made with the lock already held. Read from the source: the functions of
//! the file, and the calls each one makes.

use proc_macro2::Span;
use std::path::Path;
use syn::spanned::Spanned;
use syn::visit::Visit;

#[derive(Debug)]
struct Function {
    name: String,
    start: usize,
    end: usize,
}

/// The functions and calls of one source file.
#[derive(Debug, Default)]
pub(super) struct Functions {
    functions: Vec<Function>,
    /// Every call by the name it calls (a method's or a path's last segment), with its line.
    calls: Vec<(String, usize)>,
}

/// A call that led into the function a step is in.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct CallSite {
    /// The function the step is in.
    pub callee: String,
    /// The line of the call to it.
    pub line: usize,
}

impl Functions {
    pub(super) fn of_file(path: &Path) -> Option<Functions> {
        Self::parse(&std::fs::read_to_string(path).ok()?)
    }

    pub(super) fn parse(source: &str) -> Option<Functions> {
        let file = syn::parse_file(source).ok()?;
        let mut found = Functions::default();
        found.visit_file(&file);
        Some(found)
    }

    /// The innermost function that contains `line`.
    fn enclosing(&self, line: usize) -> Option<&Function> {
        self.functions
            .iter()
            .filter(|f| f.start <= line && line <= f.end)
            .min_by_key(|f| f.end - f.start)
    }

    /// Whether two lines are in the same (innermost) function.
    pub(super) fn same_function(&self, a: usize, b: usize) -> bool {
        match (self.enclosing(a), self.enclosing(b)) {
            (Some(f), Some(g)) => std::ptr::eq(f, g),
            _ => false,
        }
    }

    /// For a step at `line` whose thread's previous step (with a line) was at `before`: when the two are in
    /// different functions, the call into the step's function that the earlier one makes at or after `before`.
    pub(super) fn call_into(&self, line: usize, before: usize) -> Option<CallSite> {
        let callee = self.enclosing(line)?;
        let caller = self.enclosing(before)?;
        if std::ptr::eq(callee, caller) {
            return None;
        }
        self.calls
            .iter()
            .filter(|(name, at)| {
                *name == callee.name
                    && *at >= before
                    && self.enclosing(*at).is_some_and(|f| std::ptr::eq(f, caller))
            })
            .map(|(_, at)| *at)
            .min()
            .map(|line| CallSite {
                callee: callee.name.clone(),
                line,
            })
    }

    fn add_function(&mut self, name: &syn::Ident, span: Span) {
        self.functions.push(Function {
            name: name.to_string(),
            start: span.start().line,
            end: span.end().line,
        });
    }
}

impl<'ast> Visit<'ast> for Functions {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add_function(&f.sig.ident, f.span());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.add_function(&f.sig.ident, f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.calls
            .push((call.method.to_string(), call.method.span().start().line));
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func
            && let Some(last) = path.path.segments.last()
        {
            self.calls
                .push((last.ident.to_string(), last.ident.span().start().line));
        }
        syn::visit::visit_expr_call(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: &str = r#"
struct Shop { shelf: Mutex<u32> }
impl Shop {
    fn in_stock(&self) -> u32 {
        *self.shelf.lock().unwrap()
    }
    fn sell(&self, n: u32) -> bool {
        let mut shelf = self.shelf.lock().unwrap();
        if self.in_stock() < n {
            return false;
        }
        *shelf -= n;
        true
    }
    fn sell_all(&self) -> u32 {
        let shelf = self.shelf.lock().unwrap();
        let n = *shelf;
        self.sell(n);
        free(n)
    }
}
fn free(n: u32) -> u32 { n }
"#;

    #[test]
    fn a_step_inside_a_helper_is_traced_to_the_call_in_the_function_the_thread_was_in() {
        let f = Functions::parse(SHOP).unwrap();
        // Locked at line 8 in sell, then stuck at line 5 in in_stock: the call at line 9.
        assert_eq!(
            f.call_into(5, 8),
            Some(CallSite {
                callee: "in_stock".into(),
                line: 9
            })
        );
        // Locked at line 16 in sell_all, then stuck at line 8 in sell: the call at line 18.
        assert_eq!(
            f.call_into(8, 16),
            Some(CallSite {
                callee: "sell".into(),
                line: 18
            })
        );
        // A plain function call counts too.
        assert_eq!(f.call_into(22, 16).map(|c| c.line), Some(19));
    }

    #[test]
    fn steps_in_one_function_or_without_a_call_between_them_have_no_call_site() {
        let f = Functions::parse(SHOP).unwrap();
        assert_eq!(f.call_into(12, 8), None, "same function");
        // sell_all's step at 18 comes after sell's only call of in_stock: not the way in.
        assert_eq!(f.call_into(5, 18), None);
        assert!(Functions::parse("fn broken(").is_none());
    }
}
