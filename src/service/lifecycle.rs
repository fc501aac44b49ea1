//! THE transition table of the client lifecycle, and the one `check` that decides
//! whether an action may run and what it changes. Mutations, `availableActions` and the
//! scheduler all go through it.

use chrono::{DateTime, Utc};
use entity::{client, Billing, ClientStatus, LifecycleAction, LifecycleReason, Role};
use sea_orm::sea_query::{Expr, ExprTrait, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, EventDraft};
use super::billing::{self, Start};
use super::outbox::{self, Draft};
use super::{contacts, emails, role_name, workflows, Actor, Services};
use crate::domain::{ConfirmName, Feedback};
use crate::error::{AppError, AppResult};
use entity::lifecycle_event;
use entity::{contact, subscription, WorkflowStatus};

use ClientStatus::*;

/// Where an action takes the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    To(ClientStatus),
    /// The status stays; other fields change.
    Unchanged,
    /// Back to the status remembered when the client was archived.
    StatusBeforeArchive,
    /// The row is deleted.
    Removed,
}

/// A condition on the row besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    None,
    DecommissionScheduled,
    PortalAccessOn,
    PortalAccessOff,
}

/// One row of the transition table.
#[derive(Debug)]
pub struct Rule {
    pub action: LifecycleAction,
    pub from: &'static [ClientStatus],
    pub to: Target,
    pub min_role: Role,
    pub precondition: Precondition,
    /// The verb used in messages ("suspend clients").
    pub verb: &'static str,
}

const EVERY: &[ClientStatus] = &ClientStatus::ALL;
/// Every status but DISCARDED, DECOMMISSIONED and DISCONNECTED.
const NOT_ENDED: &[ClientStatus] = &[Prospect, Pending, Active, Suspended, Inactive, Archived];

const fn rule(
    action: LifecycleAction,
    from: &'static [ClientStatus],
    to: Target,
    min_role: Role,
    precondition: Precondition,
    verb: &'static str,
) -> Rule {
    Rule {
        action,
        from,
        to,
        min_role,
        precondition,
        verb,
    }
}

use LifecycleAction as A;
use Precondition as P;
use Role::{Admin, Manager};
use Target::{Removed, StatusBeforeArchive, To, Unchanged};

/// The transition table of SPEC section 3, one row per action, in menu order.
pub static TABLE: [Rule; 16] = [
    rule(
        A::Activate,
        &[Prospect, Pending],
        To(Active),
        Manager,
        P::None,
        "activate clients",
    ),
    rule(
        A::ScheduleActivation,
        &[Prospect, Pending],
        To(Pending),
        Manager,
        P::None,
        "schedule activations",
    ),
    rule(
        A::Suspend,
        &[Active],
        To(Suspended),
        Manager,
        P::None,
        "suspend clients",
    ),
    rule(
        A::Unsuspend,
        &[Suspended],
        To(Active),
        Manager,
        P::None,
        "unsuspend clients",
    ),
    rule(
        A::Deactivate,
        &[Active, Suspended],
        To(Inactive),
        Admin,
        P::None,
        "deactivate clients",
    ),
    rule(
        A::Reactivate,
        &[Inactive],
        To(Active),
        Admin,
        P::None,
        "reactivate clients",
    ),
    rule(
        A::Archive,
        &[Active, Suspended, Inactive],
        To(Archived),
        Manager,
        P::None,
        "archive clients",
    ),
    rule(
        A::Unarchive,
        &[Archived],
        StatusBeforeArchive,
        Manager,
        P::None,
        "unarchive clients",
    ),
    rule(
        A::Discard,
        NOT_ENDED,
        To(Discarded),
        Manager,
        P::None,
        "discard clients",
    ),
    rule(
        A::Restore,
        &[Discarded],
        To(Prospect),
        Manager,
        P::None,
        "restore clients",
    ),
    rule(
        A::Decommission,
        &[Pending, Active, Suspended, Inactive],
        To(Decommissioned),
        Admin,
        P::None,
        "decommission clients",
    ),
    rule(
        A::CancelDecommission,
        EVERY,
        Unchanged,
        Admin,
        P::DecommissionScheduled,
        "cancel decommissions",
    ),
    rule(
        A::Disconnect,
        NOT_ENDED,
        To(Disconnected),
        Admin,
        P::None,
        "disconnect clients",
    ),
    rule(
        A::Delete,
        &[Inactive, Archived, Discarded, Decommissioned, Disconnected],
        Removed,
        Admin,
        P::None,
        "delete clients",
    ),
    rule(
        A::RevokePortalAccess,
        EVERY,
        Unchanged,
        Manager,
        P::PortalAccessOn,
        "revoke portal access",
    ),
    rule(
        A::RestorePortalAccess,
        NOT_ENDED,
        Unchanged,
        Manager,
        P::PortalAccessOff,
        "restore portal access",
    ),
];

/// The table row of `action`; `None` for CREATE and UPDATE, which are not transitions.
pub fn rule_of(action: LifecycleAction) -> Option<&'static Rule> {
    TABLE.iter().find(|r| r.action == action)
}

/// The arguments some actions take. `check` skips the argument checks when they are
/// not known (as for `availableActions`).
#[derive(Debug, Clone, Default)]
pub struct ActionArgs {
    /// SCHEDULE_ACTIVATION: when to activate.
    pub at: Option<DateTime<Utc>>,
    /// DEACTIVATE: also e-mail the client.
    pub notify_client: bool,
    /// DECOMMISSION: when; absent or past means now.
    pub effective_at: Option<DateTime<Utc>>,
    /// DISCONNECT: the contact who takes over the account.
    pub account_owner_contact_id: Option<Uuid>,
    /// DELETE: the name typed to confirm.
    pub confirm_name: Option<ConfirmName>,
    /// A preview: required arguments not given are not refused (see
    /// [`missing_arguments`]); those given are judged as for the mutation.
    pub preview: bool,
}

/// The required arguments of `action` that `args` lacks, by their API names.
pub fn missing_arguments(action: LifecycleAction, args: &ActionArgs) -> Vec<&'static str> {
    let missing = match action {
        A::ScheduleActivation => args.at.is_none().then_some("at"),
        A::Disconnect => args
            .account_owner_contact_id
            .is_none()
            .then_some("accountOwnerContactId"),
        A::Delete => args.confirm_name.is_none().then_some("confirmName"),
        _ => None,
    };
    missing.into_iter().collect()
}

/// The columns an action changes (`None`: left as is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub status: Option<ClientStatus>,
    pub portal_access: Option<bool>,
    pub activation_scheduled_at: Option<Option<DateTime<Utc>>>,
    pub decommission_scheduled_at: Option<Option<DateTime<Utc>>>,
    pub status_before_archive: Option<Option<ClientStatus>>,
    pub account_owner_contact_id: Option<Option<Uuid>>,
}

/// What the action does besides the client row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    /// The client is removed entirely (discarded in its loading phase).
    pub purged: bool,
    /// ACTIVATE and REACTIVATE: what the billing rule does.
    pub subscription_start: Option<Start>,
    /// The running subscription that ends.
    pub subscription_ends: Option<subscription::Model>,
    /// ACTIVE workflows that become ARCHIVED.
    pub workflows_archived: Vec<Uuid>,
    /// ACTIVE workflows that become CANCELLED.
    pub workflows_cancelled: Vec<Uuid>,
}

/// What the rules need to know about a client besides its row.
///
/// Whether an action is allowed never depends on `subscriptions`: they only shape what
/// an allowed action does (the billing rule, a purge), so `availableActions` is answered
/// from facts read without them (`load_page_facts`). Nor does it depend on which contacts
/// and workflows are ACTIVE, only on how many: a page of clients reads just the numbers
/// (`Active::Counted`, kept on each client's row), and plans read the ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub active_contacts: Active,
    pub active_workflows: Active,
    /// Newest first.
    pub subscriptions: Vec<subscription::Model>,
}

/// A client's ACTIVE contacts or workflows: their ids (in id order), or only how many
/// there are, which is all a verdict needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Active {
    Ids(Vec<Uuid>),
    Counted(usize),
}

impl Default for Active {
    fn default() -> Self {
        Active::Ids(Vec::new())
    }
}

impl Active {
    pub fn len(&self) -> usize {
        match self {
            Active::Ids(ids) => ids.len(),
            Active::Counted(n) => *n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids; none when only counted (counted facts serve verdicts, and a plan is
    /// always made from facts with ids: see `load_facts`).
    pub fn ids(&self) -> &[Uuid] {
        match self {
            Active::Ids(ids) => ids,
            Active::Counted(_) => &[],
        }
    }

    fn push(&mut self, id: Uuid) {
        if let Active::Ids(ids) = self {
            ids.push(id);
        }
    }
}

impl Facts {
    pub fn has_invoiced(&self) -> bool {
        self.subscriptions
            .iter()
            .any(|s| s.charge == entity::Charge::Invoiced)
    }
}

/// The facts of several clients (every one gets an entry), in two statements.
pub async fn load_facts<C: ConnectionTrait>(
    conn: &C,
    client_ids: &[Uuid],
) -> AppResult<super::IdMap<Facts>> {
    if client_ids.is_empty() {
        return Ok(super::IdMap::default());
    }
    let active = contacts::active_ids(conn, client_ids).await?;
    let subscriptions = billing::of_clients(conn, client_ids).await?;
    Ok(facts_of(client_ids, active, subscriptions))
}

/// [`load_facts`] for a page of clients, read outside any transaction as the page's other
/// rows are (`Services::read_all`); without their subscriptions (one statement fewer)
/// unless `with_subscriptions`, when only the verdicts of [`available_actions`] are
/// wanted.
pub async fn load_page_facts(
    svc: &Services,
    client_ids: &[Uuid],
    with_subscriptions: bool,
) -> AppResult<super::IdMap<Facts>> {
    let Some(stmt) = contacts::active_ids_statement(svc.db.get_database_backend(), client_ids)
    else {
        return Ok(super::IdMap::default());
    };
    let active = contacts::active_ids_of(svc.read_all(stmt).await?)?;
    let subscriptions = if with_subscriptions {
        let mut rows = svc
            .read_select(billing::of_clients_select(client_ids))
            .await?;
        billing::newest_first(&mut rows);
        rows
    } else {
        Vec::new()
    };
    Ok(facts_of(client_ids, active, subscriptions))
}

/// The facts of a page's clients without their subscriptions, enough for the rules'
/// verdicts: the numbers of ACTIVE contacts and workflows read with the page.
pub fn counted_facts(
    counts: impl IntoIterator<Item = (Uuid, (usize, usize))>,
) -> super::IdMap<Facts> {
    let counts = counts.into_iter();
    let mut out = super::id_map(counts.size_hint().0);
    out.extend(counts.map(|(id, (contacts, workflows))| {
        (
            id,
            Facts {
                active_contacts: Active::Counted(contacts),
                active_workflows: Active::Counted(workflows),
                subscriptions: Vec::new(),
            },
        )
    }));
    out
}

/// Each client's facts (every client gets an entry) from the rows read for them.
fn facts_of(
    client_ids: &[Uuid],
    (contacts, workflows): contacts::ActiveIds,
    subscriptions: Vec<entity::subscription::Model>,
) -> super::IdMap<Facts> {
    let mut out = super::id_map(client_ids.len());
    out.extend(client_ids.iter().map(|id| (*id, Facts::default())));
    for (client_id, id) in contacts {
        out.entry(client_id).or_default().active_contacts.push(id);
    }
    for (client_id, id) in workflows {
        out.entry(client_id).or_default().active_workflows.push(id);
    }
    for s in subscriptions {
        out.entry(s.client_id).or_default().subscriptions.push(s);
    }
    out
}

/// What an allowed action will do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rule: &'static Rule,
    pub from: ClientStatus,
    /// `None` when the row is removed.
    pub to: Option<ClientStatus>,
    pub changes: Changes,
    pub effects: Effects,
    /// Extra facts stored on the event.
    pub details: Option<serde_json::Value>,
}

impl Plan {
    pub fn action(&self) -> LifecycleAction {
        self.rule.action
    }

    /// The row after the change, for answering without reading it again.
    pub fn apply_to(&self, mut c: client::Model, now: DateTime<Utc>) -> client::Model {
        let ch = &self.changes;
        if let Some(s) = ch.status {
            if s != c.status {
                c.status_changed_at = now;
            }
            c.status = s;
        }
        if let Some(v) = ch.portal_access {
            c.portal_access = v;
        }
        if let Some(v) = ch.activation_scheduled_at {
            c.activation_scheduled_at = v;
        }
        if let Some(v) = ch.decommission_scheduled_at {
            c.decommission_scheduled_at = v;
        }
        if let Some(v) = ch.status_before_archive {
            c.status_before_archive = v;
        }
        if let Some(v) = ch.account_owner_contact_id {
            c.account_owner_contact_id = v;
        }
        c.version += 1;
        c.updated_at = now;
        c
    }
}

/// Decides whether `actor_role` (`None`: the scheduler) may run `action` on `client`
/// now, and what it changes. `args` is `None` when the action's arguments are unknown.
pub fn check(
    action: LifecycleAction,
    client: &client::Model,
    facts: &Facts,
    actor_role: Option<Role>,
    args: Option<&ActionArgs>,
    now: DateTime<Utc>,
) -> AppResult<Plan> {
    let rule = rule_of(action).ok_or_else(|| AppError::internal("not a lifecycle action"))?;
    if let Some(role) = actor_role {
        if !role.at_least(rule.min_role) {
            return Err(AppError::forbidden(format!(
                "Only {} or above may {}.",
                role_name(rule.min_role),
                rule.verb
            )));
        }
    }
    let refuse = |detail: Option<&'static str>| AppError::InvalidTransition {
        action,
        from: client.status,
        allowed: rule.from,
        detail,
    };
    if !rule.from.contains(&client.status) {
        return Err(refuse(None));
    }
    match rule.precondition {
        P::None => {}
        P::DecommissionScheduled if client.decommission_scheduled_at.is_none() => {
            return Err(refuse(Some(
                "no decommission is scheduled for this client.",
            )))
        }
        P::PortalAccessOn if !client.portal_access => {
            return Err(refuse(Some(
                "the client's portal access is already revoked.",
            )))
        }
        P::PortalAccessOff if client.portal_access => {
            return Err(refuse(Some("the client already has portal access.")))
        }
        P::DecommissionScheduled | P::PortalAccessOn | P::PortalAccessOff => {}
    }

    let mut to = match rule.to {
        To(s) => Some(s),
        Unchanged => Some(client.status),
        StatusBeforeArchive => Some(client.status_before_archive.unwrap_or(Inactive)),
        Removed => None,
    };
    let mut changes = Changes::default();
    let mut effects = Effects::default();
    let mut details = None;
    let scheduler = actor_role.is_none();

    match action {
        A::Activate => {
            if scheduler && client.activation_scheduled_at.is_none_or(|at| at > now) {
                return Err(refuse(Some("no activation is due for this client.")));
            }
            effects.subscription_start =
                Some(billing::on_activation(facts.subscriptions.first(), now));
        }
        A::Reactivate => {
            effects.subscription_start =
                Some(billing::on_activation(facts.subscriptions.first(), now));
        }
        A::ScheduleActivation => match args.map(|a| (a.at, a.preview)) {
            Some((Some(at), _)) => {
                if at <= now {
                    return Err(AppError::bad_field("at", "at must be in the future."));
                }
                changes.activation_scheduled_at = Some(Some(at));
                details = Some(json!({ "at": at }));
            }
            Some((None, false)) => return Err(AppError::bad_field("at", "at is required.")),
            Some((None, true)) | None => {}
        },
        A::Deactivate => {
            if client.billing == Billing::SelfPaying {
                return Err(AppError::SelfPayingClient(
                    "A self-paying client cannot be deactivated: its subscription is its own. \
                     Disconnect it to hand the account to its account owner instead."
                        .into(),
                ));
            }
            if let Some(args) = args {
                details = Some(json!({ "notifyClient": args.notify_client }));
            }
        }
        A::Archive => {
            changes.status_before_archive = Some(Some(client.status));
            effects.workflows_archived = facts.active_workflows.ids().to_vec();
        }
        A::Unarchive => changes.status_before_archive = Some(None),
        A::Decommission => {
            let scheduled_for = args.and_then(|a| a.effective_at).filter(|at| *at > now);
            if scheduler && client.decommission_scheduled_at.is_none_or(|at| at > now) {
                return Err(refuse(Some("no decommission is due for this client.")));
            }
            if let Some(at) = scheduled_for {
                to = Some(client.status);
                changes.decommission_scheduled_at = Some(Some(at));
                details = Some(json!({ "effectiveAt": at }));
            } else {
                changes.portal_access = Some(false);
                effects.workflows_cancelled = facts.active_workflows.ids().to_vec();
            }
        }
        A::CancelDecommission => {
            changes.decommission_scheduled_at = Some(None);
            details = Some(json!({ "effectiveAt": client.decommission_scheduled_at }));
        }
        A::Disconnect => {
            if facts.active_contacts.is_empty() {
                return Err(AppError::AccountOwnerRequired(
                    "Disconnecting hands the account to an ACTIVE contact of the client, and \
                     this client has none. Delete the client instead."
                        .into(),
                ));
            }
            match args.map(|a| (a.account_owner_contact_id, a.preview)) {
                Some((Some(owner), _)) => {
                    if !facts.active_contacts.ids().contains(&owner) {
                        return Err(AppError::AccountOwnerRequired(
                            "The account owner must be an ACTIVE contact of this client.".into(),
                        ));
                    }
                    changes.account_owner_contact_id = Some(Some(owner));
                    details = Some(json!({ "accountOwnerContactId": owner }));
                }
                Some((None, false)) => {
                    return Err(AppError::AccountOwnerRequired(
                        "Choose the ACTIVE contact who takes the account over \
                         (accountOwnerContactId)."
                            .into(),
                    ))
                }
                Some((None, true)) | None => {}
            }
        }
        A::Delete => match args.map(|a| (a.confirm_name.as_ref(), a.preview)) {
            Some((Some(typed), _)) if !typed.matches(&client.name) => {
                return Err(AppError::ConfirmationMismatch)
            }
            Some((None, false)) => {
                return Err(AppError::bad_field(
                    "confirmName",
                    "confirmName is required.",
                ))
            }
            _ => {}
        },
        A::RevokePortalAccess => changes.portal_access = Some(false),
        A::RestorePortalAccess => changes.portal_access = Some(true),
        A::Discard => {
            if !facts.active_workflows.is_empty() {
                return Err(AppError::ActiveWorkflows {
                    count: facts.active_workflows.len(),
                    workflow_ids: facts.active_workflows.ids().to_vec(),
                });
            }
            if billing::in_loading_phase(client.created_at, facts.has_invoiced(), now) {
                effects.purged = true;
                to = None;
                details = Some(json!({ "purged": true }));
            }
        }
        A::Suspend | A::Unsuspend | A::Restore => {}
        A::Create | A::Update => return Err(AppError::internal("not a lifecycle action")),
    }

    if let Some(target) = to {
        if target != client.status {
            changes.status = Some(target);
        }
        // A schedule only survives in a status it can still apply from.
        if target != Pending && client.activation_scheduled_at.is_some() {
            changes.activation_scheduled_at = Some(None);
        }
        let decommission_from = rule_of(A::Decommission).map(|r| r.from).unwrap_or(&[]);
        if !decommission_from.contains(&target)
            && client.decommission_scheduled_at.is_some()
            && changes.decommission_scheduled_at.is_none()
        {
            changes.decommission_scheduled_at = Some(None);
        }
        if target == Decommissioned {
            changes.decommission_scheduled_at = Some(None);
        }
    }
    // Leaving service ends the running subscription: from ACTIVE or SUSPENDED, and from
    // ARCHIVED, where a subscription keeps running until the client is restored or
    // disconnected.
    let ends_service = matches!(to, Some(Inactive | Decommissioned | Disconnected));
    if ends_service && to != Some(client.status) {
        effects.subscription_ends = billing::current(&facts.subscriptions, now).cloned();
    }
    if scheduler {
        let mut d = details.take().unwrap_or_else(|| json!({}));
        d["scheduled"] = json!(true);
        details = Some(d);
    }

    Ok(Plan {
        rule,
        from: client.status,
        to,
        changes,
        effects,
        details,
    })
}

/// Everything a staff member's verdicts on a client depend on: two clients with the
/// same standing get the same verdicts (allowed, code and sentence) for every action
/// and role, whatever else differs (name, age, schedules' dates, which contacts, the
/// subscriptions, the time), so a page judges each distinct standing once. A unit test
/// walks the clients' fields and facts to hold that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Standing {
    status: ClientStatus,
    decommission_scheduled: bool,
    portal_access: bool,
    self_paying: bool,
    has_active_contacts: bool,
    active_workflows: usize,
}

impl Standing {
    pub fn of(client: &client::Model, facts: &Facts) -> Self {
        Standing {
            status: client.status,
            decommission_scheduled: client.decommission_scheduled_at.is_some(),
            portal_access: client.portal_access,
            self_paying: client.billing == Billing::SelfPaying,
            has_active_contacts: !facts.active_contacts.is_empty(),
            active_workflows: facts.active_workflows.len(),
        }
    }
}

/// Whether each action of the table is allowed for this viewer on this client.
pub fn available_actions(
    client: &client::Model,
    facts: &Facts,
    role: Role,
    now: DateTime<Utc>,
) -> Vec<(LifecycleAction, Result<(), AppError>)> {
    TABLE
        .iter()
        .map(|r| {
            let res = check(r.action, client, facts, Some(role), None, now).map(|_| ());
            (r.action, res)
        })
        .collect()
}

/// What a lifecycle mutation asks for.
#[derive(Debug, Clone, Default)]
pub struct Command {
    pub expected_version: Option<i32>,
    pub reason: Option<LifecycleReason>,
    pub feedback: Option<Feedback>,
    pub args: ActionArgs,
}

/// What a lifecycle action did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The client after the change; `None` once deleted.
    pub client: Option<client::Model>,
    pub event: lifecycle_event::Model,
    /// True when the client was removed outright.
    pub purged: bool,
}

/// Loads the client of the actor's firm inside `txn`.
pub async fn load<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
) -> AppResult<Option<client::Model>> {
    Ok(client::Entity::find_by_id(client_id)
        .filter(client::Column::FirmId.eq(firm_id))
        .one(conn)
        .await?)
}

/// Loads the client for a lifecycle change and locks its row until the transaction ends
/// (`FOR UPDATE` on PostgreSQL; on SQLite the write transaction already excludes every
/// other writer). What the change then reads of the client's contacts, workflows and
/// subscriptions cannot change under it, because every change of those rows first takes
/// the client's row with [`lock_shared`] or [`lock_for_rows`].
async fn load_for_update<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
) -> AppResult<client::Model> {
    load_locked(conn, firm_id, client_id, LockType::Update).await
}

/// Loads a client of the firm with a row lock held until the transaction ends.
async fn load_locked<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
    lock: LockType,
) -> AppResult<client::Model> {
    client::Entity::find_by_id(client_id)
        .filter(client::Column::FirmId.eq(firm_id))
        .lock(lock)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("client"))
}

/// Locks a client of the firm against lifecycle changes until the transaction ends
/// (`FOR SHARE` on PostgreSQL), and answers it as it is now. Every change of a client's
/// stakeholders takes this first (and of its contacts and workflows, the stronger
/// [`lock_for_rows`]), so that it waits for a
/// lifecycle change in flight and then sees its outcome, and a lifecycle change that
/// starts later sees the new rows.
pub async fn lock_shared<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
) -> AppResult<client::Model> {
    load_locked(conn, firm_id, client_id, LockType::Share).await
}

/// Locks a client of the firm for a change of its contacts or workflows (`FOR NO KEY
/// UPDATE` on PostgreSQL), and answers it as it is now. Like [`lock_shared`], it waits
/// for a lifecycle change in flight. Such a change also moves the counts of ACTIVE
/// contacts and workflows kept on the client's row (a trigger updates the row), so it
/// takes the lock that update needs at once: two changes of one client's contacts then
/// wait for each other, where with shared locks each would hold one that the other's
/// update waits for (a deadlock).
pub async fn lock_for_rows<C: ConnectionTrait>(
    conn: &C,
    firm_id: Uuid,
    client_id: Uuid,
) -> AppResult<client::Model> {
    load_locked(conn, firm_id, client_id, LockType::NoKeyUpdate).await
}

/// Runs a lifecycle action: role, version and table checks, then a conditional update
/// (or delete) and its event, in one transaction.
pub async fn perform(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    action: LifecycleAction,
    cmd: Command,
) -> AppResult<Outcome> {
    let rule = rule_of(action).ok_or_else(|| AppError::internal("not a lifecycle action"))?;
    // The role is checked before anything is read, so a refusal says nothing about the id.
    actor.require(rule.min_role, rule.verb)?;
    let txn = svc.begin_write().await?;
    let outcome = perform_in(&txn, svc, actor, client_id, action, &cmd).await?;
    txn.commit().await?;
    svc.events.committed(&outcome.event);
    Ok(outcome)
}

/// Everything an action will do to one client, decided from the state read in one
/// transaction (or one read, for a preview): the plan of the transition table and what
/// it touches besides the client row. The mutation executes exactly this; `previewAction`
/// shows it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The client as read.
    pub client: client::Model,
    pub plan: Plan,
    /// The moment the plan was made for.
    pub now: DateTime<Utc>,
    /// The client's contacts, removed with it (when the client is removed).
    pub removed_contacts: Vec<contact::Model>,
    /// The e-mails written with the event.
    pub notifications: Vec<Draft>,
}

impl Prepared {
    /// The addresses that become free for others: the client's and its contacts', when
    /// the client is removed.
    pub fn freed_emails(&self) -> Vec<String> {
        if self.plan.to.is_some() {
            return Vec::new();
        }
        self.client
            .email
            .iter()
            .cloned()
            .chain(self.removed_contacts.iter().map(|c| c.email.clone()))
            .collect()
    }

    /// Whether the client loses its portal access (turned off, or gone with the client).
    pub fn portal_access_revoked(&self) -> bool {
        self.client.portal_access
            && (self.plan.to.is_none() || self.plan.changes.portal_access == Some(false))
    }
}

/// Decides what `action` does to `client` now: the version, the table and the rules,
/// then what the plan touches. Reads only; runs inside the mutation's transaction.
async fn prepare<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    client: client::Model,
    action: LifecycleAction,
    cmd: &Command,
    now: DateTime<Utc>,
) -> AppResult<Prepared> {
    if let Some(expected) = cmd.expected_version {
        if expected != client.version {
            return Err(AppError::VersionConflict {
                expected,
                actual: client.version,
            });
        }
    }
    let facts = load_facts(conn, &[client.id])
        .await?
        .remove(&client.id)
        .unwrap_or_default();
    let plan = check(action, &client, &facts, actor.role(), Some(&cmd.args), now)?;
    // Addresses held by the client's contacts are freed with them.
    let removed_contacts = if plan.to.is_none() {
        contact::Entity::find()
            .filter(contact::Column::ClientId.eq(client.id))
            .all(conn)
            .await?
    } else {
        Vec::new()
    };
    let owner = match plan.changes.account_owner_contact_id {
        Some(Some(id)) => contact::Entity::find_by_id(id).one(conn).await?,
        _ => None,
    };
    let notifications = notifications_for(&plan, &client, actor, owner.as_ref(), &cmd.args);
    Ok(Prepared {
        client,
        plan,
        now,
        removed_contacts,
        notifications,
    })
}

async fn perform_in(
    txn: &DatabaseTransaction,
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    action: LifecycleAction,
    cmd: &Command,
) -> AppResult<Outcome> {
    let firm_id = actor.firm_id();
    let mut current = load_for_update(txn, firm_id, client_id).await?;
    // The row is locked, so the conditional write only misses if something outside this
    // server changed it: read again and decide anew.
    for _ in 0..3 {
        let now = svc.clock.now();
        let prepared = prepare(txn, actor, current, action, cmd, now).await?;
        if !write(txn, &prepared.client, &prepared.plan, now).await? {
            current = load_for_update(txn, firm_id, client_id).await?;
            continue;
        }
        return execute(txn, actor, prepared, cmd).await;
    }
    Err(AppError::internal(
        "client kept changing under a lifecycle action",
    ))
}

/// Everything a prepared action does after its conditional write: the effects, the event
/// and the notifications, in the same transaction.
async fn execute(
    txn: &DatabaseTransaction,
    actor: &Actor,
    prepared: Prepared,
    cmd: &Command,
) -> AppResult<Outcome> {
    let Prepared {
        client: current,
        plan,
        now,
        removed_contacts,
        notifications,
    } = prepared;
    let firm_id = actor.firm_id();
    let client_id = current.id;
    let removed = plan.to.is_none();
    if removed {
        let contact_ids: Vec<Uuid> = removed_contacts.iter().map(|c| c.id).collect();
        emails::release(txn, &contact_ids).await?;
        audit::erase_personal_data(txn, client_id).await?;
        outbox::erase_client(txn, client_id).await?;
    }
    let fx = &plan.effects;
    if let Some(start) = &fx.subscription_start {
        billing::start(txn, firm_id, client_id, start, now).await?;
    }
    if let Some(running) = &fx.subscription_ends {
        billing::end(txn, running.id, now).await?;
    }
    workflows::move_active(txn, &fx.workflows_archived, WorkflowStatus::Archived, now).await?;
    workflows::move_active(txn, &fx.workflows_cancelled, WorkflowStatus::Cancelled, now).await?;
    let event = audit::record(
        txn,
        EventDraft {
            firm_id,
            client_id,
            action: plan.action(),
            from_status: Some(plan.from),
            to_status: plan.to,
            actor_id: actor.user_id(),
            reason: cmd.reason,
            // Personal data does not outlive a removed client.
            feedback: if removed {
                None
            } else {
                cmd.feedback.clone().map(Feedback::into_inner)
            },
            details: if removed && !fx.purged {
                None
            } else {
                plan.details.clone()
            },
            at: now,
        },
    )
    .await?;
    outbox::enqueue(
        txn,
        firm_id,
        Some(client_id),
        Some(event.id),
        notifications,
        now,
    )
    .await?;
    let purged = fx.purged;
    let after = (!removed).then(|| plan.apply_to(current, now));
    Ok(Outcome {
        purged,
        client: after,
        event,
    })
}

/// What an action would do to a client now, and the client as read.
#[derive(Debug, Clone)]
pub struct Preview {
    pub action: LifecycleAction,
    pub client: client::Model,
    /// Required arguments not given (see [`missing_arguments`]).
    pub missing: Vec<&'static str>,
    /// The plan, or the refusal the mutation would answer.
    pub result: Result<Prepared, AppError>,
}

/// Plans `action` on the client exactly as the mutation would, and changes nothing. A
/// missing client is `NOT_FOUND`; every refusal of the rules (the role included) is in
/// `result`.
pub async fn preview(
    svc: &Services,
    actor: &Actor,
    client_id: Uuid,
    action: LifecycleAction,
    mut args: ActionArgs,
) -> AppResult<Preview> {
    if rule_of(action).is_none() {
        return Err(AppError::bad_field(
            "action",
            "CREATE and UPDATE are not lifecycle actions.",
        ));
    }
    args.preview = true;
    let client = load(&svc.db, actor.firm_id(), client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let missing = missing_arguments(action, &args);
    let cmd = Command {
        args,
        ..Command::default()
    };
    let now = svc.clock.now();
    let result = match prepare(&svc.db, actor, client.clone(), action, &cmd, now).await {
        // A failure of the server, not a refusal of the rules.
        Err(AppError::Internal(cause)) => return Err(AppError::Internal(cause)),
        other => other,
    };
    Ok(Preview {
        action,
        client,
        missing,
        result,
    })
}

/// The e-mails an action sends, by kind and recipient.
pub fn notifications_for(
    plan: &Plan,
    client: &client::Model,
    actor: &Actor,
    owner: Option<&contact::Model>,
    args: &ActionArgs,
) -> Vec<Draft> {
    let staff = match actor {
        Actor::Staff(u) => Some(u),
        Actor::Scheduler { .. } => None,
    };
    let mut out = Vec::new();
    let mut push = |kind: &'static str, recipient: &str, subject: String, body: String| {
        out.push(Draft {
            kind,
            recipient: recipient.to_string(),
            subject,
            body,
        });
    };
    let name = &client.name;
    match plan.action() {
        A::Deactivate => {
            let subject = format!("{name} has been deactivated");
            let body = format!(
                "The client {name} has been deactivated: services and its subscription have \
                 stopped, and its history is kept. It can be reactivated at any time."
            );
            if let Some(u) = staff {
                push(
                    "CLIENT_DEACTIVATED",
                    &u.email,
                    subject.clone(),
                    body.clone(),
                );
            }
            if args.notify_client {
                if let Some(email) = &client.email {
                    push("CLIENT_DEACTIVATED", email, subject, body);
                }
            }
        }
        A::Reactivate => {
            if let Some(email) = &client.email {
                push(
                    "CLIENT_REACTIVATED",
                    email,
                    format!("Welcome back, {name}"),
                    format!("The account of {name} is active again."),
                );
            }
        }
        A::Disconnect => {
            let subject = format!("{name} has been disconnected from the firm");
            if let Some(o) = owner {
                push(
                    "CLIENT_DISCONNECTED",
                    &o.email,
                    subject.clone(),
                    format!(
                        "{}, the account of {name} is now yours: the firm no longer manages it.",
                        o.name
                    ),
                );
            }
            if let Some(u) = staff {
                push(
                    "CLIENT_DISCONNECTED",
                    &u.email,
                    subject,
                    format!("{name} was disconnected and handed to its account owner."),
                );
            }
        }
        A::Decommission if plan.to == Some(Decommissioned) => {
            let subject = format!("{name} has been decommissioned");
            let body =
                format!("The contract with {name} is closed; its portal access was revoked.");
            if let Some(u) = staff {
                push(
                    "CLIENT_DECOMMISSIONED",
                    &u.email,
                    subject.clone(),
                    body.clone(),
                );
            }
            if let Some(email) = &client.email {
                push("CLIENT_DECOMMISSIONED", email, subject, body);
            }
        }
        A::Decommission => {
            if let (Some(u), Some(at)) = (staff, plan.changes.decommission_scheduled_at.flatten()) {
                push(
                    "DECOMMISSION_SCHEDULED",
                    &u.email,
                    format!("Decommission of {name} scheduled"),
                    format!(
                        "{name} will be decommissioned on {}.",
                        at.format("%-d %B %Y at %H:%M UTC")
                    ),
                );
            }
        }
        A::Delete => {
            if let Some(u) = staff {
                // No personal data: the client is gone.
                push(
                    "CLIENT_DELETED",
                    &u.email,
                    "A client was permanently deleted".into(),
                    format!(
                        "Client {} and its contacts, workflows and subscriptions were permanently \
                         deleted. Its audit trail is kept without personal data.",
                        client.id
                    ),
                );
            }
        }
        _ => {}
    }
    out
}

/// The conditional write: only applies while the row is still at the version and in a
/// status the plan was made for. Returns false when it did not apply.
async fn write(
    txn: &DatabaseTransaction,
    current: &client::Model,
    plan: &Plan,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    use client::Column as C;
    let from = plan.rule.from.iter().copied();
    if plan.to.is_none() {
        let res = client::Entity::delete_many()
            .filter(C::Id.eq(current.id))
            .filter(C::FirmId.eq(current.firm_id))
            .filter(C::Version.eq(current.version))
            .filter(C::Status.is_in(from))
            .exec(txn)
            .await?;
        return Ok(res.rows_affected == 1);
    }
    let ch = &plan.changes;
    let mut update = client::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(current.id))
        .filter(C::FirmId.eq(current.firm_id))
        .filter(C::Version.eq(current.version))
        .filter(C::Status.is_in(from));
    if let Some(s) = ch.status {
        update = update
            .col_expr(C::Status, Expr::val(s))
            .col_expr(C::StatusChangedAt, Expr::val(now));
    }
    if let Some(v) = ch.portal_access {
        update = update.col_expr(C::PortalAccess, Expr::val(v));
    }
    if let Some(v) = ch.activation_scheduled_at {
        update = update.col_expr(C::ActivationScheduledAt, Expr::val(v));
    }
    if let Some(v) = ch.decommission_scheduled_at {
        update = update.col_expr(C::DecommissionScheduledAt, Expr::val(v));
    }
    if let Some(v) = ch.status_before_archive {
        update = update.col_expr(C::StatusBeforeArchive, Expr::val(v));
    }
    if let Some(v) = ch.account_owner_contact_id {
        update = update.col_expr(C::AccountOwnerContactId, Expr::val(v));
    }
    let res = update.exec(txn).await?;
    Ok(res.rows_affected == 1)
}

/// Applies an action for the scheduler in its own transaction; `Ok(None)` when it no
/// longer applies (another process applied it first, or it was cancelled).
pub async fn perform_scheduled(
    svc: &Services,
    firm_id: Uuid,
    client_id: Uuid,
    action: LifecycleAction,
) -> AppResult<Option<Outcome>> {
    let actor = Actor::Scheduler { firm_id };
    match perform(svc, &actor, client_id, action, Command::default()).await {
        Ok(outcome) => Ok(Some(outcome)),
        Err(AppError::InvalidTransition { .. } | AppError::NotFound(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn client(status: ClientStatus) -> client::Model {
        // Past its loading phase, so DISCARD discards rather than purges.
        crate::service::sample_client(status, Utc::now() - Duration::days(60))
    }

    const ROLES: [Role; 4] = [Role::Admin, Role::Manager, Role::Member, Role::Viewer];

    #[test]
    fn the_table_has_one_row_per_action() {
        use sea_orm::Iterable;
        let actions: Vec<_> = LifecycleAction::iter()
            .filter(|a| !matches!(a, A::Create | A::Update))
            .collect();
        assert_eq!(actions.len(), TABLE.len());
        for a in actions {
            assert_eq!(TABLE.iter().filter(|r| r.action == a).count(), 1, "{a:?}");
        }
    }

    /// Walks every status × action × role and checks the outcome against the table.
    #[test]
    fn every_status_action_and_role_follows_the_table() {
        let now = Utc::now();
        for status in ClientStatus::ALL {
            for r in &TABLE {
                for role in ROLES {
                    let c = client(status);
                    let res = check(r.action, &c, &Facts::default(), Some(role), None, now);
                    let case = format!("{status:?} {:?} {role:?}", r.action);
                    if !role.at_least(r.min_role) {
                        assert!(matches!(res, Err(AppError::Forbidden(_))), "{case}");
                        continue;
                    }
                    if !r.from.contains(&status) {
                        match res {
                            Err(AppError::InvalidTransition { from, allowed, .. }) => {
                                assert_eq!(from, status, "{case}");
                                assert_eq!(allowed, r.from, "{case}");
                            }
                            other => panic!("{case}: {other:?}"),
                        }
                        continue;
                    }
                    match (r.action, res) {
                        (
                            A::CancelDecommission | A::RestorePortalAccess,
                            Err(AppError::InvalidTransition { .. }),
                        ) => {}
                        (A::Disconnect, Err(AppError::AccountOwnerRequired(_))) => {}
                        (A::Discard, Ok(plan)) => assert_eq!(plan.to, Some(Discarded), "{case}"),
                        (_, Ok(plan)) => {
                            let expected = match r.to {
                                To(s) => Some(s),
                                Unchanged => Some(status),
                                StatusBeforeArchive => Some(Inactive),
                                Removed => None,
                            };
                            assert_eq!(plan.to, expected, "{case}");
                        }
                        (_, other) => panic!("{case}: {other:?}"),
                    }
                }
            }
        }
    }

    /// `availableActions` is answered from facts read without subscriptions, and on a
    /// page from the numbers of ACTIVE contacts and workflows alone: no verdict (allowed,
    /// or the refusal's code and sentence) may depend on the subscriptions or on which
    /// contacts and workflows they are, whatever the client's status, age, billing,
    /// contacts and workflows.
    #[test]
    fn no_verdict_depends_on_subscriptions_or_on_which_contacts_and_workflows() {
        let now = Utc::now();
        let period = |start: DateTime<Utc>, charge, ended_at| entity::subscription::Model {
            id: Uuid::now_v7(),
            firm_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            plan: billing::PLAN.into(),
            period_start: start,
            period_end: billing::year_after(start),
            charge,
            ended_at,
            created_at: start,
        };
        let histories = [
            vec![period(
                now - Duration::days(10),
                entity::Charge::Invoiced,
                None,
            )],
            vec![period(now - Duration::days(10), entity::Charge::None, None)],
            vec![period(
                now - Duration::days(400),
                entity::Charge::Invoiced,
                Some(now - Duration::days(30)),
            )],
        ];
        let verdict =
            |res: AppResult<Plan>| res.map(|_| ()).map_err(|e| (e.code(), e.public_message()));
        for status in ClientStatus::ALL {
            for age in [Duration::days(2), Duration::days(60)] {
                for billing in [Billing::FirmPaid, Billing::SelfPaying] {
                    for (contacts, workflows) in [(0, 0), (1, 0), (0, 1), (2, 3)] {
                        let mut c = crate::service::sample_client(status, now - age);
                        c.billing = billing;
                        let ids = |n| Active::Ids((0..n).map(|_| Uuid::now_v7()).collect());
                        let bare = Facts {
                            active_contacts: ids(contacts),
                            active_workflows: ids(workflows),
                            subscriptions: vec![],
                        };
                        let counted = Facts {
                            active_contacts: Active::Counted(contacts),
                            active_workflows: Active::Counted(workflows),
                            subscriptions: vec![],
                        };
                        for role in ROLES {
                            for r in &TABLE {
                                assert_eq!(
                                    verdict(check(r.action, &c, &bare, Some(role), None, now)),
                                    verdict(check(r.action, &c, &counted, Some(role), None, now)),
                                    "{status:?} {:?} {role:?} {contacts} {workflows}",
                                    r.action
                                );
                            }
                        }
                        for subscriptions in &histories {
                            let full = Facts {
                                subscriptions: subscriptions.clone(),
                                ..bare.clone()
                            };
                            for role in ROLES {
                                for r in &TABLE {
                                    assert_eq!(
                                        verdict(check(r.action, &c, &bare, Some(role), None, now)),
                                        verdict(check(r.action, &c, &full, Some(role), None, now)),
                                        "{status:?} {:?} {role:?} {age:?} {billing:?}",
                                        r.action
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Clients of one `Standing` get the same verdicts for every action and role,
    /// whatever their other fields, facts and subscriptions: a rule that came to depend
    /// on anything else would give a page's clients one another's verdicts.
    #[test]
    fn clients_of_one_standing_get_the_same_verdicts() {
        let now = Utc::now();
        let verdicts = |c: &client::Model, facts: &Facts, role: Role| {
            available_actions(c, facts, role, now)
                .into_iter()
                .map(|(a, res)| (a, res.map_err(|e| (e.code(), e.public_message()))))
                .collect::<Vec<_>>()
        };
        /// Every client of `clients` once with each of `values` set by `set`.
        fn vary<T: Copy>(
            clients: Vec<client::Model>,
            values: &[T],
            set: impl Fn(&mut client::Model, T),
        ) -> Vec<client::Model> {
            let mut out = Vec::with_capacity(clients.len() * values.len());
            for c in clients {
                for v in values {
                    let mut c = c.clone();
                    set(&mut c, *v);
                    out.push(c);
                }
            }
            out
        }
        let times = [
            None,
            Some(now - Duration::days(3)),
            Some(now + Duration::days(3)),
        ];
        let mut clients: Vec<_> = ClientStatus::ALL
            .iter()
            .map(|s| crate::service::sample_client(*s, now))
            .collect();
        clients = vary(
            clients,
            &[Billing::FirmPaid, Billing::SelfPaying],
            |c, v| c.billing = v,
        );
        clients = vary(clients, &[false, true], |c, v| c.portal_access = v);
        clients = vary(clients, &times, |c, v| c.decommission_scheduled_at = v);
        clients = vary(clients, &times, |c, v| c.activation_scheduled_at = v);
        clients = vary(clients, &[None, Some(Suspended)], |c, v| {
            c.status_before_archive = v
        });
        clients = vary(clients, &[2, 400], |c, days| {
            c.created_at = now - Duration::days(days)
        });
        let mut seen = std::collections::HashMap::new();
        let cases = clients
            .iter()
            .flat_map(|c| [(0, 0), (1, 0), (0, 1), (0, 2), (3, 1)].map(|f| (c, f)));
        for (n, (c, (contacts, workflows))) in cases.enumerate() {
            let mut c = c.clone();
            // Fields no verdict should read, varied as the walk goes.
            if n % 2 == 0 {
                c.kind = entity::ClientKind::Individual;
                c.email = Some("a@b.test".into());
                c.name = "Other".into();
            }
            let ids = |k| Active::Ids((0..k).map(|_| Uuid::now_v7()).collect());
            let facts = Facts {
                active_contacts: if n % 3 == 0 {
                    Active::Counted(contacts)
                } else {
                    ids(contacts)
                },
                active_workflows: if n % 5 == 0 {
                    Active::Counted(workflows)
                } else {
                    ids(workflows)
                },
                subscriptions: vec![],
            };
            let standing = Standing::of(&c, &facts);
            for role in ROLES {
                let v = verdicts(&c, &facts, role);
                let first = seen.entry((standing, role)).or_insert_with(|| v.clone());
                assert_eq!(*first, v, "{standing:?} {role:?} {c:?}");
            }
        }
        // Verdicts do differ between standings: the walk compares more than one list.
        assert!(seen.len() > 100, "{}", seen.len());
    }

    #[test]
    fn unarchive_returns_to_the_status_left() {
        let mut c = client(Archived);
        c.status_before_archive = Some(Suspended);
        let plan = check(
            A::Unarchive,
            &c,
            &Facts::default(),
            Some(Role::Manager),
            None,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(plan.to, Some(Suspended));
        assert_eq!(plan.changes.status_before_archive, Some(None));
        let c = client(Inactive);
        let plan = check(
            A::Archive,
            &c,
            &Facts::default(),
            Some(Role::Manager),
            None,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(plan.changes.status_before_archive, Some(Some(Inactive)));
    }

    #[test]
    fn self_paying_clients_cannot_be_deactivated() {
        let mut c = client(Active);
        c.billing = Billing::SelfPaying;
        let res = check(
            A::Deactivate,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            None,
            Utc::now(),
        );
        assert!(matches!(res, Err(AppError::SelfPayingClient(_))));
    }

    #[test]
    fn decommission_in_the_future_only_schedules() {
        let now = Utc::now();
        let c = client(Active);
        let args = ActionArgs {
            effective_at: Some(now + Duration::days(3)),
            ..Default::default()
        };
        let plan = check(
            A::Decommission,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            Some(&args),
            now,
        )
        .unwrap();
        assert_eq!(plan.to, Some(Active));
        assert_eq!(plan.changes.status, None);
        assert_eq!(
            plan.changes.decommission_scheduled_at,
            Some(args.effective_at)
        );
        let args = ActionArgs {
            effective_at: Some(now - Duration::days(3)),
            ..Default::default()
        };
        let plan = check(
            A::Decommission,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            Some(&args),
            now,
        )
        .unwrap();
        assert_eq!(plan.to, Some(Decommissioned));
        assert_eq!(plan.changes.portal_access, Some(false));
    }

    #[test]
    fn the_scheduler_only_applies_due_items() {
        let now = Utc::now();
        let mut c = client(Pending);
        assert!(check(A::Activate, &c, &Facts::default(), None, None, now).is_err());
        c.activation_scheduled_at = Some(now + Duration::minutes(1));
        assert!(check(A::Activate, &c, &Facts::default(), None, None, now).is_err());
        c.activation_scheduled_at = Some(now - Duration::minutes(1));
        let plan = check(A::Activate, &c, &Facts::default(), None, None, now).unwrap();
        assert_eq!(plan.changes.activation_scheduled_at, Some(None));
    }

    #[test]
    fn schedules_do_not_survive_where_they_cannot_apply() {
        let now = Utc::now();
        let mut c = client(Active);
        c.decommission_scheduled_at = Some(now + Duration::days(1));
        let plan = check(
            A::Archive,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            None,
            now,
        )
        .unwrap();
        assert_eq!(plan.changes.decommission_scheduled_at, Some(None));
        let plan = check(
            A::Suspend,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            None,
            now,
        )
        .unwrap();
        assert_eq!(plan.changes.decommission_scheduled_at, None);
        let mut c = client(Pending);
        c.activation_scheduled_at = Some(now + Duration::days(1));
        let plan = check(
            A::Discard,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            None,
            now,
        )
        .unwrap();
        assert_eq!(plan.changes.activation_scheduled_at, Some(None));
    }

    #[test]
    fn delete_needs_the_exact_name() {
        let c = client(Inactive);
        let args = |n: &str| ActionArgs {
            confirm_name: Some(ConfirmName::parse(n).unwrap()),
            ..Default::default()
        };
        let now = Utc::now();
        assert!(matches!(
            check(
                A::Delete,
                &c,
                &Facts::default(),
                Some(Role::Admin),
                Some(&args("acme")),
                now
            ),
            Err(AppError::ConfirmationMismatch)
        ));
        assert!(check(
            A::Delete,
            &c,
            &Facts::default(),
            Some(Role::Admin),
            Some(&args("Acme")),
            now
        )
        .is_ok());
    }
}
