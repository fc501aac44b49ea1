use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::Role as DbRole;

use crate::domain::{parse_id, Email, Name};
use crate::error::ResultExt;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::Contact;
use crate::service::contacts;

/// A new contact of a client.
#[derive(InputObject)]
pub struct AddContactInput {
    /// The client.
    pub client_id: ID,
    /// Display name.
    pub name: String,
    /// E-mail address; must not be held by another contact or staff user of the firm.
    pub email: String,
}

/// Changes to a contact; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateContactInput {
    /// The contact.
    pub contact_id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New e-mail address (the old one is freed).
    pub email: Option<String>,
}

/// The contact to act on.
#[derive(InputObject)]
pub struct ContactIdInput {
    /// The contact.
    pub contact_id: ID,
}

/// A contact after a change.
#[derive(SimpleObject)]
pub struct ContactPayload {
    /// The contact.
    pub contact: Contact,
}

/// The result of `deleteContact`.
#[derive(SimpleObject)]
pub struct DeleteContactPayload {
    /// The id of the contact that no longer exists.
    pub deleted_contact_id: ID,
}

/// Managing a client's contacts (MEMBER).
#[derive(Default)]
pub struct ContactMutation;

fn contact_id(input: &ContactIdInput) -> async_graphql::Result<uuid::Uuid> {
    parse_id("contactId", &input.contact_id).gql()
}

/// Managing a client's contacts (MEMBER).
#[Object]
impl ContactMutation {
    /// Adds an ACTIVE contact with portal access to a client.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: AddContactInput,
    ) -> async_graphql::Result<ContactPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let client_id = parse_id("clientId", &input.client_id).gql()?;
        let name = Name::parse("name", &input.name).gql()?;
        let email = Email::parse("email", &input.email).gql()?;
        let c = contacts::add(svc, actor, client_id, name, email)
            .await
            .gql()?;
        Ok(ContactPayload {
            contact: Contact(c),
        })
    }

    /// Edits a contact's name or e-mail address.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateContactInput,
    ) -> async_graphql::Result<ContactPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let id = parse_id("contactId", &input.contact_id).gql()?;
        let name = input
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()
            .gql()?;
        let email = input
            .email
            .as_deref()
            .map(|e| Email::parse("email", e))
            .transpose()
            .gql()?;
        let c = contacts::update(svc, actor, id, name, email).await.gql()?;
        Ok(ContactPayload {
            contact: Contact(c),
        })
    }

    /// ACTIVE to INACTIVE: the contact loses portal access and cannot be assigned work.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn deactivate_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: ContactIdInput,
    ) -> async_graphql::Result<ContactPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let c = contacts::deactivate(svc, actor, contact_id(&input)?)
            .await
            .gql()?;
        Ok(ContactPayload {
            contact: Contact(c),
        })
    }

    /// INACTIVE to ACTIVE, with portal access again.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn reactivate_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: ContactIdInput,
    ) -> async_graphql::Result<ContactPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let c = contacts::reactivate(svc, actor, contact_id(&input)?)
            .await
            .gql()?;
        Ok(ContactPayload {
            contact: Contact(c),
        })
    }

    /// Permanently deletes an INACTIVE contact, freeing its e-mail address.
    #[graphql(guard = "RoleGuard(DbRole::Member)")]
    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: ContactIdInput,
    ) -> async_graphql::Result<DeleteContactPayload> {
        let (svc, actor) = (ctx.services()?, ctx.actor()?);
        let id = contacts::delete(svc, actor, contact_id(&input)?)
            .await
            .gql()?;
        Ok(DeleteContactPayload {
            deleted_contact_id: ID(id.to_string()),
        })
    }
}
