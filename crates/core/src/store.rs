//! The user's own data: a SQLite database (`trustlens.db` in the data
//! directory) that holds what users write — today their manual links between
//! clauses and matrix entries.
//!
//! Nothing a user writes may be lost, so: WAL journal mode and full
//! synchronisation (a committed write survives a crash or power loss), every
//! write in one transaction, a busy timeout so that the app and the CLI can
//! write at the same time, and numbered schema migrations recorded in
//! `PRAGMA user_version` (a database from a newer trustlens is refused, never
//! rewritten). The store is opened per operation: connections are cheap and
//! this keeps two processes from holding stale state.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// File name of the store in the data directory.
pub const STORE_FILE: &str = "trustlens.db";

/// Schema migrations, in order; `user_version` counts those applied.
/// Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the user's decisions about matrix links, one per clause and entry.
    "CREATE TABLE link_override (
        clause_id TEXT NOT NULL,
        entry TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
        author TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (clause_id, entry)
    ) STRICT;",
    // 2: notes on clauses, their tags, and an append-only journal of every
    // change to a note (its full state after the change), so that nothing a
    // user writes is lost — not even by an edit or a delete.
    "CREATE TABLE note (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        clause_id TEXT NOT NULL,
        origin_clause_id TEXT NOT NULL,
        clause_sha256 TEXT NOT NULL,
        quote TEXT,
        prefix TEXT,
        suffix TEXT,
        start INTEGER,
        end INTEGER,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'reviewed', 'flagged', 'needs_review')),
        author TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        change TEXT
    ) STRICT;
    CREATE TABLE note_tag (
        note_id INTEGER NOT NULL REFERENCES note(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (note_id, tag)
    ) STRICT;
    CREATE TABLE note_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        note_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        what TEXT NOT NULL,
        snapshot TEXT NOT NULL
    ) STRICT;
    CREATE INDEX note_clause ON note (clause_id);",
];

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("{path}: cannot open the trustlens database: {source}")]
    Open {
        /// Database path.
        path: String,
        /// The cause.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("{path}: {source}")]
    Sql {
        /// Database path.
        path: String,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The database was written by a newer trustlens.
    #[error("{path}: the database has schema version {found}, newer than this trustlens knows ({known}); it is left untouched — use a newer trustlens")]
    Newer {
        /// Database path.
        path: String,
        /// Its schema version.
        found: u32,
        /// The newest this build knows.
        known: u32,
    },
    /// The data directory could not be created.
    #[error("{path}: {source}")]
    Io {
        /// Directory path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// A user's decision about one clause and one matrix entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkAction {
    /// Link them (whatever the rules say).
    Link,
    /// Do not link them (whatever the rules say).
    Unlink,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LinkOverride {
    /// Clause ID.
    pub clause_id: String,
    /// Matrix entry key.
    pub entry: String,
    /// Link or unlink.
    pub action: LinkAction,
    /// Who decided (the OS user).
    pub author: String,
    /// When (RFC 3339, UTC).
    pub updated: String,
}

/// An open store.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

/// The OS user, for authorship.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

/// Now, RFC 3339 in UTC (honours `SOURCE_DATE_EPOCH` for reproducible output).
pub fn now() -> String {
    let t = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc)
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Store {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: name.clone(),
            source,
        })?;
        let sql = |source| StoreError::Sql {
            path: name.clone(),
            source,
        };
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        // journal_mode returns a row; the others do not.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(sql)?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(sql)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub(crate) fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sql {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.display().to_string();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        // IMMEDIATE: two processes opening a fresh store at once must not
        // both run the same migration.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let version: u32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let known = MIGRATIONS.len() as u32;
        if version > known {
            return Err(StoreError::Newer {
                path: path.clone(),
                found: version,
                known,
            });
        }
        if version == known {
            // Nothing to migrate: end the transaction without writing, so
            // that opening an up-to-date store (every search reads the
            // user's link decisions) costs no write and no fsync.
            return tx.rollback().map_err(sql);
        }
        for m in &MIGRATIONS[version as usize..] {
            tx.execute_batch(m).map_err(sql)?;
        }
        tx.pragma_update(None, "user_version", known).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// A number that changes whenever another connection (another process,
    /// or another `Store` in this one) commits to the database: what a cache
    /// of the store's contents checks before it is reused.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(self.sql())
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql())
    }

    /// Record a decision (replacing an earlier one for the same pair).
    pub fn set_link(
        &mut self,
        clause_id: &str,
        entry: &str,
        action: LinkAction,
    ) -> Result<LinkOverride, StoreError> {
        let o = LinkOverride {
            clause_id: clause_id.into(),
            entry: entry.into(),
            action,
            author: os_user(),
            updated: now(),
        };
        let action = match action {
            LinkAction::Link => "link",
            LinkAction::Unlink => "unlink",
        };
        let path = self.path.display().to_string();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO link_override (clause_id, entry, action, author, updated)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (clause_id, entry) DO UPDATE SET
               action = excluded.action, author = excluded.author, updated = excluded.updated",
            params![o.clause_id, o.entry, action, o.author, o.updated],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(o)
    }

    /// Forget a decision: the rules decide again. True when there was one.
    pub fn clear_link(&mut self, clause_id: &str, entry: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "DELETE FROM link_override WHERE clause_id = ?1 AND entry = ?2",
                params![clause_id, entry],
            )
            .map_err(self.sql())?;
        Ok(n > 0)
    }

    /// The decision for one pair, if any.
    pub fn link(&self, clause_id: &str, entry: &str) -> Result<Option<LinkOverride>, StoreError> {
        self.conn
            .query_row(
                "SELECT clause_id, entry, action, author, updated FROM link_override
                 WHERE clause_id = ?1 AND entry = ?2",
                params![clause_id, entry],
                row_to_override,
            )
            .optional()
            .map_err(self.sql())
    }

    /// Every decision, ordered by clause and entry.
    pub fn links(&self) -> Result<Vec<LinkOverride>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT clause_id, entry, action, author, updated FROM link_override
                 ORDER BY clause_id, entry",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], row_to_override)
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(rows)
    }
}

fn row_to_override(r: &rusqlite::Row<'_>) -> rusqlite::Result<LinkOverride> {
    let action: String = r.get(2)?;
    Ok(LinkOverride {
        clause_id: r.get(0)?,
        entry: r.get(1)?,
        action: if action == "unlink" {
            LinkAction::Unlink
        } else {
            LinkAction::Link
        },
        author: r.get(3)?,
        updated: r.get(4)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_persist_replace_and_clear() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(STORE_FILE);
        {
            let mut s = Store::open(&path).unwrap();
            assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
            s.set_link("v@1/a/1", "m/e", LinkAction::Link).unwrap();
            s.set_link("v@1/a/1", "m/e", LinkAction::Unlink).unwrap();
            s.set_link("v@1/a/2", "m/e", LinkAction::Link).unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        let all = s.links().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, LinkAction::Unlink);
        assert!(s.clear_link("v@1/a/1", "m/e").unwrap());
        assert!(!s.clear_link("v@1/a/1", "m/e").unwrap());
        assert!(s.link("v@1/a/1", "m/e").unwrap().is_none());
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        Store::open(&path).unwrap();
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let e = Store::open(&path).err().unwrap().to_string();
        assert!(e.contains("schema version 99"), "{e}");
        let v: u32 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        std::fs::write(&path, vec![0x42u8; 4096]).unwrap();
        let e = Store::open(&path).err().unwrap().to_string();
        assert!(e.contains(STORE_FILE), "{e}");
    }
}
