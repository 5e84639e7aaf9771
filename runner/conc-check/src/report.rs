//! What a check program tells the runner: one JSON [`CheckResult`] per line.

use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};

pub use conc::trace::Op;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckResult {
    pub index: usize,
    pub total: usize,
    pub title: Title,
    pub millis: u64,
    /// How many interleavings the model checker ran (for model checks).
    pub executions: Option<usize>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Title {
    pub en: String,
    pub ko: String,
}

impl Title {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
}

impl From<Text> for Title {
    fn from(text: Text) -> Self {
        Title {
            en: text.en.into(),
            ko: text.ko.into(),
        }
    }
}

// One per check, written once and read once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "failure", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed(Failure),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// A thread panicked: a failed assertion of the check, or a panic in the learner's code.
    Panic {
        message: String,
        location: Option<SourceLine>,
        /// The model thread that panicked (0 = the check's own thread).
        thread: Option<usize>,
        trace: Option<Trace>,
    },
    /// Every thread still running is blocked: on a lock, a condition variable, a join, a channel.
    Deadlock { trace: Option<Trace> },
    /// One execution ran for too many steps without finishing: most likely a thread spins forever waiting for
    /// something that never happens in this interleaving.
    StepLimit { trace: Option<Trace> },
    /// A process check failed; the details are in the process report.
    Process(crate::process::ProcessFailure),
}

impl Failure {
    /// A short English name for logs; the runner renders the real explanation.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Panic { .. } => "panic",
            Failure::Deadlock { .. } => "deadlock",
            Failure::StepLimit { .. } => "too many steps",
            Failure::Process(_) => "process check failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    pub file: String,
    pub line: u32,
}

/// The operations of the failing execution, in the order they happened.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Trace {
    pub events: Vec<TraceEvent>,
    pub objects: Vec<TraceObject>,
    /// Events left out of a very long execution: they happened between `events[..kept]` and `events[kept..]`.
    pub dropped: usize,
    /// How many events at the front are the ones picked from the left-out part because the rest depends on
    /// them (`conc::trace::still_needed`).
    #[serde(default)]
    pub kept: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraceEvent {
    pub thread: usize,
    #[serde(flatten)]
    pub op: Op,
    pub at: Option<SourceLine>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TraceObject {
    pub kind: String,
    pub created_at: SourceLine,
}

impl From<conc::trace::Record> for Trace {
    fn from(record: conc::trace::Record) -> Self {
        let line = |l: &std::panic::Location<'_>| SourceLine {
            file: l.file().to_string(),
            line: l.line(),
        };
        Trace {
            events: record
                .events
                .into_iter()
                .map(|e| TraceEvent {
                    thread: e.thread,
                    op: e.op,
                    at: e.location.map(line),
                })
                .collect(),
            objects: record
                .objects
                .iter()
                .map(|o| TraceObject {
                    kind: o.kind.to_string(),
                    created_at: line(o.created_at),
                })
                .collect(),
            dropped: record.dropped,
            kept: record.kept,
        }
    }
}
