//! From syntax-tree spans to byte ranges of the source, and edits of those ranges.

use proc_macro2::{LineColumn, Span};
use syn::spanned::Spanned;

/// Where each line starts, to turn a span's line and column (in characters) into a byte offset.
pub struct Lines<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Lines { source, starts }
    }

    fn offset(&self, at: LineColumn) -> usize {
        let start = self.starts[at.line - 1];
        let line = &self.source[start..];
        start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(i, _)| i)
    }

    /// The byte range a node covers.
    pub fn range(&self, node: &impl Spanned) -> std::ops::Range<usize> {
        self.span_range(node.span())
    }

    pub fn span_range(&self, span: Span) -> std::ops::Range<usize> {
        self.offset(span.start())..self.offset(span.end())
    }

    /// The source text of a node, as written.
    pub fn text(&self, node: &impl Spanned) -> &'a str {
        &self.source[self.range(node)]
    }
}

/// Replace `start..end` of the original by `with`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

impl Edit {
    pub fn replace(range: std::ops::Range<usize>, with: impl Into<String>) -> Edit {
        Edit {
            start: range.start,
            end: range.end,
            with: with.into(),
        }
    }

    pub fn insert(at: usize, with: impl Into<String>) -> Edit {
        Edit::replace(at..at, with)
    }
}

/// The source with every edit made; `None` when two edits overlap.
pub fn apply(source: &str, edits: &[Edit]) -> Option<String> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for e in edits {
        if e.start < at || e.end < e.start {
            return None;
        }
        out.push_str(&source[at..e.start]);
        out.push_str(&e.with);
        at = e.end;
    }
    out.push_str(&source[at..]);
    Some(out)
}

/// The lines that differ between two texts (same prefix and suffix cut away), trimmed, joined by " ⏎ ".
pub fn changed_lines(before: &str, after: &str) -> (String, String) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let join = |lines: &[&str]| {
        lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ⏎ ")
    };
    (
        join(&a[prefix..a.len() - suffix]),
        join(&b[prefix..b.len() - suffix]),
    )
}
