//! Tenancy: an ADMIN of one firm reaches nothing of another firm's through any root
//! field, with the other firm's ids and cursors.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{actions, input_type_of, spawn_app, Gql, TestApp};

/// Everything firm A has, as its own admin sees it.
async fn snapshot(app: &TestApp) -> Value {
    let q = "{
      clients(first: 100) { nodes { id name email status version portalAccess
        contacts { id name email status }
        workflows { id status }
        stakeholders { status user { id } } } }
      users { id role active }
      auditLog(first: 100) { totalCount }
    }";
    app.gql(&app.admin, q, json!({})).await.data().clone()
}

fn mutation(name: &str) -> String {
    let input = match name {
        "deactivateContact" | "reactivateContact" | "deleteContact" => "ContactIdInput".into(),
        "assignStakeholder" | "archiveStakeholder" => "StakeholderInput".into(),
        "completeWorkflow" | "cancelWorkflow" => "WorkflowIdInput".into(),
        other => input_type_of(other),
    };
    format!("mutation($i: {input}!) {{ {name}(input: $i) {{ __typename }} }}")
}

#[tokio::test]
async fn an_admin_reaches_nothing_of_another_firm_through_any_root_field() {
    let app = spawn_app().await;
    // Firm A: a client with an address, a contact, a workflow and a stakeholder.
    let a_client = app.client_in("ACTIVE").await;
    let a_email = "only.in.firm.a@client.test";
    let a_name = "Firm A Client Name";
    app.gql(
        &app.admin,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": a_client, "name": a_name, "email": a_email}}),
    )
    .await
    .data();
    let a_contact = app.add_contact(&a_client, "Firm A Contact").await;
    let r = app
        .gql(
            &app.admin,
            "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
            json!({"i": {"clientId": a_client, "name": "A work", "kind": "PROJECT"}}),
        )
        .await;
    let a_workflow = r.data()["startWorkflow"]["workflow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql(
        &app.admin,
        "mutation($i: StakeholderInput!) { assignStakeholder(input: $i) { stakeholder { id } } }",
        json!({"i": {"clientId": a_client, "userId": app.member.id.to_string()}}),
    )
    .await
    .data();
    let a_user = app.member.id.to_string();
    let page = app
        .gql(
            &app.admin,
            "{ clients(first: 1) { edges { cursor } }
               auditLog(first: 1) { edges { cursor } } }",
            json!({}),
        )
        .await;
    let a_client_cursor = page.data()["clients"]["edges"][0]["cursor"].clone();
    let a_audit_cursor = page.data()["auditLog"]["edges"][0]["cursor"].clone();
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { history(first: 1) { edges { cursor } } } }",
            json!({"id": a_client}),
        )
        .await;
    let a_history_cursor = r.data()["client"]["history"]["edges"][0]["cursor"].clone();
    // A scheduled decommission, for the list of scheduled actions.
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    app.gql(
        &app.admin,
        &mutation("decommissionClient"),
        json!({"i": {"clientId": a_client, "effectiveAt": later}}),
    )
    .await
    .data();
    let r = app
        .gql(
            &app.admin,
            "{ scheduledActions(first: 1) { edges { cursor } } }",
            json!({}),
        )
        .await;
    let a_schedule_cursor = r.data()["scheduledActions"]["edges"][0]["cursor"].clone();
    let r = app
        .gql(
            &app.admin,
            "mutation { createWebhook(input: {url: \"https://hooks.example.com/a\", events: [SUSPEND]}) { webhook { id } } }",
            json!({}),
        )
        .await;
    let a_webhook = r.data()["createWebhook"]["webhook"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(a_schedule_cursor.is_string());
    let before = snapshot(&app).await;

    // Firm B: its admin, and one client of its own.
    let b = app.other_firm_admin().await;
    let r = app
        .gql(
            &b,
            "mutation { createClient(input: {name: \"B client\"}) { client { id } } }",
            json!({}),
        )
        .await;
    let b_client = r.data()["createClient"]["client"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql(
        &b,
        &mutation("activateClient"),
        json!({"i": {"clientId": b_client}}),
    )
    .await
    .data();

    let foreign = [
        a_client.as_str(),
        a_contact.as_str(),
        a_workflow.as_str(),
        a_user.as_str(),
        a_webhook.as_str(),
        a_name,
        a_email,
    ];
    let mut covered = BTreeSet::new();
    let mut check = |field: &str, r: Gql, allowed_codes: &[&str], echoes: &[&str]| {
        covered.insert(field.to_string());
        let text = r.body.to_string();
        for secret in foreign {
            if !echoes.contains(&secret) {
                assert!(!text.contains(secret), "{field} leaked {secret}: {text}");
            }
        }
        if let Some(code) = r.error_code() {
            assert!(allowed_codes.contains(&code.as_str()), "{field}: {text}");
        } else {
            assert!(allowed_codes.contains(&"OK"), "{field} succeeded: {text}");
        }
    };
    const NOT_FOUND: &[&str] = &["NOT_FOUND"];

    // Queries.
    let r = app
        .gql(
            &b,
            "query($id: ID!) { client(id: $id) { id name } }",
            json!({"id": a_client}),
        )
        .await;
    assert!(r.body["data"]["client"].is_null(), "{}", r.body);
    check("client", r, &["OK", "NOT_FOUND"], &[]);
    for (arg, cursor) in [("after", &a_client_cursor), ("before", &a_client_cursor)] {
        let q = format!(
            "query($c: String) {{ clients(first: 50, {arg}: $c) {{ nodes {{ id name }} totalCount }} }}"
        );
        let r = app.gql(&b, &q, json!({"c": cursor})).await;
        check("clients", r, &["OK", "BAD_USER_INPUT"], &[]);
    }
    let r = app
        .gql(&b, "{ clientStatusCounts { status count } }", json!({}))
        .await;
    let total: u64 = r.data()["clientStatusCounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 1, "only firm B's client is counted");
    check("clientStatusCounts", r, &["OK"], &[]);
    let r = app.gql(&b, "{ me { id firm { id } } }", json!({})).await;
    assert_eq!(r.data()["me"]["id"], b.id.to_string());
    check("me", r, &["OK"], &[]);
    let r = app.gql(&b, "{ users { id name email } }", json!({})).await;
    assert_eq!(r.data()["users"].as_array().unwrap().len(), 1);
    check("users", r, &["OK"], &[]);
    let r = app
        .gql(
            &b,
            "query($c: String) { auditLog(first: 50, after: $c) { nodes { id clientId } } }",
            json!({"c": a_audit_cursor}),
        )
        .await;
    check("auditLog", r, &["OK", "BAD_USER_INPUT"], &[]);
    // A cursor of firm A's client history, on firm B's own client.
    let r = app
        .gql(
            &b,
            "query($id: ID!, $c: String) { client(id: $id) {
                history(first: 20, after: $c) { nodes { id clientId } } } }",
            json!({"id": b_client, "c": a_history_cursor}),
        )
        .await;
    let text = r.body.to_string();
    assert!(!text.contains(&a_client), "{text}");

    // The answers of section 7.
    let preview = "query($i: PreviewActionInput!) { previewAction(input: $i) {
        allowed code client { id } notifications { recipient } emailAddressesFreed } }";
    let r = app
        .gql(
            &b,
            preview,
            json!({"i": {"clientId": a_client, "action": "DELETE", "confirmName": a_name}}),
        )
        .await;
    check("previewAction", r, NOT_FOUND, &[]);
    let r = app
        .gql(
            &b,
            preview,
            json!({"i": {"clientId": b_client, "action": "DISCONNECT",
                         "accountOwnerContactId": a_contact}}),
        )
        .await;
    assert_eq!(r.data()["previewAction"]["allowed"], false, "{}", r.body);
    check("previewAction", r, &["OK"], &[]);
    for dry_run in [true, false] {
        let r = app
            .gql(
                &b,
                "mutation($i: BulkLifecycleActionInput!) { bulkLifecycleAction(input: $i) {
                    results { clientId ok code client { id name } preview { allowed } } } }",
                json!({"i": {"action": "SUSPEND", "clientIds": [a_client], "dryRun": dry_run}}),
            )
            .await;
        let result = r.data()["bulkLifecycleAction"]["results"][0].clone();
        assert_eq!(result["code"], "NOT_FOUND", "{result}");
        // The id given is echoed back, and nothing else.
        check("bulkLifecycleAction", r, &["OK"], &[a_client.as_str()]);
    }
    let r = app
        .gql(
            &b,
            "query($e: String!) { emailHolder(email: $e) { id name } }",
            json!({"e": a_email}),
        )
        .await;
    assert!(r.data()["emailHolder"].is_null(), "{}", r.body);
    check("emailHolder", r, &["OK"], &[]);
    for after in [Value::Null, a_schedule_cursor.clone()] {
        let r = app
            .gql(
                &b,
                "query($c: String) { scheduledActions(first: 50, after: $c) {
                    nodes { at client { id name } } } }",
                json!({"c": after}),
            )
            .await;
        if r.error_code().is_none() {
            assert_eq!(
                r.data()["scheduledActions"]["nodes"],
                json!([]),
                "{}",
                r.body
            );
        }
        check("scheduledActions", r, &["OK", "BAD_USER_INPUT"], &[]);
    }
    let r = app
        .gql(&b, "{ lifecycleStats { action reason count } }", json!({}))
        .await;
    let counted: u64 = r.data()["lifecycleStats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 2, "firm B's own CREATE and ACTIVATE: {}", r.body);
    check("lifecycleStats", r, &["OK"], &[]);

    let r = app
        .gql(
            &b,
            "{ webhooks { id url deliveries { id eventId } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data()["webhooks"], json!([]));
    check("webhooks", r, &["OK"], &[]);
    let r = app
        .gql(
            &b,
            "mutation($i: DeleteWebhookInput!) { deleteWebhook(input: $i) { deletedWebhookId } }",
            json!({"i": {"webhookId": a_webhook}}),
        )
        .await;
    check("deleteWebhook", r, NOT_FOUND, &[]);
    let r = app
        .gql(
            &b,
            "mutation { createWebhook(input: {url: \"https://hooks.example.com/b\", events: [SUSPEND]}) { webhook { id } } }",
            json!({}),
        )
        .await;
    check("createWebhook", r, &["OK"], &[]);

    // Mutations on firm A's client.
    let future = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    for (_, name) in actions() {
        let mut input = json!({"clientId": a_client});
        match name {
            "scheduleActivation" => input["at"] = json!(future),
            "deleteClient" => input["confirmName"] = json!(a_name),
            "disconnectClient" => input["accountOwnerContactId"] = json!(a_contact),
            _ => {}
        }
        let r = app.gql(&b, &mutation(name), json!({ "i": input })).await;
        check(name, r, NOT_FOUND, &[]);
    }
    let r = app
        .gql(
            &b,
            &mutation("updateClient"),
            json!({"i": {"clientId": a_client, "name": "Taken over"}}),
        )
        .await;
    check("updateClient", r, NOT_FOUND, &[]);
    let r = app
        .gql(
            &b,
            &mutation("addContact"),
            json!({"i": {"clientId": a_client, "name": "Spy", "email": "spy@b.test"}}),
        )
        .await;
    check("addContact", r, NOT_FOUND, &[]);
    let r = app
        .gql(
            &b,
            &mutation("updateContact"),
            json!({"i": {"contactId": a_contact, "name": "Renamed"}}),
        )
        .await;
    check("updateContact", r, NOT_FOUND, &[]);
    for name in ["deactivateContact", "reactivateContact", "deleteContact"] {
        let r = app
            .gql(&b, &mutation(name), json!({"i": {"contactId": a_contact}}))
            .await;
        check(name, r, NOT_FOUND, &[]);
    }
    for name in ["assignStakeholder", "archiveStakeholder"] {
        let r = app
            .gql(
                &b,
                &mutation(name),
                json!({"i": {"clientId": a_client, "userId": b.id.to_string()}}),
            )
            .await;
        check(name, r, NOT_FOUND, &[]);
        // Firm B's own client with firm A's user.
        let r = app
            .gql(
                &b,
                &mutation(name),
                json!({"i": {"clientId": b_client, "userId": a_user}}),
            )
            .await;
        check(name, r, &["NOT_FOUND", "BAD_USER_INPUT"], &[]);
    }
    let r = app
        .gql(
            &b,
            &mutation("startWorkflow"),
            json!({"i": {"clientId": a_client, "name": "W", "kind": "PLAN"}}),
        )
        .await;
    check("startWorkflow", r, NOT_FOUND, &[]);
    // Firm B's own client with firm A's contact as assignee, or as account owner.
    let r = app
        .gql(
            &b,
            &mutation("startWorkflow"),
            json!({"i": {"clientId": b_client, "name": "W", "kind": "PLAN",
                         "assigneeContactId": a_contact}}),
        )
        .await;
    check("startWorkflow", r, &["NOT_FOUND", "BAD_USER_INPUT"], &[]);
    let r = app
        .gql(
            &b,
            &mutation("disconnectClient"),
            json!({"i": {"clientId": b_client, "accountOwnerContactId": a_contact}}),
        )
        .await;
    check(
        "disconnectClient",
        r,
        &["NOT_FOUND", "BAD_USER_INPUT", "ACCOUNT_OWNER_REQUIRED"],
        &[],
    );
    for name in ["completeWorkflow", "cancelWorkflow"] {
        let r = app
            .gql(
                &b,
                &mutation(name),
                json!({"i": {"workflowId": a_workflow}}),
            )
            .await;
        check(name, r, NOT_FOUND, &[]);
    }
    let r = app
        .gql(
            &b,
            &mutation("changeUserRole"),
            json!({"i": {"userId": a_user, "role": "ADMIN"}}),
        )
        .await;
    check("changeUserRole", r, NOT_FOUND, &[]);
    let r = app
        .gql(
            &b,
            &mutation("deactivateUser"),
            json!({"i": {"userId": a_user}}),
        )
        .await;
    check("deactivateUser", r, NOT_FOUND, &[]);
    // Addresses are per firm: firm A holding one neither blocks nor reveals anything.
    let r = app
        .gql(
            &b,
            "mutation($i: CreateClientInput!) { createClient(input: $i) { client { email } } }",
            json!({"i": {"name": "Same address", "email": a_email}}),
        )
        .await;
    check("createClient", r, &["OK"], &[a_email]);
    // A new staff user of firm B.
    let r = app
        .gql(
            &b,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
            json!({"i": {"name": "Newcomer", "email": "newcomer@b.test", "role": "MEMBER"}}),
        )
        .await;
    check("createUser", r, &["OK"], &[]);

    // Every root field was tried.
    let schema = app
        .gql(
            &app.admin,
            "{ q: __type(name: \"Query\") { fields { name } } m: __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
        )
        .await;
    for root in ["q", "m"] {
        for f in schema.data()[root]["fields"].as_array().unwrap() {
            let name = f["name"].as_str().unwrap();
            assert!(covered.contains(name), "root field {name} is not walked");
        }
    }
    // And firm A is exactly as it was.
    assert_eq!(snapshot(&app).await, before);
    let r = app.gql(&app.admin, "{ webhooks { id } }", json!({})).await;
    assert_eq!(r.data()["webhooks"], json!([{"id": a_webhook}]));
}
