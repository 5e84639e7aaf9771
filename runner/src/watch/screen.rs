//! What watch mode shows. In a terminal the whole screen is redrawn from the state, cut to fit so the key
//! line never scrolls away; without one, each new verdict is printed once, as plain lines.

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
        }
        let panel = self.panel_lines(ctx, w).join("\n");
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
        let (rows, cols) = (rows as usize, cols as usize);
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
            dim.apply_to(ex.kind.as_str()),
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

        let panel = self.panel_lines(ctx, w);
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
            body.push(match self.lang {
                Lang::En => format!(
                    "Done! Compare with the reference solution: solutions/{} · n: next exercise",
                    ex.path
                ),
                Lang::Ko => format!(
                    "완료! 모범 답안과 비교해 보세요: solutions/{} · n: 다음 문제",
                    ex.path
                ),
            });
        }
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
        let text: Vec<String> = lines
            .iter()
            .map(|l| console::truncate_str(l, cols.max(20), "…").into_owned())
            .collect();
        let _ = self.term.clear_screen();
        let _ = self.term.write_str(&text.join("\n"));
        let _ = self.term.flush();
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

    fn panel_lines(&self, ctx: &Ctx, w: &WatchState) -> Vec<String> {
        let info = &ctx.ws.info;
        let ex = &info.exercises[w.current];
        let bold = self.style(Style::new().bold());
        let mut out = Vec::new();
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
        out
    }
}
