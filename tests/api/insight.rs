//! `emailHolder`, `scheduledActions`, `Client.statusExplanation` and `lifecycleStats`.

use chrono::{DateTime, Duration, Utc};
use clientele::service::scheduler::run_due;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

fn day(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

#[tokio::test]
async fn email_holder_names_the_client_contact_or_user_holding_an_address() {
    let app = spawn_app().await;
    let q = "query($e: String!) { emailHolder(email: $e) { kind id name status } }";
    let client = app
        .create_client_with(json!({"name": "Holder Ltd", "email": "books@holder.test"}))
        .await;
    app.act(&app.admin, "activateClient", &client, json!({}))
        .await
        .data();
    app.act(&app.admin, "suspendClient", &client, json!({}))
        .await
        .data();
    let r = app
        .gql(&app.viewer, q, json!({"e": "Books@Holder.TEST"}))
        .await;
    assert_eq!(
        r.data()["emailHolder"],
        json!({"kind": "CLIENT", "id": client, "name": "Holder Ltd", "status": "SUSPENDED"})
    );

    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": client, "name": "Carla", "email": "carla@holder.test"}}),
        )
        .await;
    let contact = r.data()["addContact"]["contact"]["id"].clone();
    let r = app
        .gql(&app.viewer, q, json!({"e": "carla@holder.test"}))
        .await;
    assert_eq!(
        r.data()["emailHolder"],
        json!({"kind": "CONTACT", "id": contact, "name": "Carla", "status": "ACTIVE"})
    );

    let me = app
        .gql(&app.manager, "{ me { id email name } }", json!({}))
        .await;
    let me = me.data()["me"].clone();
    let r = app.gql(&app.viewer, q, json!({"e": me["email"]})).await;
    assert_eq!(
        r.data()["emailHolder"],
        json!({"kind": "USER", "id": me["id"], "name": me["name"], "status": "ACTIVE"})
    );

    // A free address, and another firm's: null.
    let r = app
        .gql(&app.viewer, q, json!({"e": "nobody@holder.test"}))
        .await;
    assert_eq!(r.data()["emailHolder"], Value::Null);
    let other = app.other_firm_admin().await;
    let r = app.gql(&other, q, json!({"e": "books@holder.test"})).await;
    assert_eq!(r.data()["emailHolder"], Value::Null);
    let r = app
        .gql(&app.viewer, q, json!({"e": "not an address"}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));

    // EMAIL_IN_USE points to it, and deleting the holder frees the address.
    let r = app
        .gql(
            &app.admin,
            "mutation { createClient(input: {name: \"Second\", email: \"books@holder.test\"}) { client { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("EMAIL_IN_USE"));
    let message = r.error()["message"].as_str().unwrap();
    assert!(message.contains("among: CLIENTS"), "{message}");
    assert_eq!(r.error()["extensions"]["holderId"], json!(client));
    app.act(&app.admin, "deactivateClient", &client, json!({}))
        .await
        .data();
    app.act(
        &app.admin,
        "deleteClient",
        &client,
        json!({"confirmName": "Holder Ltd"}),
    )
    .await
    .data();
    for e in ["books@holder.test", "carla@holder.test"] {
        let r = app.gql(&app.viewer, q, json!({"e": e})).await;
        assert_eq!(r.data()["emailHolder"], Value::Null, "{e}");
    }
}

/// One address may be held both by a client and by a contact (the two address books
/// are separate); `among` picks the book, and EMAIL_IN_USE names the one to look in.
#[tokio::test]
async fn email_holder_looks_in_the_book_asked_for() {
    let app = spawn_app().await;
    let q = "query($e: String!, $among: EmailScope) {
        emailHolder(email: $e, among: $among) { kind id name } }";
    let client = app
        .create_client_with(json!({"name": "Shared Ltd", "email": "shared@both.test"}))
        .await;
    let other = app.create_client("Other Ltd").await;
    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": other, "name": "Bob", "email": "shared@both.test"}}),
        )
        .await;
    let bob = r.data()["addContact"]["contact"]["id"].clone();

    let holder = |among: Value| {
        let app = &app;
        async move {
            let r = app
                .gql(
                    &app.viewer,
                    q,
                    json!({"e": "shared@both.test", "among": among}),
                )
                .await;
            r.data()["emailHolder"].clone()
        }
    };
    assert_eq!(holder(Value::Null).await["id"], json!(client));
    assert_eq!(holder(json!("CLIENTS")).await["kind"], "CLIENT");
    let contact = holder(json!("CONTACTS_AND_STAFF")).await;
    assert_eq!(
        (contact["kind"].clone(), contact["id"].clone()),
        (json!("CONTACT"), bob)
    );
    let nobody = app
        .gql(
            &app.viewer,
            q,
            json!({"e": "bob@both.test", "among": "CLIENTS"}),
        )
        .await;
    assert_eq!(nobody.data()["emailHolder"], Value::Null);

    // A contact refused for this address is pointed at the contacts' book.
    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": client, "name": "Carl", "email": "shared@both.test"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("EMAIL_IN_USE"));
    let message = r.error()["message"].as_str().unwrap();
    assert!(message.contains("among: CONTACTS_AND_STAFF"), "{message}");
}

#[tokio::test]
async fn scheduled_actions_list_the_firms_pending_schedules_soonest_first() {
    let app = spawn_app().await;
    // To the microsecond, as both databases store times.
    let now = app.services.clock.now();
    let in_days = |d: i64| (now + Duration::days(d)).to_rfc3339();
    let pending = app
        .create_client_with(json!({"name": "Later", "activateAt": in_days(3)}))
        .await;
    let soon = app.client_in("ACTIVE").await;
    let same_time = app.client_in("SUSPENDED").await;
    for (id, at) in [(&soon, in_days(1)), (&same_time, in_days(3))] {
        app.act(
            &app.admin,
            "decommissionClient",
            id,
            json!({"effectiveAt": at}),
        )
        .await
        .data();
    }
    // Another firm's schedule is not listed.
    let other = app.other_firm_admin().await;
    app.gql(
        &other,
        "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }",
        json!({"i": {"name": "Foreign", "activateAt": in_days(2)}}),
    )
    .await
    .data();

    let q = "query($first: Int, $after: String) { scheduledActions(first: $first, after: $after) {
        edges { cursor node { action at client { id status } } }
        nodes { client { id } }
        pageInfo { hasNextPage hasPreviousPage endCursor } } }";
    let page = |first: i64, after: Value| {
        let app = &app;
        async move {
            let r = app
                .gql(&app.viewer, q, json!({"first": first, "after": after}))
                .await;
            r.data()["scheduledActions"].clone()
        }
    };
    let seen = |p: &Value| -> Vec<(String, String)> {
        p["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["node"]["action"].as_str().unwrap().to_string(),
                    e["node"]["client"]["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let all = page(10, Value::Null).await;
    assert_eq!(
        seen(&all),
        vec![
            ("DECOMMISSION".to_string(), soon.clone()),
            ("ACTIVATE".to_string(), pending.clone()),
            ("DECOMMISSION".to_string(), same_time.clone()),
        ]
    );
    assert_eq!(all["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(all["pageInfo"]["hasNextPage"], false);
    let at = all["edges"][1]["node"]["at"].as_str().unwrap();
    assert_eq!(
        DateTime::parse_from_rfc3339(at).unwrap(),
        DateTime::parse_from_rfc3339(&in_days(3)).unwrap()
    );

    // One at a time, through cursors of both kinds.
    let mut after = Value::Null;
    let mut walked = Vec::new();
    loop {
        let p = page(1, after.clone()).await;
        walked.extend(seen(&p));
        assert_eq!(p["pageInfo"]["hasPreviousPage"], !after.is_null());
        if p["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = p["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(walked, seen(&all));

    // A cancelled schedule leaves the list.
    app.act(&app.admin, "cancelScheduledDecommission", &soon, json!({}))
        .await
        .data();
    assert_eq!(seen(&page(10, Value::Null).await).len(), 2);
    let r = app
        .gql(
            &app.viewer,
            q,
            json!({"first": 1, "after": "bm90IGEgY3Vyc29y"}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn the_status_explanation_says_who_when_why_and_what_is_next() {
    let app = spawn_app().await;
    let q = "query($id: ID!) { client(id: $id) { statusExplanation } }";
    let explain = |id: String| {
        let app = &app;
        async move {
            let r = app.gql(&app.viewer, q, json!({"id": id})).await;
            r.data()["client"]["statusExplanation"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let today = day(app.services.clock.now());
    let id = app.client_in("ACTIVE").await;
    app.act(
        &app.manager,
        "suspendClient",
        &id,
        json!({"reason": "NON_PAYMENT"}),
    )
    .await
    .data();
    let decommission_at = app.services.clock.now() + Duration::days(40);
    app.act(
        &app.admin,
        "decommissionClient",
        &id,
        json!({"effectiveAt": decommission_at.to_rfc3339()}),
    )
    .await
    .data();
    assert_eq!(
        explain(id.clone()).await,
        format!(
            "Suspended by Mark Manager on {today} for non-payment; decommission scheduled for {}.",
            day(decommission_at)
        )
    );

    // The scheduler's own actions, and a client created waiting for a date.
    let at = app.services.clock.now() + Duration::hours(1);
    let later = app
        .create_client_with(json!({"name": "Later", "activateAt": at.to_rfc3339()}))
        .await;
    assert_eq!(
        explain(later.clone()).await,
        format!(
            "Created by Alice Admin on {today}; activation scheduled for {}.",
            day(at)
        )
    );
    app.services.clock.advance(Duration::hours(2));
    run_due(&app.services).await.unwrap();
    let then = day(app.services.clock.now());
    assert_eq!(
        explain(later).await,
        format!("Activated by the scheduler on {then}.")
    );

    // Archived: where unarchiving leads.
    let archived = app.client_in("ARCHIVED").await;
    app.act(&app.manager, "revokePortalAccess", &archived, json!({}))
        .await
        .data();
    assert_eq!(
        explain(archived).await,
        format!(
            "Archived by Alice Admin on {then}; unarchiving makes it active again; portal \
             access revoked."
        )
    );
}

#[tokio::test]
async fn lifecycle_stats_count_events_per_action_and_reason_in_a_period() {
    let app = spawn_app().await;
    let start = app.services.clock.now();
    let a = app.client_in("ACTIVE").await;
    let b = app.client_in("ACTIVE").await;
    for (id, reason) in [(&a, json!("NON_PAYMENT")), (&b, json!("NON_PAYMENT"))] {
        app.act(&app.manager, "suspendClient", id, json!({"reason": reason}))
            .await
            .data();
    }
    app.services.clock.advance(Duration::days(10));
    let middle = app.services.clock.now() - Duration::days(5);
    app.act(&app.manager, "unsuspendClient", &a, json!({}))
        .await
        .data();
    app.act(
        &app.manager,
        "suspendClient",
        &a,
        json!({"reason": "CLIENT_REQUEST"}),
    )
    .await
    .data();

    let q = "query($from: DateTime, $to: DateTime) { lifecycleStats(from: $from, to: $to) { action reason count } }";
    let stats = |from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
        let app = &app;
        async move {
            let r = app
                .gql(
                    &app.admin,
                    q,
                    json!({"from": from.map(|t| t.to_rfc3339()), "to": to.map(|t| t.to_rfc3339())}),
                )
                .await;
            r.data()["lifecycleStats"].clone()
        }
    };
    // Everything: 2 creates and 2 activations from client_in, then the suspensions.
    assert_eq!(
        stats(None, None).await,
        json!([
            {"action": "ACTIVATE", "reason": null, "count": 2},
            {"action": "CREATE", "reason": null, "count": 2},
            {"action": "SUSPEND", "reason": "NON_PAYMENT", "count": 2},
            {"action": "SUSPEND", "reason": "CLIENT_REQUEST", "count": 1},
            {"action": "UNSUSPEND", "reason": null, "count": 1},
        ])
    );
    // `from` inclusive, `to` exclusive.
    assert_eq!(
        stats(Some(middle), None).await,
        json!([
            {"action": "SUSPEND", "reason": "CLIENT_REQUEST", "count": 1},
            {"action": "UNSUSPEND", "reason": null, "count": 1},
        ])
    );
    assert_eq!(
        stats(Some(start - Duration::seconds(1)), Some(middle)).await[2],
        json!({"action": "SUSPEND", "reason": "NON_PAYMENT", "count": 2})
    );
    assert_eq!(
        stats(Some(middle), Some(middle + Duration::days(1))).await,
        json!([])
    );
    // Another firm's events are not counted.
    let other = app.other_firm_admin().await;
    let r = app.gql(&other, q, json!({})).await;
    assert_eq!(r.data()["lifecycleStats"], json!([]));
    // ADMIN only, and a period that ends before it starts is refused.
    let r = app.gql(&app.manager, q, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    let r = app
        .gql(
            &app.admin,
            q,
            json!({"from": middle.to_rfc3339(), "to": start.to_rfc3339()}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
}
