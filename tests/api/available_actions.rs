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

/// A single client's `availableActions` (its facts read from the rows themselves), as
/// the ADMIN sees them.
async fn actions_of(app: &TestApp, id: &str) -> Value {
    let one = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { availableActions { action allowed code reason } } }",
            json!({"id": id}),
        )
        .await;
    one.data()["client"]["availableActions"].clone()
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
        let one = actions_of(&app, &id).await;
        expected.push((id, one));
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

/// A page's verdicts read only how many ACTIVE contacts and workflows each client has,
/// counted on its row by the database; they must follow every change of those rows as
/// the single client's verdicts (read from the rows themselves) do.
#[tokio::test]
async fn a_pages_verdicts_follow_contacts_and_workflows_as_they_change() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let other = app.client_in("ACTIVE").await;
    app.add_contact(&other, "Someone Else").await;
    let verdicts = |a: &Value| -> Vec<Value> {
        a.as_array()
            .unwrap()
            .iter()
            .filter(|v| v["action"] == "DISCONNECT" || v["action"] == "DISCARD")
            .cloned()
            .collect()
    };
    // Both readings, and the page's DISCONNECT allowed and DISCARD's refusal.
    let check = |expect_owner: bool, expect_workflows: usize| {
        let app = &app;
        let id = id.clone();
        async move {
            let one = actions_of(app, &id).await;
            let page = app
                .gql(
                    &app.admin,
                    "{ clients(first: 50) { nodes { id availableActions { action allowed code reason } } } }",
                    json!({}),
                )
                .await;
            let node = page.data()["clients"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == id.as_str())
                .unwrap()
                .clone();
            let on_page = verdicts(&node["availableActions"]);
            assert_eq!(on_page, verdicts(&one));
            assert_eq!(on_page[1]["action"], "DISCONNECT");
            assert_eq!(on_page[1]["allowed"], expect_owner, "{on_page:?}");
            assert_eq!(on_page[0]["action"], "DISCARD");
            if expect_workflows == 0 {
                assert_eq!(on_page[0]["allowed"], true, "{on_page:?}");
            } else {
                assert_eq!(on_page[0]["code"], "ACTIVE_WORKFLOWS");
                let reason = on_page[0]["reason"].as_str().unwrap();
                assert!(
                    reason.contains(&format!("has {expect_workflows} active")),
                    "{reason}"
                );
            }
        }
    };
    let contact_op = |op: &'static str, contact: String| {
        let app = &app;
        async move {
            let selection = if op == "deleteContact" {
                "deletedContactId"
            } else {
                "contact { id }"
            };
            app.gql(
                &app.member,
                &format!("mutation($i: ContactIdInput!) {{ {op}(input: $i) {{ {selection} }} }}"),
                json!({"i": {"contactId": contact}}),
            )
            .await
            .data();
        }
    };
    let workflow_op = |op: &'static str, workflow: String| {
        let app = &app;
        async move {
            app.gql(
                &app.member,
                &format!(
                    "mutation($i: WorkflowIdInput!) {{ {op}(input: $i) {{ workflow {{ id }} }} }}"
                ),
                json!({"i": {"workflowId": workflow}}),
            )
            .await
            .data();
        }
    };
    let start = |name: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            let r = app.start_workflow(&id, name).await;
            r.data()["startWorkflow"]["workflow"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };

    check(false, 0).await;
    let a = app.add_contact(&id, "Ann Contact").await;
    check(true, 0).await;
    contact_op("deactivateContact", a.clone()).await;
    check(false, 0).await;
    contact_op("reactivateContact", a.clone()).await;
    check(true, 0).await;
    let b = app.add_contact(&id, "Bob Contact").await;
    contact_op("deactivateContact", a.clone()).await;
    check(true, 0).await;
    contact_op("deleteContact", a).await;
    check(true, 0).await;
    contact_op("deactivateContact", b).await;
    check(false, 0).await;

    let w1 = start("Year end").await;
    check(false, 1).await;
    let w2 = start("Payroll").await;
    check(false, 2).await;
    workflow_op("completeWorkflow", w1).await;
    check(false, 1).await;
    workflow_op("cancelWorkflow", w2).await;
    check(false, 0).await;
}

/// Workflows and contacts added to one client at the same moment are each counted once,
/// and none of the changes fails (on PostgreSQL each waits for the client's row in turn).
#[tokio::test]
async fn rows_added_to_one_client_at_once_are_all_counted() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let started = futures_util::future::join_all(
        ["W0", "W1", "W2", "W3", "W4", "W5"].map(|name| app.start_workflow(&id, name)),
    )
    .await;
    let added = futures_util::future::join_all(
        ["P0", "P1", "P2", "P3", "P4", "P5"].map(|name| app.add_contact(&id, name)),
    )
    .await;
    for r in &started {
        assert!(r.error_code().is_none(), "{}", r.body);
    }
    assert_eq!(added.len(), 6);
    let page = app
        .gql(
            &app.admin,
            "{ clients(first: 50) { nodes { availableActions { action allowed code reason } } } }",
            json!({}),
        )
        .await;
    let actions = page.data()["clients"]["nodes"][0]["availableActions"].clone();
    let of = |name: &str| {
        actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == name)
            .unwrap()
            .clone()
    };
    assert!(of("DISCARD")["reason"]
        .as_str()
        .unwrap()
        .contains("has 6 active"));
    assert_eq!(of("DISCONNECT")["allowed"], true);
}
