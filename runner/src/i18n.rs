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

/// What could not be done with a file or folder.
#[derive(Clone, Copy)]
pub enum FileOp {
    Create,
    Read,
    Write,
}

/// "cannot read PATH" and the like, in the learner's language.
pub fn cannot(lang: Lang, op: FileOp, path: &std::path::Path) -> String {
    let path = path.display();
    match (lang, op) {
        (Lang::En, FileOp::Create) => format!("cannot create {path}"),
        (Lang::En, FileOp::Read) => format!("cannot read {path}"),
        (Lang::En, FileOp::Write) => format!("cannot write {path}"),
        (Lang::Ko, FileOp::Create) => format!("폴더를 만들 수 없습니다: {path}"),
        (Lang::Ko, FileOp::Read) => format!("파일을 읽을 수 없습니다: {path}"),
        (Lang::Ko, FileOp::Write) => format!("파일을 쓸 수 없습니다: {path}"),
    }
}

/// A concept or hint text in the learner's language.
pub fn pick(lang: Lang, text: &crate::info_file::Bilingual) -> &str {
    t(lang, &text.en, &text.ko)
}
