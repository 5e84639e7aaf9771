//! What watch mode shows. In a terminal the whole screen is redrawn from the state: every line wrapped at word
//! boundaries to the terminal's width (display width: Hangul takes two columns), then cut to its height so the
//! key line never scrolls away; without one, each new verdict is printed once, as plain lines.

use super::{Panel, WatchState};
use crate::cmd::Ctx;
use crate::i18n::{Lang, pick, t};
use crate::{render, term};
use console::{Style, Term};
use std::io::Write;

/// What one drawing showed, for the keys that move through it.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The verdict's lines scroll this far (0: it fits).
    pub max_scroll: usize,
    /// Lines of the verdict on screen at once.
    pub page: usize,
    /// Steps of the interleaving the lanes can select (0 in the list view).
    pub steps: usize,
}

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

    pub fn draw(&mut self, ctx: &Ctx, w: &WatchState) -> Shown {
        if self.interactive {
            let (rows, cols) = self.term.size();
            let (lines, shown) = self.compose(ctx, w, rows as usize, cols as usize);
            let _ = self.term.clear_screen();
            let _ = self.term.write_str(&lines.join("\n"));
            let _ = self.term.flush();
            shown
        } else {
            self.draw_plain(ctx, w);
            Shown::default()
        }
    }

    /// How verdicts are rendered on this screen: to its width, as lanes when chosen.
    fn render_options(&self, ctx: &Ctx, w: &WatchState, width: Option<usize>) -> render::Options {
        render::Options {
            width,
            view: if w.lanes {
                render::interleaving::View::Lanes {
                    selected: width.map(|_| w.selected),
                }
            } else {
                render::interleaving::View::List
            },
            ..ctx.render_options(false)
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
            // While the checker builds: said once, not a line per crate (the output may be a log).
            let doing = if w.building.is_some() {
                t(
                    self.lang,
                    "building the checker (once per machine; about a minute on 2 cores)…",
                    "검사기 빌드 중 (컴퓨터마다 한 번, 2코어에서 1분쯤)…",
                )
            } else {
                t(self.lang, "checking…", "검사 중…")
            };
            text = format!("── {} · {doing} ──", ex.name);
        } else if let Some(v) = &w.verdict {
            text = format!(
                "── {} ──\n{}\n{}",
                ex.name,
                render::verdict(&ctx.ws, v, &self.render_options(ctx, w, None)),
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

    /// The screen's lines for a terminal of `rows` × `cols`, and what they show.
    pub fn compose(
        &self,
        ctx: &Ctx,
        w: &WatchState,
        rows: usize,
        cols: usize,
    ) -> (Vec<String>, Shown) {
        let cols = cols.max(20);
        let ex = &ctx.ws.info.exercises[w.current];
        let concept = ctx.ws.info.concept(&ex.concept);
        let bold = self.style(Style::new().bold());
        let dim = self.style(Style::new().dim());

        let mut header = vec![];
        // The build's progress has a line of its own (below): beside the title it would be cut off at 80 columns.
        let status = if w.building.is_some() {
            String::new()
        } else if w.checking {
            t(self.lang, "checking…", "검사 중…").to_string()
        } else {
            String::new()
        };
        // The lanes key, where the key line has no room for it: beside the exercise, when there is a trace.
        let has_trace = w
            .verdict
            .as_ref()
            .is_some_and(|v| render::trace(v).is_some());
        let view_key = match (has_trace, w.lanes) {
            (false, _) => "",
            (true, false) => t(self.lang, "  v: lanes", "  v: 스레드별 보기"),
            (true, true) => t(self.lang, "  v: list", "  v: 목록 보기"),
        };
        header.push(format!(
            "{} · {} · {} {}{}",
            bold.apply_to(&ex.name),
            pick(self.lang, &concept.title),
            dim.apply_to(ex.kind.label(self.lang)),
            self.style(Style::new().yellow()).apply_to(status),
            dim.apply_to(view_key)
        ));
        if let Some(progress) = &w.building {
            header.push(
                self.style(Style::new().yellow())
                    .apply_to(format!(
                        "{} {progress}",
                        t(
                            self.lang,
                            "building the checker (once):",
                            "검사기 빌드 중 (한 번만):"
                        )
                    ))
                    .to_string(),
            );
        }
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
        let options = self.render_options(ctx, w, Some(cols));
        let mut body: Vec<String> = match &w.verdict {
            Some(v) => render::verdict(&ctx.ws, v, &options)
                .lines()
                .map(String::from)
                .collect(),
            None => self.waiting_lines(ctx, w),
        };
        // Only the lanes select a step: the list needs no count (and counting lays out the trace again).
        let steps = match &w.verdict {
            Some(v) if w.lanes => render::shown_steps(&ctx.ws, v, &options),
            _ => 0,
        };
        if w.verdict.as_ref().is_some_and(|v| v.passed()) {
            body.push(String::new());
            body.push(self.done_line(ctx, w));
        }
        let body = wrap_lines(body, cols);
        // The panel (a hint the learner asked for) wins over the verdict's tail; the key line always shows. The
        // last row stays empty (writing there scrolls the terminal), and an empty line goes before a panel.
        let panel_rows = if panel.is_empty() { 0 } else { panel.len() + 1 };
        let room = rows
            .saturating_sub(header.len() + footer.len() + panel_rows + 1)
            .max(3);
        let (body, shown) = self.scroll(body, room, w, steps);
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
        (text, shown)
    }

    /// The part of the verdict that fits in `room` lines: from the scroll position, or around the selected step
    /// in the lanes; the last line says which lines these are.
    fn scroll(
        &self,
        body: Vec<String>,
        room: usize,
        w: &WatchState,
        steps: usize,
    ) -> (Vec<String>, Shown) {
        if body.len() <= room {
            return (
                body,
                Shown {
                    max_scroll: 0,
                    page: room,
                    steps,
                },
            );
        }
        let visible = room - 1;
        let max_scroll = body.len() - visible;
        let selected_line = body
            .iter()
            .position(|l| console::strip_ansi_codes(l).starts_with('▶'));
        let start = match selected_line {
            Some(line) if w.lanes => line.saturating_sub(visible / 2),
            _ => w.scroll,
        }
        .min(max_scroll);
        let end = start + visible;
        let total = body.len();
        let mut shown: Vec<String> = body.into_iter().skip(start).take(visible).collect();
        let keys = if w.lanes {
            t(self.lang, "↑/↓ step", "↑/↓ 단계")
        } else {
            t(self.lang, "↑/↓ PgUp/PgDn scroll", "↑/↓ PgUp/PgDn 스크롤")
        };
        shown.push(
            self.style(Style::new().dim())
                .apply_to(match self.lang {
                    Lang::En => format!("── lines {}–{end} of {total} · {keys} ──", start + 1),
                    Lang::Ko => format!("── {total}줄 중 {}–{end}줄 · {keys} ──", start + 1),
                })
                .to_string(),
        );
        (
            shown,
            Shown {
                max_scroll,
                page: visible,
                steps,
            },
        )
    }

    /// A concept's title (bold) and summary.
    fn concept_lines(&self, concept: &crate::info_file::Concept) -> Vec<String> {
        let title = self
            .style(Style::new().bold())
            .apply_to(pick(self.lang, &concept.title));
        std::iter::once(title.to_string())
            .chain(
                pick(self.lang, &concept.summary)
                    .trim()
                    .lines()
                    .map(String::from),
            )
            .collect()
    }

    /// Before the first verdict (the one-time build of the checker takes a minute): the exercise's header and
    /// the concept, so the wait is reading time.
    fn waiting_lines(&self, ctx: &Ctx, w: &WatchState) -> Vec<String> {
        let dim = self.style(Style::new().dim());
        let ex = &ctx.ws.info.exercises[w.current];
        let mut out = vec![
            dim.apply_to(if w.building.is_some() {
                t(
                    self.lang,
                    "The checker is built once per machine (about a minute on 2 cores). Meanwhile, the exercise:",
                    "검사기는 컴퓨터마다 한 번만 빌드합니다 (2코어에서 1분쯤). 그동안 연습 문제를 읽어 보세요.",
                )
            } else {
                t(self.lang, "checking…", "검사 중…")
            })
            .to_string(),
            String::new(),
        ];
        // The concept first (a few lines), then the exercise's header, which scrolls (↓) on a small screen.
        out.extend(self.concept_lines(ctx.ws.info.concept(&ex.concept)));
        out.push(String::new());
        let text = std::fs::read_to_string(ctx.ws.exercise_file(ex)).unwrap_or_default();
        out.extend(
            text.lines()
                .map_while(|l| l.strip_prefix("//"))
                .map(|l| l.strip_prefix(' ').unwrap_or(l).to_string()),
        );
        out
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
            "n next · p prev · h hint · c concept · l list · a check all · r reset · q quit",
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
            Panel::Concept => out.extend(self.concept_lines(info.concept(&ex.concept))),
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
                    "exercises/{}를 처음 상태로 되돌리겠습니까? (y / 다른 키)",
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
                  어디에 있습니까? B에게 답하려면 무엇을 하고 있어야 합니까?";
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

    /// The screen as a learner sees it, in a terminal of each size and both languages: a failed model check of
    /// the fixture's `count_racy`, as a list and as lanes, and with the hints open.
    mod screens {
        use super::super::{Screen, Shown};
        use crate::app_state::AppState;
        use crate::check::{Outcome, Verdict};
        use crate::cmd::Ctx;
        use crate::exercise::{Source, Workspace};
        use crate::i18n::Lang;
        use crate::watch::{Panel, WatchState};
        use conc_check::report::{
            CheckResult, Failure, Op, Outcome as CheckOutcome, SourceLine, Title, Trace,
            TraceEvent, TraceObject,
        };

        const FILE: &str = "exercises/01_counting/count_racy.rs";

        /// A copy of the fixture curriculum (the runner keeps state beside it: never in the repository).
        fn ctx(lang: Lang) -> (Ctx, tempfile::TempDir) {
            fn copy(from: &std::path::Path, to: &std::path::Path) {
                std::fs::create_dir_all(to).unwrap();
                for entry in std::fs::read_dir(from).unwrap() {
                    let entry = entry.unwrap();
                    let target = to.join(entry.file_name());
                    if entry.file_type().unwrap().is_dir() {
                        copy(&entry.path(), &target);
                    } else {
                        std::fs::copy(entry.path(), target).unwrap();
                    }
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let fixture =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/curriculum");
            copy(&fixture, dir.path());
            let ctx = Ctx {
                ws: Workspace::open(Some(dir.path())).unwrap(),
                lang,
                color: false,
            };
            (ctx, dir)
        }

        /// Two threads add at once: both read 0, both write 1 (the lines of count_racy.rs).
        fn lost_update() -> Verdict {
            let at = |line| {
                Some(SourceLine {
                    file: FILE.into(),
                    line,
                })
            };
            let ev = |thread, op, line| TraceEvent {
                thread,
                op,
                at: line,
            };
            let load = |value: &str| Op::Load {
                obj: 0,
                value: value.into(),
            };
            let store = |value: &str| Op::Store {
                obj: 0,
                value: value.into(),
            };
            let trace = Trace {
                events: vec![
                    ev(0, Op::Spawn { child: 1 }, None),
                    ev(0, Op::Spawn { child: 2 }, None),
                    ev(1, load("0"), at(23)),
                    ev(2, load("0"), at(23)),
                    ev(1, store("1"), at(24)),
                    ev(2, store("1"), at(24)),
                    ev(1, Op::Exit, None),
                    ev(2, Op::Exit, None),
                    ev(0, Op::Join { child: 1 }, None),
                    ev(0, Op::Join { child: 2 }, None),
                    ev(0, load("1"), at(28)),
                ],
                objects: vec![TraceObject {
                    kind: "AtomicUsize".into(),
                    created_at: at(18).unwrap(),
                }],
                dropped: 0,
                kept: 0,
            };
            let failure = Failure::Panic {
                message: "assertion `left == right` failed: two threads added once each\n  left: 1\n right: 2"
                    .into(),
                location: Some(SourceLine {
                    file: "runner/checks/01_counting/count_racy.rs".into(),
                    line: 12,
                }),
                thread: Some(0),
                trace: Some(trace),
            };
            Verdict {
                exercise: "count_racy".into(),
                source: Source::Exercise,
                outcome: Outcome::Failed {
                    failure: Box::new(failure.clone()),
                },
                checks: vec![CheckResult {
                    index: 0,
                    total: 2,
                    title: Title {
                        en: "two threads add at once".into(),
                        ko: "두 스레드가 동시에 더하기".into(),
                    },
                    millis: 12,
                    executions: Some(1000),
                    outcome: CheckOutcome::Failed(failure),
                }],
                build_ms: 0,
                run_ms: 40,
            }
        }

        fn screen(
            lang: Lang,
            rows: usize,
            cols: usize,
            lanes: bool,
            panel: Panel,
        ) -> (String, Shown) {
            let (ctx, _dir) = ctx(lang);
            let state = AppState::load(&ctx.ws.root, &ctx.ws.info, lang);
            let current = ctx
                .ws
                .info
                .exercises
                .iter()
                .position(|e| e.name == "count_racy")
                .unwrap();
            let w = WatchState {
                current,
                verdict: Some(lost_update()),
                checking: false,
                building: None,
                panel,
                state,
                message: None,
                lanes,
                selected: 3,
                scroll: 0,
            };
            let (lines, shown) = Screen::new(false, false, lang).compose(&ctx, &w, rows, cols);
            // Every row but the last (writing there would scroll the terminal).
            assert_eq!(lines.len(), rows - 1, "{rows} rows: {lines:#?}");
            for line in &lines {
                assert!(
                    console::measure_text_width(line) <= cols,
                    "{cols} columns: {line:?}"
                );
                // Only code is shortened, after its place; the values before it never are.
                assert!(
                    !line.ends_with('…') || line.contains(".rs:"),
                    "cut: {line:?}"
                );
            }
            (format!("{}\n{}", "=".repeat(cols), lines.join("\n")), shown)
        }

        fn all_screens(rows: usize, cols: usize) -> String {
            let mut out = Vec::new();
            for lang in [Lang::En, Lang::Ko] {
                for (lanes, panel) in [
                    (false, Panel::None),
                    (true, Panel::None),
                    (false, Panel::Hints(3)),
                ] {
                    out.push(screen(lang, rows, cols, lanes, panel).0);
                }
            }
            out.join("\n")
        }

        #[test]
        fn at_60_by_20() {
            insta::assert_snapshot!(all_screens(20, 60));
        }

        #[test]
        fn at_80_by_24() {
            insta::assert_snapshot!(all_screens(24, 80));
        }

        #[test]
        fn at_120_by_40() {
            insta::assert_snapshot!(all_screens(40, 120));
        }

        #[test]
        fn every_value_of_the_interleaving_is_on_an_80_by_24_screen_in_both_views() {
            for lang in [Lang::En, Lang::Ko] {
                for lanes in [false, true] {
                    let (text, _) = screen(lang, 24, 80, lanes, Panel::None);
                    let reads = if lang == Lang::En {
                        "reads `n` = 0"
                    } else {
                        "`n` 읽음 = 0"
                    };
                    let writes = if lang == Lang::En {
                        "writes `n` = 1"
                    } else {
                        "`n`에 씀 = 1"
                    };
                    assert_eq!(text.matches(reads).count(), 2, "{text}");
                    assert_eq!(text.matches(writes).count(), 2, "{text}");
                }
            }
        }

        #[test]
        fn a_long_verdict_scrolls_and_says_where_it_is() {
            let (text, shown) = screen(Lang::En, 14, 60, false, Panel::None);
            assert!(shown.max_scroll > 0, "{text}");
            assert!(text.contains("── lines 1–"), "{text}");
            let (_, lanes) = screen(Lang::En, 14, 60, true, Panel::None);
            assert_eq!(lanes.steps, 11, "every step can be selected");
        }
    }
}
