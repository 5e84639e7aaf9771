//! Keeps the Korean readable as Korean (issue #18; the rules are those of the project's Korean style guide, KOREAN.md).
//! `dev check` runs it over every Korean text a learner reads: info.toml's `ko` fields, the Korean comment lines
//! of exercises and solutions, the Korean side of hidden checks' messages, the runner's Korean strings and the
//! chapters' README.ko.md. It flags what a rule can see:
//!
//! - a word from the "avoid" column of the terms table (깃발, 독자, 작성자, …, a bare English `guard`);
//! - a 해요체 ending (…해요, …에요, …죠): prose is 합니다체;
//! - a number with its thousands apart by spaces ("2 000") or with no comma at all ("65536", "4096"; a year
//!   before 년 and a port number keep their four digits: "1965년", "포트 8080");
//! - an English unit after a number ("3 s", "200ms"): units in Korean text are Korean (3초);
//! - a Korean text identical to its English twin while it holds English words (an untranslated string).
//!
//! Text inside `backticks` is code and is not looked at.

use crate::info_file::InfoFile;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::path::Path;
use std::str::FromStr;

/// Words from the "avoid" column, with what to write instead.
const AVOID: &[(&str, &str)] = &[
    ("깃발", "플래그"),
    ("독자", "읽는 쪽 / 읽는 스레드"),
    ("작성자", "쓰는 쪽 / 쓰는 프로세스"),
    ("적재", "읽기 (`load`)"),
    ("잃어버린 깨우기", "깨우기 신호 유실"),
    ("표시 트레이트", "마커 트레이트"),
    ("이른 반환", "조기 반환"),
    ("이른 return", "조기 반환"),
    ("의미론", "방식 (Mesa 방식)"),
    ("진행 중", "미완료"),
    ("명명된 파이프", "명명 파이프"),
];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Whether `text` has Korean in it.
pub fn has_hangul(text: &str) -> bool {
    text.chars().any(is_hangul)
}

/// `text` with `code` spans and `{placeholders}` blanked out.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut code, mut brace) = (false, 0usize);
    for c in text.chars() {
        match c {
            '`' => {
                code = !code;
                out.push(' ');
            }
            '{' if !code => {
                brace += 1;
                out.push(' ');
            }
            '}' if !code && brace > 0 => {
                brace -= 1;
                out.push(' ');
            }
            _ if code || brace > 0 => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The problems in one Korean text.
pub fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let plain = prose(text);
    let chars: Vec<char> = plain.chars().collect();
    for (word, instead) in AVOID {
        let hit = if *word == "독자" {
            // 독자적 (independent) is another word.
            plain
                .match_indices(word)
                .any(|(at, _)| !plain[at + word.len()..].starts_with('적'))
        } else {
            plain.contains(word)
        };
        if hit {
            found.push(format!("\"{word}\": write {instead}"));
        }
    }
    if text.contains("이른 `return`") || text.contains("이른 `?`") {
        found.push("\"이른\": write 조기 반환".to_string());
    }
    // 임계 영역 is the term; 임계 구역 only as its gloss, 임계 영역(임계 구역).
    let gloss_free = plain.replace("**", "").replace("임계 영역(임계 구역)", "");
    if gloss_free.contains("임계 구역") {
        found.push(
            "\"임계 구역\": write 임계 영역 (임계 구역 only as the gloss 임계 영역(임계 구역))"
                .to_string(),
        );
    }
    // 틀 for framing: 틀 as a word of its own (틀리다 is another word).
    for (i, &c) in chars.iter().enumerate() {
        if c != '틀' || i > 0 && is_hangul(chars[i - 1]) {
            continue;
        }
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let after = chars.get(i + 2).copied().unwrap_or(' ');
        let particle = "이을은로의에과만도".contains(next) && !is_hangul(after);
        if !is_hangul(next) || particle {
            found.push("\"틀\" for framing: write 프레이밍".to_string());
            break;
        }
    }
    // A bare English "guard" in Korean prose: 가드.
    for (at, _) in plain.match_indices("guard") {
        let before = plain[..at].chars().next_back();
        let after = plain[at + 5..].chars().next();
        if !before.is_some_and(word_char) && !after.is_some_and(|c| word_char(c) && c != 's') {
            found.push("\"guard\" in Korean text: write 가드".to_string());
            break;
        }
    }
    // 해요체: a word that ends in 요 (…해요, …에요, …나요, …까요) or 죠. 필요, 중요, 주요, 개요 and 수요 are nouns;
    // …세요 is the polite request the style guide allows (`notify하세요`).
    for (i, &c) in chars.iter().enumerate() {
        let ends_word = !chars.get(i + 1).copied().is_some_and(is_hangul);
        let before = if i > 0 { chars[i - 1] } else { ' ' };
        let haeyo = c == '요' && is_hangul(before) && !"필중주개수세".contains(before) || c == '죠';
        if haeyo && ends_word {
            let start = i.saturating_sub(4);
            let word: String = chars[start..=i].iter().collect();
            let word = word.rsplit(' ').next().unwrap_or_default();
            found.push(format!("해요체 ending \"…{word}\": prose is 합니다체"));
            break;
        }
    }
    // Numbers: "2 000" and "65536" (thousands take a comma), "3 s" (units are Korean).
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || i > 0 && (word_char(chars[i - 1]) || ".:/-#".contains(chars[i - 1]))
        {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let digits = j - i;
        let next = chars.get(j).copied();
        let continues_as_number = next.is_some_and(|c| {
            word_char(c) || c == '.' && chars.get(j + 1).is_some_and(char::is_ascii_digit)
        });
        let spaced = digits <= 3
            && next == Some(' ')
            && chars.len() >= j + 4
            && chars[j + 1..j + 4].iter().all(char::is_ascii_digit)
            && !chars
                .get(j + 4)
                .copied()
                .is_some_and(|c| c.is_ascii_digit());
        let number: String = chars[i..j].iter().collect();
        if spaced {
            found.push(format!(
                "\"{number} {}\": thousands take a comma (65,536)",
                chars[j + 1..j + 4].iter().collect::<String>()
            ));
        } else if digits >= 5 && !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '_') {
            found.push(format!("\"{number}\": thousands take a comma (65,536)"));
        } else if digits == 4
            && !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && !is_year(&number, &chars[j..])
            && !is_port(&chars[..i])
        {
            found.push(format!("\"{number}\": thousands take a comma (4,096)"));
        }
        if !continues_as_number || next.is_some_and(|c| c.is_ascii_alphabetic()) {
            let rest: String = chars[j..].iter().take(4).collect();
            let rest = rest.strip_prefix(' ').unwrap_or(&rest);
            for unit in ["s", "ms", "µs", "ns"] {
                if rest.starts_with(unit)
                    && !rest[unit.len()..].chars().next().is_some_and(word_char)
                {
                    found.push(format!("\"{number} {unit}\": units in Korean text are Korean and attached (3초, 200밀리초)"));
                }
            }
        }
        i = j;
    }
    found
}

/// Whether a four-digit `number`, followed by `rest`, is a year: 19xx or 20xx before 년 ("1965년", "2024 년").
fn is_year(number: &str, rest: &[char]) -> bool {
    let after = rest.iter().find(|c| **c != ' ');
    (number.starts_with("19") || number.starts_with("20")) && after == Some(&'년')
}

/// Whether the text `before` a number ends with the word port ("포트 8080", "port 8080"); a port after a colon
/// ("127.0.0.1:8080") is no prose number to begin with.
fn is_port(before: &[char]) -> bool {
    let before: String = before.iter().collect();
    let word = before.trim_end().to_lowercase();
    word.ends_with("포트") || word.ends_with("port")
}

/// Whether a Korean twin is the English text left untranslated: identical, with English words in it.
pub fn untranslated(en: &str, ko: &str) -> bool {
    if en != ko || en.trim().is_empty() {
        return false;
    }
    let plain = prose(en);
    plain
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .count()
        >= 2
}

/// String literals of a Rust file, with their line; pairs are two literals side by side in an argument list
/// or tuple (`tr("…", "…")`, `t(lang, "…", "…")`, `("…", "…")`).
struct Literals {
    all: Vec<(usize, String)>,
    pairs: Vec<(usize, String, String)>,
}

fn literals(source: &str) -> Option<Literals> {
    fn walk(stream: TokenStream, out: &mut Literals) {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        let mut previous_string: Option<(usize, String)> = None;
        let mut after_comma = false;
        let mut skip_next_group = false;
        for token in tokens {
            match token {
                TokenTree::Group(group) => {
                    // `#[doc = "…"]` and other attributes are not text a learner reads.
                    if !(skip_next_group && group.delimiter() == Delimiter::Bracket) {
                        walk(group.stream(), out);
                    }
                    skip_next_group = false;
                    previous_string = None;
                }
                TokenTree::Literal(lit) => {
                    skip_next_group = false;
                    let line = lit.span().start().line;
                    let value = match syn::Lit::new(lit) {
                        syn::Lit::Str(s) => Some(s.value()),
                        _ => None,
                    };
                    if let Some(value) = value {
                        if let (Some((_, en)), true) = (&previous_string, after_comma) {
                            out.pairs.push((line, en.clone(), value.clone()));
                        }
                        out.all.push((line, value.clone()));
                        previous_string = Some((line, value));
                    } else {
                        previous_string = None;
                    }
                    after_comma = false;
                }
                TokenTree::Punct(p) => {
                    skip_next_group = p.as_char() == '#' || p.as_char() == '!' && skip_next_group;
                    if p.as_char() == ',' {
                        after_comma = previous_string.is_some();
                    } else {
                        previous_string = None;
                        after_comma = false;
                    }
                }
                TokenTree::Ident(_) => {
                    skip_next_group = false;
                    previous_string = None;
                    after_comma = false;
                }
            }
        }
    }
    let stream = TokenStream::from_str(source).ok()?;
    let mut out = Literals {
        all: Vec::new(),
        pairs: Vec::new(),
    };
    walk(stream, &mut out);
    Some(out)
}

/// Every problem in the Korean of the curriculum at `root`, as "place: problem".
pub fn curriculum_problems(root: &Path, info: &InfoFile) -> Vec<String> {
    let mut found = Vec::new();
    // An info.toml text: its Korean, and whether the Korean is only the English again.
    let mut bilingual = |place: String, text: &crate::info_file::Bilingual| {
        report(&mut found, place.clone(), &text.ko);
        if untranslated(&text.en, &text.ko) {
            found.push(format!("{place}: the Korean is the English text"));
        }
    };
    for concept in &info.concepts {
        bilingual(
            format!("info.toml: concept `{}` title", concept.id),
            &concept.title,
        );
        bilingual(
            format!("info.toml: concept `{}` summary", concept.id),
            &concept.summary,
        );
    }
    for ex in &info.exercises {
        for (level, hint) in ex.hints.iter().enumerate() {
            bilingual(format!("info.toml: `{}` hint {}", ex.name, level + 1), hint);
        }
    }
    let mut files = Vec::new();
    for folder in [
        "exercises",
        "solutions",
        "runner/checks",
        "runner/src",
        "runner/conc-check/src",
    ] {
        collect(&root.join(folder), &mut files);
    }
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "README.ko.md" {
            let mut fenced = false;
            for (n, line) in text.lines().enumerate() {
                if line.starts_with("```") {
                    fenced = !fenced;
                } else if !fenced && has_hangul(line) {
                    report(&mut found, format!("{rel}:{}", n + 1), line);
                }
            }
        } else if name.ends_with(".rs")
            && (rel.starts_with("exercises") || rel.starts_with("solutions"))
        {
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") && has_hangul(line) {
                    report(&mut found, format!("{rel}:{}", n + 1), line);
                }
            }
        } else if name.ends_with(".rs") && name != "korean_style.rs" {
            let Some(lits) = literals(&text) else {
                continue;
            };
            for (line, value) in &lits.all {
                if has_hangul(value) {
                    report(&mut found, format!("{rel}:{line}"), value);
                }
            }
            for (line, en, ko) in &lits.pairs {
                if untranslated(en, ko) {
                    found.push(format!(
                        "{rel}:{line}: the Korean twin is the English text: \"{ko}\""
                    ));
                }
            }
        }
    }
    found
}

fn report(found: &mut Vec<String>, place: String, text: &str) {
    for problem in problems(text) {
        found.push(format!("{place}: {problem}"));
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "snapshots") {
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str, what: &str) -> bool {
        problems(text).iter().any(|p| p.contains(what))
    }

    #[test]
    fn good_korean_passes() {
        for text in [
            "두 스레드가 `guard`를 쥔 채 플래그를 읽습니다. 읽는 쪽은 65,536바이트를 3초 안에 받습니다.",
            "필요하면 중요한 주요 개요를 고치세요. 독자적으로 판단하지 마십시오.",
            "임계 영역(임계 구역)은 임계 영역입니다. 답이 틀리면 `{n} 000`을 봅니다. 버전 1.75, 포트 127.0.0.1:40000.",
            "0번과 1번 스레드, 2,000단계, 10 KiB, {count}개",
        ] {
            assert_eq!(problems(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn each_avoided_term_is_flagged() {
        for (text, word) in [
            ("\"들어가고 싶다\" 깃발 하나", "깃발"),
            ("어떤 독자도 볼 수 없습니다", "독자"),
            ("작성자 A가 멈춥니다", "작성자"),
            ("Release 저장을 읽는 Acquire 적재", "적재"),
            ("잃어버린 깨우기입니다", "잃어버린 깨우기"),
            ("표시 트레이트 두 개로", "표시 트레이트"),
            ("이른 반환이 건너뜁니다", "이른 반환"),
            ("이른 `return`이나 `?`", "이른"),
            ("Mesa 의미론을 따릅니다", "의미론"),
            ("진행 중인 작업", "진행 중"),
            ("명명된 파이프입니다", "명명된 파이프"),
            ("임계 구역에 들어갑니다", "임계 구역"),
            ("메시지에는 틀(framing)이 필요합니다", "틀"),
            ("guard가 살아 있는 동안", "guard"),
        ] {
            assert!(flags(text, word), "{text} should be flagged for {word}");
        }
    }

    #[test]
    fn haeyo_endings_are_flagged() {
        for text in [
            "락을 잡아요.",
            "이것은 가드예요",
            "그래서 멈추죠.",
            "스레드가 기다려요",
            "언제 사라지는지 알아요?",
        ] {
            assert!(flags(text, "해요체"), "{text}");
        }
        assert!(!flags("락을 잡으세요. 필요합니다.", "해요체"));
    }

    #[test]
    fn thousands_without_a_comma_are_flagged() {
        assert!(flags("2 000단계를 넘으면", "thousands"));
        assert!(flags("65 536바이트", "thousands"));
        assert!(flags("65536바이트", "thousands"));
        assert!(!flags("65,536바이트, 1,000번", "thousands"));
    }

    #[test]
    fn four_digits_without_a_comma_are_flagged_but_years_ports_and_code_are_not() {
        for text in [
            "4096바이트를 씁니다",
            "1000번 반복합니다",
            "PIPE_BUF(4096바이트)",
            "2000단계를 넘으면",
        ] {
            assert!(flags(text, "thousands take a comma (4,096)"), "{text}");
        }
        for text in [
            "4,096바이트를 씁니다",
            "Dijkstra가 1965년에 제안했습니다",
            "2024 년",
            "포트 8080에서 기다립니다",
            "port 8080에 연결합니다",
            "127.0.0.1:8080에 연결합니다",
            "`4096`바이트, `buf[1024]`",
            "0..4096바이트",
            "123개, 999번",
        ] {
            assert!(!flags(text, "thousands"), "{text}: {:?}", problems(text));
        }
    }

    #[test]
    fn english_units_are_flagged() {
        assert!(flags("제한 시간(3 s)", "units"));
        assert!(flags("200ms 뒤에", "units"));
        assert!(!flags("제한 시간(3초), 200밀리초, 10 KiB, 3개", "units"));
    }

    #[test]
    fn an_untranslated_twin_is_flagged() {
        assert!(untranslated("cannot run cargo", "cannot run cargo"));
        assert!(!untranslated(
            "cannot run cargo",
            "cargo를 실행할 수 없습니다"
        ));
        assert!(!untranslated("{name}: {n}", "{name}: {n}"));
        assert!(!untranslated("`cargo`", "`cargo`"));
        let lits =
            literals("fn f() { assert!(ok, \"{}\", tr(\"a hit was lost\", \"a hit was lost\")); }")
                .unwrap();
        assert_eq!(lits.pairs.len(), 1);
        assert!(lits.pairs.iter().any(|(_, en, ko)| untranslated(en, ko)));
    }

    #[test]
    fn the_curriculum_files_are_read_and_a_bad_one_fails() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            (
                "exercises/01_x/x.rs",
                "// KO: 깃발을 올려요.\nfn main() {}\n",
            ),
            (
                "solutions/01_x/x.rs",
                "// KO: 플래그를 올립니다.\nfn main() {}\n",
            ),
            (
                "runner/checks/01_x/x.rs",
                "fn f() { tr(\"lost a hit\", \"lost a hit\"); tr(\"x\", \"작성자 A\"); }\n",
            ),
            (
                "runner/src/x.rs",
                "fn f() { t(lang, \"limit (3 s)\", \"제한 시간(3 s)\"); }\n",
            ),
            (
                "exercises/01_x/README.ko.md",
                "# 제목\n\n2 000단계입니다. 4096바이트입니다.\n```\n깃발 // code is not prose\n```\n",
            ),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let info: InfoFile = toml::from_str(
            "format_version = 1\nexercises = []\n[[concepts]]\nid = \"x\"\ntitle = { en = \"Mesa semantics\", ko = \"Mesa semantics\" }\n\
             summary.en = \"s\"\nsummary.ko = \"Mesa 의미론\"\n",
        )
        .unwrap();
        let found = curriculum_problems(root, &info);
        for expected in [
            "exercises/01_x/x.rs:1: \"깃발\"",
            "exercises/01_x/x.rs:1: 해요체",
            "runner/checks/01_x/x.rs:1: the Korean twin is the English text",
            "runner/checks/01_x/x.rs:1: \"작성자\"",
            "runner/src/x.rs:1: \"3 s\"",
            "exercises/01_x/README.ko.md:3: \"2 000\"",
            "exercises/01_x/README.ko.md:3: \"4096\": thousands take a comma (4,096)",
            "concept `x` title: the Korean is the English text",
            "concept `x` summary: \"의미론\"",
        ] {
            assert!(
                found.iter().any(|f| f.contains(expected)),
                "{expected} not in {found:#?}"
            );
        }
        assert!(
            !found.iter().any(|f| f.contains("solutions/")),
            "{found:#?}"
        );
        assert!(
            !found.iter().any(|f| f.contains("README.ko.md:5")),
            "{found:#?}"
        );
    }

    /// The curriculum of this repository keeps to the rules (`dev check` says the same, with the rest).
    #[test]
    fn this_curriculum_passes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join("info.toml")).unwrap();
        let info: InfoFile = toml::from_str(&text).unwrap();
        let found = curriculum_problems(root, &info);
        assert!(
            found.is_empty(),
            "{} Korean style problems:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}
