//! A page's `latestEvent` comes from the copy of each client's latest event kept on its
//! row by the database (migration `m20261130_000005`); these tests hold it to the first
//! entry of the client's history, whoever wrote the events.

use chrono::{Duration, Utc};
use entity::{
    client, contact, firm, lifecycle_event, workflow, Billing, ClientKind, ClientStatus,
    ContactStatus, LifecycleAction, WorkflowKind, WorkflowStatus,
};
use migration::MigratorTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, IntoActiveModel};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{spawn_app, TestApp, TestDb, STATUSES};

const EVENT: &str = "id action fromStatus toStatus reason feedback details at actor { id name }";

/// Every client's `latestEvent` on one page (read with the page), by client id.
async fn page_latest(app: &TestApp) -> Vec<(String, Value)> {
    let q = format!("{{ clients(first: 100) {{ nodes {{ id latestEvent {{ {EVENT} }} }} }} }}");
    let r = app.gql(&app.admin, &q, json!({})).await;
    r.data()["clients"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["latestEvent"].clone(),
            )
        })
        .collect()
}

/// The first entry of a client's history, read on its own.
async fn newest_in_history(app: &TestApp, id: &str) -> Value {
    let q = format!(
        "query($id: ID!) {{ client(id: $id) {{ history(first: 1) {{ nodes {{ {EVENT} }} }} }} }}"
    );
    let r = app.gql(&app.admin, &q, json!({"id": id})).await;
    r.data()["client"]["history"]["nodes"][0].clone()
}

async fn assert_pages_match_history(app: &TestApp, expected_clients: usize) {
    let page = page_latest(app).await;
    assert_eq!(page.len(), expected_clients);
    for (id, latest) in page {
        assert!(latest.is_object(), "client {id} shows no latest event");
        assert_eq!(latest, newest_in_history(app, &id).await, "client {id}");
    }
}

#[tokio::test]
async fn a_page_shows_each_clients_newest_history_entry_after_every_kind_of_change() {
    let app = spawn_app().await;
    for status in STATUSES {
        app.client_in(status).await;
    }
    // Details edited after an action.
    let edited = app.client_in("ACTIVE").await;
    app.gql(
        &app.admin,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": edited, "name": "Edited Ltd"}}),
    )
    .await
    .data();
    // A reason and feedback, by another role.
    let suspended = app.client_in("ACTIVE").await;
    app.act(
        &app.manager,
        "suspendClient",
        &suspended,
        json!({"reason": "NON_PAYMENT", "feedback": "two invoices open"}),
    )
    .await
    .data();
    // Details: a decommission scheduled, then cancelled.
    let scheduled = app.client_in("ACTIVE").await;
    let later = (Utc::now() + Duration::days(10)).to_rfc3339();
    app.act(
        &app.admin,
        "decommissionClient",
        &scheduled,
        json!({"effectiveAt": later}),
    )
    .await
    .data();
    let cancelled = app.client_in("ACTIVE").await;
    app.act(
        &app.admin,
        "decommissionClient",
        &cancelled,
        json!({"effectiveAt": later}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "cancelScheduledDecommission",
        &cancelled,
        json!({}),
    )
    .await
    .data();
    // Deleted for good: off the page, its events outliving it.
    let gone = app.client_in("INACTIVE").await;
    let name = app.name_of(&gone).await;
    app.act(
        &app.admin,
        "deleteClient",
        &gone,
        json!({"confirmName": name}),
    )
    .await
    .data();
    assert_pages_match_history(&app, 13).await;

    let details = page_latest(&app).await;
    let of = |id: &str| details.iter().find(|(c, _)| c == id).unwrap().1.clone();
    assert_eq!(of(&edited)["action"], "UPDATE");
    assert_eq!(of(&suspended)["feedback"], "two invoices open");
    assert_eq!(of(&suspended)["reason"], "NON_PAYMENT");
    assert!(of(&scheduled)["details"]["effectiveAt"].is_string());
    assert_eq!(of(&cancelled)["action"], "CANCEL_DECOMMISSION");
}

/// Events written by anything but the server's mutations (here through the entities,
/// straight to the database) move the copy the same way: an older event leaves it, a
/// newer one replaces it, and an update of the copied event is copied.
#[tokio::test]
async fn events_written_outside_the_mutations_keep_the_copy_in_step() {
    let app = spawn_app().await;
    let id = app.client_in("SUSPENDED").await;
    app.client_in("ACTIVE").await;
    assert_pages_match_history(&app, 2).await;
    let client_id = Uuid::parse_str(&id).unwrap();
    let firm_id = firm_of(&app.services.db, client_id).await;
    let draft = |action, at| lifecycle_event::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        action,
        from_status: Some(ClientStatus::Active),
        to_status: Some(ClientStatus::Suspended),
        actor_id: None,
        reason: None,
        feedback: Some("written by hand".into()),
        details: None,
        at,
    };
    let before = page_latest(&app).await;

    let older = draft(LifecycleAction::Suspend, Utc::now() - Duration::days(400));
    older
        .into_active_model()
        .insert(&app.services.db)
        .await
        .unwrap();
    assert_eq!(
        page_latest(&app).await,
        before,
        "an older event replaced it"
    );
    assert_pages_match_history(&app, 2).await;

    let newer = draft(LifecycleAction::Update, Utc::now() + Duration::days(1));
    let newer = newer
        .into_active_model()
        .insert(&app.services.db)
        .await
        .unwrap();
    let latest = newest_in_history(&app, &id).await;
    assert_eq!(latest["id"], newer.id.to_string());
    assert_eq!(latest["actor"], Value::Null);
    assert_pages_match_history(&app, 2).await;

    let mut erased = newer.into_active_model();
    erased.feedback = sea_orm::ActiveValue::Set(None);
    erased.update(&app.services.db).await.unwrap();
    assert_eq!(newest_in_history(&app, &id).await["feedback"], Value::Null);
    assert_pages_match_history(&app, 2).await;
}

async fn firm_of(db: &DatabaseConnection, client_id: Uuid) -> Uuid {
    use sea_orm::EntityTrait;
    client::Entity::find_by_id(client_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .firm_id
}

/// The copied event's id and feedback, and the counts of ACTIVE contacts and workflows,
/// read from the client's row.
async fn copied(
    db: &DatabaseConnection,
    client_id: Uuid,
) -> ((Option<Uuid>, Option<String>), (i32, i32)) {
    let mut q = Query::select();
    q.columns(
        [
            "latest_event_id",
            "latest_event_feedback",
            "active_contacts",
            "active_workflows",
        ]
        .map(Alias::new),
    )
    .from(client::Entity)
    .and_where(Expr::col(client::Column::Id).eq(client_id));
    let row = db.query_one(&q).await.unwrap().expect("the client's row");
    (
        (
            row.try_get("", "latest_event_id").unwrap(),
            row.try_get("", "latest_event_feedback").unwrap(),
        ),
        (
            row.try_get("", "active_contacts").unwrap(),
            row.try_get("", "active_workflows").unwrap(),
        ),
    )
}

fn contact(firm_id: Uuid, client_id: Uuid, status: ContactStatus) -> contact::Model {
    contact::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        name: "Pat Person".into(),
        email: format!("{}@contact.test", Uuid::new_v4().simple()),
        status,
        portal_access: false,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn workflow(firm_id: Uuid, client_id: Uuid, status: WorkflowStatus) -> workflow::Model {
    workflow::Model {
        id: Uuid::now_v7(),
        firm_id,
        client_id,
        name: "Year end".into(),
        kind: WorkflowKind::Project,
        status,
        assignee_contact_id: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// Migrating a database that already holds events copies each client's newest one (by
/// time, not by the order they were written) and counts its ACTIVE contacts and
/// workflows; undoing the migrations removes the columns and their triggers.
#[tokio::test]
async fn the_migrations_copy_latest_events_and_count_rows_already_written() {
    let (_db, url) = TestDb::create().await;
    let db = Database::connect(url.as_str()).await.unwrap();
    migration::Migrator::up(&db, Some(4)).await.unwrap();
    let now = Utc::now();
    let firm = firm::Model {
        id: Uuid::now_v7(),
        name: "Old Firm".into(),
        created_at: now,
    };
    firm.clone().into_active_model().insert(&db).await.unwrap();
    let client_of = |name: &str| client::Model {
        id: Uuid::now_v7(),
        firm_id: firm.id,
        name: name.into(),
        email: None,
        kind: ClientKind::Business,
        billing: Billing::FirmPaid,
        status: ClientStatus::Active,
        portal_access: true,
        activation_scheduled_at: None,
        decommission_scheduled_at: None,
        status_before_archive: None,
        account_owner_contact_id: None,
        version: 2,
        created_at: now - Duration::days(30),
        updated_at: now,
        status_changed_at: now,
    };
    let (with_events, without) = (client_of("With Events"), client_of("Without"));
    for c in [&with_events, &without] {
        c.clone().into_active_model().insert(&db).await.unwrap();
    }
    let event = |action, days_ago, feedback: &str| lifecycle_event::Model {
        id: Uuid::now_v7(),
        firm_id: firm.id,
        client_id: with_events.id,
        action,
        from_status: None,
        to_status: Some(ClientStatus::Active),
        actor_id: None,
        reason: None,
        feedback: Some(feedback.into()),
        details: None,
        at: now - Duration::days(days_ago),
    };
    // The newest written first.
    let newest = event(LifecycleAction::Activate, 1, "newest");
    for e in [newest.clone(), event(LifecycleAction::Create, 30, "oldest")] {
        e.into_active_model().insert(&db).await.unwrap();
    }
    let (f, c) = (firm.id, with_events.id);
    for status in [ContactStatus::Active, ContactStatus::Inactive] {
        contact(f, c, status)
            .into_active_model()
            .insert(&db)
            .await
            .unwrap();
    }
    for status in [WorkflowStatus::Active, WorkflowStatus::Completed] {
        workflow(f, c, status)
            .into_active_model()
            .insert(&db)
            .await
            .unwrap();
    }

    migration::Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        copied(&db, with_events.id).await,
        ((Some(newest.id), Some("newest".into())), (1, 1))
    );
    assert_eq!(copied(&db, without.id).await, ((None, None), (0, 0)));

    // Undone and done again: the columns and triggers go and come back (and SQLite's
    // count of changes to `users`, the migration after them).
    migration::Migrator::down(&db, Some(3)).await.unwrap();
    let changes = "SELECT changes FROM user_changes WHERE id = 1";
    assert!(db.execute_unprepared(changes).await.is_err());
    for col in ["latest_event_id", "active_contacts"] {
        // Qualified: SQLite reads an unknown double-quoted name alone as a string.
        let mut q = Query::select();
        q.column((client::Entity, Alias::new(col)))
            .from(client::Entity);
        assert!(db.query_one(&q).await.is_err(), "{col} is still there");
    }
    event(LifecycleAction::Suspend, 0, "after")
        .into_active_model()
        .insert(&db)
        .await
        .unwrap();
    contact(f, c, ContactStatus::Active)
        .into_active_model()
        .insert(&db)
        .await
        .unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    let ((id, feedback), counts) = copied(&db, with_events.id).await;
    assert!(id.is_some());
    assert_eq!(feedback.as_deref(), Some("after"));
    assert_eq!(counts, (2, 1));
    assert_eq!(
        db.execute_unprepared(changes).await.is_ok(),
        !clientele::db::is_postgres(&db)
    );
    // And the triggers count from then on.
    workflow(f, c, WorkflowStatus::Active)
        .into_active_model()
        .insert(&db)
        .await
        .unwrap();
    assert_eq!(copied(&db, with_events.id).await.1, (2, 2));
    db.close().await.ok();
}
