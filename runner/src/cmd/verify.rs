//! `verify`: check every exercise at once, for a learner ("how far am I?") or for grading in CI.

use super::Ctx;
use crate::check::{self, Target, Verdict};
use crate::exercise::Workspace;
use crate::grading::{self, Tamper};
use crate::i18n::{self, Lang, t};
use crate::points::{self, ConceptPoints, Total};
use crate::render;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// JUnit XML, as GitHub Actions test reporters and GitHub Classroom read it.
    Junit,
}

/// What `verify` was asked for besides the workspace.
pub struct Args<'a> {
    pub format: Format,
    pub jobs: Option<usize>,
    /// Only the exercises of these concepts (info.toml ids); all when empty.
    pub concepts: &'a [String],
}

/// The JSON report: points per concept and in total, then every verdict. `tampering` only in grading mode,
/// where the student's repository is compared with the template.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    grading: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tampering: Option<&'a [Tamper]>,
    concepts: Vec<ConceptPoints>,
    total: Total,
    verdicts: &'a [Verdict],
}

fn json(ws: &Workspace, verdicts: &[Verdict], tampering: Option<&[Tamper]>) -> Result<String> {
    let concepts = points::per_concept(&ws.info, verdicts);
    let total = points::total(&concepts);
    Ok(serde_json::to_string_pretty(&JsonReport {
        grading: tampering.is_some(),
        tampering,
        concepts,
        total,
        verdicts,
    })?)
}

/// Every exercise, or those of the named concepts; an unknown concept is a usage error that lists the known ones.
pub fn selected<'a>(ws: &'a Workspace, concepts: &[String], lang: Lang) -> Result<Vec<Target<'a>>> {
    let known: Vec<&str> = ws.info.concepts.iter().map(|c| c.id.as_str()).collect();
    for name in concepts {
        if !known.contains(&name.as_str()) {
            match lang {
                Lang::En => bail!(
                    "there is no concept called `{name}`; the concepts are: {}",
                    known.join(", ")
                ),
                Lang::Ko => bail!(
                    "이름이 `{name}`인 개념은 없습니다. 개념 목록: {}",
                    known.join(", ")
                ),
            }
        }
    }
    Ok(Target::every_exercise(ws)
        .into_iter()
        .filter(|t| concepts.is_empty() || concepts.contains(&t.exercise.concept))
        .collect())
}

/// `verify --grading --template DIR`, run in the student's repository (`ctx.ws`).
pub fn grade(
    student: &Path,
    template: &Path,
    args: Args<'_>,
    lang: Lang,
    color: bool,
) -> Result<ExitCode> {
    let Args {
        format,
        jobs,
        concepts,
    } = args;
    let template = std::fs::canonicalize(template)
        .with_context(|| format!("cannot open the template checkout {}", template.display()))?;
    let tampered = grading::tampering(&template, student);
    let mut ws = Workspace::open(Some(&template))?;
    ws.exercises_dir = student.join("exercises");
    let ctx = Ctx { ws, lang, color };
    let targets = selected(&ctx.ws, concepts, lang)?;
    let verdicts = check::check_all(
        &ctx.ws,
        &targets,
        &ctx.check_options(jobs),
        &mut super::build_progress(ctx.color, ctx.lang),
    )?;
    for t in &tampered {
        eprintln!(
            "{} {}: {}",
            console::style("tampered:")
                .red()
                .bold()
                .force_styling(ctx.color),
            t.path,
            t.what
        );
    }
    if !tampered.is_empty() {
        eprintln!(
            "{}",
            t(
                ctx.lang,
                "Grading fails: files that must stay as the template has them were changed (listed above).",
                "채점 실패: 템플릿 그대로여야 하는 파일이 바뀌었습니다 (위 목록)."
            )
        );
    }
    match format {
        Format::Text => print_text(&ctx, &verdicts),
        Format::Json => println!("{}", json(&ctx.ws, &verdicts, Some(&tampered))?),
        Format::Junit => print!("{}", junit(&ctx, &verdicts, &tampered)),
    }
    let all_passed = verdicts.iter().all(Verdict::passed) && tampered.is_empty();
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn run(ctx: &Ctx, args: Args<'_>) -> Result<ExitCode> {
    let Args {
        format,
        jobs,
        concepts,
    } = args;
    let targets = selected(&ctx.ws, concepts, ctx.lang)?;
    let mut state = ctx.state();
    let mut options = ctx.check_options(jobs);
    // Compile errors keep rustc's colours only for a terminal to show: JSON and JUnit are read by programs.
    options.color &= matches!(format, Format::Text);
    let verdicts = check::check_all(
        &ctx.ws,
        &targets,
        &options,
        &mut super::build_progress(ctx.color, ctx.lang),
    )?;
    let mut changed = false;
    for v in &verdicts {
        changed |= state.set_done(&v.exercise, v.passed());
    }
    if changed {
        if let Err(e) = state.save() {
            super::warn(ctx, &format!("{e:#}"));
        }
    }
    match format {
        Format::Text => print_text(ctx, &verdicts),
        Format::Json => println!("{}", json(&ctx.ws, &verdicts, None)?),
        Format::Junit => print!("{}", junit(ctx, &verdicts, &[])),
    }
    let all_passed = verdicts.iter().all(Verdict::passed);
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_text(ctx: &Ctx, verdicts: &[Verdict]) {
    // Only the first line of each verdict is shown, after a mark of our own: rendered without colours, so its
    // own (coloured) `✗ ` can be taken off.
    let options = render::Options {
        color: false,
        ..ctx.render_options(false)
    };
    for v in verdicts {
        if v.passed() {
            println!(
                "{} {}",
                console::style("✓").green().force_styling(ctx.color),
                v.exercise
            );
        } else {
            let first = render::verdict(&ctx.ws, v, &options);
            let first = first
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("✗ ")
                .to_string();
            println!(
                "{} {:<28} {}",
                console::style("✗").red().force_styling(ctx.color),
                v.exercise,
                first
            );
        }
    }
    let passed = verdicts.iter().filter(|v| v.passed()).count();
    println!(
        "\n{}",
        match ctx.lang {
            Lang::En => format!("{passed} of {} exercises pass.", verdicts.len()),
            Lang::Ko => format!("연습 문제 {}개 중 {passed}개 통과.", verdicts.len()),
        }
    );
}

/// One `<testsuite>` per concept, one `<testcase>` per exercise; a failure carries the full rendered verdict.
pub fn junit(ctx: &Ctx, verdicts: &[Verdict], tampered: &[Tamper]) -> String {
    let escape = |text: &str| quick_xml::escape::escape(xml_chars(text)).into_owned();
    let plain = render::Options {
        color: false,
        ..ctx.render_options(false)
    };
    let integrity = usize::from(!tampered.is_empty());
    let failures = verdicts.iter().filter(|v| !v.passed()).count() + integrity;
    let seconds = |v: &Verdict| (v.run_ms as f64) / 1000.0;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"conc-lings\" tests=\"{}\" failures=\"{failures}\" time=\"{:.3}\">\n",
        verdicts.len() + integrity,
        verdicts.iter().map(seconds).sum::<f64>()
    ));
    if !tampered.is_empty() {
        // A test case of its own, so a class dashboard shows tampering next to the exercises.
        let list: Vec<String> = tampered
            .iter()
            .map(|t| format!("{}: {}", t.path, t.what))
            .collect();
        xml.push_str(&format!(
            "  <testsuite name=\"integrity\" tests=\"1\" failures=\"1\" time=\"0\">\n    <testcase name=\"files that must match the template\" classname=\"conc-lings.integrity\" time=\"0\">\n      <failure message=\"{} file(s) differ from the template\" type=\"tampering\">{}</failure>\n    </testcase>\n  </testsuite>\n",
            tampered.len(),
            escape(&list.join("\n"))
        ));
    }
    for concept in &ctx.ws.info.concepts {
        let in_concept: Vec<&Verdict> = verdicts
            .iter()
            .filter(|v| {
                ctx.ws
                    .info
                    .exercise(&v.exercise)
                    .is_some_and(|e| e.concept == concept.id)
            })
            .collect();
        if in_concept.is_empty() {
            continue;
        }
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" time=\"{:.3}\">\n",
            escape(i18n::pick(ctx.lang, &concept.title)),
            in_concept.len(),
            in_concept.iter().filter(|v| !v.passed()).count(),
            in_concept.iter().map(|v| seconds(v)).sum::<f64>()
        ));
        for v in in_concept {
            xml.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"conc-lings.{}\" time=\"{:.3}\"",
                escape(&v.exercise),
                escape(&concept.id),
                seconds(v)
            ));
            if v.passed() {
                xml.push_str("/>\n");
            } else {
                let text = render::verdict(&ctx.ws, v, &plain);
                let message = text
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("✗ ");
                let kind = serde_json::to_value(&v.outcome)
                    .ok()
                    .and_then(|o| o["verdict"].as_str().map(String::from));
                xml.push_str(&format!(
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                    escape(message),
                    escape(kind.as_deref().unwrap_or("failed")),
                    escape(&text)
                ));
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// `text` with only what XML 1.0 allows: no terminal escape codes (rustc's colours stay in compile errors when
/// colours are on), and no other control characters (a program's output may hold any), which become U+FFFD.
fn xml_chars(text: &str) -> String {
    console::strip_ansi_codes(text)
        .chars()
        .map(|c| match c {
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::xml_chars;

    #[test]
    fn xml_chars_drops_colours_and_replaces_control_characters() {
        assert_eq!(xml_chars("\x1b[1m\x1b[91merror\x1b[0m: a<b"), "error: a<b");
        assert_eq!(
            xml_chars("bell\x07 nul\0 ok\ttab\nline"),
            "bell\u{FFFD} nul\u{FFFD} ok\ttab\nline"
        );
        assert_eq!(xml_chars("검사 \u{FFFF}"), "검사 \u{FFFD}");
    }
}
