//! The GraphQL types. Each wraps a persistence model; descriptions come from doc comments.

use async_graphql::{ComplexObject, Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{client, firm, lifecycle_event, user};

use super::context::ContextExt;
use super::loaders::{ContactsOf, Loaders, StakeholdersOf, WorkflowsOf};
use super::plain::{
    enum_value, nested, optional, plain_object, time, uuid_id, write_enum, write_opt_enum,
    write_opt_str, write_time, write_uuid, write_value_of, Answer, PlainFields, PlainList, Sink,
};
use crate::error::{AppError, ErrorCode, ResultExt};
use crate::service::pagination::{Page, PageArgs};
use crate::service::{audit, billing, firms, lifecycle, outbox};
use entity::{contact, notification, stakeholder, subscription, workflow};

/// Where a client stands in its lifecycle.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::ClientStatus")]
pub enum ClientStatus {
    /// A contact, not yet a subscribed client.
    Prospect,
    /// Scheduled for activation, or waiting to be activated by hand.
    Pending,
    /// A client receiving services.
    Active,
    /// Services temporarily stopped (for example by credit control).
    Suspended,
    /// Deactivated: services and subscription stopped, history kept; reversible.
    Inactive,
    /// A closed file; reversible with `unarchiveClient`.
    Archived,
    /// Soft-deleted; `restoreClient` brings it back as a PROSPECT.
    Discarded,
    /// Contract closed; irreversible.
    Decommissioned,
    /// Link to the firm severed and the account handed to the client; irreversible.
    Disconnected,
}

/// Business or individual.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::ClientKind")]
pub enum ClientKind {
    /// A company, partnership or other organisation.
    Business,
    /// A private person.
    Individual,
}

/// Who pays for the client's subscription.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::Billing")]
pub enum Billing {
    /// The firm pays.
    FirmPaid,
    /// The client pays for itself; it can only leave through `disconnectClient`.
    SelfPaying,
}

/// A staff user's role; each includes the powers of those below it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::Role")]
pub enum Role {
    /// Everything, including staff management, deactivation, decommission and deletion.
    Admin,
    /// Day-to-day lifecycle actions (activate, suspend, archive, discard, portal access).
    Manager,
    /// Creates and edits clients.
    Member,
    /// Reads only.
    Viewer,
}

/// An action recorded in a client's history. Every value but CREATE and UPDATE is a
/// transition of the lifecycle table and appears in `Client.availableActions`.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::LifecycleAction")]
pub enum LifecycleAction {
    /// The client was created (`createClient`).
    Create,
    /// The client's details were edited (`updateClient`).
    Update,
    /// PROSPECT or PENDING to ACTIVE.
    Activate,
    /// PROSPECT or PENDING to PENDING, activated by the scheduler when due.
    ScheduleActivation,
    /// ACTIVE to SUSPENDED.
    Suspend,
    /// SUSPENDED to ACTIVE.
    Unsuspend,
    /// ACTIVE or SUSPENDED to INACTIVE (not for self-paying clients).
    Deactivate,
    /// INACTIVE to ACTIVE.
    Reactivate,
    /// ACTIVE, SUSPENDED or INACTIVE to ARCHIVED.
    Archive,
    /// ARCHIVED back to the status it had before.
    Unarchive,
    /// Any open status to DISCARDED (soft delete).
    Discard,
    /// DISCARDED to PROSPECT.
    Restore,
    /// To DECOMMISSIONED now, or scheduled for a later date.
    Decommission,
    /// Clears a scheduled decommission.
    CancelDecommission,
    /// To DISCONNECTED, handing the account to an account owner.
    Disconnect,
    /// Permanent deletion.
    Delete,
    /// Turns the client's portal access off.
    RevokePortalAccess,
    /// Turns the client's portal access back on.
    RestorePortalAccess,
}

/// Why an action was taken.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::LifecycleReason")]
pub enum LifecycleReason {
    /// The client did not pay.
    NonPayment,
    /// The client asked for it.
    ClientRequest,
    /// The client moved to another firm.
    MovedToAnotherFirm,
    /// Seasonal work: the client comes and goes.
    Seasonal,
    /// The service the client had has ended.
    ServiceEnded,
    /// The client is a duplicate of another.
    Duplicate,
    /// Anything else (say more in `feedback`).
    Other,
}

/// Relay page information.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// True when more items follow the last one of this page.
    pub has_next_page: bool,
    /// True when items precede the first one of this page.
    pub has_previous_page: bool,
    /// Cursor of the first item, to pass as `before`.
    pub start_cursor: Option<String>,
    /// Cursor of the last item, to pass as `after`.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub(crate) fn of<T>(page: &Page<T>) -> Self {
        PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.items.first().map(|(c, _)| c.clone()),
            end_cursor: page.items.last().map(|(c, _)| c.clone()),
        }
    }
}

/// Runs a resolver's body on the heap. async-graphql resolves each field of an object
/// through one future sized for the object's largest field, so one data-loading field
/// would make every plain field of every row (`id`, `name`, ...) allocate and copy its
/// state; boxed, the loading fields take a pointer's room.
async fn boxed<T>(
    body: impl std::future::Future<Output = async_graphql::Result<T>> + Send,
) -> async_graphql::Result<T> {
    Box::pin(body).await
}

/// A firm: the tenant that owns staff, clients and their history.
pub struct Firm(pub firm::Model);

/// A firm: the tenant that owns staff, clients and their history.
#[Object]
impl Firm {
    /// The firm's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The firm's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When the firm was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A staff user of the firm.
pub struct User(pub user::Model);

/// The fields of a `User` (see `plain`).
pub struct UserFields<'a>(&'a user::Model);

plain_object!(User => UserFields);

impl PlainFields for UserFields<'_> {
    fn plain_field(&self, name: &str) -> Option<async_graphql::Value> {
        let u = self.0;
        Some(match name {
            "id" => uuid_id(&u.id),
            "name" => async_graphql::Value::String(u.name.clone()),
            "email" => async_graphql::Value::String(u.email.clone()),
            "role" => enum_value(Role::from(u.role)),
            "active" => async_graphql::Value::Boolean(u.active),
            "createdAt" => time(&u.created_at),
            _ => return None,
        })
    }

    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        let u = self.0;
        match name {
            "id" => write_uuid(out, &u.id),
            "name" => super::json::write_str(out, &u.name),
            "email" => super::json::write_str(out, &u.email),
            _ => return write_value_of(self, name, out),
        }
        true
    }
}

/// A staff user of the firm.
#[Object(name = "User")]
impl<'a> UserFields<'a> {
    /// The user's id (the `sub` of their tokens).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// E-mail address (lower-case), unique across all firms.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// What the user may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// False once deactivated: a deactivated user's tokens are refused.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the user was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The user's firm.
    async fn firm(&self, ctx: &Context<'_>) -> async_graphql::Result<Firm> {
        boxed(async move {
            let svc = ctx.services()?;
            firms::get(svc, self.0.firm_id).await.gql().map(Firm)
        })
        .await
    }
}

/// Whether an action is allowed for the viewer on a client, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AvailableAction {
    pub action: LifecycleAction,
    /// What the mutation would answer now, when it would refuse.
    pub refusal: Option<AppError>,
}

/// The fields of an `AvailableAction`, answered by `plain` (all of them are plain).
pub struct AvailableActionFields<'a>(&'a AvailableAction);

plain_object!(AvailableAction => AvailableActionFields, itself);

impl PlainFields for AvailableActionFields<'_> {
    fn plain_field(&self, name: &str) -> Option<async_graphql::Value> {
        let a = self.0;
        Some(match name {
            "action" => enum_value(a.action),
            "allowed" => async_graphql::Value::Boolean(a.refusal.is_none()),
            "code" => optional(a.refusal.as_ref(), |e| enum_value(e.code())),
            "reason" => optional(a.refusal.as_ref(), |e| {
                async_graphql::Value::String(e.public_message())
            }),
            _ => return None,
        })
    }

    // The first client of a page with each distinct list writes its 16 actions: as
    // values, they cost as much as the rest of that client's answer.
    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        let a = self.0;
        match (name, &a.refusal) {
            ("action", _) => write_enum(out, a.action),
            ("allowed", refusal) => {
                out.extend_from_slice(if refusal.is_none() { b"true" } else { b"false" })
            }
            ("code" | "reason", None) => out.extend_from_slice(b"null"),
            ("code", Some(e)) => write_enum(out, e.code()),
            ("reason", Some(e)) => super::json::write_str(out, &e.public_message()),
            _ => return false,
        }
        true
    }
}

/// Whether an action is allowed for the viewer on a client, and why not.
#[Object(name = "AvailableAction")]
impl<'a> AvailableActionFields<'a> {
    /// The action.
    async fn action(&self) -> LifecycleAction {
        self.0.action
    }
    /// True when the mutation would be accepted now (arguments aside).
    async fn allowed(&self) -> bool {
        self.0.refusal.is_none()
    }
    /// When not allowed: the error code the mutation would answer.
    async fn code(&self) -> Option<ErrorCode> {
        self.0.refusal.as_ref().map(AppError::code)
    }
    /// When not allowed: a sentence to show the user.
    async fn reason(&self) -> Option<String> {
        self.0.refusal.as_ref().map(AppError::public_message)
    }
}

/// The `availableActions` of one client, resolved once per request for each distinct list.
///
/// The clients of a page mostly share one status, role and situation, so their 16 answers
/// are mostly identical; resolving each list field by field (a future and a map entry per
/// field, 64 per client, and a sentence formatted for every refusal) was most of the cost
/// of a page that asks for them. The first client with a given list resolves it (by the
/// plain walk when the page read the rules' facts, else through async-graphql); the
/// others of the same request and selection take a copy of that answer (written once as
/// JSON when the answer is written by `graphql::json`).
/// Nothing in the list can fail or depend on anything but the list itself, the selection
/// and the request's variables.
pub struct AvailableActions(pub Vec<AvailableAction>);

/// One resolved `availableActions` value: the selection (by address) and the list it
/// was resolved for.
type ResolvedList = (usize, Vec<AvailableAction>, Answer);

/// Resolved `availableActions` values of one request, by a hash of selection and list,
/// and the answers of a page's plain walk by selection, standing and role (see
/// `lifecycle::Standing`): a client of a standing already judged is not judged again.
#[derive(Default)]
pub struct ResolvedActions {
    lists: std::sync::Mutex<
        std::collections::HashMap<u64, Vec<ResolvedList>, foldhash::fast::RandomState>,
    >,
    by_standing: std::sync::Mutex<
        std::collections::HashMap<
            (usize, lifecycle::Standing, entity::Role),
            Answer,
            foldhash::fast::RandomState,
        >,
    >,
}

impl async_graphql::OutputType for AvailableActions {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <Vec<AvailableAction> as async_graphql::OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<AvailableAction> as async_graphql::OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <Vec<AvailableAction> as async_graphql::OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        let Some(loaders) = ctx.data_opt::<Loaders>() else {
            return async_graphql::OutputType::resolve(&self.0, ctx, field).await;
        };
        let key = self.key(field);
        if let Some(answer) = self.remembered(loaders, key) {
            return Ok(answer.into_value());
        }
        let value = async_graphql::OutputType::resolve(&self.0, ctx, field).await?;
        Ok(self
            .remember(ctx, loaders, key, Answer::Value(value))
            .into_value())
    }
}

impl AvailableActions {
    /// Every lifecycle action for `role` on `client` now.
    pub fn of(
        client: &client::Model,
        facts: &lifecycle::Facts,
        role: entity::Role,
        now: DateTime<Utc>,
    ) -> Self {
        AvailableActions(
            lifecycle::available_actions(client, facts, role, now)
                .into_iter()
                .map(|(action, res)| AvailableAction {
                    action: action.into(),
                    refusal: res.err(),
                })
                .collect(),
        )
    }

    /// The answer for `field` when it can be given without waiting (see
    /// `plain::PlainFields::plain_nested`).
    fn answer_now(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> Option<Answer> {
        let loaders = ctx.data_opt::<Loaders>()?;
        let key = self.key(field);
        if let Some(answer) = self.remembered(loaders, key) {
            return Some(answer);
        }
        let answer =
            super::plain::nested_list(ctx, field, self.0.iter().map(AvailableActionFields))?;
        Some(self.remember(ctx, loaders, key, answer))
    }

    /// The selection (its node's address: the node lives as long as the request's
    /// document, and an alias or a second fragment gets its own) and a hash of it and the
    /// list's actions and codes (FNV-1a; hashing every reason's text cost more than the
    /// comparison a match is checked with anyway).
    fn key(
        &self,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> (usize, u64) {
        let selection = std::ptr::from_ref(field) as usize;
        let hash = self.0.iter().fold(
            (0xcbf2_9ce4_8422_2325_u64 ^ selection as u64).wrapping_mul(0x100_0000_01b3),
            |h, a| {
                let code = a.refusal.as_ref().map_or(0, |e| e.code() as u64 + 1);
                let h = (h ^ a.action as u64).wrapping_mul(0x100_0000_01b3);
                (h ^ code).wrapping_mul(0x100_0000_01b3)
            },
        );
        (selection, hash)
    }

    /// The answer this request already gave for the same selection and list.
    fn remembered(&self, loaders: &Loaders, (selection, hash): (usize, u64)) -> Option<Answer> {
        lock(&loaders.resolved_actions.lists)
            .get(&hash)?
            .iter()
            .find(|(sel, list, _)| *sel == selection && *list == self.0)
            .map(|(_, _, value)| value.clone())
    }

    /// Keeps an answer for the other clients with the same list, and gives it back.
    fn remember(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        loaders: &Loaders,
        (selection, hash): (usize, u64),
        mut answer: Answer,
    ) -> Answer {
        if let Answer::Value(value) = &answer {
            if ctx.data_opt::<super::json::RawAllowed>().is_some() {
                // Written once as JSON: each copy is then one shared text, not 16 objects
                // to copy, drop and write again.
                let mut out = Vec::new();
                super::json::write_value(&mut out, value);
                answer = Answer::Json(out.into());
            }
        }
        lock(&loaders.resolved_actions.lists)
            .entry(hash)
            .or_default()
            .push((selection, self.0.clone(), answer.clone()));
        answer
    }
}

impl ResolvedActions {
    /// Forgets every value.
    pub fn clear(&self) {
        lock(&self.lists).clear();
        lock(&self.by_standing).clear();
    }
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How many of the firm's clients are in one status.
#[derive(SimpleObject, Debug, Clone)]
pub struct ClientStatusCount {
    /// The status.
    pub status: ClientStatus,
    /// The number of clients in it.
    pub count: u64,
}

/// A client of the firm.
pub struct Client(pub client::Model);

/// The fields of a `Client`, resolved by async-graphql. `Client` answers its plain fields
/// (the columns) itself and hands the others to these resolvers (see `plain`).
pub struct ClientFields<'a>(&'a client::Model);

plain_object!(Client => ClientFields);

impl PlainFields for ClientFields<'_> {
    fn plain_field(&self, name: &str) -> Option<async_graphql::Value> {
        let c = self.0;
        Some(match name {
            "id" => uuid_id(&c.id),
            "name" => async_graphql::Value::String(c.name.clone()),
            "email" => optional(c.email.as_ref(), |e| {
                async_graphql::Value::String(e.clone())
            }),
            "kind" => enum_value(ClientKind::from(c.kind)),
            "billing" => enum_value(Billing::from(c.billing)),
            "status" => enum_value(ClientStatus::from(c.status)),
            "portalAccess" => async_graphql::Value::Boolean(c.portal_access),
            "activationScheduledAt" => optional(c.activation_scheduled_at.as_ref(), time),
            "decommissionScheduledAt" => optional(c.decommission_scheduled_at.as_ref(), time),
            "statusBeforeArchive" => optional(c.status_before_archive, |s| {
                enum_value(ClientStatus::from(s))
            }),
            "version" => async_graphql::Value::from(c.version),
            "createdAt" => time(&c.created_at),
            "updatedAt" => time(&c.updated_at),
            "statusChangedAt" => time(&c.status_changed_at),
            _ => return None,
        })
    }

    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        let c = self.0;
        match name {
            "id" => write_uuid(out, &c.id),
            "name" => super::json::write_str(out, &c.name),
            "email" => write_opt_str(out, c.email.as_deref()),
            "status" => write_enum(out, ClientStatus::from(c.status)),
            "createdAt" => write_time(out, &c.created_at),
            "updatedAt" => write_time(out, &c.updated_at),
            "statusChangedAt" => write_time(out, &c.status_changed_at),
            _ => return write_value_of(self, name, out),
        }
        true
    }

    fn plain_nested(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
        sink: &mut Sink<'_>,
    ) -> bool {
        let Some(loaders) = ctx.data_opt::<Loaders>() else {
            return false;
        };
        let primed = &loaders.primed;
        match field.node.name.node.as_str() {
            "availableActions" => {
                let (Some((facts, now)), Ok(actor)) = (primed.facts(self.0.id, false), ctx.actor())
                else {
                    return false;
                };
                let role = actor.role().unwrap_or(entity::Role::Viewer);
                let key = (
                    std::ptr::from_ref(field) as usize,
                    lifecycle::Standing::of(self.0, &facts),
                    role,
                );
                let judged = &loaders.resolved_actions.by_standing;
                if let Some(answer) = lock(judged).get(&key).cloned() {
                    return sink.put(Some(answer));
                }
                let actions = AvailableActions::of(self.0, &facts, role, now);
                let answer = actions.answer_now(ctx, field);
                if let Some(answer) = &answer {
                    lock(judged).insert(key, answer.clone());
                }
                sink.put(answer)
            }
            "latestEvent" => match primed.latest_event(self.0.id) {
                Some(Some(event)) => nested(ctx, field, &LifecycleEventFields(&event), sink),
                Some(None) => sink.put(Some(Answer::NULL)),
                None => false,
            },
            _ => false,
        }
    }
}

/// A client of the firm (a business or a person) and where it stands in its lifecycle.
#[Object(name = "Client")]
impl<'a> ClientFields<'a> {
    /// The client's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// E-mail address (lower-case), unique among the firm's clients while the client exists.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Business or individual.
    async fn kind(&self) -> ClientKind {
        self.0.kind.into()
    }
    /// Who pays for the subscription.
    async fn billing(&self) -> Billing {
        self.0.billing.into()
    }
    /// Current lifecycle status.
    async fn status(&self) -> ClientStatus {
        self.0.status.into()
    }
    /// Whether the client's people may use the client portal.
    async fn portal_access(&self) -> bool {
        self.0.portal_access
    }
    /// When the scheduler will activate the client, if scheduled.
    async fn activation_scheduled_at(&self) -> Option<DateTime<Utc>> {
        self.0.activation_scheduled_at
    }
    /// When the scheduler will decommission the client, if scheduled.
    async fn decommission_scheduled_at(&self) -> Option<DateTime<Utc>> {
        self.0.decommission_scheduled_at
    }
    /// While ARCHIVED: the status `unarchiveClient` returns to.
    async fn status_before_archive(&self) -> Option<ClientStatus> {
        self.0.status_before_archive.map(Into::into)
    }
    /// Increases with every change; pass it as `expectedVersion` to refuse stale edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the client was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When anything about the client last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// When the status last changed.
    async fn status_changed_at(&self) -> DateTime<Utc> {
        self.0.status_changed_at
    }

    /// Every lifecycle action with whether the viewer may run it now, and if not the
    /// code and reason the mutation would answer: for greying out menu entries.
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<AvailableActions> {
        boxed(async move {
            let svc = ctx.services()?;
            let actor = ctx.actor()?;
            let role = actor.role().unwrap_or(entity::Role::Viewer);
            let facts = ctx.data::<Loaders>()?.facts_of(self.0.id, false).await?;
            Ok(AvailableActions::of(self.0, &facts, role, svc.clock.now()))
        })
        .await
    }

    /// The contact who took the account over, once DISCONNECTED.
    async fn account_owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Contact>> {
        boxed(async move {
            let Some(id) = self.0.account_owner_contact_id else {
                return Ok(None);
            };
            let loaders = ctx.data::<Loaders>()?;
            Ok(loaders.contacts.load_one(id).await?.map(Contact))
        })
        .await
    }

    /// The client's contacts (people on its side), by name.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Contact>> {
        boxed(async move {
            let rows = ctx
                .data::<Loaders>()?
                .children
                .load_one(ContactsOf(self.0.id))
                .await?;
            Ok(rows.unwrap_or_default().into_iter().map(Contact).collect())
        })
        .await
    }

    /// Staff users assigned to the client, ACTIVE and ARCHIVED.
    async fn stakeholders(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Stakeholder>> {
        boxed(async move {
            let rows = ctx
                .data::<Loaders>()?
                .children
                .load_one(StakeholdersOf(self.0.id))
                .await?;
            Ok(rows
                .unwrap_or_default()
                .into_iter()
                .map(Stakeholder)
                .collect())
        })
        .await
    }

    /// The client's workflows, newest first.
    async fn workflows(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Workflow>> {
        boxed(async move {
            let rows = ctx
                .data::<Loaders>()?
                .children
                .load_one(WorkflowsOf(self.0.id))
                .await?;
            Ok(rows.unwrap_or_default().into_iter().map(Workflow).collect())
        })
        .await
    }

    /// Every subscription period of the client, newest first.
    async fn subscriptions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Subscription>> {
        boxed(async move {
            let facts = ctx.data::<Loaders>()?.facts_of(self.0.id, true).await?;
            Ok(facts.subscriptions.into_iter().map(Subscription).collect())
        })
        .await
    }

    /// The running subscription (not ended, period not over), if any.
    async fn current_subscription(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Subscription>> {
        boxed(async move {
            let svc = ctx.services()?;
            let facts = ctx.data::<Loaders>()?.facts_of(self.0.id, true).await?;
            Ok(billing::current(&facts.subscriptions, svc.clock.now())
                .cloned()
                .map(Subscription))
        })
        .await
    }

    /// E-mails written for this client, newest first (ADMIN).
    #[graphql(guard = "super::guards::RoleGuard(entity::Role::Admin)")]
    async fn notifications(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Notification>> {
        boxed(async move {
            let svc = ctx.services()?;
            Ok(outbox::of_client(svc, self.0.id)
                .await
                .gql()?
                .into_iter()
                .map(Notification)
                .collect())
        })
        .await
    }

    /// The most recent event of the client's history.
    async fn latest_event(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<LifecycleEvent>> {
        boxed(async move {
            let loaders = ctx.data::<Loaders>()?;
            Ok(loaders
                .latest_event_of(self.0.id)
                .await?
                .map(LifecycleEvent))
        })
        .await
    }

    /// Why the client is where it is, in one sentence built from its latest status
    /// change and what is scheduled: "Suspended by Ana Ruiz on 3 March 2026 for
    /// non-payment; decommission scheduled for 1 April 2026."
    async fn status_explanation(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        use crate::service::explain::{self, ActedBy};
        boxed(async move {
            let loaders = ctx.data::<Loaders>()?;
            let newest = loaders
                .newest_events_of(self.0.id, explain::EVENTS_LOOKED_AT)
                .await?;
            let Some(event) = explain::status_event(self.0, &newest) else {
                return Ok(explain::sentence(self.0, None));
            };
            let user = match event.actor_id {
                Some(id) => loaders.user(id).await?,
                None => None,
            };
            let by = match (event.actor_id, &user) {
                (None, _) => ActedBy::Scheduler,
                (Some(_), Some(u)) => ActedBy::Person(&u.name),
                (Some(_), None) => ActedBy::Unknown,
            };
            Ok(explain::sentence(self.0, Some((event, by))))
        })
        .await
    }

    /// The client's history, newest first.
    #[graphql(complexity = "super::limits::page_complexity(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
    ) -> async_graphql::Result<LifecycleEventConnection> {
        boxed(async move {
            let svc = ctx.services()?;
            let args = PageArgs {
                first,
                after,
                last,
                before,
            };
            let window = args.window("event_at").gql()?;
            let scope = HistoryScope::Client {
                firm_id: self.0.firm_id,
                client_id: self.0.id,
            };
            // First pages of many clients are batched into one statement.
            if !window.backward && window.after.is_none() && window.before.is_none() {
                let loaders = ctx.data::<Loaders>()?;
                let mut rows = loaders.newest_events_of(self.0.id, window.limit).await?;
                let more = rows.len() as u64 > window.limit;
                rows.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
                let items = rows
                    .into_iter()
                    .map(|e| {
                        let cursor = crate::service::pagination::Cursor {
                            field: "event_at".into(),
                            value: crate::service::pagination::SortValue::Time(e.at),
                            id: e.id,
                        };
                        (cursor.encode(), e)
                    })
                    .collect();
                let page = Page {
                    items,
                    has_next_page: more,
                    has_previous_page: false,
                };
                return Ok(LifecycleEventConnection::new(page, scope));
            }
            let page = audit::history(svc, self.0.firm_id, self.0.id, &args)
                .await
                .gql()?;
            Ok(LifecycleEventConnection::new(page, scope))
        })
        .await
    }
}

/// One entry of the audit trail: an action on a client, by whom, when and why.
pub struct LifecycleEvent(pub lifecycle_event::Model);

/// The fields of a `LifecycleEvent` (see `plain`).
pub struct LifecycleEventFields<'a>(&'a lifecycle_event::Model);

plain_object!(LifecycleEvent => LifecycleEventFields);

impl PlainFields for LifecycleEventFields<'_> {
    fn plain_field(&self, name: &str) -> Option<async_graphql::Value> {
        let e = self.0;
        Some(match name {
            "id" => uuid_id(&e.id),
            "clientId" => uuid_id(&e.client_id),
            "action" => enum_value(LifecycleAction::from(e.action)),
            "fromStatus" => optional(e.from_status, |s| enum_value(ClientStatus::from(s))),
            "toStatus" => optional(e.to_status, |s| enum_value(ClientStatus::from(s))),
            "reason" => optional(e.reason, |r| enum_value(LifecycleReason::from(r))),
            "feedback" => optional(e.feedback.as_ref(), |f| {
                async_graphql::Value::String(f.clone())
            }),
            "at" => time(&e.at),
            _ => return None,
        })
    }

    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        let e = self.0;
        match name {
            "id" => write_uuid(out, &e.id),
            "action" => write_enum(out, LifecycleAction::from(e.action)),
            "fromStatus" => write_opt_enum(out, e.from_status.map(ClientStatus::from)),
            "toStatus" => write_opt_enum(out, e.to_status.map(ClientStatus::from)),
            "reason" => write_opt_enum(out, e.reason.map(LifecycleReason::from)),
            "feedback" => write_opt_str(out, e.feedback.as_deref()),
            "at" => write_time(out, &e.at),
            _ => return write_value_of(self, name, out),
        }
        true
    }

    fn plain_nested(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
        sink: &mut Sink<'_>,
    ) -> bool {
        match field.node.name.node.as_str() {
            "actor" => match self.0.actor_id {
                Some(id) => {
                    let user = ctx.data_opt::<Loaders>().and_then(|l| l.primed.user(id));
                    user.is_some_and(|user| nested(ctx, field, &UserFields(&user), sink))
                }
                None => sink.put(Some(Answer::NULL)),
            },
            _ => false,
        }
    }
}

/// One entry of the audit trail: an action on a client, by whom, when and why.
#[Object(name = "LifecycleEvent")]
impl<'a> LifecycleEventFields<'a> {
    /// The event's id (time-ordered).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The client acted on (kept after the client is deleted).
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.to_string())
    }
    /// The client acted on; null once it has been deleted.
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Client>> {
        boxed(async move {
            let loaders = ctx.data::<Loaders>()?;
            Ok(loaders
                .clients
                .load_one(self.0.client_id)
                .await?
                .map(Client))
        })
        .await
    }
    /// What was done.
    async fn action(&self) -> LifecycleAction {
        self.0.action.into()
    }
    /// The status before (null for CREATE).
    async fn from_status(&self) -> Option<ClientStatus> {
        self.0.from_status.map(Into::into)
    }
    /// The status after (null for DELETE).
    async fn to_status(&self) -> Option<ClientStatus> {
        self.0.to_status.map(Into::into)
    }
    /// Who did it; null when the scheduler applied a scheduled action.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        boxed(async move {
            let Some(id) = self.0.actor_id else {
                return Ok(None);
            };
            let loaders = ctx.data::<Loaders>()?;
            Ok(loaders.user(id).await?.map(User))
        })
        .await
    }
    /// Why, if a reason was given.
    async fn reason(&self) -> Option<LifecycleReason> {
        self.0.reason.map(Into::into)
    }
    /// Free-text feedback given with the action (erased when the client is deleted).
    async fn feedback(&self) -> Option<&str> {
        self.0.feedback.as_deref()
    }
    /// Extra facts, such as a scheduled date or `scheduled: true` for the scheduler's
    /// actions (erased when the client is deleted).
    async fn details(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0.details.clone().map(async_graphql::Json)
    }
    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// An edge of a client list.
pub struct ClientEdge {
    pub cursor: String,
    pub node: Client,
}

/// The fields of a `ClientEdge` (see `plain`).
pub struct ClientEdgeFields<'a>(&'a ClientEdge);

plain_object!(ClientEdge => ClientEdgeFields, itself);

impl PlainFields for ClientEdgeFields<'_> {
    fn plain_field(&self, name: &str) -> Option<async_graphql::Value> {
        match name {
            "cursor" => Some(async_graphql::Value::String(self.0.cursor.clone())),
            _ => None,
        }
    }

    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        match name {
            "cursor" => super::json::write_str(out, &self.0.cursor),
            _ => return write_value_of(self, name, out),
        }
        true
    }

    fn plain_nested(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
        sink: &mut Sink<'_>,
    ) -> bool {
        match field.node.name.node.as_str() {
            "node" => nested(ctx, field, &ClientFields(&self.0.node.0), sink),
            _ => false,
        }
    }
}

/// An edge of a client list.
#[Object(name = "ClientEdge")]
impl<'a> ClientEdgeFields<'a> {
    /// Opaque position of this client in the list.
    async fn cursor(&self) -> &str {
        &self.0.cursor
    }
    /// The client.
    async fn node(&self) -> &Client {
        &self.0.node
    }
}

/// A page of clients.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ClientConnection {
    /// The clients with their cursors.
    pub edges: PlainList<ClientEdge>,
    /// Pagination state.
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: crate::service::clients::ClientFilter,
}

#[ComplexObject]
impl ClientConnection {
    /// The clients of this page, without cursors.
    async fn nodes(&self) -> PlainList<Client> {
        PlainList(
            self.edges
                .0
                .iter()
                .map(|e| Client(e.node.0.clone()))
                .collect(),
        )
    }
    /// How many clients match the filter in all (counted only when asked for).
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let svc = ctx.services()?;
        let actor = ctx.actor()?;
        crate::service::clients::count(svc, actor, &self.filter)
            .await
            .gql()
    }
}

impl ClientConnection {
    pub fn new(page: Page<client::Model>, filter: crate::service::clients::ClientFilter) -> Self {
        let page_info = PageInfo::of(&page);
        ClientConnection {
            edges: PlainList(
                page.items
                    .into_iter()
                    .map(|(cursor, c)| ClientEdge {
                        cursor,
                        node: Client(c),
                    })
                    .collect(),
            ),
            page_info,
            filter,
        }
    }
}

/// Which events a connection lists, for its `totalCount`.
#[derive(Debug, Clone, Copy)]
pub enum HistoryScope {
    Client {
        firm_id: uuid::Uuid,
        client_id: uuid::Uuid,
    },
    Firm,
}

/// An edge of an event list.
#[derive(SimpleObject)]
pub struct LifecycleEventEdge {
    /// Opaque position of this event in the list.
    pub cursor: String,
    /// The event.
    pub node: LifecycleEvent,
}

/// A page of lifecycle events, newest first.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct LifecycleEventConnection {
    /// The events with their cursors.
    pub edges: Vec<LifecycleEventEdge>,
    /// Pagination state.
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub scope: HistoryScope,
}

#[ComplexObject]
impl LifecycleEventConnection {
    /// The events of this page, without cursors.
    async fn nodes(&self) -> Vec<LifecycleEvent> {
        self.edges
            .iter()
            .map(|e| LifecycleEvent(e.node.0.clone()))
            .collect()
    }
    /// How many events the list has in all (counted only when asked for).
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let svc = ctx.services()?;
        match self.scope {
            HistoryScope::Client { firm_id, client_id } => {
                audit::history_count(svc, firm_id, client_id).await.gql()
            }
            HistoryScope::Firm => audit::audit_log_count(svc, ctx.actor()?).await.gql(),
        }
    }
}

impl LifecycleEventConnection {
    pub fn new(page: Page<lifecycle_event::Model>, scope: HistoryScope) -> Self {
        let page_info = PageInfo::of(&page);
        LifecycleEventConnection {
            edges: page
                .items
                .into_iter()
                .map(|(cursor, e)| LifecycleEventEdge {
                    cursor,
                    node: LifecycleEvent(e),
                })
                .collect(),
            page_info,
            scope,
        }
    }
}

/// A contact's status.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::ContactStatus")]
pub enum ContactStatus {
    /// Uses the portal and can be assigned work.
    Active,
    /// Keeps its history; no portal access, no new work; can be deleted.
    Inactive,
}

/// A stakeholder link's status.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::StakeholderStatus")]
pub enum StakeholderStatus {
    /// The user is assigned to the client.
    Active,
    /// The link was archived; the client is untouched.
    Archived,
}

/// The kind of work.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::WorkflowKind")]
pub enum WorkflowKind {
    /// A customer due diligence check.
    Cdd,
    /// A plan.
    Plan,
    /// A project.
    Project,
}

/// Where a workflow stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::WorkflowStatus")]
pub enum WorkflowStatus {
    /// In progress; blocks discarding the client.
    Active,
    /// Done.
    Completed,
    /// Stopped (by hand, or because the client was decommissioned).
    Cancelled,
    /// Put away because the client was archived.
    Archived,
}

/// Whether a subscription period is charged.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::Charge")]
pub enum Charge {
    /// A new twelve-month period, invoiced.
    Invoiced,
    /// The rest of a period already paid for, at no charge.
    None,
}

/// Delivery state of a notification.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::NotificationStatus")]
pub enum NotificationStatus {
    /// Waiting to be delivered (or retried).
    Pending,
    /// Delivered.
    Sent,
    /// Gave up after the last retry.
    Failed,
    /// Never sent: its client was deleted first.
    Cancelled,
}

/// A person on the client's side, who may use the client portal.
pub struct Contact(pub contact::Model);

/// A person on the client's side, who may use the client portal.
#[Object]
impl Contact {
    /// The contact's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The client the contact belongs to.
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.to_string())
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// E-mail address (lower-case), unique among the firm's contacts and staff.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// ACTIVE or INACTIVE.
    async fn status(&self) -> ContactStatus {
        self.0.status.into()
    }
    /// Whether the contact may use the client portal.
    async fn portal_access(&self) -> bool {
        self.0.portal_access
    }
    /// When the contact was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A staff user assigned to a client.
pub struct Stakeholder(pub stakeholder::Model);

/// A staff user assigned to a client.
#[Object]
impl Stakeholder {
    /// The link's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The client.
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.to_string())
    }
    /// The assigned staff user.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders.user(self.0.user_id).await?.map(User))
    }
    /// ACTIVE or ARCHIVED.
    async fn status(&self) -> StakeholderStatus {
        self.0.status.into()
    }
    /// When the user was (last) assigned.
    async fn assigned_at(&self) -> DateTime<Utc> {
        self.0.assigned_at
    }
    /// When the link was archived.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

/// Work in progress for a client.
pub struct Workflow(pub workflow::Model);

/// Work in progress for a client.
#[Object]
impl Workflow {
    /// The workflow's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The client.
    async fn client_id(&self) -> ID {
        ID(self.0.client_id.to_string())
    }
    /// What the work is called.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// CDD, PLAN or PROJECT.
    async fn kind(&self) -> WorkflowKind {
        self.0.kind.into()
    }
    /// Where it stands.
    async fn status(&self) -> WorkflowStatus {
        self.0.status.into()
    }
    /// The contact doing the work, if assigned.
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Contact>> {
        boxed(async move {
            let Some(id) = self.0.assignee_contact_id else {
                return Ok(None);
            };
            let loaders = ctx.data::<Loaders>()?;
            Ok(loaders.contacts.load_one(id).await?.map(Contact))
        })
        .await
    }
    /// When it started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A period of service for a client.
pub struct Subscription(pub subscription::Model);

/// A period of service for a client.
#[Object]
impl Subscription {
    /// The subscription's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The plan (STANDARD).
    async fn plan(&self) -> &str {
        &self.0.plan
    }
    /// When the period started.
    async fn period_start(&self) -> DateTime<Utc> {
        self.0.period_start
    }
    /// When the paid period ends (twelve months after an INVOICED start).
    async fn period_end(&self) -> DateTime<Utc> {
        self.0.period_end
    }
    /// INVOICED or NONE.
    async fn charge(&self) -> Charge {
        self.0.charge.into()
    }
    /// When the subscription stopped early (the client left service), if it did.
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
}

/// An e-mail in the outbox.
pub struct Notification(pub notification::Model);

/// An e-mail in the outbox.
#[Object]
impl Notification {
    /// The notification's id (also in its Message-ID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What it is about, e.g. CLIENT_DEACTIVATED.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// The address it goes to.
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    /// The subject line.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// Delivery state.
    async fn status(&self) -> NotificationStatus {
        self.0.status.into()
    }
    /// Delivery attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was delivered.
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}
