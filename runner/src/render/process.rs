//! A process check's failure: the check's message, the role that failed, how it ended, and its output.

use super::{Options, output_lines};
use crate::i18n::{Lang, t};
use conc_check::process::ProcessFailure;
use conc_check::supervise::Captured;

/// A process check's failure: its message, the role, how it ended, its output.
pub(super) fn render(p: &ProcessFailure, o: &Options, out: &mut Vec<String>) {
    let lang = o.lang;
    out.push(format!("  {} {}", o.red("⟶"), o.bold(&p.message)));
    if let Some(role) = &p.role {
        let how = if p.timed_out {
            t(
                lang,
                "was stopped at its time limit",
                "제한 시간에 멈췄습니다",
            )
            .to_string()
        } else if let Some(s) = p.signal {
            match lang {
                Lang::En => format!("was killed by signal {s}"),
                Lang::Ko => format!("시그널 {s}로 죽었습니다"),
            }
        } else if let Some(c) = p.exit_code {
            match lang {
                Lang::En => format!("exited with status {c}"),
                Lang::Ko => format!("종료 코드 {c}로 끝났습니다"),
            }
        } else {
            String::new()
        };
        out.push(match lang {
            Lang::En => format!("  role `{role}` {how}"),
            Lang::Ko => format!("  역할 `{role}`: {how}"),
        });
    }
    let empty = Captured::default();
    output_lines(
        p.stdout.as_ref().unwrap_or(&empty),
        p.stderr.as_ref().unwrap_or(&empty),
        o,
        out,
    );
}
