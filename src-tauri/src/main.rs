// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;

fn main() {
    // The app doubles as its own isolated PDF reader: a PDF that crashes the
    // reader ends that child process, not the app (see trustlens_core::ingest::pdf).
    if let Some(code) = trustlens_core::ingest::pdf::helper_main() {
        std::process::exit(i32::from(code));
    }
    trustlens_core::ingest::pdf::isolate_in_subprocess();
    // A bad option prints the usage and exits.
    trustlens_app::run(trustlens_app::Launch::parse());
}
