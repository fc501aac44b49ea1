//! A copy of each client's latest lifecycle event on its own row (`latest_event_*`),
//! kept by the database: a trigger on `lifecycle_events` writes every event that is
//! newer, by (`at`, `id`), than the one copied, and refreshes the copy when the copied
//! event itself is updated (personal data erased). Pages that show each client's latest
//! event read it with the client instead of seeking the events' index once per client.
//!
//! The copy follows the order of a client's history (`at` then `id`, newest first), so
//! it is always the first event of `history`. Events are appended and never moved in
//! time or deleted by the server. The columns are not part of the `client` entity: only
//! the list pages that ask for latest events select them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Clients {
    Table,
    LatestEventId,
    LatestEventAction,
    LatestEventFromStatus,
    LatestEventToStatus,
    LatestEventActorId,
    LatestEventReason,
    LatestEventFeedback,
    LatestEventDetails,
    LatestEventAt,
}

/// The copied columns and the event columns they copy, in the same order.
const COPIED: [(&str, &str); 9] = [
    ("latest_event_id", "id"),
    ("latest_event_action", "action"),
    ("latest_event_from_status", "from_status"),
    ("latest_event_to_status", "to_status"),
    ("latest_event_actor_id", "actor_id"),
    ("latest_event_reason", "reason"),
    ("latest_event_feedback", "feedback"),
    ("latest_event_details", "details"),
    ("latest_event_at", "at"),
];

/// The columns as the events table declares them, all nullable (a client may have no
/// event yet while the transaction that creates it runs).
fn columns() -> Vec<ColumnDef> {
    use Clients as C;
    vec![
        ColumnDef::new(C::LatestEventId).uuid().null().take(),
        ColumnDef::new(C::LatestEventAction)
            .string_len(32)
            .null()
            .take(),
        ColumnDef::new(C::LatestEventFromStatus)
            .string_len(16)
            .null()
            .take(),
        ColumnDef::new(C::LatestEventToStatus)
            .string_len(16)
            .null()
            .take(),
        ColumnDef::new(C::LatestEventActorId).uuid().null().take(),
        ColumnDef::new(C::LatestEventReason)
            .string_len(32)
            .null()
            .take(),
        ColumnDef::new(C::LatestEventFeedback).text().null().take(),
        ColumnDef::new(C::LatestEventDetails).json().null().take(),
        ColumnDef::new(C::LatestEventAt)
            .timestamp_with_time_zone()
            .null()
            .take(),
    ]
}

/// `latest_event_id = NEW.id, …`: the copy of the event a trigger fires for.
fn assignments() -> String {
    COPIED
        .iter()
        .map(|(to, from)| format!("{to} = NEW.{from}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The client of `NEW`, when `NEW` is newer than its copied event or is that event.
const WHERE_NEWER: &str = "id = NEW.client_id AND (latest_event_id IS NULL \
     OR latest_event_id = NEW.id \
     OR (latest_event_at, latest_event_id) < (NEW.at, NEW.id))";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for col in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Clients::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        let (to, from): (Vec<&str>, Vec<&str>) = COPIED.iter().copied().unzip();
        db.execute_unprepared(&format!(
            "UPDATE clients SET ({}) = (SELECT {} FROM lifecycle_events e \
             WHERE e.client_id = clients.id ORDER BY e.at DESC, e.id DESC LIMIT 1)",
            to.join(", "),
            from.join(", ")
        ))
        .await?;
        let update = format!("UPDATE clients SET {} WHERE {WHERE_NEWER}", assignments());
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION clientele_latest_event() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN {update}; RETURN NULL; END $$"
            ))
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER lifecycle_events_latest AFTER INSERT OR UPDATE \
                 ON lifecycle_events FOR EACH ROW EXECUTE FUNCTION clientele_latest_event()",
            )
            .await?;
        } else {
            for (name, on) in [
                ("lifecycle_events_latest_insert", "INSERT"),
                ("lifecycle_events_latest_update", "UPDATE"),
            ] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {on} ON lifecycle_events \
                     BEGIN {update}; END"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "DROP TRIGGER IF EXISTS lifecycle_events_latest ON lifecycle_events",
            )
            .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS clientele_latest_event()")
                .await?;
        } else {
            db.execute_unprepared("DROP TRIGGER IF EXISTS lifecycle_events_latest_insert")
                .await?;
            db.execute_unprepared("DROP TRIGGER IF EXISTS lifecycle_events_latest_update")
                .await?;
        }
        for (col, _) in COPIED {
            manager
                .alter_table(
                    Table::alter()
                        .table(Clients::Table)
                        .drop_column(Alias::new(col))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
