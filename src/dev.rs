//! Development mode (no `CLIENTELE_JWT_SECRET`): a signing secret generated once and kept
//! beside the database, and demo data in an empty database.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Duration as Span;
use entity::{
    Billing, ClientKind, LifecycleAction as A, LifecycleReason as R, Role, WorkflowKind,
    WorkflowStatus,
};

use crate::auth::Tokens;
use crate::config::Secret;
use crate::domain::{Email, Feedback, Name};
use crate::error::{AppError, AppResult};
use crate::service::clients::{self, NewClient};
use crate::service::lifecycle::{self, ActionArgs, Command};
use crate::service::{contacts, firms, stakeholders, users, webhooks, workflows, Actor, Services};
use crate::startup::StartupError;

/// The demo firm's staff: one per role.
pub const DEMO_USERS: [(&str, &str, Role); 4] = [
    ("Ada Admin", "admin@demo.clientele.test", Role::Admin),
    ("Max Manager", "manager@demo.clientele.test", Role::Manager),
    ("Mia Member", "member@demo.clientele.test", Role::Member),
    ("Vic Viewer", "viewer@demo.clientele.test", Role::Viewer),
];

/// How long the printed development tokens stay valid.
pub const DEMO_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// A demo user and a token to paste into GraphiQL.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: Role,
    pub name: String,
    pub email: String,
    pub token: String,
}

/// Where the development secret is kept: beside the SQLite file, or in the working
/// directory for other databases.
pub fn secret_path(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty() && !p.contains(":memory:"));
    match file {
        Some(path) => PathBuf::from(format!("{path}.jwt-secret")),
        None => PathBuf::from("clientele-dev.jwt-secret"),
    }
}

/// Reads the development secret, creating it on first use.
pub fn load_or_create_secret(database_url: &str) -> Result<Secret, StartupError> {
    let path = secret_path(database_url);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(Secret::new(existing));
        }
    }
    let value = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    std::fs::write(&path, &value).map_err(|e| {
        format!(
            "cannot write the development secret {}: {e}",
            path.display()
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    tracing::info!(path = %path.display(), "generated a development signing secret");
    Ok(Secret::new(value))
}

/// Tokens for the demo users that exist.
pub async fn demo_logins(svc: &Services, tokens: &Tokens) -> AppResult<Vec<DemoLogin>> {
    let mut out = Vec::new();
    for (_, email, _) in DEMO_USERS {
        let email = Email::parse("email", email)?;
        if let Some(user) = users::by_email(svc, &email).await? {
            if !user.active {
                continue;
            }
            let token = tokens
                .issue(user.id, DEMO_TOKEN_TTL)
                .map_err(AppError::internal)?;
            out.push(DemoLogin {
                role: user.role,
                name: user.name,
                email: user.email,
                token,
            });
        }
    }
    Ok(out)
}

/// Where each demo client should end up.
#[derive(Clone, Copy)]
enum Story {
    Prospect,
    PendingScheduled,
    PendingManual,
    Active,
    ActiveDecommissionScheduled,
    ActiveNoPortal,
    Suspended,
    Inactive,
    Archived,
    Discarded,
    Decommissioned,
    Disconnected,
}

const DEMO_CLIENTS: [(&str, ClientKind, Story); 38] = [
    ("Northwind Traders", ClientKind::Business, Story::Active),
    ("Acme Plumbing Ltd", ClientKind::Business, Story::Active),
    ("Blue Heron Bakery", ClientKind::Business, Story::Active),
    ("Ana Ruiz", ClientKind::Individual, Story::Active),
    ("Kestrel Logistics", ClientKind::Business, Story::Active),
    ("Oakridge Dental", ClientKind::Business, Story::Active),
    ("Tomás Novak", ClientKind::Individual, Story::Active),
    (
        "Harbour Lights Café",
        ClientKind::Business,
        Story::ActiveDecommissionScheduled,
    ),
    (
        "Meridian Architects",
        ClientKind::Business,
        Story::ActiveNoPortal,
    ),
    ("Lena Fischer", ClientKind::Individual, Story::Active),
    ("Copperleaf Studio", ClientKind::Business, Story::Prospect),
    ("Greenfield Farms", ClientKind::Business, Story::Prospect),
    ("Priya Natarajan", ClientKind::Individual, Story::Prospect),
    (
        "Summit Outdoor Gear",
        ClientKind::Business,
        Story::PendingScheduled,
    ),
    (
        "Brightside Tutoring",
        ClientKind::Business,
        Story::PendingManual,
    ),
    (
        "Jonas Berg",
        ClientKind::Individual,
        Story::PendingScheduled,
    ),
    ("Redwood Joinery", ClientKind::Business, Story::Suspended),
    (
        "Silver Birch Care Home",
        ClientKind::Business,
        Story::Suspended,
    ),
    ("Marek Kowalski", ClientKind::Individual, Story::Suspended),
    ("Lighthouse Books", ClientKind::Business, Story::Inactive),
    ("Fjord Fisheries", ClientKind::Business, Story::Inactive),
    ("Chloé Martin", ClientKind::Individual, Story::Inactive),
    ("Old Mill Brewery", ClientKind::Business, Story::Archived),
    ("Quarry Lane Garage", ClientKind::Business, Story::Archived),
    ("Sofia Rossi", ClientKind::Individual, Story::Archived),
    ("Pixel Forge Games", ClientKind::Business, Story::Discarded),
    (
        "Duplicate Northwind",
        ClientKind::Business,
        Story::Discarded,
    ),
    ("Ivy Lane Florist", ClientKind::Business, Story::Discarded),
    (
        "Stonegate Security",
        ClientKind::Business,
        Story::Decommissioned,
    ),
    ("Willow Yoga", ClientKind::Business, Story::Decommissioned),
    ("Ravi Patel", ClientKind::Individual, Story::Decommissioned),
    ("Cobalt Engineering", ClientKind::Business, Story::Active),
    ("Sunrise Pharmacy", ClientKind::Business, Story::Active),
    ("Elm Street Vets", ClientKind::Business, Story::Suspended),
    ("Grace Okafor", ClientKind::Individual, Story::Prospect),
    ("Tidewater Marine", ClientKind::Business, Story::Archived),
    (
        "Nomad Coffee Roasters",
        ClientKind::Business,
        Story::Disconnected,
    ),
    ("Hana Suzuki", ClientKind::Individual, Story::Disconnected),
];

/// Creates the demo firm, one user per role and clients in every status (with contacts,
/// stakeholders, workflows and subscriptions), when the database has no firm at all.
pub async fn seed_if_empty(svc: &Services) -> AppResult<bool> {
    if !firms::none_exist(svc).await? {
        return Ok(false);
    }
    let (_, admin_row) = firms::create(
        svc,
        Name::parse("name", "Demo Accounting LLP")?,
        Name::parse("name", DEMO_USERS[0].0)?,
        Email::parse("email", DEMO_USERS[0].1)?,
    )
    .await?;
    let admin = Actor::Staff(admin_row);
    let mut staff = Vec::new();
    for (name, email, role) in &DEMO_USERS[1..] {
        let u = users::create(
            svc,
            &admin,
            Name::parse("name", name)?,
            Email::parse("email", email)?,
            *role,
        )
        .await?;
        staff.push(u.id);
    }
    for (i, (name, kind, story)) in DEMO_CLIENTS.iter().enumerate() {
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let email = (i % 7 != 3).then(|| format!("{slug}@example.com"));
        let scheduled = matches!(story, Story::PendingScheduled);
        let client = clients::create(
            svc,
            &admin,
            NewClient {
                name: Name::parse("name", name)?,
                email: email
                    .as_deref()
                    .map(|e| Email::parse("email", e))
                    .transpose()?,
                kind: *kind,
                billing: if i % 5 == 4 && matches!(story, Story::Active) {
                    Billing::SelfPaying
                } else {
                    Billing::FirmPaid
                },
                activate_at: scheduled.then(|| svc.clock.now() + Span::days(7 + i as i64)),
                pending: matches!(story, Story::PendingManual),
            },
        )
        .await?;
        let steps: &[(A, Option<R>)] = match story {
            Story::Prospect | Story::PendingScheduled | Story::PendingManual => &[],
            Story::Active => &[(A::Activate, None)],
            Story::ActiveDecommissionScheduled => &[
                (A::Activate, None),
                (A::Decommission, Some(R::ClientRequest)),
            ],
            Story::ActiveNoPortal => &[
                (A::Activate, None),
                (A::RevokePortalAccess, Some(R::NonPayment)),
            ],
            Story::Suspended => &[(A::Activate, None), (A::Suspend, Some(R::NonPayment))],
            Story::Inactive => &[(A::Activate, None), (A::Deactivate, Some(R::Seasonal))],
            Story::Archived => &[(A::Activate, None), (A::Archive, Some(R::ServiceEnded))],
            Story::Discarded => &[(A::Activate, None), (A::Discard, Some(R::Duplicate))],
            Story::Decommissioned => &[
                (A::Activate, None),
                (A::Decommission, Some(R::MovedToAnotherFirm)),
            ],
            Story::Disconnected => &[
                (A::Activate, None),
                (A::Disconnect, Some(R::MovedToAnotherFirm)),
            ],
        };
        // One or two people on the client's side; the first one owns the account.
        let mut contact_ids = Vec::new();
        for (n, who) in ["Accounts", "Director"].iter().enumerate().take(1 + i % 2) {
            let c = contacts::add(
                svc,
                &admin,
                client.id,
                Name::parse("name", &format!("{who} at {name}"))?,
                Email::parse("email", &format!("{}.{slug}@people.example.com", n + 1))?,
            )
            .await?;
            contact_ids.push(c.id);
        }
        if i % 3 == 0 {
            stakeholders::assign(svc, &admin, client.id, staff[0]).await?;
        }
        if i % 4 == 1 {
            stakeholders::assign(svc, &admin, client.id, staff[1]).await?;
        }
        for (action, reason) in steps {
            let mut args = ActionArgs::default();
            if matches!(story, Story::ActiveDecommissionScheduled) && *action == A::Decommission {
                args.effective_at = Some(svc.clock.now() + Span::days(30));
            }
            if *action == A::Disconnect {
                args.account_owner_contact_id = contact_ids.first().copied();
            }
            let cmd = Command {
                reason: *reason,
                feedback: Feedback::parse(Some("Recorded by the demo data."))?,
                args,
                ..Default::default()
            };
            lifecycle::perform(svc, &admin, client.id, *action, cmd).await?;
            if *action == A::Activate && !matches!(story, Story::Discarded | Story::Inactive) {
                let kind = [WorkflowKind::Cdd, WorkflowKind::Plan, WorkflowKind::Project][i % 3];
                let title = ["Customer due diligence", "Annual plan", "Year-end accounts"][i % 3];
                let w = workflows::start(
                    svc,
                    &admin,
                    client.id,
                    Name::parse("name", title)?,
                    kind,
                    contact_ids.first().copied(),
                )
                .await?;
                if i % 5 == 0 {
                    workflows::finish(svc, &admin, w.id, WorkflowStatus::Completed).await?;
                }
            }
        }
    }
    // A webhook to show deliveries and their retries: `.invalid` never resolves, so
    // each delivery is retried with backoff and its error recorded.
    webhooks::create(
        svc,
        &admin,
        "https://hooks.clientele.invalid/demo",
        &[A::Deactivate, A::Disconnect, A::Delete],
    )
    .await?;
    tracing::info!("seeded the demo firm");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_lives_beside_the_sqlite_file() {
        assert_eq!(
            secret_path("sqlite://clientele.db?mode=rwc"),
            PathBuf::from("clientele.db.jwt-secret")
        );
        assert_eq!(
            secret_path("sqlite:///tmp/x/app.db"),
            PathBuf::from("/tmp/x/app.db.jwt-secret")
        );
        assert_eq!(
            secret_path("postgres://localhost/clientele"),
            PathBuf::from("clientele-dev.jwt-secret")
        );
    }
}
