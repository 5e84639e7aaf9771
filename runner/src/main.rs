//! `conc-lings`: auto-graded exercises in operating-system concurrency and inter-process communication.

mod app_state;
mod atomics;
mod check;
mod cmd;
mod exercise;
mod gate_file;
mod grading;
mod help_ko;
mod i18n;
mod info_file;
mod mutate;
mod points;
mod render;
mod term;
mod variant;
mod watch;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "conc-lings",
    version,
    about = "Learn OS concurrency and IPC by fixing small broken programs."
)]
struct Cli {
    /// Language of everything shown: en or ko (default: from LANG; ko_* means Korean).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// The curriculum folder (the one with info.toml). Default: the nearest one upwards from here.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Colours: auto (when the output is a terminal), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Ko,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check the current exercise on every save (the default).
    Watch {
        /// Start at this exercise instead of the current one.
        name: Option<String>,
    },
    /// List every exercise with its concept, kind and state.
    List {
        /// Machine-readable: name, concept, kind, exercise and solution paths, state.
        #[arg(long)]
        json: bool,
    },
    /// Check one exercise once. Exit status 0: passed; 1: failed.
    Run {
        /// The exercise (default: the current one).
        name: Option<String>,
        /// Show every step of a failing interleaving, not only the last ones.
        #[arg(short, long)]
        verbose: bool,
        /// Show the interleaving as lanes: one column per thread, time downwards.
        #[arg(long)]
        lanes: bool,
    },
    /// Show a hint. Level 1 is a nudge; the last level is nearly the answer.
    Hint {
        /// The exercise (default: the current one).
        name: Option<String>,
        #[arg(long, default_value_t = 1)]
        level: usize,
    },
    /// Progress per concept: a concept is passed when all its exercises pass.
    Progress,
    /// Restore an exercise file (or all of them) to its original text.
    Reset {
        name: Option<String>,
        #[arg(long, conflicts_with = "name")]
        all: bool,
    },
    /// Check every exercise, in parallel. Exit status 1 if any fails.
    Verify {
        #[arg(long, value_enum, default_value_t = cmd::verify::Format::Text)]
        format: cmd::verify::Format,
        /// Check programs run at once (default: twice the number of CPUs).
        #[arg(long)]
        jobs: Option<usize>,
        /// Grade a student: judge only their exercise files; checks, facade, info.toml and runner come from
        /// `--template`, and any change to those in this repository fails the run.
        #[arg(long, requires = "template")]
        grading: bool,
        /// The instructor's pinned checkout of the template repository.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// Only the exercises of this concept (its id in info.toml); repeat it or give a comma list for more.
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        concept: Vec<String>,
    },
    /// For instructors: one table of many students' reports (`verify --format json` or `--format junit`), per
    /// student and per concept, and the exercises most students fail. Markdown on stdout unless told otherwise.
    ClassReport {
        /// Report files; the student is the file's name without its extension (or the report's `student`).
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
        /// Write the table as CSV to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Write the Markdown report to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
        /// How many of the most-failed exercises to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Tools for curriculum authors.
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Subcommand)]
enum DevCommand {
    /// Every solution passes (repeatedly), every exercise and every known-wrong variant fails, and info.toml,
    /// the files and the texts agree.
    Check {
        /// How many times each solution must pass.
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Only these exercises.
        #[arg(long)]
        only: Vec<String>,
        /// How many check programs run at once (default: four per CPU).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Verdict truth, measured: apply concurrency mutation operators to every solution and alternative right
    /// answer, check every mutant, and report per exercise how many the check kills; fails when an exercise
    /// scores below the bar in its gate.toml.
    Mutate {
        /// Only these exercises.
        only: Vec<String>,
        /// Record each exercise's score as its new bar in gate.toml.
        #[arg(long)]
        record: bool,
        /// List the mutants without building or checking them.
        #[arg(long)]
        list: bool,
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Write a class template into DIR: this repository without solutions/, known-wrong variants and gate
    /// files, ready to be the template repository of a GitHub Classroom assignment.
    Template {
        /// A new or empty folder.
        dir: PathBuf,
    },
    /// Print .github/workflows/classroom.yml for this info.toml: one GitHub Classroom step per concept.
    ClassroomWorkflow,
}

fn main() -> ExitCode {
    // `conc-lings list | head`: end quietly when the reader goes away, as command-line tools do, instead of
    // panicking on the next print (Rust ignores SIGPIPE by default). The runner writes into no pipe whose
    // reader may vanish: the key pipe's read end is its own until the check program has started.
    // SAFETY: setting a signal's disposition to its default, before any other thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    // The language is known before clap parses, so that `--help` and usage mistakes are already in it.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::detect(help_ko::lang_in_args(&argv));
    let parsed = help_ko::localize(Cli::command(), lang)
        .try_get_matches_from(&argv)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => match (lang, help_ko::error_text(&err)) {
            (i18n::Lang::Ko, Some(text)) => {
                eprint!("{text}");
                return ExitCode::from(2);
            }
            _ => err.exit(),
        },
    };
    // clap's reading of `--lang` is the one that counts from here on.
    let lang = i18n::detect(cli.lang.map(|l| match l {
        LangArg::En => i18n::Lang::En,
        LangArg::Ko => i18n::Lang::Ko,
    }));
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            console::Term::stdout().is_term() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let result = (|| {
        if let Some(Command::Verify {
            format,
            jobs,
            grading: true,
            template: Some(template),
            concept,
        }) = &cli.command
        {
            // The student's info.toml is not trusted, not even read: everything but their exercise files comes
            // from the template.
            let student = exercise::Workspace::find_root(cli.root.as_deref())?;
            let args = cmd::verify::Args {
                format: *format,
                jobs: *jobs,
                concepts: concept,
            };
            return cmd::verify::grade(&student, template, args, lang, color);
        }
        if let Some(Command::ClassReport {
            reports,
            csv,
            markdown,
            top,
        }) = &cli.command
        {
            // Reads report files only: no curriculum needed.
            let args = cmd::class_report::Args {
                reports,
                csv: csv.as_deref(),
                markdown: markdown.as_deref(),
                top: *top,
            };
            return cmd::class_report::run(&args, lang);
        }
        let ws = exercise::Workspace::open(cli.root.as_deref())?;
        let ctx = cmd::Ctx { ws, lang, color };
        match cli.command.unwrap_or(Command::Watch { name: None }) {
            Command::Watch { name } => watch::run(ctx, name.as_deref()),
            Command::List { json } => cmd::list(&ctx, json),
            Command::Run {
                name,
                verbose,
                lanes,
            } => cmd::run(&ctx, name.as_deref(), verbose, lanes),
            Command::Hint { name, level } => cmd::hint(&ctx, name.as_deref(), level),
            Command::Progress => cmd::progress(&ctx),
            Command::Reset { name, all } => cmd::reset(&ctx, name.as_deref(), all),
            Command::Verify {
                format,
                jobs,
                concept,
                ..
            } => cmd::verify::run(
                &ctx,
                cmd::verify::Args {
                    format,
                    jobs,
                    concepts: &concept,
                },
            ),
            Command::Dev(DevCommand::Check { repeat, only, jobs }) => {
                cmd::dev_check::run(&ctx, repeat, &only, jobs)
            }
            Command::Dev(DevCommand::Mutate {
                only,
                record,
                list,
                jobs,
            }) => cmd::dev_mutate::run(
                &ctx,
                cmd::dev_mutate::Args {
                    only: &only,
                    jobs,
                    record,
                    list,
                },
            ),
            Command::Dev(DevCommand::Template { dir }) => cmd::template::run(&ctx, &dir),
            Command::Dev(DevCommand::ClassroomWorkflow) => cmd::classroom_workflow::run(&ctx),
            Command::ClassReport { .. } => unreachable!("handled before the workspace is opened"),
        }
    })();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "{} {e:#}",
                console::style(i18n::t(lang, "error:", "오류:"))
                    .red()
                    .bold()
                    .force_styling(color)
            );
            // 2, like clap's usage errors: 1 means "an exercise failed".
            ExitCode::from(2)
        }
    }
}
