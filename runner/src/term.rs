//! Small pieces of terminal output.

use std::path::Path;

/// `[#####-----]`: `done` of `total`, `width` cells wide.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        (done * width).div_ceil(total).min(width)
    };
    let filled = if done < total {
        filled.min(width - 1)
    } else {
        filled
    };
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

/// `path` as a clickable link (OSC 8) in terminals that support it; plain text elsewhere.
pub fn link(path: &Path, shown: &str, color: bool) -> String {
    if !color {
        return shown.to_string();
    }
    format!(
        "\x1b]8;;file://{}\x1b\\{shown}\x1b]8;;\x1b\\",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_full_only_when_all_are_done() {
        assert_eq!(bar(0, 3, 6), "[------]");
        assert_eq!(bar(3, 3, 6), "[######]");
        assert_eq!(bar(29, 30, 6), "[#####-]");
        assert_eq!(bar(0, 0, 4), "[----]");
    }
}
