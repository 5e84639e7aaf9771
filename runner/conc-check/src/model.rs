//! Runs a check body under the model checker and turns a failing execution into a [`Failure`] with its trace.

use crate::report::{Failure, Outcome, SourceLine, Trace};
use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How hard the model checker tries. The defaults catch every bug in the shipped curriculum on every run;
/// raise `executions` for a check whose bug needs a rarer interleaving.
#[derive(Clone, Debug)]
pub struct ModelOptions {
    /// Random schedules to try (shuttle). A fixed seed makes the verdict the same on every run.
    pub executions: usize,
    /// Steps one execution may take before it counts as spinning forever.
    pub max_steps: usize,
    pub seed: u64,
    /// Preemptions per execution explored exhaustively (loom).
    pub preemption_bound: usize,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            executions: 1000,
            max_steps: 20_000,
            seed: 0x00c0_ffee,
            preemption_bound: 2,
        }
    }
}

impl ModelOptions {
    pub fn executions(&mut self, n: usize) -> &mut Self {
        self.executions = n;
        self
    }

    pub fn max_steps(&mut self, n: usize) -> &mut Self {
        self.max_steps = n;
        self
    }

    pub fn preemption_bound(&mut self, n: usize) -> &mut Self {
        self.preemption_bound = n;
        self
    }
}

/// The first panic of the current execution, as the panic hook saw it.
struct Captured {
    location: Option<SourceLine>,
    trace: Option<conc::trace::Record>,
}

thread_local! {
    static CAPTURED: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Replaces the default "thread panicked at" output: panics are part of the report, not of stderr.
pub(crate) fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| SourceLine {
            file: l.file().to_string(),
            line: l.line(),
        });
        CAPTURED.with(|c| {
            if let Ok(mut slot) = c.try_borrow_mut() {
                if slot.is_none() {
                    *slot = Some(Captured {
                        location,
                        trace: conc::trace::snapshot(),
                    });
                }
            }
        });
    }));
}

fn payload_message(payload: &dyn Any) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panicked".to_string()
    }
}

fn begin_execution() {
    conc::trace::begin_execution();
    CAPTURED.with(|c| *c.borrow_mut() = None);
}

/// Turns the panic that ended a run into a failure, with the trace of the failing execution.
fn failure(payload: Box<dyn Any + Send>) -> Failure {
    let captured = CAPTURED.with(|c| c.borrow_mut().take());
    let message = payload_message(payload.as_ref());
    let (location, trace) = match captured {
        Some(c) => (c.location, c.trace.or_else(|| Some(conc::trace::take()))),
        None => (None, Some(conc::trace::take())),
    };
    let trace = trace.map(Trace::from).filter(|t| !t.events.is_empty());
    // The model checkers' own words for "nobody can move" and "this never ends".
    if message.starts_with("deadlock") {
        Failure::Deadlock { trace }
    } else if message.contains("exceeded max_steps")
        || message.contains("maximum number of branches")
    {
        Failure::StepLimit { trace }
    } else {
        Failure::Panic {
            message,
            location,
            thread: Some(conc::trace::panicked_thread().unwrap_or(0)),
            trace,
        }
    }
}

/// Runs `body` under the model checker; returns the outcome and how many executions ran.
pub(crate) fn run(
    body: Arc<dyn Fn() + Send + Sync>,
    options: &ModelOptions,
) -> (Outcome, Option<usize>) {
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = executions.clone();
    let each = move || {
        counter.fetch_add(1, Ordering::Relaxed);
        begin_execution();
        body();
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| explore(each, options)));
    let outcome = match result {
        Ok(()) => Outcome::Passed,
        Err(payload) => Outcome::Failed(failure(payload)),
    };
    (outcome, Some(executions.load(Ordering::Relaxed)))
}

#[cfg(feature = "shuttle")]
fn explore(each: impl Fn() + Send + Sync + 'static, options: &ModelOptions) {
    let mut config = shuttle::Config::new();
    config.failure_persistence = shuttle::FailurePersistence::None;
    config.max_steps = shuttle::MaxSteps::FailAfter(options.max_steps);
    config.silence_warnings = true;
    let scheduler =
        shuttle::scheduler::RandomScheduler::new_from_seed(options.seed, options.executions);
    shuttle::Runner::new(scheduler, config).run(each);
}

#[cfg(feature = "loom")]
fn explore(each: impl Fn() + Send + Sync + 'static, options: &ModelOptions) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(options.preemption_bound);
    builder.max_branches = options.max_steps;
    builder.check(each);
}

/// Without a model checker (a process or std build) a model check runs once, on real threads.
#[cfg(not(any(feature = "shuttle", feature = "loom")))]
fn explore(each: impl Fn() + Send + Sync + 'static, _options: &ModelOptions) {
    each();
}

/// Runs `body` once on real threads.
pub(crate) fn run_plain(body: &dyn Fn()) -> Outcome {
    begin_execution();
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(()) => Outcome::Passed,
        Err(payload) => Outcome::Failed(failure(payload)),
    }
}
