//! How many ACTIVE contacts and ACTIVE workflows each client has, on its own row
//! (`active_contacts`, `active_workflows`), kept by the database: triggers on `contacts`
//! and `workflows` count a row in when it is written ACTIVE and out when it leaves
//! ACTIVE, moves to another client or is deleted. The lifecycle rules' verdicts need
//! only these numbers (whether a client has an ACTIVE contact to hand the account to,
//! and how many workflows stand in the way of discarding it), so a page of clients
//! asking for `availableActions` reads them with the clients instead of probing both
//! tables once per client. Plans (mutations, previews) still read the rows themselves.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Clients {
    Table,
    ActiveContacts,
    ActiveWorkflows,
}

/// (counted table, counting column on `clients`).
const COUNTED: [(&str, &str); 2] = [
    ("contacts", "active_contacts"),
    ("workflows", "active_workflows"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Clients::ActiveContacts, Clients::ActiveWorkflows] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Clients::Table)
                        .add_column(ColumnDef::new(col).integer().not_null().default(0))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for (table, count) in COUNTED {
            db.execute_unprepared(&format!(
                "UPDATE clients SET {count} = (SELECT count(*) FROM {table} t \
                 WHERE t.client_id = clients.id AND t.status = 'ACTIVE')"
            ))
            .await?;
            let less = format!("UPDATE clients SET {count} = {count} - 1 WHERE id = OLD.client_id");
            let more = format!("UPDATE clients SET {count} = {count} + 1 WHERE id = NEW.client_id");
            // An update counts only when the row enters or leaves ACTIVE, or changes client.
            let moved = "OLD.status IS DISTINCT FROM NEW.status \
                         OR OLD.client_id IS DISTINCT FROM NEW.client_id";
            if manager.get_database_backend() == DatabaseBackend::Postgres {
                db.execute_unprepared(&format!(
                    "CREATE OR REPLACE FUNCTION clientele_count_{table}() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' AND OLD.status = 'ACTIVE' THEN {less}; END IF; \
                     IF TG_OP <> 'DELETE' AND NEW.status = 'ACTIVE' THEN {more}; END IF; \
                     RETURN NULL; END $$"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_counted AFTER INSERT OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION clientele_count_{table}()"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_recounted AFTER UPDATE ON {table} \
                     FOR EACH ROW WHEN ({moved}) EXECUTE FUNCTION clientele_count_{table}()"
                ))
                .await?;
            } else {
                for (name, on, when, body) in [
                    (
                        "counted_in",
                        "INSERT",
                        "NEW.status = 'ACTIVE'".to_string(),
                        more.clone(),
                    ),
                    (
                        "counted_out",
                        "DELETE",
                        "OLD.status = 'ACTIVE'".to_string(),
                        less.clone(),
                    ),
                    (
                        "recounted",
                        "UPDATE",
                        moved.to_string(),
                        format!(
                            "UPDATE clients SET {count} = {count} - (OLD.status = 'ACTIVE') \
                             WHERE id = OLD.client_id; \
                             UPDATE clients SET {count} = {count} + (NEW.status = 'ACTIVE') \
                             WHERE id = NEW.client_id"
                        ),
                    ),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_{name} AFTER {on} ON {table} \
                         FOR EACH ROW WHEN {when} BEGIN {body}; END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, _) in COUNTED {
            if manager.get_database_backend() == DatabaseBackend::Postgres {
                for name in ["counted", "recounted"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared(&format!(
                    "DROP FUNCTION IF EXISTS clientele_count_{table}()"
                ))
                .await?;
            } else {
                for name in ["counted_in", "counted_out", "recounted"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_{name}"))
                        .await?;
                }
            }
        }
        for col in [Clients::ActiveContacts, Clients::ActiveWorkflows] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Clients::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
