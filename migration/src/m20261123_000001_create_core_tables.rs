//! Firms, staff users, clients and their lifecycle events.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Firms {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    FirmId,
    Name,
    Email,
    Role,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Clients {
    Table,
    Id,
    FirmId,
    Name,
    Email,
    Kind,
    Billing,
    Status,
    PortalAccess,
    ActivationScheduledAt,
    DecommissionScheduledAt,
    StatusBeforeArchive,
    Version,
    CreatedAt,
    UpdatedAt,
    StatusChangedAt,
}

#[derive(DeriveIden)]
enum LifecycleEvents {
    Table,
    Id,
    FirmId,
    ClientId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    Reason,
    Feedback,
    Details,
    At,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().primary_key().take()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

fn code(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().take()
}

fn code_null(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().take()
}

fn index(name: &str, cols: &[Clients]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(Clients::Table);
    for c in cols {
        idx.col(*c);
    }
    idx.take()
}

fn client_indexes() -> Vec<IndexCreateStatement> {
    use Clients as C;
    vec![
        // Unique e-mail per firm (stored lower-cased; NULLs never clash).
        index("ux_clients_firm_email", &[C::FirmId, C::Email])
            .unique()
            .take(),
        // The list query: firm, optional status filter, sort key, id.
        index("ix_clients_firm_created", &[C::FirmId, C::CreatedAt, C::Id]),
        index("ix_clients_firm_name", &[C::FirmId, C::Name, C::Id]),
        index(
            "ix_clients_firm_status_created",
            &[C::FirmId, C::Status, C::CreatedAt, C::Id],
        ),
        index(
            "ix_clients_firm_status_name",
            &[C::FirmId, C::Status, C::Name, C::Id],
        ),
        index(
            "ix_clients_firm_status_updated",
            &[C::FirmId, C::Status, C::UpdatedAt, C::Id],
        ),
        index(
            "ix_clients_firm_status_changed",
            &[C::FirmId, C::Status, C::StatusChangedAt, C::Id],
        ),
        // The scheduler's due-item scans.
        index("ix_clients_activation_due", &[C::ActivationScheduledAt]),
        index("ix_clients_decommission_due", &[C::DecommissionScheduledAt]),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Firms::Table)
                    .col(id(Firms::Id))
                    .col(ColumnDef::new(Firms::Name).string_len(200).not_null())
                    .col(ts(Firms::CreatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(ColumnDef::new(Users::FirmId).uuid().not_null())
                    .col(ColumnDef::new(Users::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Users::Email).string_len(254).not_null())
                    .col(code(Users::Role, 16))
                    .col(ColumnDef::new(Users::Active).boolean().not_null())
                    .col(ts(Users::CreatedAt))
                    .col(ts(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_users_firm")
                    .table(Users::Table)
                    .col(Users::FirmId)
                    .col(Users::Name)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .col(id(Clients::Id))
                    .col(ColumnDef::new(Clients::FirmId).uuid().not_null())
                    .col(ColumnDef::new(Clients::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Clients::Email).string_len(254).null())
                    .col(code(Clients::Kind, 16))
                    .col(code(Clients::Billing, 16))
                    .col(code(Clients::Status, 16))
                    .col(ColumnDef::new(Clients::PortalAccess).boolean().not_null())
                    .col(ts_null(Clients::ActivationScheduledAt))
                    .col(ts_null(Clients::DecommissionScheduledAt))
                    .col(code_null(Clients::StatusBeforeArchive, 16))
                    .col(ColumnDef::new(Clients::Version).integer().not_null())
                    .col(ts(Clients::CreatedAt))
                    .col(ts(Clients::UpdatedAt))
                    .col(ts(Clients::StatusChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Clients::Table, Clients::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        for idx in client_indexes() {
            manager.create_index(idx).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LifecycleEvents::Table)
                    .col(id(LifecycleEvents::Id))
                    .col(ColumnDef::new(LifecycleEvents::FirmId).uuid().not_null())
                    .col(ColumnDef::new(LifecycleEvents::ClientId).uuid().not_null())
                    .col(code(LifecycleEvents::Action, 32))
                    .col(code_null(LifecycleEvents::FromStatus, 16))
                    .col(code_null(LifecycleEvents::ToStatus, 16))
                    .col(ColumnDef::new(LifecycleEvents::ActorId).uuid().null())
                    .col(code_null(LifecycleEvents::Reason, 32))
                    .col(ColumnDef::new(LifecycleEvents::Feedback).text().null())
                    .col(ColumnDef::new(LifecycleEvents::Details).json().null())
                    .col(ts(LifecycleEvents::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LifecycleEvents::Table, LifecycleEvents::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_client_at")
                    .table(LifecycleEvents::Table)
                    .col(LifecycleEvents::ClientId)
                    .col(LifecycleEvents::At)
                    .col(LifecycleEvents::Id)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_firm_at")
                    .table(LifecycleEvents::Table)
                    .col(LifecycleEvents::FirmId)
                    .col(LifecycleEvents::At)
                    .col(LifecycleEvents::Id)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LifecycleEvents::Table.into_iden(),
            Clients::Table.into_iden(),
            Users::Table.into_iden(),
            Firms::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
