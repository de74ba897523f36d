//! The one API that both front ends use: the `trustlens` CLI and the Tauri
//! app's commands are thin adapters over [`Workspace`] and [`ingest`].
//!
//! Every fallible call returns [`ApiError`], a `{code, message}` pair that
//! crosses the IPC and CLI boundaries as JSON; its [`ErrorCode`]s are an
//! enum, exported to TypeScript with the other types ([`bindings`]).

//!
//! The parts: [`Workspace`] (an open corpus and everything asked of it, one
//! file per concern), the boundary's types (requests and views), the
//! settings file, the writes that add to a corpus ([`ingest`], [`import`],
//! and the watched pages, [`watch_run`]),
//! [`Session`] (a front end's hold on a workspace across calls), the app's
//! [`commands`] table and the TypeScript [`bindings`].

pub mod bindings;
pub mod commands;
pub mod conventions;
mod dto;
mod error;
pub mod session;
mod settings;
mod watch;
mod workspace;
mod writes;

pub use dto::*;
pub use error::{ApiError, ErrorCode};
pub use session::Session;
pub use settings::Settings;
pub use watch::*;
pub use workspace::{flag_versions, Workspace};
pub use writes::*;
