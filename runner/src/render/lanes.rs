//! The interleaving as lanes: one column per thread, time downwards, each step in its thread's column as
//! `:line effect`. A thick bar beside a lane marks the time the thread holds a lock. The code of the selected
//! step (or, with none selected, of every line the steps ran, once each) is shown under the lanes.

use super::interleaving::{Holders, Options, Shown, Step, file_label, thread_label};
use super::names::Sources;
use conc_check::report::{SourceLine, Trace};
use std::collections::BTreeSet;

/// Without a known terminal width (a pipe), lanes fit the classic terminal.
const DEFAULT_WIDTH: usize = 80;
/// Narrower lanes than this wrap every word on its own line: fewer, wider lanes read better.
const NARROWEST_LANE: usize = 10;

/// The lanes, the gap between kept and last steps, and the code under them.
pub(super) fn render(
    shown: &Shown,
    trace: &Trace,
    options: &Options<'_>,
    selected: Option<usize>,
) -> Vec<String> {
    let lang = options.lang;
    let width = options.width.unwrap_or(DEFAULT_WIDTH).max(40);
    let steps: Vec<&(Step, usize)> = shown.kept.iter().chain(&shown.recorded).collect();
    let threads: Vec<usize> = steps
        .iter()
        .map(|(s, _)| s.thread)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if steps.is_empty() {
        return shown.gap_lines(lang);
    }
    let selected = selected.map(|k| k.min(steps.len() - 1));
    let holding = holding_after_each_event(trace);

    // "▶12 " before the lanes: a mark for the selected step and the step's number.
    let number_width = steps.len().to_string().len() + 2;
    // Each lane: a bar, a space, the text.
    let lane = ((width - number_width) / threads.len()).max(NARROWEST_LANE);
    let text_width = lane - 2;

    let mut lines = Vec::new();
    let mut header = " ".repeat(number_width);
    for &thread in &threads {
        header.push_str("  ");
        header.push_str(&pad(&thread_label(thread, lang), text_width));
    }
    lines.push(header.trim_end().to_string());

    let wrap = |text: &str| -> Vec<String> {
        let options = textwrap::Options::new(text_width)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(true);
        textwrap::wrap(text, options)
            .into_iter()
            .map(|l| l.into_owned())
            .collect()
    };
    for (row, (step, repeat)) in steps.iter().enumerate() {
        if row == shown.kept.len() {
            lines.extend(shown.gap_lines(lang).into_iter().map(|l| format!("  {l}")));
        }
        let place = match &step.at {
            Some(at) if at.file == options.learner_file => format!(":{} ", at.line),
            Some(at) => format!("{}:{} ", file_label(&at.file, options), at.line),
            None => String::new(),
        };
        let times = if *repeat > 1 {
            format!(" (×{repeat})")
        } else {
            String::new()
        };
        let cell = wrap(&format!("{place}{}{times}", step.effect));
        let holders = holding.get(step.index).cloned().unwrap_or_default();
        for (i, text) in cell.iter().enumerate() {
            let mark = if i > 0 {
                " "
            } else if selected == Some(row) {
                "▶"
            } else {
                " "
            };
            let number = if i == 0 {
                (row + 1).to_string()
            } else {
                String::new()
            };
            let mut line = format!("{mark}{number:>w$} ", w = number_width - 2);
            for &thread in &threads {
                // A thick bar while the thread holds a lock (after this step), a thin one otherwise.
                line.push(if holders.contains(&thread) {
                    '┃'
                } else {
                    '│'
                });
                line.push(' ');
                let content = if thread == step.thread {
                    text.as_str()
                } else {
                    ""
                };
                line.push_str(&pad(content, text_width));
            }
            lines.push(line.trim_end().to_string());
        }
    }

    lines.push(String::new());
    let mut sources = Sources::new(options.root);
    let mut code_line = |at: &SourceLine| {
        let code = sources.line(&at.file, at.line).unwrap_or_default();
        format!(
            "{}:{:<4} {}",
            file_label(&at.file, options),
            at.line,
            code.trim()
        )
    };
    let fit = |line: String| console::truncate_str(&line, width, "…").into_owned();
    match selected {
        Some(row) => {
            let (step, _) = steps[row];
            let at = step.at.as_ref().map(&mut code_line).unwrap_or_default();
            let (en, ko) = (
                format!(
                    "▶ step {} · {} · {at}",
                    row + 1,
                    thread_label(step.thread, lang)
                ),
                format!(
                    "▶ {}단계 · {} · {at}",
                    row + 1,
                    thread_label(step.thread, lang)
                ),
            );
            lines.push(fit(format!("  {}", super::t(lang, &en, &ko))));
            lines.push(fit(format!(
                "  {}",
                super::t(
                    lang,
                    "↑/↓ choose a step · v the list view",
                    "↑/↓ 단계 선택 · v 목록 보기"
                )
            )));
        }
        None => {
            let mut seen: Vec<&SourceLine> = Vec::new();
            for (step, _) in &steps {
                if let Some(at) = &step.at
                    && !seen.contains(&at)
                {
                    seen.push(at);
                }
            }
            for at in seen {
                lines.push(fit(format!("  {}", code_line(at))));
            }
        }
    }
    lines
}

/// For each event of the trace, the threads that hold at least one lock once it has happened.
fn holding_after_each_event(trace: &Trace) -> Vec<BTreeSet<usize>> {
    let mut holders = Holders::default();
    trace
        .events
        .iter()
        .map(|e| {
            holders.track(e);
            holders
                .held
                .values()
                .flat_map(|h| h.iter().map(|(t, _)| *t))
                .collect()
        })
        .collect()
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let used = console::measure_text_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
