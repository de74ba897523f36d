//! The `trustlens` command-line interface: a thin layer over
//! [`trustlens::api`], one module per command in `cli/`.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    // This binary doubles as the isolated PDF reader (see ingest::pdf).
    if let Some(code) = trustlens::ingest::pdf::helper_main() {
        return ExitCode::from(code);
    }
    trustlens::ingest::pdf::isolate_in_subprocess();
    cli::main()
}
