//! On PostgreSQL, every statement that writes `users` announces it with
//! `NOTIFY clientele_users` (delivered on commit), so that server processes that keep
//! signed-in users between requests forget them at once, whoever made the change. SQLite
//! has no notifications; the server keeps nothing there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION clientele_users_changed() RETURNS trigger \
             LANGUAGE plpgsql AS $$ \
             BEGIN PERFORM pg_notify('clientele_users', ''); RETURN NULL; END $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
             ON users FOR EACH STATEMENT EXECUTE FUNCTION clientele_users_changed()",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TRIGGER IF EXISTS users_changed ON users")
            .await?;
        db.execute_unprepared("DROP FUNCTION IF EXISTS clientele_users_changed()")
            .await?;
        Ok(())
    }
}
