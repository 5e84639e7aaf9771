//! `class-report REPORT…`: many students' grading reports in one table, for the instructor. Reads the JSON of
//! `verify --format json` and the JUnit XML of `verify --format junit`; writes points per student and per
//! concept as Markdown (stdout by default) and CSV, and lists the exercises most students fail.

use crate::i18n::Lang;
use crate::points::{self, ConceptPoints};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Args<'a> {
    pub reports: &'a [PathBuf],
    pub csv: Option<&'a Path>,
    pub markdown: Option<&'a Path>,
    pub top: usize,
}

/// One student's results, whatever format they came in.
#[derive(Debug, PartialEq, Eq)]
pub struct StudentReport {
    pub student: String,
    pub concepts: Vec<ConceptPoints>,
    /// Every exercise in the report, in its order, and whether it passed.
    pub exercises: Vec<(String, bool)>,
    /// Files that differ from the template (grading mode); 0 when none or not checked.
    pub tampered: usize,
}

pub fn run(args: &Args<'_>, lang: Lang) -> Result<ExitCode> {
    let mut students = Vec::new();
    for path in args.reports {
        students.push(read(path).with_context(|| format!("{}", path.display()))?);
    }
    students.sort_by(|a, b| a.student.cmp(&b.student));
    let class = Class::of(students);
    if let Some(path) = args.csv {
        std::fs::write(path, class.csv()?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let markdown = class.markdown(args.top, lang);
    match args.markdown {
        Some(path) => std::fs::write(path, markdown)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{markdown}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads one report; the student is the report's `student` field if it has one, else the file's stem.
pub fn read(path: &Path) -> Result<StudentReport> {
    let text = std::fs::read_to_string(path).context("cannot read the report")?;
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    match text.trim_start().chars().next() {
        Some('{') => from_json(&text, stem),
        Some('<') => from_junit(&text, stem),
        _ => bail!("neither JSON nor JUnit XML from `conc-lings verify`"),
    }
}

#[derive(Deserialize)]
struct JsonReport {
    student: Option<String>,
    #[serde(default)]
    tampering: Vec<serde::de::IgnoredAny>,
    concepts: Vec<ConceptPoints>,
    verdicts: Vec<JsonVerdict>,
}

#[derive(Deserialize)]
struct JsonVerdict {
    exercise: String,
    verdict: String,
}

fn from_json(text: &str, stem: String) -> Result<StudentReport> {
    let report: JsonReport = serde_json::from_str(text)
        .context("not the JSON of `conc-lings verify --format json` (concepts, verdicts)")?;
    Ok(StudentReport {
        student: report.student.unwrap_or(stem),
        concepts: report.concepts,
        exercises: report
            .verdicts
            .into_iter()
            .map(|v| (v.exercise, v.verdict == "passed"))
            .collect(),
        tampered: report.tampering.len(),
    })
}

/// The JUnit of `verify --format junit`: a test case per exercise, its concept in `classname`
/// (`conc-lings.<concept>`), a `<failure>` when it did not pass; the `integrity` case says how many files differ.
fn from_junit(text: &str, stem: String) -> Result<StudentReport> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut exercises: Vec<(String, bool)> = Vec::new();
    let mut concept_of: Vec<String> = Vec::new();
    let mut tampered = 0;
    // The test case being read (a `<testcase>` with children), and whether it is the integrity one.
    let mut open: Option<(String, String)> = None;
    loop {
        let event = reader.read_event().context("not valid XML")?;
        let (element, closed) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.name().as_ref() == b"testcase" => {
                if let Some((name, concept)) = open.take() {
                    if concept != "integrity" {
                        exercises.push((name, true));
                        concept_of.push(concept);
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let attribute = |key: &str| -> Result<String> {
            Ok(match element.try_get_attribute(key)? {
                Some(a) => a.unescape_value()?.into_owned(),
                None => String::new(),
            })
        };
        match element.name().as_ref() {
            b"testcase" => {
                let name = attribute("name")?;
                let classname = attribute("classname")?;
                let concept = classname
                    .strip_prefix("conc-lings.")
                    .unwrap_or(&classname)
                    .to_string();
                if closed {
                    exercises.push((name, true));
                    concept_of.push(concept);
                } else {
                    open = Some((name, concept));
                }
            }
            b"failure" | b"error" => {
                if let Some((name, concept)) = open.take() {
                    if concept == "integrity" {
                        // "N file(s) differ from the template"
                        let message = attribute("message")?;
                        tampered = message
                            .split_whitespace()
                            .next()
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(1);
                    } else {
                        exercises.push((name, false));
                        concept_of.push(concept);
                    }
                }
            }
            _ => {}
        }
    }
    if exercises.is_empty() && tampered == 0 {
        bail!("no test cases: not the JUnit of `conc-lings verify --format junit`");
    }
    let mut concepts: Vec<ConceptPoints> = Vec::new();
    for ((_, passed), concept) in exercises.iter().zip(&concept_of) {
        let at = match concepts.iter().position(|c| &c.name == concept) {
            Some(at) => at,
            None => {
                concepts.push(ConceptPoints {
                    name: concept.clone(),
                    points: 0,
                    max: 0,
                });
                concepts.len() - 1
            }
        };
        concepts[at].max += 1;
        concepts[at].points += usize::from(*passed);
    }
    Ok(StudentReport {
        student: stem,
        concepts,
        exercises,
        tampered,
    })
}

/// Every student, and the concepts and exercises of the class in the order the reports name them.
pub struct Class {
    students: Vec<StudentReport>,
    /// Concept id and its number of exercises (from the first report that has it).
    concepts: Vec<(String, usize)>,
    exercises: Vec<String>,
}

impl Class {
    pub fn of(students: Vec<StudentReport>) -> Class {
        let mut concepts: Vec<(String, usize)> = Vec::new();
        let mut exercises: Vec<String> = Vec::new();
        for s in &students {
            for c in &s.concepts {
                if !concepts.iter().any(|(name, _)| name == &c.name) {
                    concepts.push((c.name.clone(), c.max));
                }
            }
            for (name, _) in &s.exercises {
                if !exercises.contains(name) {
                    exercises.push(name.clone());
                }
            }
        }
        Class {
            students,
            concepts,
            exercises,
        }
    }

    fn points<'a>(student: &'a StudentReport, concept: &str) -> Option<&'a ConceptPoints> {
        student.concepts.iter().find(|c| c.name == concept)
    }

    /// One row per student: total, files changed, then points per concept (empty where the report has none).
    pub fn csv(&self) -> Result<String> {
        let mut out = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "student".to_string(),
            "points".to_string(),
            "max".to_string(),
            "tampered_files".to_string(),
        ];
        header.extend(
            self.concepts
                .iter()
                .map(|(name, max)| format!("{name} (of {max})")),
        );
        out.write_record(&header)?;
        for s in &self.students {
            let total = points::total(&s.concepts);
            let mut row = vec![
                s.student.clone(),
                total.points.to_string(),
                total.max.to_string(),
                s.tampered.to_string(),
            ];
            row.extend(self.concepts.iter().map(|(name, _)| {
                Self::points(s, name).map_or(String::new(), |c| c.points.to_string())
            }));
            out.write_record(&row)?;
        }
        Ok(String::from_utf8(out.into_inner()?)?)
    }

    /// Exercises that at least one student failed, most failures first (ties in the reports' order).
    pub fn most_failed(&self, top: usize) -> Vec<(&str, usize)> {
        let mut failures: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &self.students {
            for (name, passed) in &s.exercises {
                if !passed {
                    *failures.entry(name).or_default() += 1;
                }
            }
        }
        let mut list: Vec<(&str, usize)> = self
            .exercises
            .iter()
            .filter_map(|e| failures.get(e.as_str()).map(|n| (e.as_str(), *n)))
            .collect();
        // Stable: equal counts keep the curriculum's order.
        list.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        list.truncate(top);
        list
    }

    pub fn markdown(&self, top: usize, lang: Lang) -> String {
        let n = self.students.len();
        let t = |en: &'static str, ko: &'static str| crate::i18n::t(lang, en, ko);
        let mut md = format!("# {}\n\n", t("Class report", "수업 채점 보고서"));
        md.push_str(&match lang {
            Lang::En => format!(
                "{n} students · {} exercises in {} concepts. A concept is passed (✓) when all its exercises pass.\n\n",
                self.exercises.len(),
                self.concepts.len()
            ),
            Lang::Ko => format!(
                "학생 {n}명 · 개념 {}개의 연습 문제 {}개. 개념의 연습 문제를 모두 통과하면 그 개념을 통과(✓)한 것입니다.\n\n",
                self.concepts.len(),
                self.exercises.len()
            ),
        });

        md.push_str(&format!("## {}\n\n", t("Per student", "학생별")));
        let names: Vec<&str> = self.concepts.iter().map(|(n, _)| n.as_str()).collect();
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            t("student", "학생"),
            t("total", "합계"),
            names.join(" | "),
            t("integrity", "무결성")
        ));
        md.push_str(&format!("|---|---|{}---|\n", "---|".repeat(names.len())));
        for s in &self.students {
            let total = points::total(&s.concepts);
            let cells: Vec<String> = names
                .iter()
                .map(|name| match Self::points(s, name) {
                    Some(c) if c.points == c.max => format!("{}/{} ✓", c.points, c.max),
                    Some(c) => format!("{}/{}", c.points, c.max),
                    None => "–".to_string(),
                })
                .collect();
            let integrity = match (s.tampered, lang) {
                (0, _) => t("ok", "정상").to_string(),
                (k, Lang::En) => format!("{k} file(s) changed"),
                (k, Lang::Ko) => format!("파일 {k}개 바뀜"),
            };
            md.push_str(&format!(
                "| {} | {}/{} | {} | {integrity} |\n",
                markdown_cell(&s.student),
                total.points,
                total.max,
                cells.join(" | ")
            ));
        }

        md.push_str(&format!("\n## {}\n\n", t("Per concept", "개념별")));
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n|---|---|---|---|\n",
            t("concept", "개념"),
            t("exercises", "연습 문제"),
            t("students who passed it", "통과한 학생"),
            t("average points", "평균 점수")
        ));
        for (name, max) in &self.concepts {
            let graded: Vec<&ConceptPoints> = self
                .students
                .iter()
                .filter_map(|s| Self::points(s, name))
                .collect();
            let passed = graded.iter().filter(|c| c.points == c.max).count();
            let average = if graded.is_empty() {
                0.0
            } else {
                graded.iter().map(|c| c.points as f64).sum::<f64>() / graded.len() as f64
            };
            let passed = match lang {
                Lang::En => format!("{passed} of {}", graded.len()),
                Lang::Ko => format!("{}명 중 {passed}명", graded.len()),
            };
            md.push_str(&format!("| {name} | {max} | {passed} | {average:.1} |\n"));
        }

        md.push_str(&format!(
            "\n## {}\n\n",
            t("Exercises most students fail", "가장 많이 틀린 연습 문제")
        ));
        let failed = self.most_failed(top);
        if failed.is_empty() {
            md.push_str(t(
                "Every student passed every exercise.\n",
                "모든 학생이 모든 연습 문제를 통과했습니다.\n",
            ));
        } else {
            md.push_str(&format!(
                "| {} | {} |\n|---|---|\n",
                t("exercise", "연습 문제"),
                t("failed by", "통과하지 못한 학생")
            ));
            for (exercise, count) in failed {
                let by = match lang {
                    Lang::En => format!("{count} of {n}"),
                    Lang::Ko => format!("{n}명 중 {count}명"),
                };
                md.push_str(&format!("| {exercise} | {by} |\n"));
            }
        }
        md
    }
}

/// A student's name in a table cell: a `|` would end the cell.
fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_test_cases_become_points_per_concept_and_integrity_counts_files() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="conc-lings" tests="4" failures="2" time="0.1">
  <testsuite name="integrity" tests="1" failures="1" time="0">
    <testcase name="files that must match the template" classname="conc-lings.integrity" time="0">
      <failure message="2 file(s) differ from the template" type="tampering">a: changed
b: deleted</failure>
    </testcase>
  </testsuite>
  <testsuite name="Counting" tests="2" failures="1" time="0.1">
    <testcase name="a" classname="conc-lings.counting" time="0.1"/>
    <testcase name="b" classname="conc-lings.counting" time="0.0">
      <failure message="check 2 of 2 failed" type="failed">…</failure>
    </testcase>
  </testsuite>
</testsuites>
"#;
        let report = from_junit(xml, "dana".into()).unwrap();
        assert_eq!(
            report,
            StudentReport {
                student: "dana".into(),
                concepts: vec![ConceptPoints {
                    name: "counting".into(),
                    points: 1,
                    max: 2
                }],
                exercises: vec![("a".into(), true), ("b".into(), false)],
                tampered: 2,
            }
        );
    }

    #[test]
    fn a_report_of_something_else_is_refused() {
        assert!(from_junit("<html><body/></html>", "x".into()).is_err());
        assert!(from_json("{\"verdicts\": []}", "x".into()).is_err());
    }
}
