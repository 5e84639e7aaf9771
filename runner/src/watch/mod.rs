//! Watch mode.
use crate::cmd::Ctx;
use std::process::ExitCode;
pub fn run(_ctx: Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("watch is not built yet")
}
