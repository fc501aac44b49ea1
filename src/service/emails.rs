//! E-mail addresses: who holds one, and the firm's address book of contacts and staff
//! (`email_claims`, unique per firm) that lets the database refuse a second holder.

use entity::{client, contact, email_claim, user, HolderKind};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, SqlErr,
};
use uuid::Uuid;

use crate::error::{AppError, AppResult, EmailHolder};

/// True when `err` is a unique-index violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Claims `email` for a contact or staff user of the firm; a clash is `EMAIL_IN_USE`
/// naming the holder. Call inside the transaction that creates or edits the holder.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    email: &str,
    kind: HolderKind,
    holder_id: Uuid,
) -> AppResult<()> {
    if let Some(holder) = address_book_holder(conn, firm_id, email).await? {
        if holder.id != Some(holder_id) {
            return Err(in_use(email, holder));
        }
        return Ok(());
    }
    let res = email_claim::Entity::insert(email_claim::ActiveModel {
        id: Set(Uuid::now_v7()),
        firm_id: Set(firm_id),
        email: Set(email.to_string()),
        holder_kind: Set(kind),
        holder_id: Set(holder_id),
    })
    .exec_without_returning(conn)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(err) if is_unique_violation(&err) => Err(in_use(
            email,
            EmailHolder {
                kind: "CONTACT",
                id: None,
                status: None,
            },
        )),
        Err(err) => Err(err.into()),
    }
}

/// Frees every address held by these contacts or users.
pub async fn release<C: ConnectionTrait>(conn: &C, holder_ids: &[Uuid]) -> AppResult<()> {
    if holder_ids.is_empty() {
        return Ok(());
    }
    email_claim::Entity::delete_many()
        .filter(email_claim::Column::HolderId.is_in(holder_ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Frees the addresses a contact or user no longer holds (after an address change).
pub async fn release_other<C: ConnectionTrait>(
    conn: &C,
    holder_id: Uuid,
    keep: &str,
) -> AppResult<()> {
    email_claim::Entity::delete_many()
        .filter(email_claim::Column::HolderId.eq(holder_id))
        .filter(email_claim::Column::Email.ne(keep))
        .exec(conn)
        .await?;
    Ok(())
}

pub fn in_use(email: &str, holder: EmailHolder) -> AppError {
    AppError::EmailInUse {
        email: email.to_string(),
        holder,
    }
}

/// The contact or staff user of the firm holding `email`, if any.
pub async fn address_book_holder<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    email: &str,
) -> AppResult<Option<EmailHolder>> {
    let Some(found) = email_claim::Entity::find()
        .filter(email_claim::Column::FirmId.eq(firm_id))
        .filter(email_claim::Column::Email.eq(email))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let holder = match found.holder_kind {
        HolderKind::Contact => {
            let c = contact::Entity::find_by_id(found.holder_id)
                .one(conn)
                .await?;
            EmailHolder {
                kind: "CONTACT",
                id: Some(found.holder_id),
                status: c.map(|c| status_name(c.status).to_string()),
            }
        }
        HolderKind::User => {
            let u = user::Entity::find_by_id(found.holder_id).one(conn).await?;
            EmailHolder {
                kind: "USER",
                id: Some(found.holder_id),
                status: u.map(|u| if u.active { "ACTIVE" } else { "INACTIVE" }.to_string()),
            }
        }
    };
    Ok(Some(holder))
}

/// The client of the firm holding `email`, if any.
pub async fn client_holder<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    email: &str,
    except: Option<Uuid>,
) -> AppResult<Option<EmailHolder>> {
    let mut q = client::Entity::find()
        .filter(client::Column::FirmId.eq(firm_id))
        .filter(client::Column::Email.eq(email));
    if let Some(id) = except {
        q = q.filter(client::Column::Id.ne(id));
    }
    Ok(q.one(conn).await?.map(|c| EmailHolder {
        kind: "CLIENT",
        id: Some(c.id),
        status: Some(c.status.as_str().to_string()),
    }))
}

fn status_name(s: entity::ContactStatus) -> &'static str {
    match s {
        entity::ContactStatus::Active => "ACTIVE",
        entity::ContactStatus::Inactive => "INACTIVE",
    }
}

/// Who of the firm holds an address, with enough to find them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub kind: HolderOf,
    pub id: Uuid,
    pub name: String,
    /// The client's or contact's status; ACTIVE or INACTIVE for a staff user.
    pub status: String,
}

/// The kinds of holder of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderOf {
    Client,
    Contact,
    User,
}

/// The two address books of a firm: one address may be held once in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressBook {
    /// Clients' addresses, unique among the firm's clients.
    Clients,
    /// Contacts' and staff users' addresses, unique among them.
    ContactsAndStaff,
}

/// The client, contact or staff user of the viewer's firm that holds `email`, if any:
/// in `book`, or when none is given, a client first and then a contact or user.
pub async fn holder(
    svc: &crate::service::Services,
    actor: &crate::service::Actor,
    email: &crate::domain::Email,
    book: Option<AddressBook>,
) -> AppResult<Option<Holder>> {
    let firm_id = actor.firm_id();
    let email = email.as_str();
    if book != Some(AddressBook::ContactsAndStaff) {
        if let Some(c) = client::Entity::find()
            .filter(client::Column::FirmId.eq(firm_id))
            .filter(client::Column::Email.eq(email))
            .one(&svc.db)
            .await?
        {
            return Ok(Some(Holder {
                kind: HolderOf::Client,
                id: c.id,
                name: c.name,
                status: c.status.as_str().to_string(),
            }));
        }
    }
    if book == Some(AddressBook::Clients) {
        return Ok(None);
    }
    let Some(claim) = email_claim::Entity::find()
        .filter(email_claim::Column::FirmId.eq(firm_id))
        .filter(email_claim::Column::Email.eq(email))
        .one(&svc.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(match claim.holder_kind {
        HolderKind::Contact => contact::Entity::find_by_id(claim.holder_id)
            .filter(contact::Column::FirmId.eq(firm_id))
            .one(&svc.db)
            .await?
            .map(|c| Holder {
                kind: HolderOf::Contact,
                id: c.id,
                name: c.name,
                status: status_name(c.status).to_string(),
            }),
        HolderKind::User => user::Entity::find_by_id(claim.holder_id)
            .filter(user::Column::FirmId.eq(firm_id))
            .one(&svc.db)
            .await?
            .map(|u| Holder {
                kind: HolderOf::User,
                id: u.id,
                name: u.name,
                status: if u.active { "ACTIVE" } else { "INACTIVE" }.to_string(),
            }),
    })
}
