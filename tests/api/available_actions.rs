use serde_json::{json, Value};

use crate::helpers::{actions, spawn_app, Persona, TestApp, STATUSES};

/// Valid arguments for each action, so that only the rules decide.
fn args_for(app_name: &str, mutation: &str) -> Value {
    let future = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    match mutation {
        "scheduleActivation" => json!({"at": future}),
        "deleteClient" => json!({"confirmName": app_name}),
        _ => json!({}),
    }
}

async fn fresh(app: &TestApp, status: &str) -> (String, String) {
    let id = app.client_in(status).await;
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { name } }",
            json!({"id": id}),
        )
        .await;
    let name = r.data()["client"]["name"].as_str().unwrap().to_string();
    (id, name)
}

/// For every status, role and action: what `availableActions` says is what the mutation
/// does (allowed, or refused with the same code).
#[tokio::test]
async fn available_actions_agree_with_the_mutations_for_every_status_and_role() {
    let app = spawn_app().await;
    let roles: [(&str, &Persona); 4] = [
        ("ADMIN", &app.admin),
        ("MANAGER", &app.manager),
        ("MEMBER", &app.member),
        ("VIEWER", &app.viewer),
    ];
    let mut checked = 0;
    for status in STATUSES {
        for (role_name, who) in roles {
            let (mut id, mut name) = fresh(&app, status).await;
            let q = "query($id: ID!) { client(id: $id) { availableActions { action allowed code reason } } }";
            let r = app.gql(who, q, json!({"id": id})).await;
            let listed: Vec<Value> = r.data()["client"]["availableActions"]
                .as_array()
                .unwrap()
                .clone();
            assert_eq!(listed.len(), actions().len());
            for (action, mutation) in actions() {
                let entry = listed
                    .iter()
                    .find(|a| a["action"] == action)
                    .unwrap_or_else(|| panic!("{action} missing"));
                let case = format!("{status} {role_name} {action}");
                let r = app.act(who, mutation, &id, args_for(&name, mutation)).await;
                if entry["allowed"] == true {
                    assert!(entry["code"].is_null(), "{case}");
                    assert!(
                        r.error_code().is_none(),
                        "{case}: listed allowed, mutation said {}",
                        r.body
                    );
                    // The client changed: start the next action from a fresh one.
                    (id, name) = fresh(&app, status).await;
                } else {
                    assert!(entry["reason"].is_string(), "{case}: no reason");
                    assert_eq!(
                        r.error_code().as_deref(),
                        entry["code"].as_str(),
                        "{case}: listed {entry}, mutation said {}",
                        r.body
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, STATUSES.len() * 4 * actions().len());
}

#[tokio::test]
async fn cancel_decommission_is_offered_only_while_one_is_scheduled() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let q = "query($id: ID!) { client(id: $id) { availableActions { action allowed code } } }";
    let allowed = |r: &crate::helpers::Gql| {
        r.data()["client"]["availableActions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == "CANCEL_DECOMMISSION")
            .unwrap()["allowed"]
            .as_bool()
            .unwrap()
    };
    assert!(!allowed(&app.gql(&app.admin, q, json!({"id": id})).await));
    let later = (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339();
    app.act(
        &app.admin,
        "decommissionClient",
        &id,
        json!({"effectiveAt": later}),
    )
    .await
    .data();
    assert!(allowed(&app.gql(&app.admin, q, json!({"id": id})).await));
    assert!(!allowed(&app.gql(&app.manager, q, json!({"id": id})).await));
}

/// A page resolves each distinct list once and shares it: the shared values must still be
/// each client's own, and two selections of the field (aliases with different subfields)
/// must each get their own shape.
#[tokio::test]
async fn a_page_of_clients_gets_each_clients_own_actions_for_each_selection() {
    let app = spawn_app().await;
    let mut expected = Vec::new();
    for (i, status) in [
        "ACTIVE",
        "SUSPENDED",
        "ACTIVE",
        "PROSPECT",
        "SUSPENDED",
        "ACTIVE",
    ]
    .into_iter()
    .enumerate()
    {
        let id = app.client_in(status).await;
        // ACTIVE contacts (disconnecting becomes possible) and two ACTIVE workflows
        // (discarding is refused with their number): the rules' facts, read for the whole
        // page at once.
        if i >= 4 {
            let contact = app.add_contact(&id, "Pat Person").await;
            app.add_contact(&id, "Sam Person").await;
            // Work starts only for an ACTIVE client.
            let names: &[&str] = if status == "ACTIVE" {
                &["Year end", "Payroll"]
            } else {
                &[]
            };
            for name in names {
                app.gql(
                    &app.member,
                    "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
                    json!({"i": {"clientId": id, "name": name, "kind": "PROJECT", "assigneeContactId": contact}}),
                )
                .await
                .data();
            }
        }
        let one = app
            .gql(
                &app.admin,
                "query($id: ID!) { client(id: $id) { availableActions { action allowed code reason } } }",
                json!({"id": id}),
            )
            .await;
        expected.push((id, one.data()["client"]["availableActions"].clone()));
    }
    let page = app
        .gql(
            &app.admin,
            "{ clients(first: 50) { nodes { id
                full: availableActions { action allowed code reason }
                short: availableActions { action allowed }
                ...more } } }
             fragment more on Client { availableActions { allowed action } }",
            json!({}),
        )
        .await;
    let nodes = page.data()["clients"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), expected.len());
    for (id, full) in &expected {
        let node = nodes.iter().find(|n| &n["id"] == id).unwrap();
        assert_eq!(&node["full"], full, "client {id}");
        let short: Vec<Value> = full
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"action": a["action"], "allowed": a["allowed"]}))
            .collect();
        assert_eq!(node["short"], json!(short), "client {id}");
        let reordered: Vec<Value> = full
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"allowed": a["allowed"], "action": a["action"]}))
            .collect();
        assert_eq!(node["availableActions"], json!(reordered), "client {id}");
    }
    let allowed = |status_index: usize, action: &str| {
        expected[status_index]
            .1
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == action && a["allowed"] == true)
    };
    assert!(allowed(0, "SUSPEND") && !allowed(0, "UNSUSPEND"));
    assert!(allowed(1, "UNSUSPEND") && !allowed(1, "SUSPEND"));
    assert!(allowed(3, "ACTIVATE"));
    assert!(allowed(5, "DISCONNECT") && !allowed(2, "DISCONNECT"));
    let discard = |i: usize| {
        expected[i]
            .1
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == "DISCARD")
            .unwrap()
            .clone()
    };
    assert_eq!(discard(5)["code"], "ACTIVE_WORKFLOWS");
    assert!(discard(5)["reason"].as_str().unwrap().contains("2 active"));
    assert_eq!(discard(2)["allowed"], true);
}
