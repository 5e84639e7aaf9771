//! The curriculum gate, as part of `cargo test`: on the bundled curriculum every solution and alternative right
//! answer passes, every exercise as shipped and every known-wrong or red-team variant fails by a check (except the
//! known gaps each exercise's gate.toml lists), and info.toml, the manifests and the texts agree. A check that
//! lets a wrong answer through, or fails a right one, fails this test. Once each: the repeats and the mutation
//! gate run in `.ci/run` as steps of their own.

use assert_cmd::Command;
use std::path::Path;

#[test]
fn dev_check_passes_on_the_bundled_curriculum() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runner/ is inside the workspace");
    Command::cargo_bin("conc-lings")
        .expect("the binary is built")
        .args([
            "--color", "never", "--lang", "en", "dev", "check", "--repeat", "1",
        ])
        .current_dir(root)
        // Only against a hang of the runner itself (every check program it starts has its own time limit), so
        // well above any run: on a 2-core machine shared with other check loops it took over 20 minutes, not 8.
        .timeout(std::time::Duration::from_secs(75 * 60))
        .assert()
        .success();
}
