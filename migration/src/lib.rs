//! Database migrations of Clientele; the same steps run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_core_tables;
mod m20261123_000002_create_client_relations;
mod m20261124_000003_create_webhooks;
mod m20261129_000004_announce_user_changes;
mod m20261130_000005_latest_event_on_clients;
mod m20261130_000006_active_counts_on_clients;
mod m20261130_000007_count_user_changes;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_core_tables::Migration),
            Box::new(m20261123_000002_create_client_relations::Migration),
            Box::new(m20261124_000003_create_webhooks::Migration),
            Box::new(m20261129_000004_announce_user_changes::Migration),
            Box::new(m20261130_000005_latest_event_on_clients::Migration),
            Box::new(m20261130_000006_active_counts_on_clients::Migration),
            Box::new(m20261130_000007_count_user_changes::Migration),
        ]
    }
}
