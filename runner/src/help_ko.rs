//! `--help` and command-line mistakes in Korean. clap writes both in English; with `--lang ko` (or a Korean
//! locale) every command's and option's text is replaced from the tables below, the headings and clap's own
//! lines (`Print help`, `[default: …]`) included, and a usage error is said in Korean.

use crate::i18n::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// The language asked for on the command line (`--lang ko`, `--lang=ko`), read before clap parses it so that
/// the help clap prints is already in that language.
pub fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        match value.as_deref() {
            Some("ko") => return Some(Lang::Ko),
            Some("en") => return Some(Lang::En),
            _ => {}
        }
    }
    None
}

/// What every command says about itself in Korean, by its path (`""` is conc-lings itself).
const COMMANDS: &[(&str, &str)] = &[
    (
        "",
        "고장 난 작은 프로그램을 고치면서 운영체제의 동시성과 프로세스 간 통신(IPC)을 배웁니다.",
    ),
    (
        "watch",
        "저장할 때마다 현재 문제를 검사합니다 (명령을 주지 않으면 이 명령이 실행됩니다).",
    ),
    (
        "list",
        "모든 문제를 개념, 검사 방식, 상태와 함께 보여 줍니다.",
    ),
    (
        "run",
        "문제 하나를 한 번 검사합니다. 통과하면 종료 코드 0, 실패하면 1입니다.",
    ),
    (
        "hint",
        "힌트를 보여 줍니다. 1단계는 방향만 알려 주고, 마지막 단계는 거의 답입니다.",
    ),
    (
        "progress",
        "개념별 진행 상황을 보여 줍니다. 개념에 속한 문제를 모두 통과하면 그 개념을 통과합니다.",
    ),
    (
        "reset",
        "문제 파일 하나(또는 전부)를 처음 받은 내용으로 되돌립니다.",
    ),
    (
        "verify",
        "모든 문제를 병렬로 검사합니다. 하나라도 실패하면 종료 코드는 1입니다.",
    ),
    (
        "class-report",
        "강사용. 여러 학생의 보고서(`verify --format json` 또는 `--format junit`)를 학생별, 개념별 표 하나로 \
         묶고, 많은 학생이 실패한 문제를 보여 줍니다. 따로 지정하지 않으면 Markdown으로 표준 출력에 씁니다.",
    ),
    ("dev", "커리큘럼을 만드는 사람을 위한 도구입니다."),
    (
        "dev check",
        "모든 모범 답안이 (여러 번) 통과하고, 모든 문제 원본과 알려진 오답이 실패하며, info.toml과 파일과 \
         설명이 서로 맞는지 확인합니다.",
    ),
    (
        "dev mutate",
        "판정이 얼마나 정확한지 잽니다. 모범 답안과 다른 정답마다 동시성 변이 연산자를 적용하고, 변이체를 \
         모두 검사해 문제마다 검사가 잡아낸 수를 보고합니다. 문제의 점수가 gate.toml의 기준보다 낮으면 \
         실패합니다.",
    ),
    (
        "dev template",
        "수업용 템플릿을 DIR에 만듭니다. 이 저장소에서 solutions/, 알려진 오답, gate 파일을 뺀 것으로, GitHub \
         Classroom 과제의 템플릿 저장소로 사용할 수 있습니다.",
    ),
    (
        "dev classroom-workflow",
        "이 info.toml에 맞는 .github/workflows/classroom.yml을 출력합니다. 개념마다 GitHub Classroom 단계가 \
         하나씩 생깁니다.",
    ),
];

/// What every argument says in Korean, by its command's path and its id. Clap's own lines (possible values,
/// defaults) are hidden in Korean, so the text says them itself.
const ARGS: &[(&str, &str, &str)] = &[
    (
        "*",
        "lang",
        "화면에 보이는 모든 글의 언어입니다. en 또는 ko (기본값은 LANG에서 정합니다. ko_*이면 한국어).",
    ),
    (
        "*",
        "root",
        "커리큘럼 폴더(info.toml이 있는 폴더)입니다. 기본값은 지금 폴더부터 위로 올라가며 가장 먼저 찾은 \
         폴더입니다.",
    ),
    (
        "*",
        "color",
        "색 사용: auto(출력이 터미널일 때), always, never 중 하나입니다. 기본값은 auto입니다.",
    ),
    ("*", "help", "도움말을 보여 줍니다."),
    ("*", "version", "버전을 보여 줍니다."),
    ("watch", "name", "현재 문제 대신 이 문제부터 시작합니다."),
    (
        "list",
        "json",
        "프로그램이 읽기 좋은 형식(JSON)으로 출력합니다. 이름, 개념, 검사 방식, 문제와 답안의 경로, 상태가 \
         들어 있습니다.",
    ),
    ("run", "name", "검사할 문제입니다 (기본값은 현재 문제)."),
    (
        "run",
        "verbose",
        "실패한 실행 순서를 마지막 몇 단계만이 아니라 모든 단계까지 보여 줍니다.",
    ),
    (
        "run",
        "lanes",
        "실행 순서를 레인으로 보여 줍니다. 스레드마다 열이 하나이고, 시간은 위에서 아래로 흐릅니다.",
    ),
    ("hint", "name", "힌트를 볼 문제입니다 (기본값은 현재 문제)."),
    ("hint", "level", "힌트 단계입니다. 기본값은 1입니다."),
    ("reset", "name", "되돌릴 문제입니다."),
    ("reset", "all", "모든 문제를 되돌립니다."),
    (
        "verify",
        "format",
        "출력 형식: text, json, junit 중 하나입니다. junit은 GitHub Actions의 테스트 보고 도구와 GitHub \
         Classroom이 읽는 JUnit XML입니다. 기본값은 text입니다.",
    ),
    (
        "verify",
        "jobs",
        "동시에 실행할 검사 프로그램 수입니다 (기본값은 CPU 수의 두 배).",
    ),
    (
        "verify",
        "grading",
        "학생을 채점합니다. 학생의 문제 파일만 판정하고, 검사, 퍼사드, info.toml, 러너는 `--template`에서 \
         가져옵니다. 이 저장소에서 그런 파일이 바뀌었으면 실패합니다.",
    ),
    (
        "verify",
        "template",
        "강사가 고정해 둔 템플릿 저장소의 체크아웃입니다.",
    ),
    (
        "verify",
        "concept",
        "이 개념(info.toml의 id)의 문제만 검사합니다. 여러 개념은 옵션을 반복하거나 쉼표로 나열합니다.",
    ),
    (
        "class-report",
        "reports",
        "보고서 파일입니다. 학생 이름은 파일 이름에서 확장자를 뺀 것(또는 보고서의 `student`)입니다.",
    ),
    ("class-report", "csv", "표를 CSV로 이 파일에 씁니다."),
    (
        "class-report",
        "markdown",
        "Markdown 보고서를 표준 출력 대신 이 파일에 씁니다.",
    ),
    (
        "class-report",
        "top",
        "가장 많이 실패한 문제를 몇 개 보여 줄지 정합니다. 기본값은 10입니다.",
    ),
    (
        "dev check",
        "repeat",
        "모범 답안마다 몇 번 통과해야 하는지 정합니다. 기본값은 5입니다.",
    ),
    ("dev check", "only", "이 문제만 검사합니다."),
    (
        "dev check",
        "jobs",
        "동시에 실행할 검사 프로그램 수입니다 (기본값은 CPU 수의 네 배).",
    ),
    ("dev mutate", "only", "이 문제만 검사합니다."),
    (
        "dev mutate",
        "record",
        "문제마다 이번 점수를 gate.toml의 새 기준으로 기록합니다.",
    ),
    (
        "dev mutate",
        "list",
        "변이체를 빌드하거나 검사하지 않고 목록만 보여 줍니다.",
    ),
    (
        "dev mutate",
        "jobs",
        "동시에 빌드하고 실행할 수입니다 (기본값은 CPU 수의 두 배).",
    ),
    ("dev template", "dir", "새 폴더나 빈 폴더입니다."),
];

/// The help of clap's own `help` command, in every command that has subcommands.
const HELP_COMMAND: &str = "이 도움말이나 주어진 명령의 도움말을 보여 줍니다.";

const TEMPLATE: &str =
    "{before-help}{about-with-newline}\n사용법: {usage}\n\n{all-args}{after-help}";

fn command_text(path: &str) -> Option<&'static str> {
    COMMANDS.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// A command's Korean about. clap's `help` command sits beside the subcommands of every command that has some,
/// and holds a copy of each of them (`dev help check`), which says what the real one says.
fn about_text(path: &str) -> Option<&'static str> {
    if path.rsplit(' ').next() == Some("help") {
        return Some(HELP_COMMAND);
    }
    let real: Vec<&str> = path.split(' ').filter(|n| *n != "help").collect();
    command_text(&real.join(" "))
}

fn arg_text(path: &str, id: &str) -> Option<&'static str> {
    ARGS.iter()
        .find(|(p, i, _)| *p == path && *i == id)
        .or_else(|| ARGS.iter().find(|(p, i, _)| *p == "*" && *i == id))
        .map(|(_, _, t)| *t)
}

/// The command line in the learner's language: unchanged in English; in Korean every text replaced.
pub fn localize(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    if lang == Lang::En {
        return cmd;
    }
    // Build first, so that clap's generated parts (`--help`, `--version`, the `help` command, the global options
    // copied into every command) exist and are translated too.
    cmd.build();
    korean(cmd, "")
}

fn korean(mut cmd: clap::Command, path: &str) -> clap::Command {
    if let Some(about) = about_text(path) {
        cmd = cmd.about(about).long_about(None);
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("명령")
        .subcommand_value_name("명령");
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_string())
        .collect();
    for id in ids {
        let text = arg_text(path, &id);
        cmd = cmd.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                "인자"
            } else {
                "옵션"
            };
            let arg = arg
                .help_heading(heading)
                .hide_possible_values(true)
                .hide_default_value(true)
                .long_help(None);
            match text {
                Some(text) => arg.help(text),
                None => arg,
            }
        });
    }
    // The usage line as clap makes it, with its one English word in Korean.
    let usage = cmd.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    cmd = cmd.override_usage(usage.replace("[OPTIONS]", "[옵션]"));
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subcommands {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| korean(sub, &sub_path));
    }
    cmd
}

/// A usage mistake said in Korean (help and version requests are printed as they are), with the way to the help.
pub fn error_text(err: &clap::Error) -> Option<String> {
    let value = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    };
    let arg = value(ContextKind::InvalidArg);
    let what = match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => format!(
            "없는 명령입니다 ('{}').",
            value(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => {
            format!("알 수 없는 옵션입니다 ('{}').", arg.unwrap_or_default())
        }
        ErrorKind::InvalidValue => {
            let mut text = format!(
                "{}에 줄 수 없는 값입니다 ('{}').",
                arg.unwrap_or_default(),
                value(ContextKind::InvalidValue).unwrap_or_default()
            );
            if let Some(valid) = value(ContextKind::ValidValue) {
                text.push_str(&format!(" 가능한 값은 {valid} 중 하나입니다."));
            }
            text
        }
        ErrorKind::ValueValidation => format!(
            "{}의 값이 올바르지 않습니다 ('{}').",
            arg.unwrap_or_default(),
            value(ContextKind::InvalidValue).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("꼭 필요한 인자가 빠졌습니다 ({}).", arg.unwrap_or_default())
        }
        ErrorKind::ArgumentConflict => format!(
            "함께 사용할 수 없는 옵션입니다 ({}, {}).",
            arg.unwrap_or_default(),
            value(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand => "명령이 필요합니다.".to_string(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("값의 개수가 맞지 않습니다 ({}).", arg.unwrap_or_default())
        }
        // Rare kinds: clap's own words, said to be clap's.
        _ => format!(
            "명령줄을 이해하지 못했습니다. clap의 설명은 다음과 같습니다.\n{}",
            err.render().to_string().trim_end()
        ),
    };
    let mut text = format!("오류: {what}\n");
    let suggested = value(ContextKind::SuggestedSubcommand)
        .or_else(|| value(ContextKind::SuggestedArg))
        .or_else(|| value(ContextKind::SuggestedValue));
    if let Some(suggested) = suggested {
        text.push_str(&format!("  비슷한 이름이 있습니다 ('{suggested}').\n"));
    }
    text.push_str("\n도움말은 --help로 볼 수 있습니다.\n");
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn args(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_from_the_command_line_before_parsing() {
        assert_eq!(
            lang_in_args(&args("conc-lings --lang ko list")),
            Some(Lang::Ko)
        );
        assert_eq!(
            lang_in_args(&args("conc-lings list --lang=en")),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args("conc-lings list --help")), None);
        // A value that is not a language is clap's to refuse; after `--` nothing is an option.
        assert_eq!(lang_in_args(&args("conc-lings --lang fr")), None);
        assert_eq!(lang_in_args(&args("conc-lings -- --lang ko")), None);
    }

    /// Every command and every argument clap knows has its Korean text, and no table entry names one that is
    /// gone: a new option without Korean fails here.
    #[test]
    fn every_command_and_argument_has_korean_text_and_the_tables_have_nothing_stale() {
        fn walk(cmd: &clap::Command, path: &str, seen: &mut Vec<(String, String)>) {
            assert!(about_text(path).is_some(), "no Korean about for `{path}`");
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                assert!(
                    arg_text(path, id).is_some(),
                    "no Korean help for `{id}` of `{path}`"
                );
                seen.push((path.to_string(), id.to_string()));
            }
            for sub in cmd.get_subcommands() {
                let sub_path = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                walk(sub, &sub_path, seen);
            }
        }
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut seen = Vec::new();
        walk(&cmd, "", &mut seen);
        for (path, _) in COMMANDS {
            assert!(
                seen.iter().any(|(p, _)| p == path) || cmd_exists(&cmd, path),
                "Korean about for `{path}`, which is no command"
            );
        }
        for (path, id, _) in ARGS {
            assert!(
                seen.iter()
                    .any(|(p, i)| (p == path || *path == "*") && i == id),
                "Korean help for `{id}` of `{path}`, which has no such argument"
            );
        }
    }

    fn cmd_exists(cmd: &clap::Command, path: &str) -> bool {
        let mut cmd = cmd;
        for name in path.split(' ').filter(|n| !n.is_empty()) {
            match cmd.find_subcommand(name) {
                Some(sub) => cmd = sub,
                None => return false,
            }
        }
        true
    }

    fn help_of(line: &str) -> String {
        let cmd = localize(crate::Cli::command(), Lang::Ko);
        let err = cmd.try_get_matches_from(args(line)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DisplayHelp);
        err.render().to_string()
    }

    #[test]
    fn korean_help_has_no_english_left() {
        for line in [
            "conc-lings --help",
            "conc-lings verify --help",
            "conc-lings dev --help",
            "conc-lings dev mutate --help",
            "conc-lings help run",
        ] {
            let help = help_of(line);
            assert!(help.contains("사용법: conc-lings"), "{line}:\n{help}");
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Arguments",
                "Print",
                "default:",
                "possible values",
                "Check ",
                "the ",
            ] {
                assert!(
                    !help.contains(english),
                    "`{english}` in the Korean help of `{line}`:\n{help}"
                );
            }
        }
        let verify = help_of("conc-lings verify --help");
        assert!(verify.contains("--concept"), "{verify}");
        assert!(
            verify.contains("이 개념(info.toml의 id)의 문제만"),
            "{verify}"
        );
    }

    #[test]
    fn a_usage_mistake_is_said_in_korean_with_the_value_and_a_suggestion() {
        let cmd = localize(crate::Cli::command(), Lang::Ko);
        let err = cmd
            .clone()
            .try_get_matches_from(args("conc-lings lsit"))
            .unwrap_err();
        let text = error_text(&err).unwrap();
        assert!(
            text.starts_with("오류: 없는 명령입니다 ('lsit')."),
            "{text}"
        );
        assert!(text.contains("비슷한 이름이 있습니다 ('list')"), "{text}");
        let err = cmd
            .clone()
            .try_get_matches_from(args("conc-lings --color purple list"))
            .unwrap_err();
        let text = error_text(&err).unwrap();
        assert!(text.contains("줄 수 없는 값입니다 ('purple')"), "{text}");
        assert!(text.contains("auto, always, never"), "{text}");
        let err = cmd
            .try_get_matches_from(args("conc-lings hint --level many"))
            .unwrap_err();
        assert!(
            error_text(&err).unwrap().contains("('many')"),
            "{}",
            error_text(&err).unwrap()
        );
    }
}
