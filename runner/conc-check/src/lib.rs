//! `conc-check`: what the hidden checks are written with.
//!
//! The runner builds each check as one program: the learner's exercise file, the check file as a module inside
//! it (so it sees the learner's private items), and a `main` that calls [`main`] here. That program runs the
//! checks in order, stops at the first failure, prints one line per check and writes a JSON line per check to
//! the file named by `CONC_LINGS_REPORT`, which the runner renders. Started with `CONC_LINGS_EXERCISE` set, the
//! same program is the learner's own program instead: that is how process exercises re-execute themselves.
//!
//! A check file is a function that registers checks:
//!
//! ```ignore
//! use super::*;
//! use conc_check::prelude::*;
//!
//! pub fn checks(c: &mut Checks) {
//!     c.model(("two hits make 2", "두 번 hit 하면 2"), || {
//!         let counter = Arc::new(HitCounter::new());
//!         let other = thread::spawn({ let c = counter.clone(); move || c.hit() });
//!         counter.hit();
//!         other.join().unwrap();
//!         assert_eq!(counter.total(), 2, "{}", tr("a hit was lost", "hit 하나가 사라졌습니다"));
//!     });
//! }
//! ```

pub mod diagnose;
pub mod gate;
mod model;
pub mod process;
pub mod report;
pub mod supervise;
mod text;

use report::{CheckResult, Failure, Outcome};
use std::io::Write;
use std::process::{ExitCode, Termination};
use std::sync::Arc;
use std::time::Instant;

pub use model::ModelOptions;
pub use text::{Lang, Text, lang, tr};

/// A message with values, in the learner's language: `trf!("{n} hits lost", "hit {n}개가 사라졌습니다")`.
/// Both texts are format strings and may name variables in scope.
#[macro_export]
macro_rules! trf {
    ($en:literal, $ko:literal $(, $arg:expr)* $(,)?) => {
        match $crate::lang() {
            $crate::Lang::En => format!($en $(, $arg)*),
            $crate::Lang::Ko => format!($ko $(, $arg)*),
        }
    };
}

/// Set (to anything) in the environment: run the learner's `main` instead of the checks.
pub const EXERCISE_ENV: &str = "CONC_LINGS_EXERCISE";
/// Where to append one JSON [`CheckResult`] per check.
pub const REPORT_ENV: &str = "CONC_LINGS_REPORT";
/// `en` or `ko`: the language of check titles and messages.
pub const LANG_ENV: &str = "CONC_LINGS_LANG";

pub mod prelude {
    pub use crate::{Checks, tr, trf};
    pub use conc::sync::{
        Arc, Barrier, Condvar, Mutex, RwLock,
        atomic::{AtomicBool, AtomicUsize, Ordering},
        mpsc,
    };
    pub use conc::thread;
}

/// The checks of one exercise, in the order they run.
#[derive(Default)]
pub struct Checks {
    checks: Vec<Check>,
}

struct Check {
    title: Text,
    body: Body,
}

enum Body {
    Model(Arc<dyn Fn() + Send + Sync>, ModelOptions),
    Process(Box<dyn Fn(&process::Exercise)>),
    Plain(Box<dyn Fn()>),
}

impl Checks {
    /// A check run under the model checker (shuttle, or loom for `ordering` exercises): `body` runs once per
    /// execution, each time with a different interleaving of its threads. Panicking fails the check.
    pub fn model(
        &mut self,
        title: impl Into<Text>,
        body: impl Fn() + Send + Sync + 'static,
    ) -> &mut ModelOptions {
        self.checks.push(Check {
            title: title.into(),
            body: Body::Model(Arc::new(body), ModelOptions::default()),
        });
        match &mut self.checks.last_mut().expect("just pushed").body {
            Body::Model(_, options) => options,
            _ => unreachable!(),
        }
    }

    /// A check that drives the exercise as real processes; see [`process::Exercise`].
    pub fn process(&mut self, title: impl Into<Text>, body: impl Fn(&process::Exercise) + 'static) {
        self.checks.push(Check {
            title: title.into(),
            body: Body::Process(Box::new(body)),
        });
    }

    /// A check that runs `body` once, on real threads.
    pub fn plain(&mut self, title: impl Into<Text>, body: impl Fn() + 'static) {
        self.checks.push(Check {
            title: title.into(),
            body: Body::Plain(Box::new(body)),
        });
    }
}

/// The `main` of a check program. `exercise_main` is the learner's own `main`.
pub fn main<T: Termination>(register: fn(&mut Checks), exercise_main: fn() -> T) -> ExitCode {
    if std::env::var_os(EXERCISE_ENV).is_some() {
        return exercise_main().report();
    }
    let mut checks = Checks::default();
    register(&mut checks);
    if let Some(code) = process::run_check_role() {
        return code;
    }
    model::install_panic_hook();

    let mut report = std::env::var_os(REPORT_ENV).and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    // The learner's code runs in this process next: it has no business knowing where verdicts are written.
    // SAFETY: no other thread exists yet.
    unsafe { std::env::remove_var(REPORT_ENV) };
    let total = checks.checks.len();
    for (index, check) in checks.checks.into_iter().enumerate() {
        let started = Instant::now();
        let (outcome, executions) = match &check.body {
            Body::Model(body, options) => model::run(body.clone(), options),
            Body::Process(body) => (process::run(body.as_ref()), None),
            Body::Plain(body) => (model::run_plain(body.as_ref()), None),
        };
        let result = CheckResult {
            index,
            total,
            title: check.title.into(),
            millis: started.elapsed().as_millis() as u64,
            executions,
            outcome,
        };
        print_line(&result);
        if let Some(file) = report.as_mut() {
            let _ = writeln!(
                file,
                "{}",
                serde_json::to_string(&result).expect("a report serialises")
            );
            let _ = file.flush();
        }
        if !matches!(result.outcome, Outcome::Passed) {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn print_line(result: &CheckResult) {
    let title = result.title.get(text::lang());
    match &result.outcome {
        Outcome::Passed => println!("ok   {title}"),
        Outcome::Failed(Failure::Panic { message, .. }) => println!("FAIL {title}: {message}"),
        Outcome::Failed(failure) => println!("FAIL {title}: {}", failure.kind()),
    }
}
