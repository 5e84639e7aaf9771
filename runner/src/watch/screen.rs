//! What watch mode shows. In a terminal the whole screen is redrawn from the state: every line wrapped at word
//! boundaries to the terminal's width (display width: Hangul takes two columns), then cut to its height so the
//! key line never scrolls away; without one, each new verdict is printed once, as plain lines.

use super::{Panel, WatchState};
use crate::cmd::Ctx;
use crate::i18n::{Lang, pick, t};
use crate::{render, term};
use console::{Style, Term};
use std::io::Write;

pub struct Screen {
    interactive: bool,
    color: bool,
    lang: Lang,
    term: Term,
    /// Plain mode: the last text printed, so nothing is printed twice.
    last_plain: String,
}

impl Screen {
    pub fn new(interactive: bool, color: bool, lang: Lang) -> Screen {
        let term = Term::stdout();
        if interactive {
            let _ = term.hide_cursor();
        }
        Screen {
            interactive,
            color,
            lang,
            term,
            last_plain: String::new(),
        }
    }

    fn style(&self, s: Style) -> Style {
        s.force_styling(self.color)
    }

    pub fn draw(&mut self, ctx: &Ctx, w: &WatchState) {
        if self.interactive {
            self.draw_screen(ctx, w)
        } else {
            self.draw_plain(ctx, w)
        }
    }

    pub fn restore(&mut self) {
        if self.interactive {
            let _ = self.term.show_cursor();
            let _ = self.term.write_line("");
        }
    }

    fn draw_plain(&mut self, ctx: &Ctx, w: &WatchState) {
        let ex = &ctx.ws.info.exercises[w.current];
        let mut text = String::new();
        if w.checking {
            text = format!(
                "── {} · {} ──",
                ex.name,
                t(self.lang, "checking…", "검사 중…")
            );
        } else if let Some(v) = &w.verdict {
            text = format!(
                "── {} ──\n{}\n{}",
                ex.name,
                render::verdict(&ctx.ws, v, &ctx.render_options(false)),
                self.progress_line(ctx, w)
            );
            if v.passed() {
                text = format!("{text}\n{}", self.done_line(ctx, w));
            }
        }
        let panel = self.panel_lines(ctx, w).0.join("\n");
        if !panel.is_empty() {
            text = format!("{text}\n{panel}");
        }
        if let Some(m) = &w.message {
            text = format!("{text}\n{m}");
        }
        if text != self.last_plain && !text.is_empty() {
            println!("{text}");
            let _ = std::io::stdout().flush();
            self.last_plain = text;
        }
    }

    fn draw_screen(&mut self, ctx: &Ctx, w: &WatchState) {
        let (rows, cols) = self.term.size();
        let (rows, cols) = (rows as usize, (cols as usize).max(20));
        let ex = &ctx.ws.info.exercises[w.current];
        let concept = ctx.ws.info.concept(&ex.concept);
        let bold = self.style(Style::new().bold());
        let dim = self.style(Style::new().dim());

        let mut header = vec![];
        let status = if let Some(krate) = &w.building {
            format!(
                "{} {krate}",
                t(
                    self.lang,
                    "building the checker (once):",
                    "검사기 빌드 중 (한 번만):"
                )
            )
        } else if w.checking {
            t(self.lang, "checking…", "검사 중…").to_string()
        } else {
            String::new()
        };
        header.push(format!(
            "{} · {} · {} {}",
            bold.apply_to(&ex.name),
            pick(self.lang, &concept.title),
            dim.apply_to(ex.kind.label(self.lang)),
            self.style(Style::new().yellow()).apply_to(status)
        ));
        let path = super::exercise_path(ctx, w);
        header.push(term::link(
            &path,
            &format!("exercises/{}", ex.path),
            self.color,
        ));
        header.push(String::new());

        let mut footer = vec![String::new()];
        if let Some(m) = &w.message {
            footer.push(self.style(Style::new().yellow()).apply_to(m).to_string());
        }
        footer.push(self.progress_line(ctx, w));
        footer.push(dim.apply_to(self.keys_line()).to_string());
        let footer = wrap_lines(footer, cols);

        let (panel, focus) = self.panel_lines(ctx, w);
        let panel = wrap_lines(panel, cols);
        // A panel longer than half the screen (the list) shows a window around its focus (the chosen exercise).
        let most = (rows.saturating_sub(header.len() + footer.len() + 2) * 2 / 3).max(5);
        let panel = window(panel, focus, most);
        let mut body: Vec<String> = match &w.verdict {
            Some(v) => render::verdict(&ctx.ws, v, &ctx.render_options(false))
                .lines()
                .map(String::from)
                .collect(),
            None => vec![
                dim.apply_to(t(self.lang, "checking…", "검사 중…"))
                    .to_string(),
            ],
        };
        if w.verdict.as_ref().is_some_and(|v| v.passed()) {
            body.push(String::new());
            body.push(self.done_line(ctx, w));
        }
        let mut body = wrap_lines(body, cols);
        // The panel (a hint the learner asked for) wins over the verdict's tail; the key line always shows.
        let room = rows
            .saturating_sub(header.len() + footer.len() + panel.len() + 1)
            .max(3);
        if body.len() > room {
            let cut = body.len() - room + 1;
            body.truncate(room - 1);
            body.push(
                dim.apply_to(match self.lang {
                    Lang::En => format!(
                        "… {cut} more lines (`conc-lings run {}` prints everything)",
                        ex.name
                    ),
                    Lang::Ko => format!(
                        "… {cut}줄 더 있음 (`conc-lings run {}`로 전부 볼 수 있습니다)",
                        ex.name
                    ),
                })
                .to_string(),
            );
        }
        let mut lines = header;
        lines.extend(body);
        if !panel.is_empty() {
            lines.push(String::new());
            lines.extend(panel);
        }
        let used = lines.len() + footer.len();
        lines.extend(std::iter::repeat_n(
            String::new(),
            rows.saturating_sub(used + 1),
        ));
        lines.extend(footer);
        // Already wrapped: only a word longer than the whole line (a long path) is cut here.
        let text: Vec<String> = lines
            .iter()
            .map(|l| console::truncate_str(l, cols, "…").into_owned())
            .collect();
        let _ = self.term.clear_screen();
        let _ = self.term.write_str(&text.join("\n"));
        let _ = self.term.flush();
    }

    /// What to do after a pass: compare with the reference solution, where this copy has one.
    fn done_line(&self, ctx: &Ctx, w: &WatchState) -> String {
        let ex = &ctx.ws.info.exercises[w.current];
        match (self.lang, ctx.ws.has_solutions()) {
            (Lang::En, true) => format!(
                "Done! Compare with the reference solution: solutions/{} · n: next exercise",
                ex.path
            ),
            (Lang::Ko, true) => format!(
                "완료! 모범 답안과 비교해 보세요: solutions/{} · n: 다음 문제",
                ex.path
            ),
            (Lang::En, false) => {
                "Done! (This copy has no reference solutions to compare with.) · n: next exercise"
                    .to_string()
            }
            (Lang::Ko, false) => {
                "완료! 이 사본에는 비교해 볼 모범 답안이 없습니다. · n: 다음 문제".to_string()
            }
        }
    }

    fn progress_line(&self, ctx: &Ctx, w: &WatchState) -> String {
        let info = &ctx.ws.info;
        let ex = &info.exercises[w.current];
        let done = info
            .exercises
            .iter()
            .filter(|e| w.state.is_done(&e.name))
            .count();
        let in_concept: Vec<_> = info
            .exercises
            .iter()
            .filter(|e| e.concept == ex.concept)
            .collect();
        let concept_done = in_concept
            .iter()
            .filter(|e| w.state.is_done(&e.name))
            .count();
        format!(
            "{} {} {done}/{}   {} {} {concept_done}/{}",
            t(self.lang, "all", "전체"),
            term::bar(done, info.exercises.len(), 20),
            info.exercises.len(),
            pick(self.lang, &info.concept(&ex.concept).title),
            term::bar(concept_done, in_concept.len(), 6),
            in_concept.len()
        )
    }

    fn keys_line(&self) -> &'static str {
        t(
            self.lang,
            "n next · p previous · h hint · c concept · l list · a check all · r reset · q quit",
            "n 다음 · p 이전 · h 힌트 · c 개념 · l 목록 · a 전체 검사 · r 되돌리기 · q 끝내기",
        )
    }

    /// The panel's lines, and the one to keep in view (the chosen exercise in the list).
    fn panel_lines(&self, ctx: &Ctx, w: &WatchState) -> (Vec<String>, Option<usize>) {
        let info = &ctx.ws.info;
        let ex = &info.exercises[w.current];
        let bold = self.style(Style::new().bold());
        let mut out = Vec::new();
        let mut focus = None;
        match w.panel {
            Panel::None => {}
            Panel::Hints(n) => {
                for (i, hint) in ex.hints.iter().take(n).enumerate() {
                    out.push(
                        bold.apply_to(format!(
                            "{} {}/{}",
                            t(self.lang, "Hint", "힌트"),
                            i + 1,
                            ex.hints.len()
                        ))
                        .to_string(),
                    );
                    out.extend(pick(self.lang, hint).lines().map(String::from));
                }
                if n < ex.hints.len() {
                    out.push(
                        t(
                            self.lang,
                            "(h again: the next hint)",
                            "(h를 다시 누르면 다음 힌트)",
                        )
                        .to_string(),
                    );
                }
            }
            Panel::Concept => {
                let concept = info.concept(&ex.concept);
                out.push(bold.apply_to(pick(self.lang, &concept.title)).to_string());
                out.extend(
                    pick(self.lang, &concept.summary)
                        .trim()
                        .lines()
                        .map(String::from),
                );
            }
            Panel::List { selected } => {
                let mut last_concept = "";
                for (i, e) in info.exercises.iter().enumerate() {
                    if e.concept != last_concept {
                        out.push(
                            bold.apply_to(pick(self.lang, &info.concept(&e.concept).title))
                                .to_string(),
                        );
                        last_concept = &e.concept;
                    }
                    let mark = if w.state.is_done(&e.name) { "✓" } else { " " };
                    let cursor = if i == selected { "▶" } else { " " };
                    if i == selected {
                        focus = Some(out.len());
                    }
                    out.push(format!(" {cursor} {mark} {}", e.name));
                }
                out.push(
                    t(
                        self.lang,
                        "↑/↓ choose · Enter go · any other key: back",
                        "↑/↓ 선택 · Enter 이동 · 다른 키: 돌아가기",
                    )
                    .into(),
                );
            }
            Panel::ConfirmReset => out.push(match self.lang {
                Lang::En => format!(
                    "Reset exercises/{} to its original text? (y / any other key)",
                    ex.path
                ),
                Lang::Ko => format!(
                    "exercises/{}를 처음 상태로 되돌릴까요? (y / 다른 키)",
                    ex.path
                ),
            }),
            Panel::CheckedAll(passed, total) => out.push(match self.lang {
                Lang::En => format!("Checked every exercise: {passed} of {total} pass."),
                Lang::Ko => format!("모든 연습 문제를 검사했습니다: {total}개 중 {passed}개 통과."),
            }),
        }
        (out, focus)
    }
}

/// Every line wrapped at word boundaries to `width` display columns (ANSI colours take none, Hangul two), its
/// continuation lines indented like the line itself.
pub fn wrap_lines(lines: Vec<String>, width: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if console::measure_text_width(&line) <= width {
            out.push(line);
            continue;
        }
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let deeper = format!("{indent}  ");
        // At spaces only: Korean breaks between 어절, never inside one (Unicode's rules would split a 어절).
        let options = textwrap::Options::new(width)
            .subsequent_indent(&deeper)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(false);
        out.extend(
            textwrap::wrap(&line, options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    out
}

/// At most `most` of `lines`, a window that keeps `focus` in view (with a line of context above it).
fn window(lines: Vec<String>, focus: Option<usize>, most: usize) -> Vec<String> {
    if lines.len() <= most {
        return lines;
    }
    let focus = focus.unwrap_or(0);
    let start = focus.saturating_sub(1).min(lines.len() - most);
    lines.into_iter().skip(start).take(most).collect()
}

#[cfg(test)]
mod tests {
    use super::{window, wrap_lines};

    #[test]
    fn long_lines_wrap_at_word_boundaries_within_the_width_in_both_languages() {
        let en = "Client A is connected and says nothing; client B says something. Where is the server at that \
                  moment — and what would it need to be doing to answer B?";
        let ko = "클라이언트 A는 연결만 하고 아무 말도 하지 않고, 클라이언트 B가 말을 합니다. 그 순간 서버는 \
                  어디에 있나요? B에게 답하려면 무엇을 하고 있어야 할까요?";
        for (text, width) in [(en, 60), (en, 80), (ko, 60), (ko, 80)] {
            let lines = wrap_lines(vec![format!("  {text}")], width);
            assert!(lines.len() > 1, "{lines:?}");
            for line in &lines {
                assert!(
                    console::measure_text_width(line) <= width,
                    "{width}: {line:?}"
                );
                assert!(!line.ends_with('…'), "{line:?}");
            }
            // Nothing lost: the words, in order.
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
            assert!(
                lines[1].starts_with("    "),
                "continuation indented: {lines:?}"
            );
        }
        let coloured = format!("\u{1b}[2m{}\u{1b}[0m", "word ".repeat(30));
        for line in wrap_lines(vec![coloured], 40) {
            assert!(console::measure_text_width(&line) <= 40, "{line:?}");
        }
    }

    #[test]
    fn a_long_panel_keeps_its_focus_in_view() {
        let lines: Vec<String> = (0..80).map(|i| i.to_string()).collect();
        let shown = window(lines.clone(), Some(50), 10);
        assert_eq!(shown.len(), 10);
        assert_eq!(shown[0], "49");
        assert!(shown.contains(&"50".to_string()));
        assert_eq!(window(lines.clone(), Some(79), 10).last().unwrap(), "79");
        assert_eq!(window(lines.clone(), None, 10)[0], "0");
        assert_eq!(window(lines[..5].to_vec(), Some(3), 10).len(), 5);
    }
}
