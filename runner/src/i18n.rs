//! The learner's language. Every text a learner reads exists in English and Korean.

pub use conc_check::Lang;

/// The language from `--lang`, else from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `ko…` means Korean).
pub fn detect(flag: Option<Lang>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var) {
            if value.is_empty() {
                continue;
            }
            return if value.starts_with("ko") {
                Lang::Ko
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}

/// Picks `en` or `ko`.
pub fn t<'a>(lang: Lang, en: &'a str, ko: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// A concept or hint text in the learner's language.
pub fn pick(lang: Lang, text: &crate::info_file::Bilingual) -> &str {
    t(lang, &text.en, &text.ko)
}
