//! The five client-management flows, end to end, as a frontend drives them.

use chrono::Duration;
use clientele::service::{outbox, scheduler::run_due};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

const BILLING: &str = "query($id: ID!) { client(id: $id) { status
  currentSubscription { id charge periodStart periodEnd endedAt }
  subscriptions { id charge periodEnd endedAt } } }";

async fn billing(app: &TestApp, id: &str) -> Value {
    app.gql(&app.admin, BILLING, json!({"id": id})).await.data()["client"].clone()
}

async fn notifications(app: &TestApp, id: &str) -> Vec<(String, String)> {
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { notifications { kind recipient status } } }",
            json!({"id": id}),
        )
        .await;
    let mut out: Vec<(String, String)> = r.data()["client"]["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["recipient"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn admin_email(app: &TestApp) -> String {
    let r = app.gql(&app.admin, "{ me { email } }", json!({})).await;
    r.data()["me"]["email"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn discard_and_restore_reactivate_free_of_charge_inside_the_period() {
    let app = spawn_app().await;
    let id = app.create_client("Seasonal Ltd").await;
    app.act(&app.manager, "activateClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    let first = b["currentSubscription"].clone();
    assert_eq!(first["charge"], "INVOICED");
    let start =
        chrono::DateTime::parse_from_rfc3339(first["periodStart"].as_str().unwrap()).unwrap();
    let end = chrono::DateTime::parse_from_rfc3339(first["periodEnd"].as_str().unwrap()).unwrap();
    assert!((end - start).num_days() >= 365);

    // Past the loading phase (it has an INVOICED subscription): discarded, not purged.
    let r = app
        .act(
            &app.manager,
            "discardClient",
            &id,
            json!({"reason": "SEASONAL"}),
        )
        .await;
    assert_eq!(r.data()["discardClient"]["purged"], false);
    app.act(&app.manager, "restoreClient", &id, json!({}))
        .await
        .data();
    app.act(&app.manager, "activateClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    assert_eq!(
        b["subscriptions"].as_array().unwrap().len(),
        1,
        "the period simply continues"
    );
    assert_eq!(b["currentSubscription"]["id"], first["id"]);

    // Deactivating ends the subscription; reactivating inside the period costs nothing.
    app.services.clock.advance(Duration::days(40));
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    assert_eq!(b["currentSubscription"], Value::Null);
    assert!(b["subscriptions"][0]["endedAt"].is_string());
    app.act(&app.admin, "reactivateClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    assert_eq!(b["currentSubscription"]["charge"], "NONE");
    assert_eq!(b["currentSubscription"]["periodEnd"], first["periodEnd"]);

    // After the period a new invoiced year starts.
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    app.services.clock.advance(Duration::days(400));
    app.act(&app.admin, "reactivateClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    assert_eq!(b["currentSubscription"]["charge"], "INVOICED");
    assert_eq!(b["subscriptions"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn discarding_in_the_loading_phase_purges_the_client() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Typo Ltd", "email": "typo@x.test"}))
        .await;
    app.add_contact(&id, "Someone").await;
    let older = app.create_client("Older Ltd").await;
    let r = app
        .act(
            &app.manager,
            "discardClient",
            &id,
            json!({"feedback": "created by mistake"}),
        )
        .await;
    let d = &r.data()["discardClient"];
    assert_eq!(d["purged"], true);
    assert_eq!(d["client"], Value::Null);
    assert_eq!(d["event"]["toStatus"], Value::Null);
    assert_eq!(app.status_of(&id).await, None);
    // Its address is free again.
    app.create_client_with(json!({"name": "Typo Again", "email": "typo@x.test"}))
        .await;

    // Thirty days later the loading phase is over: discarding keeps the client.
    app.services.clock.advance(Duration::days(31));
    let r = app
        .act(&app.manager, "discardClient", &older, json!({}))
        .await;
    assert_eq!(r.data()["discardClient"]["purged"], false);
    assert_eq!(app.status_of(&older).await.as_deref(), Some("DISCARDED"));
}

#[tokio::test]
async fn archive_then_delete_holds_addresses_until_deletion() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    app.gql(
        &app.member,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id, "email": "kept@x.test"}}),
    )
    .await
    .data();
    let contact = app.add_contact(&id, "Carla Contact").await;
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { contacts { email } } }",
            json!({"id": id}),
        )
        .await;
    let contact_email = r.data()["client"]["contacts"][0]["email"]
        .as_str()
        .unwrap()
        .to_string();
    app.act(&app.manager, "archiveClient", &id, json!({}))
        .await
        .data();

    let r = app
        .gql(&app.member, "mutation { createClient(input: {name: \"Copy\", email: \"KEPT@x.test\"}) { client { id } } }", json!({}))
        .await;
    let ext = &r.error()["extensions"];
    assert_eq!(ext["code"], "EMAIL_IN_USE");
    assert_eq!(ext["holderStatus"], "ARCHIVED");
    assert!(r.error()["message"].as_str().unwrap().contains("delete"));
    let other = app.client_in("ACTIVE").await;
    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": other, "name": "Dup", "email": contact_email.to_uppercase()}}),
        )
        .await;
    assert_eq!(r.error()["extensions"]["code"], "EMAIL_IN_USE");
    assert_eq!(r.error()["extensions"]["holderKind"], "CONTACT");
    assert_eq!(r.error()["extensions"]["holderId"], contact);

    let r = app
        .act(
            &app.admin,
            "deleteClient",
            &id,
            json!({"confirmName": app_name(&app, &id).await}),
        )
        .await;
    r.data();
    // Everything went with it, and both addresses are free.
    app.create_client_with(json!({"name": "Copy", "email": "kept@x.test"}))
        .await;
    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": other, "name": "Dup", "email": contact_email}}),
        )
        .await;
    r.data();
}

async fn app_name(app: &TestApp, id: &str) -> String {
    app.name_of(id).await
}

#[tokio::test]
async fn contacts_go_inactive_active_and_are_deleted() {
    let app = spawn_app().await;
    let client = app.client_in("ACTIVE").await;
    let q = "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id email status portalAccess } } }";
    let r = app
        .gql(
            &app.member,
            q,
            json!({"i": {"clientId": client, "name": "Pat", "email": "  Pat@Client.TEST "}}),
        )
        .await;
    let c = r.data()["addContact"]["contact"].clone();
    assert_eq!(c["email"], "pat@client.test");
    assert_eq!(c["status"], "ACTIVE");
    let id = c["id"].as_str().unwrap().to_string();

    // A staff address cannot be a contact's, and a contact's cannot become staff.
    let staff_email = admin_email(&app).await;
    let r = app
        .gql(
            &app.member,
            q,
            json!({"i": {"clientId": client, "name": "X", "email": staff_email}}),
        )
        .await;
    assert_eq!(r.error()["extensions"]["holderKind"], "USER");
    let r = app
        .gql(&app.admin, "mutation { createUser(input: {name: \"P\", email: \"pat@client.test\", role: VIEWER}) { user { id } } }", json!({}))
        .await;
    assert_eq!(r.error()["extensions"]["code"], "EMAIL_IN_USE");
    assert_eq!(r.error()["extensions"]["holderKind"], "CONTACT");

    let by_id = |m: &str| {
        format!("mutation($i: ContactIdInput!) {{ {m}(input: $i) {{ contact {{ status portalAccess }} }} }}")
    };
    let r = app
        .gql(
            &app.member,
            "mutation($i: ContactIdInput!) { deleteContact(input: $i) { deletedContactId } }",
            json!({"i": {"contactId": id}}),
        )
        .await;
    assert_eq!(r.error()["extensions"]["code"], "INVALID_TRANSITION");
    let r = app
        .gql(
            &app.member,
            &by_id("deactivateContact"),
            json!({"i": {"contactId": id}}),
        )
        .await;
    assert_eq!(
        r.data()["deactivateContact"]["contact"],
        json!({"status": "INACTIVE", "portalAccess": false})
    );
    let r = app
        .gql(
            &app.member,
            "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
            json!({"i": {"clientId": client, "name": "Year end", "kind": "PROJECT", "assigneeContactId": id}}),
        )
        .await;
    assert_eq!(r.error()["extensions"]["code"], "BAD_USER_INPUT");
    let r = app
        .gql(
            &app.member,
            &by_id("reactivateContact"),
            json!({"i": {"contactId": id}}),
        )
        .await;
    assert_eq!(
        r.data()["reactivateContact"]["contact"],
        json!({"status": "ACTIVE", "portalAccess": true})
    );
    let r = app
        .gql(
            &app.member,
            "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { name email } } }",
            json!({"i": {"contactId": id, "name": "Pat Smith", "email": "pat.smith@client.test"}}),
        )
        .await;
    assert_eq!(
        r.data()["updateContact"]["contact"]["email"],
        "pat.smith@client.test"
    );
    // The old address was freed by the change.
    app.gql(
        &app.member,
        q,
        json!({"i": {"clientId": client, "name": "New Pat", "email": "pat@client.test"}}),
    )
    .await
    .data();
    app.gql(
        &app.member,
        &by_id("deactivateContact"),
        json!({"i": {"contactId": id}}),
    )
    .await
    .data();
    let r = app
        .gql(
            &app.member,
            "mutation($i: ContactIdInput!) { deleteContact(input: $i) { deletedContactId } }",
            json!({"i": {"contactId": id}}),
        )
        .await;
    assert_eq!(r.data()["deleteContact"]["deletedContactId"], id);
    app.gql(
        &app.member,
        q,
        json!({"i": {"clientId": client, "name": "Back", "email": "pat.smith@client.test"}}),
    )
    .await
    .data();
    let r = app
        .gql(
            &app.viewer,
            q,
            json!({"i": {"clientId": client, "name": "V", "email": "v@client.test"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
}

#[tokio::test]
async fn of_parallel_contacts_with_one_address_exactly_one_wins() {
    let app = spawn_app().await;
    let client = app.client_in("ACTIVE").await;
    let results = futures_util::future::join_all((0..10).map(|i| {
        app.gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": client, "name": format!("C{i}"), "email": "same@client.test"}}),
        )
    }))
    .await;
    assert_eq!(
        results.iter().filter(|r| r.error_code().is_none()).count(),
        1
    );
    for r in results.iter().filter(|r| r.error_code().is_some()) {
        assert_eq!(
            r.error_code().as_deref(),
            Some("EMAIL_IN_USE"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn workflows_block_discard_are_archived_and_cancelled_with_the_client() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let contact = app.add_contact(&id, "Doer").await;
    let start = "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id status assignee { id } } } }";
    let r = app.gql(&app.member, start, json!({"i": {"clientId": id, "name": "CDD check", "kind": "CDD", "assigneeContactId": contact}})).await;
    let w1 = r.data()["startWorkflow"]["workflow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        r.data()["startWorkflow"]["workflow"]["assignee"]["id"],
        contact
    );

    let r = app.act(&app.manager, "discardClient", &id, json!({})).await;
    let err = r.error();
    assert_eq!(err["extensions"]["code"], "ACTIVE_WORKFLOWS");
    assert_eq!(err["extensions"]["workflowIds"], json!([w1]));
    let r = app
        .gql(
            &app.manager,
            "query($id: ID!) { client(id: $id) { availableActions { action code } } }",
            json!({"id": id}),
        )
        .await;
    let discard = r.data()["client"]["availableActions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "DISCARD")
        .unwrap()
        .clone();
    assert_eq!(discard["code"], "ACTIVE_WORKFLOWS");

    app.act(&app.manager, "archiveClient", &id, json!({}))
        .await
        .data();
    let wf = "query($id: ID!) { client(id: $id) { workflows { id status } } }";
    let r = app.gql(&app.admin, wf, json!({"id": id})).await;
    assert_eq!(r.data()["client"]["workflows"][0]["status"], "ARCHIVED");
    let r = app
        .gql(
            &app.member,
            start,
            json!({"i": {"clientId": id, "name": "Nope", "kind": "PLAN"}}),
        )
        .await;
    assert_eq!(
        r.error_code().as_deref(),
        Some("INVALID_TRANSITION"),
        "no work for an ARCHIVED client"
    );
    app.act(&app.manager, "unarchiveClient", &id, json!({}))
        .await
        .data();

    let r = app
        .gql(
            &app.member,
            start,
            json!({"i": {"clientId": id, "name": "Plan", "kind": "PLAN"}}),
        )
        .await;
    let w2 = r.data()["startWorkflow"]["workflow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .gql(
            &app.member,
            start,
            json!({"i": {"clientId": id, "name": "Done", "kind": "PROJECT"}}),
        )
        .await;
    let w3 = r.data()["startWorkflow"]["workflow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.gql(&app.member, "mutation($i: WorkflowIdInput!) { completeWorkflow(input: $i) { workflow { status } } }", json!({"i": {"workflowId": w3}})).await;
    assert_eq!(
        r.data()["completeWorkflow"]["workflow"]["status"],
        "COMPLETED"
    );
    let r = app
        .gql(
            &app.member,
            "mutation($i: WorkflowIdInput!) { cancelWorkflow(input: $i) { workflow { status } } }",
            json!({"i": {"workflowId": w3}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("INVALID_TRANSITION"));

    app.act(&app.admin, "decommissionClient", &id, json!({}))
        .await
        .data();
    let r = app.gql(&app.admin, wf, json!({"id": id})).await;
    let statuses: Vec<(String, String)> = r.data()["client"]["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["id"].as_str().unwrap().to_string(),
                w["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(statuses.contains(&(w1, "ARCHIVED".into())));
    assert!(statuses.contains(&(w2, "CANCELLED".into())));
    assert!(statuses.contains(&(w3, "COMPLETED".into())));
    let b = billing(&app, &id).await;
    assert_eq!(b["currentSubscription"], Value::Null);
}

#[tokio::test]
async fn suspend_then_a_scheduled_decommission_applies_when_due() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    app.gql(
        &app.member,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id, "email": "owner@client.test"}}),
    )
    .await
    .data();
    app.act(
        &app.manager,
        "suspendClient",
        &id,
        json!({"reason": "NON_PAYMENT"}),
    )
    .await
    .data();
    let when = (chrono::Utc::now() + Duration::days(14)).to_rfc3339();
    app.act(
        &app.admin,
        "decommissionClient",
        &id,
        json!({"effectiveAt": when}),
    )
    .await
    .data();
    let admin = admin_email(&app).await;
    assert_eq!(
        notifications(&app, &id).await,
        vec![("DECOMMISSION_SCHEDULED".to_string(), admin.clone())]
    );

    app.services.clock.advance(Duration::days(15));
    run_due(&app.services).await.unwrap();
    assert_eq!(app.status_of(&id).await.as_deref(), Some("DECOMMISSIONED"));
    let n = notifications(&app, &id).await;
    assert!(
        n.contains(&(
            "CLIENT_DECOMMISSIONED".to_string(),
            "owner@client.test".to_string()
        )),
        "{n:?}"
    );
    let b = billing(&app, &id).await;
    assert!(b["subscriptions"][0]["endedAt"].is_string());
}

#[tokio::test]
async fn deactivate_reactivate_and_disconnect_with_an_account_owner() {
    let app = spawn_app().await;
    let admin = admin_email(&app).await;
    let id = app.client_in("ACTIVE").await;
    app.gql(
        &app.member,
        "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
        json!({"i": {"clientId": id, "email": "boss@client.test"}}),
    )
    .await
    .data();

    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"notifyClient": false}),
    )
    .await
    .data();
    assert_eq!(
        notifications(&app, &id).await,
        vec![("CLIENT_DEACTIVATED".into(), admin.clone())]
    );
    app.act(&app.admin, "reactivateClient", &id, json!({}))
        .await
        .data();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"notifyClient": true}),
    )
    .await
    .data();
    let n = notifications(&app, &id).await;
    assert_eq!(
        n.iter().filter(|(k, _)| k == "CLIENT_DEACTIVATED").count(),
        3
    );
    assert!(n.contains(&("CLIENT_DEACTIVATED".into(), "boss@client.test".into())));
    assert!(n.contains(&("CLIENT_REACTIVATED".into(), "boss@client.test".into())));
    app.act(&app.admin, "reactivateClient", &id, json!({}))
        .await
        .data();

    // No contact: delete instead.
    let r = app
        .act(&app.admin, "disconnectClient", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("ACCOUNT_OWNER_REQUIRED"));
    let owner = app.add_contact(&id, "Olivia Owner").await;
    let other_client = app.client_in("ACTIVE").await;
    let stranger = app.add_contact(&other_client, "Not Ours").await;
    for bad in [json!({}), json!({"accountOwnerContactId": stranger})] {
        let r = app.act(&app.admin, "disconnectClient", &id, bad).await;
        assert_eq!(r.error_code().as_deref(), Some("ACCOUNT_OWNER_REQUIRED"));
    }
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { availableActions { action allowed } } }",
            json!({"id": id}),
        )
        .await;
    let disconnect = r.data()["client"]["availableActions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "DISCONNECT")
        .unwrap()
        .clone();
    assert_eq!(disconnect["allowed"], true);

    let r = app
        .act(
            &app.admin,
            "disconnectClient",
            &id,
            json!({"accountOwnerContactId": owner}),
        )
        .await;
    assert_eq!(
        r.data()["disconnectClient"]["client"]["status"],
        "DISCONNECTED"
    );
    let r = app.gql(&app.admin, "query($id: ID!) { client(id: $id) { accountOwner { id name } currentSubscription { id } } }", json!({"id": id})).await;
    assert_eq!(r.data()["client"]["accountOwner"]["id"], owner);
    assert_eq!(r.data()["client"]["currentSubscription"], Value::Null);
    let n = notifications(&app, &id).await;
    let disconnected: Vec<_> = n
        .iter()
        .filter(|(k, _)| k == "CLIENT_DISCONNECTED")
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(disconnected.len(), 2);
    assert!(disconnected.contains(&admin));
}

#[tokio::test]
async fn self_paying_clients_leave_through_disconnect() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Own Payer", "billing": "SELF_PAYING"}))
        .await;
    app.act(&app.admin, "activateClient", &id, json!({}))
        .await
        .data();
    let r = app
        .act(&app.admin, "deactivateClient", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("SELF_PAYING_CLIENT"));
    let owner = app.add_contact(&id, "Owner").await;
    let r = app
        .act(
            &app.admin,
            "disconnectClient",
            &id,
            json!({"accountOwnerContactId": owner}),
        )
        .await;
    assert_eq!(
        r.data()["disconnectClient"]["client"]["status"],
        "DISCONNECTED"
    );
}

/// An archived client keeps its subscription (a restore continues it); disconnecting
/// it from the archive ends it, as leaving ACTIVE or SUSPENDED would.
#[tokio::test]
async fn disconnecting_an_archived_client_ends_its_subscription() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Archived Payer", "billing": "SELF_PAYING"}))
        .await;
    app.act(&app.admin, "activateClient", &id, json!({}))
        .await
        .data();
    app.act(&app.manager, "archiveClient", &id, json!({}))
        .await
        .data();
    let b = billing(&app, &id).await;
    assert_eq!(b["status"], "ARCHIVED");
    let running = b["currentSubscription"]["id"].clone();
    assert!(running.is_string(), "{b}");
    let owner = app.add_contact(&id, "Owner").await;
    let p = app
        .gql(
            &app.admin,
            "query($i: PreviewActionInput!) { previewAction(input: $i) { subscriptionEnds { id } } }",
            json!({"i": {"clientId": id, "action": "DISCONNECT", "accountOwnerContactId": owner}}),
        )
        .await;
    assert_eq!(p.data()["previewAction"]["subscriptionEnds"]["id"], running);
    app.act(
        &app.admin,
        "disconnectClient",
        &id,
        json!({"accountOwnerContactId": owner}),
    )
    .await
    .data();
    let b = billing(&app, &id).await;
    assert_eq!(b["status"], "DISCONNECTED");
    assert_eq!(b["currentSubscription"], Value::Null);
    assert_eq!(b["subscriptions"][0]["id"], running);
    assert!(b["subscriptions"][0]["endedAt"].is_string(), "{b}");
}

#[tokio::test]
async fn stakeholders_are_assigned_filtered_and_archived_without_touching_the_client() {
    let app = spawn_app().await;
    let mine = app.client_in("ACTIVE").await;
    let _theirs = app.client_in("ACTIVE").await;
    let q = "mutation($i: StakeholderInput!) { assignStakeholder(input: $i) { stakeholder { status user { id } } } }";
    let input = json!({"i": {"clientId": mine, "userId": app.manager.id.to_string()}});
    let r = app.gql(&app.member, q, input.clone()).await;
    assert_eq!(
        r.data()["assignStakeholder"]["stakeholder"]["status"],
        "ACTIVE"
    );
    let assigned = "{ clients(filter: {assignedToMe: true}) { totalCount nodes { id } } }";
    let r = app.gql(&app.manager, assigned, json!({})).await;
    assert_eq!(r.data()["clients"]["totalCount"], 1);
    assert_eq!(r.data()["clients"]["nodes"][0]["id"], mine);
    let r = app.gql(&app.admin, assigned, json!({})).await;
    assert_eq!(r.data()["clients"]["totalCount"], 0);

    let r = app
        .gql(&app.member, "mutation($i: StakeholderInput!) { archiveStakeholder(input: $i) { stakeholder { status } } }", input.clone())
        .await;
    assert_eq!(
        r.data()["archiveStakeholder"]["stakeholder"]["status"],
        "ARCHIVED"
    );
    assert_eq!(app.status_of(&mine).await.as_deref(), Some("ACTIVE"));
    let r = app.gql(&app.manager, assigned, json!({})).await;
    assert_eq!(r.data()["clients"]["totalCount"], 0);
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { stakeholders { status } } }",
            json!({"id": mine}),
        )
        .await;
    assert_eq!(
        r.data()["client"]["stakeholders"],
        json!([{"status": "ARCHIVED"}])
    );
    let r = app.gql(&app.member, q, input).await;
    assert_eq!(
        r.data()["assignStakeholder"]["stakeholder"]["status"],
        "ACTIVE"
    );
}

#[tokio::test]
async fn delete_removes_contacts_stakeholders_workflows_and_subscriptions() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    app.add_contact(&id, "Gone Contact").await;
    app.gql(
        &app.member,
        "mutation($i: StakeholderInput!) { assignStakeholder(input: $i) { stakeholder { id } } }",
        json!({"i": {"clientId": id, "userId": app.member.id.to_string()}}),
    )
    .await
    .data();
    app.gql(
        &app.member,
        "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
        json!({"i": {"clientId": id, "name": "W", "kind": "PLAN"}}),
    )
    .await
    .data();
    app.act(&app.admin, "deactivateClient", &id, json!({}))
        .await
        .data();
    let name = app_name(&app, &id).await;
    app.act(
        &app.admin,
        "deleteClient",
        &id,
        json!({"confirmName": name}),
    )
    .await
    .data();
    use entity::{contact, stakeholder, subscription, workflow};
    use sea_orm::{EntityTrait, PaginatorTrait};
    let db = &app.services.db;
    assert_eq!(contact::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(stakeholder::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(workflow::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(subscription::Entity::find().count(db).await.unwrap(), 0);
    let n = outbox::of_client(&app.services, uuid::Uuid::parse_str(&id).unwrap())
        .await
        .unwrap();
    let deleted = n
        .iter()
        .find(|n| n.kind == "CLIENT_DELETED")
        .expect("deletion notice");
    assert!(!deleted.body.contains(&name) && !deleted.subject.contains(&name));
}
