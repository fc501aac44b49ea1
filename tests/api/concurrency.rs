use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn of_many_parallel_conflicting_actions_exactly_one_applies() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    // Suspending first makes the archive's version stale; archiving first leaves nothing
    // to suspend: whichever commits first, every other attempt must be refused.
    let attempts = (0..24).map(|i| {
        if i % 2 == 0 {
            app.act(&app.manager, "suspendClient", &id, json!({}))
        } else {
            app.act(
                &app.manager,
                "archiveClient",
                &id,
                json!({"expectedVersion": 2}),
            )
        }
    });
    let results = join_all(attempts).await;
    let ok = results.iter().filter(|r| r.error_code().is_none()).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in results.iter().filter(|r| r.error_code().is_some()) {
        let code = r.error_code().unwrap();
        assert!(
            code == "INVALID_TRANSITION" || code == "VERSION_CONFLICT",
            "{}",
            r.body
        );
    }
    let h = app.history(&id).await;
    let changes = h
        .iter()
        .filter(|e| e["action"] == "SUSPEND" || e["action"] == "ARCHIVE")
        .count();
    assert_eq!(changes, 1);
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { version } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.data()["client"]["version"], 3);
}

#[tokio::test]
async fn parallel_actions_on_different_clients_all_apply() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(app.client_in("ACTIVE").await);
    }
    let results = join_all(
        ids.iter()
            .map(|id| app.act(&app.manager, "suspendClient", id, json!({}))),
    )
    .await;
    assert!(results.iter().all(|r| r.error_code().is_none()));
    let r = app
        .gql(
            &app.admin,
            "{ clients(filter: {status: [SUSPENDED]}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data()["clients"]["totalCount"], 12);
}

#[tokio::test]
async fn of_parallel_creates_with_one_email_exactly_one_wins() {
    let app = spawn_app().await;
    let creates = (0..12).map(|i| {
        app.gql(
            &app.member,
            "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }",
            json!({"i": {"name": format!("Racer {i}"), "email": "race@x.test"}}),
        )
    });
    let results = join_all(creates).await;
    let ok = results.iter().filter(|r| r.error_code().is_none()).count();
    assert_eq!(ok, 1);
    for r in results.iter().filter(|r| r.error_code().is_some()) {
        assert_eq!(
            r.error_code().as_deref(),
            Some("EMAIL_IN_USE"),
            "{}",
            r.body
        );
    }
}

/// A lifecycle change decides on what it reads of the client's workflows and contacts;
/// a change of those racing it must not slip past (PostgreSQL runs both at once, so the
/// client's row is locked by the one and checked under a shared lock by the other).
/// A workflow started while its client is archived is archived with it or refused; a
/// contact added while its client is deleted goes with it and frees its address.
#[tokio::test]
async fn workflows_and_contacts_never_slip_past_a_racing_lifecycle_change() {
    let app = spawn_app().await;
    let mut active = Vec::new();
    for _ in 0..30 {
        active.push(app.client_in("ACTIVE").await);
    }
    let races = active.iter().map(|id| {
        let start = app.gql(
            &app.member,
            "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
            json!({"i": {"clientId": id, "name": "Year end", "kind": "PLAN"}}),
        );
        let archive = app.act(&app.manager, "archiveClient", id, json!({}));
        futures_util::future::join(start, archive)
    });
    for (_, archived) in join_all(races).await {
        archived.data();
    }
    for id in &active {
        let r = app
            .gql(
                &app.admin,
                "query($id: ID!) { client(id: $id) { status workflows { status } } }",
                json!({"id": id}),
            )
            .await;
        let client = &r.data()["client"];
        assert_eq!(client["status"], "ARCHIVED");
        assert!(
            client["workflows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|w| w["status"] != "ACTIVE"),
            "an ACTIVE workflow on an ARCHIVED client: {client}"
        );
    }

    let mut inactive = Vec::new();
    for _ in 0..20 {
        let id = app.client_in("INACTIVE").await;
        let name = app.name_of(&id).await;
        inactive.push((id, name));
    }
    let races = inactive.iter().enumerate().map(|(n, (id, name))| {
        let add = app.gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": id, "name": "Late Contact", "email": format!("late{n}@race.test")}}),
        );
        let delete = app.act(&app.admin, "deleteClient", id, json!({"confirmName": name}));
        futures_util::future::join(add, delete)
    });
    for (_, deleted) in join_all(races).await {
        deleted.data();
    }
    for n in 0..inactive.len() {
        let email = format!("late{n}@race.test");
        let r = app
            .gql(
                &app.admin,
                "query($e: String!) { emailHolder(email: $e) { kind id } }",
                json!({"e": email}),
            )
            .await;
        assert!(
            r.data()["emailHolder"].is_null(),
            "{email} is still held after its client was deleted: {}",
            r.body
        );
    }
}
