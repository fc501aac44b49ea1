//! Contacts, the address book of contacts and staff, stakeholders, workflows,
//! subscriptions and the notification outbox; the account owner of a client.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Firms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
    AccountOwnerContactId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    FirmId,
    ClientId,
    Name,
    Email,
    Status,
    PortalAccess,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EmailClaims {
    Table,
    Id,
    FirmId,
    Email,
    HolderKind,
    HolderId,
}

#[derive(DeriveIden)]
enum Stakeholders {
    Table,
    Id,
    FirmId,
    ClientId,
    UserId,
    Status,
    AssignedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Workflows {
    Table,
    Id,
    FirmId,
    ClientId,
    Name,
    Kind,
    Status,
    AssigneeContactId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    FirmId,
    ClientId,
    Plan,
    PeriodStart,
    PeriodEnd,
    Charge,
    EndedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    FirmId,
    ClientId,
    EventId,
    Kind,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().take()
}

fn belongs_to_firm(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Firms::Table, Firms::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn belongs_to_client(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Clients::Table, Clients::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(uuid(Contacts::Id).primary_key())
                    .col(uuid(Contacts::FirmId))
                    .col(uuid(Contacts::ClientId))
                    .col(text(Contacts::Name, 200))
                    .col(text(Contacts::Email, 254))
                    .col(text(Contacts::Status, 16))
                    .col(ColumnDef::new(Contacts::PortalAccess).boolean().not_null())
                    .col(ts(Contacts::CreatedAt))
                    .col(ts(Contacts::UpdatedAt))
                    .foreign_key(&mut belongs_to_firm(Contacts::Table, Contacts::FirmId))
                    .foreign_key(&mut belongs_to_client(Contacts::Table, Contacts::ClientId))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailClaims::Table)
                    .col(uuid(EmailClaims::Id).primary_key())
                    .col(uuid(EmailClaims::FirmId))
                    .col(text(EmailClaims::Email, 254))
                    .col(text(EmailClaims::HolderKind, 16))
                    .col(uuid(EmailClaims::HolderId))
                    .foreign_key(&mut belongs_to_firm(
                        EmailClaims::Table,
                        EmailClaims::FirmId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stakeholders::Table)
                    .col(uuid(Stakeholders::Id).primary_key())
                    .col(uuid(Stakeholders::FirmId))
                    .col(uuid(Stakeholders::ClientId))
                    .col(uuid(Stakeholders::UserId))
                    .col(text(Stakeholders::Status, 16))
                    .col(ts(Stakeholders::AssignedAt))
                    .col(
                        ColumnDef::new(Stakeholders::ArchivedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut belongs_to_firm(
                        Stakeholders::Table,
                        Stakeholders::FirmId,
                    ))
                    .foreign_key(&mut belongs_to_client(
                        Stakeholders::Table,
                        Stakeholders::ClientId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stakeholders::Table, Stakeholders::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Workflows::Table)
                    .col(uuid(Workflows::Id).primary_key())
                    .col(uuid(Workflows::FirmId))
                    .col(uuid(Workflows::ClientId))
                    .col(text(Workflows::Name, 200))
                    .col(text(Workflows::Kind, 16))
                    .col(text(Workflows::Status, 16))
                    .col(ColumnDef::new(Workflows::AssigneeContactId).uuid().null())
                    .col(ts(Workflows::CreatedAt))
                    .col(ts(Workflows::UpdatedAt))
                    .foreign_key(&mut belongs_to_firm(Workflows::Table, Workflows::FirmId))
                    .foreign_key(&mut belongs_to_client(
                        Workflows::Table,
                        Workflows::ClientId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Workflows::Table, Workflows::AssigneeContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(uuid(Subscriptions::Id).primary_key())
                    .col(uuid(Subscriptions::FirmId))
                    .col(uuid(Subscriptions::ClientId))
                    .col(text(Subscriptions::Plan, 64))
                    .col(ts(Subscriptions::PeriodStart))
                    .col(ts(Subscriptions::PeriodEnd))
                    .col(text(Subscriptions::Charge, 16))
                    .col(
                        ColumnDef::new(Subscriptions::EndedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ts(Subscriptions::CreatedAt))
                    .foreign_key(&mut belongs_to_firm(
                        Subscriptions::Table,
                        Subscriptions::FirmId,
                    ))
                    .foreign_key(&mut belongs_to_client(
                        Subscriptions::Table,
                        Subscriptions::ClientId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::FirmId))
                    .col(ColumnDef::new(Notifications::ClientId).uuid().null())
                    .col(ColumnDef::new(Notifications::EventId).uuid().null())
                    .col(text(Notifications::Kind, 64))
                    .col(text(Notifications::Recipient, 254))
                    .col(text(Notifications::Subject, 300))
                    .col(ColumnDef::new(Notifications::Body).text().not_null())
                    .col(text(Notifications::Status, 16))
                    .col(ColumnDef::new(Notifications::Attempts).integer().not_null())
                    .col(ts(Notifications::NextAttemptAt))
                    .col(ColumnDef::new(Notifications::LastError).text().null())
                    .col(ts(Notifications::CreatedAt))
                    .col(
                        ColumnDef::new(Notifications::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut belongs_to_firm(
                        Notifications::Table,
                        Notifications::FirmId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .add_column(ColumnDef::new(Clients::AccountOwnerContactId).uuid().null())
                    .take(),
            )
            .await?;

        let indexes = [
            index(
                "ix_contacts_client",
                Contacts::Table,
                vec![Contacts::ClientId.into_iden(), Contacts::Status.into_iden()],
            ),
            index(
                "ux_email_claims_firm_email",
                EmailClaims::Table,
                vec![
                    EmailClaims::FirmId.into_iden(),
                    EmailClaims::Email.into_iden(),
                ],
            )
            .unique()
            .take(),
            index(
                "ix_email_claims_holder",
                EmailClaims::Table,
                vec![EmailClaims::HolderId.into_iden()],
            ),
            index(
                "ux_stakeholders_client_user",
                Stakeholders::Table,
                vec![
                    Stakeholders::ClientId.into_iden(),
                    Stakeholders::UserId.into_iden(),
                ],
            )
            .unique()
            .take(),
            index(
                "ix_stakeholders_user",
                Stakeholders::Table,
                vec![
                    Stakeholders::UserId.into_iden(),
                    Stakeholders::Status.into_iden(),
                    Stakeholders::ClientId.into_iden(),
                ],
            ),
            index(
                "ix_workflows_client",
                Workflows::Table,
                vec![
                    Workflows::ClientId.into_iden(),
                    Workflows::Status.into_iden(),
                ],
            ),
            index(
                "ix_subscriptions_client",
                Subscriptions::Table,
                vec![
                    Subscriptions::ClientId.into_iden(),
                    Subscriptions::PeriodStart.into_iden(),
                ],
            ),
            index(
                "ix_notifications_due",
                Notifications::Table,
                vec![
                    Notifications::Status.into_iden(),
                    Notifications::NextAttemptAt.into_iden(),
                ],
            ),
            index(
                "ix_notifications_client",
                Notifications::Table,
                vec![
                    Notifications::ClientId.into_iden(),
                    Notifications::CreatedAt.into_iden(),
                ],
            ),
        ];
        for idx in indexes {
            manager.create_index(idx).await?;
        }

        // Staff addresses already in use join the address book.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO email_claims (id, firm_id, email, holder_kind, holder_id) \
                 SELECT id, firm_id, email, 'USER', id FROM users",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .drop_column(Clients::AccountOwnerContactId)
                    .take(),
            )
            .await?;
        for table in [
            Notifications::Table.into_iden(),
            Subscriptions::Table.into_iden(),
            Workflows::Table.into_iden(),
            Stakeholders::Table.into_iden(),
            EmailClaims::Table.into_iden(),
            Contacts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
