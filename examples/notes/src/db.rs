//! The embedded `SQLite` database: migrations at start, every statement with bound parameters,
//! run off the async threads.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension as _, params};

/// The migrations, in order; the database records how many it has run.
const MIGRATIONS: &[&str] = &[
    // 1: accounts and notes.
    "CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        created       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE notes (
        id      INTEGER PRIMARY KEY,
        owner   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title   TEXT NOT NULL,
        body    TEXT NOT NULL,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX notes_by_owner ON notes (owner, id);",
];

/// A database failure. Its text names the operation, never a value.
#[derive(Debug)]
pub struct DbError(pub &'static str, pub Option<rusqlite::Error>);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.1.as_ref().map(|error| error as _)
    }
}

/// One connection, shared; `SQLite` serializes writers anyway.
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

/// An account.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub created: String,
}

/// A note, as its owner reads it (a response body: it derives `Redact`, which writes its
/// `Serialize` and `Debug`).
#[derive(Clone, palisade::Redact)]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub created: String,
    pub updated: String,
}

/// The most notes a list or a search returns.
pub const PAGE: i64 = 100;

fn note(row: &rusqlite::Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: row.get(0)?,
        title: row.get(1)?,
        body: row.get(2)?,
        created: row.get(3)?,
        updated: row.get(4)?,
    })
}

fn user(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        display_name: row.get(3)?,
        role: row.get(4)?,
        created: row.get(5)?,
    })
}

const USER_COLUMNS: &str = "id, email, password_hash, display_name, role, created";
const NOTE_COLUMNS: &str = "id, title, body, created, updated";

/// `text` for a `LIKE … ESCAPE '\'` pattern: its `%`, `_` and `\` match themselves.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Db {
    /// Opens (or creates) the database at `path` and runs the migrations it has not run.
    ///
    /// # Errors
    ///
    /// The file cannot be opened, or a migration fails.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let mut connection =
            Connection::open(path).map_err(|error| DbError("open", Some(error)))?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .map_err(|error| DbError("pragmas", Some(error)))?;
        migrate(&mut connection)?;
        Ok(Self(Arc::new(Mutex::new(connection))))
    }

    /// Runs `f` on the connection, on a blocking thread.
    async fn call<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, DbError> {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = db.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut connection).map_err(|error| DbError(what, Some(error)))
        })
        .await
        .map_err(|_| DbError(what, None))?
    }

    /// A new account; `None` when the email is taken.
    pub async fn create_user(
        &self,
        email: String,
        password_hash: String,
        display_name: String,
        role: &'static str,
    ) -> Result<Option<User>, DbError> {
        self.call("create user", move |connection| {
            let inserted = connection.execute(
                "INSERT INTO users (email, password_hash, display_name, role) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (email) DO NOTHING",
                params![email, password_hash, display_name, role],
            )?;
            if inserted == 0 {
                return Ok(None);
            }
            let id = connection.last_insert_rowid();
            connection
                .query_row(
                    &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                    params![id],
                    user,
                )
                .map(Some)
        })
        .await
    }

    /// The account of `email`.
    pub async fn user_by_email(&self, email: String) -> Result<Option<User>, DbError> {
        self.call("user by email", move |connection| {
            connection
                .query_row(
                    &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"),
                    params![email],
                    user,
                )
                .optional()
        })
        .await
    }

    /// The account `id`.
    pub async fn user(&self, id: i64) -> Result<Option<User>, DbError> {
        self.call("user", move |connection| {
            connection
                .query_row(
                    &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                    params![id],
                    user,
                )
                .optional()
        })
        .await
    }

    /// Every account, oldest first.
    pub async fn users(&self) -> Result<Vec<User>, DbError> {
        self.call("users", |connection| {
            let mut statement =
                connection.prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))?;
            statement.query_map([], user)?.collect()
        })
        .await
    }

    /// Whether an admin account exists.
    pub async fn has_admin(&self) -> Result<bool, DbError> {
        self.call("has admin", |connection| {
            connection.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')",
                [],
                |row| row.get(0),
            )
        })
        .await
    }

    /// Replaces an account's password hash (rehash on login).
    pub async fn set_password_hash(&self, id: i64, hash: String) -> Result<(), DbError> {
        self.call("set password hash", move |connection| {
            connection
                .execute(
                    "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                    params![hash, id],
                )
                .map(drop)
        })
        .await
    }

    /// The owner of note `id`.
    pub async fn note_owner(&self, id: i64) -> Result<Option<i64>, DbError> {
        self.call("note owner", move |connection| {
            connection
                .query_row(
                    "SELECT owner FROM notes WHERE id = ?1",
                    params![id],
                    |row| row.get(0),
                )
                .optional()
        })
        .await
    }

    /// A new note of `owner`.
    pub async fn create_note(
        &self,
        owner: i64,
        title: String,
        body: String,
    ) -> Result<Note, DbError> {
        self.call("create note", move |connection| {
            connection.query_row(
                &format!(
                    "INSERT INTO notes (owner, title, body) VALUES (?1, ?2, ?3) RETURNING {NOTE_COLUMNS}"
                ),
                params![owner, title, body],
                note,
            )
        })
        .await
    }

    /// Note `id` of `owner` (the owner is in the query too, whatever the policy said).
    pub async fn note(&self, owner: i64, id: i64) -> Result<Option<Note>, DbError> {
        self.call("note", move |connection| {
            connection
                .query_row(
                    &format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1 AND owner = ?2"),
                    params![id, owner],
                    note,
                )
                .optional()
        })
        .await
    }

    /// `owner`'s notes, newest first, at most [`PAGE`].
    pub async fn notes(&self, owner: i64) -> Result<Vec<Note>, DbError> {
        self.call("notes", move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {NOTE_COLUMNS} FROM notes WHERE owner = ?1 ORDER BY id DESC LIMIT ?2"
            ))?;
            statement.query_map(params![owner, PAGE], note)?.collect()
        })
        .await
    }

    /// `owner`'s notes whose title or body contains `text`, newest first, at most [`PAGE`].
    pub async fn search(&self, owner: i64, text: String) -> Result<Vec<Note>, DbError> {
        self.call("search", move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {NOTE_COLUMNS} FROM notes
                 WHERE owner = ?1 AND (title LIKE ?2 ESCAPE '\\' OR body LIKE ?2 ESCAPE '\\')
                 ORDER BY id DESC LIMIT ?3"
            ))?;
            statement
                .query_map(params![owner, like_pattern(&text), PAGE], note)?
                .collect()
        })
        .await
    }

    /// Replaces note `id` of `owner`.
    pub async fn update_note(
        &self,
        owner: i64,
        id: i64,
        title: String,
        body: String,
    ) -> Result<Option<Note>, DbError> {
        self.call("update note", move |connection| {
            connection
                .query_row(
                    &format!(
                        "UPDATE notes SET title = ?1, body = ?2,
                         updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                         WHERE id = ?3 AND owner = ?4 RETURNING {NOTE_COLUMNS}"
                    ),
                    params![title, body, id, owner],
                    note,
                )
                .optional()
        })
        .await
    }

    /// Deletes note `id` of `owner`; whether there was one.
    pub async fn delete_note(&self, owner: i64, id: i64) -> Result<bool, DbError> {
        self.call("delete note", move |connection| {
            connection
                .execute(
                    "DELETE FROM notes WHERE id = ?1 AND owner = ?2",
                    params![id, owner],
                )
                .map(|deleted| deleted > 0)
        })
        .await
    }
}

fn migrate(connection: &mut Connection) -> Result<(), DbError> {
    let done: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|error| DbError("migration version", Some(error)))?;
    for (version, migration) in (1_i64..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let transaction = connection
            .transaction()
            .map_err(|error| DbError("migration", Some(error)))?;
        transaction
            .execute_batch(migration)
            .and_then(|()| transaction.pragma_update(None, "user_version", version))
            .and_then(|()| transaction.commit())
            .map_err(|error| DbError("migration", Some(error)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern(""), "%%");
    }
}
