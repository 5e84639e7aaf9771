//! `conc-check`: what the hidden checks are written with.
//!
//! The runner builds each check as one program: the learner's exercise file, the check file as a module inside
//! it (so it sees the learner's private items), and a `main` that calls [`main`] here. That program runs the
//! checks in order, stops at the first failure, prints one line per check and writes a JSON line per check to
//! the file named by `CONC_LINGS_REPORT`, which the runner renders. It does so only when its first argument is
//! [`CHECKS_ARG`] (or a check role's, see [`process`]); started any other way, the same program is the learner's
//! own program: that is how process exercises re-execute themselves, with or without their environment.
//!
//! A check file is a function that registers checks:
//!
//! ```ignore
//! use super::*;
//! use conc_check::prelude::*;
//!
//! pub fn checks(c: &mut Checks) {
//!     c.model(("two hits make 2", "두 번 hit하면 2"), || {
//!         let counter = Arc::new(HitCounter::new());
//!         let other = thread::spawn({ let c = counter.clone(); move || c.hit() });
//!         counter.hit();
//!         other.join().unwrap();
//!         assert_eq!(counter.total(), 2, "{}", tr("a hit was lost", "hit 하나가 사라졌습니다"));
//!     });
//! }
//! ```

pub mod channel;
pub mod diagnose;
pub mod force;
pub mod gate;
mod model;
pub mod process;
pub mod report;
pub mod sandbox;
pub mod supervise;
pub mod task_cap;
mod text;

use report::{CheckResult, Failure, Outcome};
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

/// The first argument with which the runner starts a check program to run its checks. An argument, not an
/// environment variable: learner code that starts the program again with `env_clear()` (or any environment)
/// gets the learner's `main`, never a second copy of the checks.
pub const CHECKS_ARG: &str = "--conc-lings-checks";
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
    let first = std::env::args_os().nth(1);
    let role = first.as_deref().and_then(process::role_of_arg);
    if first.as_deref() != Some(std::ffi::OsStr::new(CHECKS_ARG)) && role.is_none() {
        return exercise_main().report();
    }
    // Before anything else, and only for the checks: the sealed channel to the runner (see `channel`).
    let mut report = role.is_none().then(channel::Reporter::take).flatten();
    // Then confinement, for the checks and everything they start (see `sandbox`).
    if role.is_none() {
        let short = process::prepare_short_base();
        sandbox::enter_from_env(short.as_slice());
    }
    let mut checks = Checks::default();
    register(&mut checks);
    if let Some(name) = role {
        return process::run_check_role(&name);
    }
    model::install_panic_hook();

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
        if let Some(reporter) = report.as_mut() {
            let _ = reporter.send(&serde_json::to_string(&result).expect("a report serialises"));
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
