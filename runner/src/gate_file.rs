//! `runner/checks/<topic>/<name>/gate.toml`: what the authors' gate knows about one exercise beyond its
//! files. The mutation score it may not fall below, the mutants that cannot change behaviour (each with the
//! reason), and the corpus entries whose verdict is known to be wrong today (the work list, each with why).

use crate::exercise::Workspace;
use crate::info_file::ExerciseInfo;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GateFile {
    /// The lowest mutation score allowed, in percent of the non-equivalent mutants killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutation_bar: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalent: Vec<Equivalent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gap: Vec<Gap>,
}

/// A mutant that survives because it cannot change what the program does (or what any check can observe).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalent {
    pub mutant: String,
    pub why: String,
}

/// A known-wrong variant that passes, or a right one that fails: a gap in the check, known and explained.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub variant: String,
    pub why: String,
}

const HEADER: &str = "\
# What `conc-lings dev check` and `dev mutate` know about this exercise (docs/AUTHORING.md, \"The mutation gate\").
# mutation_bar: the lowest score allowed (percent of non-equivalent mutants killed); `dev mutate --record` sets it.
# [[equivalent]]: a mutant that cannot change behaviour, and why. [[gap]]: a variant whose verdict is wrong today.
";

pub fn path(ws: &Workspace, ex: &ExerciseInfo) -> PathBuf {
    ws.wrong_dir(ex).join("gate.toml")
}

impl GateFile {
    /// The exercise's gate file; none is an empty one.
    pub fn load(ws: &Workspace, ex: &ExerciseInfo) -> Result<GateFile> {
        let path = path(ws, ex);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).with_context(|| ws.display(&path).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(GateFile::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", ws.display(&path))),
        }
    }

    pub fn save(&self, ws: &Workspace, ex: &ExerciseInfo) -> Result<()> {
        let path = path(ws, ex);
        let text = format!("{HEADER}\n{}", toml::to_string(self)?);
        crate::app_state::write_atomically(&path, &text)
            .with_context(|| format!("cannot write {}", ws.display(&path)))
    }

    pub fn gap(&self, variant: &str) -> Option<&Gap> {
        self.gap.iter().find(|g| g.variant == variant)
    }

    pub fn equivalent(&self, mutant: &str) -> Option<&Equivalent> {
        self.equivalent.iter().find(|e| e.mutant == mutant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_file_round_trips_and_rejects_unknown_fields() {
        let text = "mutation_bar = 80\n[[equivalent]]\nmutant = \"notify_earlier:S::signal#1\"\nwhy = \"one lock\"\n[[gap]]\nvariant = \"rt_if\"\nwhy = \"one waiter only\"\n";
        let gate: GateFile = toml::from_str(text).unwrap();
        assert_eq!(gate.mutation_bar, Some(80));
        assert!(gate.equivalent("notify_earlier:S::signal#1").is_some());
        assert!(gate.gap("rt_if").is_some());
        let again: GateFile = toml::from_str(&toml::to_string(&gate).unwrap()).unwrap();
        assert_eq!(again.gap.len(), 1);
        let err = toml::from_str::<GateFile>("mutation_barr = 3\n").unwrap_err();
        assert!(err.to_string().contains("mutation_barr"), "{err}");
    }
}
