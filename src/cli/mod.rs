//! Parts of the `trustlens` command line that are not commands: how it
//! writes to the terminal.

pub mod output;
