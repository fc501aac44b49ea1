//! On SQLite, every write to `users` counts itself in a one-row table, `user_changes`
//! (triggers on insert, update and delete), whoever makes it: this server, another
//! process on the same file, an operator in the `sqlite3` shell. A server reads the
//! count with the signed-in user of each request, and may keep the staff a page names
//! (events' actors, stakeholders) between requests for as long as the count stays the
//! same. PostgreSQL announces the same changes with `NOTIFY clientele_users` instead
//! (migration 4); nothing is created there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (trigger, event) of each counting trigger.
const TRIGGERS: [(&str, &str); 3] = [
    ("users_counted_insert", "INSERT"),
    ("users_counted_update", "UPDATE"),
    ("users_counted_delete", "DELETE"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE user_changes (\
             id INTEGER PRIMARY KEY CHECK (id = 1), \
             changes INTEGER NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO user_changes (id, changes) VALUES (1, 0)")
            .await?;
        for (name, event) in TRIGGERS {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name} AFTER {event} ON users BEGIN \
                 UPDATE user_changes SET changes = changes + 1 WHERE id = 1; END"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for (name, _) in TRIGGERS {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS user_changes")
            .await?;
        Ok(())
    }
}
