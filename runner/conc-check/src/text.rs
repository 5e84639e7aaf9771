//! Texts in both languages a learner may read.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ko,
}

/// A text in English and Korean, written `("English", "한국어")`.
#[derive(Clone, Copy, Debug)]
pub struct Text {
    pub en: &'static str,
    pub ko: &'static str,
}

impl From<(&'static str, &'static str)> for Text {
    fn from((en, ko): (&'static str, &'static str)) -> Self {
        Text { en, ko }
    }
}

/// The learner's language, as the runner passed it in `CONC_LINGS_LANG`.
pub fn lang() -> Lang {
    match std::env::var(crate::LANG_ENV).as_deref() {
        Ok("ko") => Lang::Ko,
        _ => Lang::En,
    }
}

/// Picks the text for the learner's language: `assert!(ok, "{}", tr("lost a hit", "hit 하나가 사라졌습니다"))`.
pub fn tr(en: &'static str, ko: &'static str) -> &'static str {
    match lang() {
        Lang::En => en,
        Lang::Ko => ko,
    }
}
