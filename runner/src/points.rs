//! Points per concept, as `verify --format json` reports them and `class-report` reads them: one point per
//! exercise that passes, out of the concept's number of exercises.

use crate::check::Verdict;
use crate::info_file::InfoFile;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptPoints {
    /// The concept's id in info.toml (the same in every language).
    pub name: String,
    /// Exercises of the concept that passed.
    pub points: usize,
    /// Exercises in the concept.
    pub max: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Total {
    pub points: usize,
    pub max: usize,
}

/// Points of every concept that has a verdict, in info.toml's order.
pub fn per_concept(info: &InfoFile, verdicts: &[Verdict]) -> Vec<ConceptPoints> {
    info.concepts
        .iter()
        .filter_map(|concept| {
            let in_concept: Vec<&Verdict> = verdicts
                .iter()
                .filter(|v| {
                    info.exercise(&v.exercise)
                        .is_some_and(|e| e.concept == concept.id)
                })
                .collect();
            (!in_concept.is_empty()).then(|| ConceptPoints {
                name: concept.id.clone(),
                points: in_concept.iter().filter(|v| v.passed()).count(),
                max: in_concept.len(),
            })
        })
        .collect()
}

pub fn total(concepts: &[ConceptPoints]) -> Total {
    concepts.iter().fold(Total::default(), |sum, c| Total {
        points: sum.points + c.points,
        max: sum.max + c.max,
    })
}
