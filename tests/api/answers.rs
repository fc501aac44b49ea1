//! A list page's objects are answered field by field without a future each, and repeated
//! `availableActions` lists are written once as JSON (`graphql::plain`, `graphql::json`).
//! These tests hold those answers to the ones async-graphql's own walk gives, whatever
//! the shape of the selection.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// Every field of a client, its available actions, its latest event and the event's
/// actor, with aliases, `__typename`, a named fragment and an inline fragment.
/// `{actions}` is the selection of each available action.
const FIELDS: &str = "
fragment UserFields on User { id name email role active createdAt __typename }
fragment EventFields on LifecycleEvent {
  id clientId action fromStatus toStatus reason feedback at __typename
  actor { ...UserFields }
}
fragment ClientFields on Client {
  id name email kind billing status portalAccess activationScheduledAt
  decommissionScheduledAt statusBeforeArchive version createdAt updatedAt statusChangedAt
  __typename
  label: name
  ... on Client { since: createdAt }
  availableActions { {actions} }
  latestEvent { ...EventFields }
}";

/// The page through the plain walk and ready-made JSON.
fn plain_query() -> String {
    let fields = FIELDS.replace("{actions}", "action allowed code reason");
    format!(
        "{fields}
query {{ clients(first: 20, orderBy: {{field: NAME, direction: ASC}}) {{
  edges {{ cursor node {{ ...ClientFields }} }}
}} }}"
    )
}

/// The same page's clients as `nodes`, without edges.
fn nodes_query() -> String {
    let fields = FIELDS.replace("{actions}", "action allowed code reason");
    format!(
        "{fields}
query {{ clients(first: 20, orderBy: {{field: NAME, direction: ASC}}) {{
  nodes {{ ...ClientFields }}
}} }}"
    )
}

/// The same page, asked so that every object falls back to async-graphql's own walk:
/// a key asked for twice in each object, `node` twice (merged objects, so no ready-made
/// JSON either) and `action` twice in each available action.
fn general_query() -> String {
    let fields = FIELDS.replace("{actions}", "action allowed code reason action");
    format!(
        "{fields}
query {{ clients(first: 20, orderBy: {{field: NAME, direction: ASC}}) {{
  edges {{ cursor node {{ ...ClientFields id latestEvent {{ id actor {{ id }} }} }} node {{ id }} }}
}} }}"
    )
}

/// Clients in many situations: with and without an e-mail address, scheduled, archived,
/// suspended with a reason and feedback, and acted on by the scheduler (no actor).
async fn varied_clients(app: &TestApp) {
    app.create_client_with(json!({"name": "A plain prospect"}))
        .await;
    app.create_client_with(json!({
        "name": "B with \"quotes\", a \\ and é ✓",
        "email": "b@example.com",
        "kind": "INDIVIDUAL",
        "billing": "SELF_PAYING",
    }))
    .await;
    app.create_client_with(json!({"name": "C pending", "activateAt": "2099-01-01T00:00:00Z"}))
        .await;
    let d = app.create_client("D suspended").await;
    app.act(&app.admin, "activateClient", &d, json!({}))
        .await
        .data();
    app.act(
        &app.manager,
        "suspendClient",
        &d,
        json!({"reason": "NON_PAYMENT", "feedback": "line one\nline \"two\"\ttab"}),
    )
    .await
    .data();
    let e = app.create_client("E archived").await;
    app.act(&app.admin, "activateClient", &e, json!({}))
        .await
        .data();
    app.act(&app.admin, "archiveClient", &e, json!({}))
        .await
        .data();
    let f = app.create_client("F decommission scheduled").await;
    app.act(&app.admin, "activateClient", &f, json!({}))
        .await
        .data();
    app.act(
        &app.admin,
        "decommissionClient",
        &f,
        json!({"effectiveAt": "2099-06-01T12:30:00.123Z"}),
    )
    .await
    .data();
    for i in 0..6 {
        let id = app.create_client(&format!("G active {i}")).await;
        app.act(&app.admin, "activateClient", &id, json!({}))
            .await
            .data();
    }
}

/// The answer of a page, with the fields the general query adds taken out.
fn nodes(page: &Value) -> Vec<Value> {
    page["clients"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            assert!(edge["cursor"].is_string());
            edge["node"].clone()
        })
        .collect()
}

#[tokio::test]
async fn plain_fields_and_ready_made_json_answer_what_the_general_walk_answers() {
    let app = spawn_app().await;
    varied_clients(&app).await;
    for who in [&app.admin, &app.viewer] {
        let plain = app.gql(who, &plain_query(), json!({})).await;
        let general = app.gql(who, &general_query(), json!({})).await;
        let (plain, general) = (nodes(plain.data()), nodes(general.data()));
        assert_eq!(plain.len(), 12);
        // serde_json compares objects whatever their key order.
        assert_eq!(plain, general);
        let listed = app.gql(who, &nodes_query(), json!({})).await;
        assert_eq!(listed.data()["clients"]["nodes"].as_array(), Some(&plain));
        // The page really holds what the fields are for.
        let b = plain
            .iter()
            .find(|c| c["email"] == "b@example.com")
            .unwrap();
        assert_eq!(b["name"], "B with \"quotes\", a \\ and é ✓");
        assert_eq!(b["label"], b["name"]);
        assert_eq!(b["since"], b["createdAt"]);
        assert_eq!(b["__typename"], "Client");
        assert_eq!(b["latestEvent"]["actor"]["__typename"], "User");
        let d = plain.iter().find(|c| c["status"] == "SUSPENDED").unwrap();
        assert_eq!(d["latestEvent"]["reason"], "NON_PAYMENT");
        assert_eq!(d["latestEvent"]["feedback"], "line one\nline \"two\"\ttab");
        assert_eq!(d["latestEvent"]["actor"]["role"], "MANAGER");
        let e = plain.iter().find(|c| c["status"] == "ARCHIVED").unwrap();
        assert_eq!(e["statusBeforeArchive"], "ACTIVE");
        let c = plain.iter().find(|c| c["status"] == "PENDING").unwrap();
        assert!(c["activationScheduledAt"].is_string());
        let f = plain
            .iter()
            .find(|c| c["name"] == "F decommission scheduled")
            .unwrap();
        assert!(f["decommissionScheduledAt"].is_string());
        let actions = plain[0]["availableActions"].as_array().unwrap();
        assert_eq!(actions.len(), 16);
        assert!(actions
            .iter()
            .any(|a| a["allowed"] == false && a["reason"].is_string()));
    }
    // The page's ready-made JSON is sent as a piece of the body of its own, and the
    // body still has a `Content-Length` (not chunks) and reads as one JSON text.
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&app.admin.token)
        .json(&json!({"query": plain_query()}))
        .send()
        .await
        .unwrap();
    let length = res.headers()["content-length"].to_str().unwrap().to_owned();
    assert!(res.headers().get("transfer-encoding").is_none());
    let body = res.bytes().await.unwrap();
    assert!(body.len() > 4096, "a page of {} bytes", body.len());
    assert_eq!(length.parse::<usize>().unwrap(), body.len());
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        answer["data"]["clients"]["edges"].as_array().unwrap().len(),
        12
    );
}

/// Two fragments asking for different fields of the same object under one key (as
/// colocated fragments of two components do) get both, merged.
#[tokio::test]
async fn fields_of_one_object_asked_by_two_fragments_are_merged() {
    let app = spawn_app().await;
    varied_clients(&app).await;
    let q = "
fragment Row on Client { id availableActions { action } latestEvent { at } }
fragment Menu on Client { availableActions { allowed reason } latestEvent { actor { name } } }
query { clients(first: 3, orderBy: {field: NAME, direction: ASC}) {
  nodes { ...Row ...Menu }
} }";
    let r = app.gql(&app.admin, q, json!({})).await;
    for node in r.data()["clients"]["nodes"].as_array().unwrap() {
        for action in node["availableActions"].as_array().unwrap() {
            assert!(action["action"].is_string(), "{action}");
            assert!(action["allowed"].is_boolean(), "{action}");
            assert!(action.get("reason").is_some(), "{action}");
        }
        assert!(node["latestEvent"]["at"].is_string(), "{node}");
        assert_eq!(
            node["latestEvent"]["actor"]["name"], "Alice Admin",
            "{node}"
        );
    }
}

/// A field that fails on a plain-walked object is reported with its path, and the other
/// fields of the object are answered.
#[tokio::test]
async fn a_failing_field_of_a_listed_client_is_reported_and_the_rest_answered() {
    let app = spawn_app().await;
    varied_clients(&app).await;
    // `notifications` is for ADMINs only.
    let q = "{ clients(first: 2, orderBy: {field: NAME, direction: ASC}) {
      nodes { id name notifications { id } status } } }";
    let r = app.gql(&app.viewer, q, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(
        r.body["errors"][0]["path"],
        json!(["clients", "nodes", 0, "notifications"])
    );
    let first = &r.body["data"]["clients"]["nodes"][0];
    assert_eq!(first["name"], "A plain prospect");
    assert_eq!(first["status"], "PROSPECT");
}
