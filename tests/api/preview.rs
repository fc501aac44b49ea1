//! `previewAction` tells exactly what the mutation then does, and `bulkLifecycleAction`
//! acts on many clients, each on its own.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use clientele::service::Services;
use entity::notification;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{actions, spawn_app, Persona, TestApp, STATUSES};

/// A client with what the actions act on.
struct Fixture {
    id: String,
    name: String,
    email: String,
    contact_id: String,
    contact_email: String,
}

/// A client brought into `status` through the API, with an e-mail address and an ACTIVE
/// contact; when `busy`, an ACTIVE workflow started while it was ACTIVE.
async fn fixture(app: &TestApp, status: &str, busy: bool) -> Fixture {
    let tag = Uuid::new_v4().simple().to_string();
    let name = format!("Client {tag}");
    let email = format!("{tag}@client.test");
    let mut input = json!({ "name": name, "email": email });
    if status == "PENDING" {
        input["pending"] = json!(true);
    }
    let id = app.create_client_with(input).await;
    let contact_email = format!("{tag}@contact.test");
    let r = app
        .gql(
            &app.member,
            "mutation($i: AddContactInput!) { addContact(input: $i) { contact { id } } }",
            json!({"i": {"clientId": id, "name": "Carla Contact", "email": contact_email}}),
        )
        .await;
    let contact_id = r.data()["addContact"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let step = |mutation: &'static str, extra: Value| {
        let id = id.clone();
        async move {
            app.act(&app.admin, mutation, &id, extra)
                .await
                .data()
                .clone()
        }
    };
    if !matches!(status, "PROSPECT" | "PENDING") {
        step("activateClient", json!({})).await;
        if busy {
            app.gql(
                &app.member,
                "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
                json!({"i": {"clientId": id, "name": "Year-end accounts", "kind": "PROJECT"}}),
            )
            .await
            .data();
        }
    }
    match status {
        "PROSPECT" | "PENDING" | "ACTIVE" => {}
        "SUSPENDED" => drop(step("suspendClient", json!({})).await),
        "INACTIVE" => drop(step("deactivateClient", json!({})).await),
        "ARCHIVED" => drop(step("archiveClient", json!({})).await),
        "DISCARDED" => drop(step("discardClient", json!({})).await),
        "DECOMMISSIONED" => drop(step("decommissionClient", json!({})).await),
        "DISCONNECTED" => drop(
            step(
                "disconnectClient",
                json!({"accountOwnerContactId": contact_id}),
            )
            .await,
        ),
        other => panic!("unknown status {other}"),
    }
    assert_eq!(app.status_of(&id).await.as_deref(), Some(status));
    Fixture {
        id,
        name,
        email,
        contact_id,
        contact_email,
    }
}

/// The arguments that make each action's own checks pass.
fn args_for(f: &Fixture, mutation: &str) -> Value {
    let future = (Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    match mutation {
        "scheduleActivation" => json!({"at": future}),
        "deactivateClient" => json!({"notifyClient": true}),
        "disconnectClient" => json!({"accountOwnerContactId": f.contact_id}),
        "deleteClient" => json!({"confirmName": f.name}),
        _ => json!({}),
    }
}

const PREVIEW: &str = "query($i: PreviewActionInput!) { previewAction(input: $i) {
    action allowed code reason toStatus purged portalAccessRevoked missingArguments
    client { id version }
    subscriptionEnds { id } subscriptionStarts { charge periodStart periodEnd }
    workflowsArchived { id status } workflowsCancelled { id status }
    notifications { kind recipient } emailAddressesFreed } }";

const SNAPSHOT: &str = "query($id: ID!) { client(id: $id) {
    status version portalAccess activationScheduledAt decommissionScheduledAt
    subscriptions { id charge periodStart periodEnd endedAt } workflows { id status } } }";

async fn preview(app: &TestApp, who: &Persona, f: &Fixture, action: &str, args: &Value) -> Value {
    let mut input = json!({"clientId": f.id, "action": action});
    for (k, v) in args.as_object().unwrap() {
        input[k] = v.clone();
    }
    let r = app.gql(who, PREVIEW, json!({"i": input})).await;
    r.data()["previewAction"].clone()
}

async fn snapshot(app: &TestApp, id: &str) -> Value {
    let r = app.gql(&app.admin, SNAPSHOT, json!({"id": id})).await;
    r.data()["client"].clone()
}

/// Which of these addresses someone of the firm still holds.
async fn held(app: &TestApp, emails: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in emails {
        let r = app
            .gql(
                &app.admin,
                "query($e: String!) { emailHolder(email: $e) { kind id } }",
                json!({"e": e}),
            )
            .await;
        if !r.data()["emailHolder"].is_null() {
            out.insert(e.to_string());
        }
    }
    out
}

/// (kind, recipient) of every notification written with the event, sorted.
async fn notifications_of_event(svc: &Services, event_id: &str) -> Vec<(String, String)> {
    let id = Uuid::parse_str(event_id).unwrap();
    let mut out: Vec<_> = notification::Entity::find()
        .filter(notification::Column::EventId.eq(id))
        .all(&svc.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.kind, n.recipient))
        .collect();
    out.sort();
    out
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

/// Workflows that went from ACTIVE to `status` between two snapshots.
fn moved(before: &Value, after: &Value, status: &str) -> BTreeSet<String> {
    let Some(after) = after["workflows"].as_array() else {
        return BTreeSet::new();
    };
    before["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["status"] == "ACTIVE")
        .filter(|w| {
            after
                .iter()
                .any(|a| a["id"] == w["id"] && a["status"] == status)
        })
        .map(|w| w["id"].as_str().unwrap().to_string())
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// Checks that what the preview listed is exactly what the mutation did.
async fn assert_effects(
    app: &TestApp,
    case: &str,
    f: &Fixture,
    p: &Value,
    before: &Value,
    answer: &Value,
) {
    let after = snapshot(app, &f.id).await;
    // Status, or the row gone.
    assert_eq!(p["toStatus"], after["status"], "{case}: status");
    assert_eq!(
        p["purged"] == true,
        answer["purged"] == true,
        "{case}: purged"
    );
    // Portal access.
    let revoked = before["portalAccess"] == true && after["portalAccess"] != true;
    assert_eq!(p["portalAccessRevoked"] == true, revoked, "{case}: portal");
    // The subscription that ended.
    let ended: BTreeSet<String> = match after["subscriptions"].as_array() {
        Some(subs) => subs
            .iter()
            .filter(|s| !s["endedAt"].is_null())
            .filter(|s| {
                before["subscriptions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|b| b["id"] == s["id"] && b["endedAt"].is_null())
            })
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect(),
        None => BTreeSet::new(),
    };
    let listed: BTreeSet<String> = p["subscriptionEnds"]["id"]
        .as_str()
        .map(|s| BTreeSet::from([s.to_string()]))
        .unwrap_or_default();
    assert_eq!(listed, ended, "{case}: subscription ended");
    // The subscription that started.
    let started: Vec<&Value> = match after["subscriptions"].as_array() {
        Some(subs) => subs
            .iter()
            .filter(|s| !ids(&before["subscriptions"]).contains(s["id"].as_str().unwrap()))
            .collect(),
        None => Vec::new(),
    };
    match (&p["subscriptionStarts"], started.as_slice()) {
        (Value::Null, []) => {}
        (s, [new]) if !s.is_null() => {
            assert_eq!(s["charge"], new["charge"], "{case}: charge");
            // Periods are counted from the moment of the action: the preview's is a
            // moment earlier.
            for field in ["periodStart", "periodEnd"] {
                let gap = time(&new[field]) - time(&s[field]);
                assert!(
                    gap >= chrono::Duration::zero() && gap < chrono::Duration::seconds(30),
                    "{case}: {field} {s} vs {new}"
                );
            }
        }
        (s, started) => panic!("{case}: preview {s}, started {started:?}"),
    }
    // Workflows.
    assert_eq!(
        ids(&p["workflowsArchived"]),
        moved(before, &after, "ARCHIVED"),
        "{case}: archived workflows"
    );
    assert_eq!(
        ids(&p["workflowsCancelled"]),
        moved(before, &after, "CANCELLED"),
        "{case}: cancelled workflows"
    );
    // E-mails written with the event.
    let mut listed: Vec<(String, String)> = p["notifications"]
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
    listed.sort();
    let event_id = answer["event"]["id"].as_str().expect("an event");
    assert_eq!(
        listed,
        notifications_of_event(&app.services, event_id).await,
        "{case}: notifications"
    );
    // Addresses freed.
    let freed: BTreeSet<String> = p["emailAddressesFreed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    let all = [f.email.as_str(), f.contact_email.as_str()];
    let still: BTreeSet<String> = held(app, &all).await;
    let gone: BTreeSet<String> = all
        .iter()
        .map(|e| e.to_string())
        .filter(|e| !still.contains(e))
        .collect();
    assert_eq!(freed, gone, "{case}: addresses freed");
}

fn assert_no_effects(case: &str, p: &Value) {
    assert!(p["toStatus"].is_null(), "{case}: {p}");
    assert_eq!(p["purged"], false, "{case}");
    assert_eq!(p["portalAccessRevoked"], false, "{case}");
    assert!(p["subscriptionEnds"].is_null(), "{case}");
    assert!(p["subscriptionStarts"].is_null(), "{case}");
    for list in [
        "workflowsArchived",
        "workflowsCancelled",
        "notifications",
        "emailAddressesFreed",
    ] {
        assert_eq!(p[list], json!([]), "{case}: {list}");
    }
}

/// For every status, role and action, on clients with and without work in progress:
/// the preview, then the mutation with the same arguments on the same client. An
/// allowed preview's effects are exactly what the mutation did; a refused one carries
/// the code the mutation answers, and nothing changes.
#[tokio::test]
async fn previews_list_exactly_what_the_mutations_do() {
    let app = spawn_app().await;
    let roles: [(&str, &Persona); 4] = [
        ("ADMIN", &app.admin),
        ("MANAGER", &app.manager),
        ("MEMBER", &app.member),
        ("VIEWER", &app.viewer),
    ];
    let mut applied = 0;
    let mut refused = 0;
    let mut seen_effects = BTreeSet::new();
    for status in STATUSES {
        // Work in progress can only exist where the client passed through ACTIVE and
        // kept its workflows.
        let busy_too = matches!(status, "ACTIVE" | "SUSPENDED" | "INACTIVE" | "DISCONNECTED");
        for busy in [false, true] {
            if busy && !busy_too {
                continue;
            }
            let mut f = fixture(&app, status, busy).await;
            for (role, who) in roles {
                for (action, mutation) in actions() {
                    let case = format!("{status} busy={busy} {role} {action}");
                    let args = args_for(&f, mutation);
                    let before = snapshot(&app, &f.id).await;
                    let p = preview(&app, who, &f, action, &args).await;
                    assert_eq!(p["action"], action, "{case}");
                    assert_eq!(p["client"]["id"], json!(f.id), "{case}");
                    assert_eq!(p["missingArguments"], json!([]), "{case}");
                    let r = app.act(who, mutation, &f.id, args).await;
                    if p["allowed"] == true {
                        assert!(p["code"].is_null(), "{case}: {p}");
                        assert!(r.error_code().is_none(), "{case}: {}", r.body);
                        let answer = &r.body["data"][mutation];
                        assert_effects(&app, &case, &f, &p, &before, answer).await;
                        for (key, on) in [
                            ("purged", p["purged"] == true),
                            ("ends", !p["subscriptionEnds"].is_null()),
                            ("starts", !p["subscriptionStarts"].is_null()),
                            ("archived", p["workflowsArchived"] != json!([])),
                            ("cancelled", p["workflowsCancelled"] != json!([])),
                            ("mail", p["notifications"] != json!([])),
                            ("freed", p["emailAddressesFreed"] != json!([])),
                            ("portal", p["portalAccessRevoked"] == true),
                        ] {
                            if on {
                                seen_effects.insert(key);
                            }
                        }
                        applied += 1;
                        f = fixture(&app, status, busy).await;
                    } else {
                        assert!(p["reason"].is_string(), "{case}: {p}");
                        assert_eq!(r.error_code().as_deref(), p["code"].as_str(), "{case}");
                        assert_no_effects(&case, &p);
                        assert_eq!(snapshot(&app, &f.id).await, before, "{case}");
                        refused += 1;
                    }
                }
            }
        }
    }
    // Every kind of effect was exercised, and both answers occurred often.
    assert_eq!(seen_effects.len(), 8, "{seen_effects:?}");
    assert!(applied > 50 && refused > 300, "{applied} {refused}");
}

/// The preview changes nothing, answers arguments not given yet as missing (the
/// dialog asks for them), and judges those given like the mutation.
#[tokio::test]
async fn a_preview_changes_nothing_and_names_missing_arguments() {
    let app = spawn_app().await;
    let f = fixture(&app, "INACTIVE", false).await;
    let before = snapshot(&app, &f.id).await;
    let p = preview(&app, &app.admin, &f, "DELETE", &json!({})).await;
    assert_eq!(p["allowed"], true, "{p}");
    assert_eq!(p["missingArguments"], json!(["confirmName"]));
    assert_eq!(p["toStatus"], Value::Null);
    let mut freed: Vec<_> = p["emailAddressesFreed"].as_array().unwrap().clone();
    freed.sort_by_key(|v| v.to_string());
    let mut expected = vec![json!(f.email), json!(f.contact_email)];
    expected.sort_by_key(|v| v.to_string());
    assert_eq!(freed, expected);
    let p = preview(
        &app,
        &app.admin,
        &f,
        "DELETE",
        &json!({"confirmName": "not the name"}),
    )
    .await;
    assert_eq!(p["allowed"], false);
    assert_eq!(p["code"], "CONFIRMATION_MISMATCH");
    assert_eq!(snapshot(&app, &f.id).await, before);

    // A date in the past is judged as the mutation would.
    let f = fixture(&app, "PROSPECT", false).await;
    let p = preview(
        &app,
        &app.manager,
        &f,
        "SCHEDULE_ACTIVATION",
        &json!({"at": "2020-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        (p["allowed"].clone(), p["code"].clone()),
        (json!(false), json!("BAD_USER_INPUT"))
    );
    let p = preview(&app, &app.manager, &f, "SCHEDULE_ACTIVATION", &json!({})).await;
    assert_eq!(p["allowed"], true);
    assert_eq!(p["missingArguments"], json!(["at"]));

    // A missing or foreign client is NOT_FOUND, as for the mutations.
    let other = app.other_firm_admin().await;
    let q = "query($i: PreviewActionInput!) { previewAction(input: $i) { allowed } }";
    let r = app
        .gql(
            &other,
            q,
            json!({"i": {"clientId": f.id, "action": "ACTIVATE"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("NOT_FOUND"));
    let r = app
        .gql(
            &app.admin,
            q,
            json!({"i": {"clientId": Uuid::now_v7().to_string(), "action": "ACTIVATE"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("NOT_FOUND"));
    // CREATE and UPDATE are not transitions.
    let r = app
        .gql(
            &app.admin,
            q,
            json!({"i": {"clientId": f.id, "action": "UPDATE"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
}

const BULK: &str = "mutation($i: BulkLifecycleActionInput!) { bulkLifecycleAction(input: $i) {
    succeeded failed
    results { clientId ok code message client { id status } event { id action reason }
              preview { allowed code toStatus } } } }";

/// A mix of allowed and refused clients: each result is right, and refusals change
/// nothing while the others are applied.
#[tokio::test]
async fn bulk_actions_answer_each_client_on_its_own() {
    let app = spawn_app().await;
    let active: Vec<String> = [
        app.client_in("ACTIVE").await,
        app.client_in("ACTIVE").await,
        app.client_in("ACTIVE").await,
    ]
    .to_vec();
    let busy = fixture(&app, "ACTIVE", true).await.id;
    let ended = app.client_in("DECOMMISSIONED").await;
    let other = app.other_firm_admin().await;
    let r = app
        .gql(
            &other,
            "mutation { createClient(input: {name: \"Foreign\"}) { client { id } } }",
            json!({}),
        )
        .await;
    let foreign = r.data()["createClient"]["client"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let missing = Uuid::now_v7().to_string();
    let ids = vec![
        active[0].clone(),
        ended.clone(),
        busy.clone(),
        foreign.clone(),
        active[1].clone(),
        missing.clone(),
        active[2].clone(),
    ];
    let versions = |ids: Vec<String>| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for id in ids {
                out.push(snapshot(app, &id).await);
            }
            out
        }
    };

    // A dry run answers the previews and changes nothing.
    let before = versions(ids.clone()).await;
    let input =
        json!({"action": "DISCARD", "clientIds": ids, "reason": "DUPLICATE", "dryRun": true});
    let r = app.gql(&app.manager, BULK, json!({"i": input})).await;
    let out = &r.data()["bulkLifecycleAction"];
    let results = out["results"].as_array().unwrap();
    let codes: Vec<Value> = results.iter().map(|r| r["code"].clone()).collect();
    let expected = json!([
        null,
        "INVALID_TRANSITION",
        "ACTIVE_WORKFLOWS",
        "NOT_FOUND",
        null,
        "NOT_FOUND",
        null
    ]);
    assert_eq!(Value::Array(codes), expected, "{out}");
    assert_eq!(
        (out["succeeded"].clone(), out["failed"].clone()),
        (json!(3), json!(4))
    );
    for (res, id) in results.iter().zip(&ids) {
        assert_eq!(res["clientId"], json!(id));
        assert!(res["event"].is_null());
        assert_eq!(res["ok"], res["code"].is_null());
        if res["code"] == "NOT_FOUND" {
            assert!(res["preview"].is_null() && res["client"].is_null(), "{res}");
        } else {
            assert_eq!(res["preview"]["allowed"], res["ok"], "{res}");
            assert_eq!(res["preview"]["code"], res["code"], "{res}");
        }
        if res["ok"] == true {
            assert_eq!(res["preview"]["toStatus"], "DISCARDED");
        }
    }
    assert_eq!(versions(ids.clone()).await, before);

    // The real run: allowed clients change, each with its event; refusals change nothing.
    let input = json!({"action": "DISCARD", "clientIds": ids, "reason": "DUPLICATE"});
    let r = app.gql(&app.manager, BULK, json!({"i": input})).await;
    let out = &r.data()["bulkLifecycleAction"];
    let results = out["results"].as_array().unwrap();
    let codes: Vec<Value> = results.iter().map(|r| r["code"].clone()).collect();
    assert_eq!(Value::Array(codes), expected, "{out}");
    let after = versions(ids.clone()).await;
    for ((res, id), (b, a)) in results.iter().zip(&ids).zip(before.iter().zip(&after)) {
        if res["ok"] == true {
            assert!(res["message"].is_null());
            assert_eq!(res["event"]["action"], "DISCARD");
            assert_eq!(res["event"]["reason"], "DUPLICATE");
            assert_eq!(res["client"]["status"], "DISCARDED");
            assert_eq!(a["status"], "DISCARDED", "{id}");
            assert_eq!(app.history(id).await.last().unwrap()["action"], "DISCARD");
        } else {
            assert!(res["message"].is_string(), "{res}");
            assert!(res["event"].is_null() && res["preview"].is_null());
            assert_eq!(a, b, "{id} changed");
        }
    }
    assert!(app.status_of(&foreign).await.is_none());
    let r = app
        .gql(
            &other,
            "query($id: ID!) { client(id: $id) { status version } }",
            json!({"id": foreign}),
        )
        .await;
    assert_eq!(
        r.data()["client"],
        json!({"status": "PROSPECT", "version": 1})
    );

    // A role below the action's minimum is refused for each client, without reading it.
    let input = json!({"action": "RESTORE", "clientIds": [active[0], missing]});
    let r = app.gql(&app.member, BULK, json!({"i": input})).await;
    let results = r.data()["bulkLifecycleAction"]["results"].clone();
    assert_eq!(results[0]["code"], "FORBIDDEN");
    assert_eq!(results[1]["code"], "FORBIDDEN");
    assert_eq!(
        app.status_of(&active[0]).await.as_deref(),
        Some("DISCARDED")
    );
}

/// The request itself is refused, before any client, when its input cannot be right.
#[tokio::test]
async fn bulk_actions_refuse_bad_requests_whole() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let too_many: Vec<String> = (0..501).map(|_| Uuid::now_v7().to_string()).collect();
    let cases = [
        json!({"action": "SUSPEND", "clientIds": []}),
        json!({"action": "SUSPEND", "clientIds": too_many}),
        json!({"action": "SUSPEND", "clientIds": [id, id]}),
        json!({"action": "SUSPEND", "clientIds": ["not-an-id"]}),
        json!({"action": "DELETE", "clientIds": [id]}),
        json!({"action": "DISCONNECT", "clientIds": [id]}),
        json!({"action": "CREATE", "clientIds": [id]}),
        json!({"action": "SCHEDULE_ACTIVATION", "clientIds": [id]}),
    ];
    for input in cases {
        let r = app.gql(&app.admin, BULK, json!({"i": input})).await;
        assert_eq!(
            r.error_code().as_deref(),
            Some("BAD_USER_INPUT"),
            "{input}: {}",
            r.body
        );
        assert!(r.body["data"].is_null(), "{}", r.body);
    }
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
    // 500 is the most, and runs.
    let mut ids: Vec<String> = (0..499).map(|_| Uuid::now_v7().to_string()).collect();
    ids.push(id.clone());
    let input = json!({"action": "SUSPEND", "clientIds": ids});
    let r = app
        .gql(
            &app.admin,
            "mutation($i: BulkLifecycleActionInput!) { bulkLifecycleAction(input: $i) { succeeded failed } }",
            json!({"i": input}),
        )
        .await;
    assert_eq!(
        r.data()["bulkLifecycleAction"],
        json!({"succeeded": 1, "failed": 499})
    );
    assert_eq!(app.status_of(&id).await.as_deref(), Some("SUSPENDED"));
}

/// A bulk action stops starting clients when the request's time runs low: the clients
/// left are answered as not attempted (`INTERNAL`, saying so) and stay unchanged, so the
/// caller learns which clients changed instead of losing the answer to the timeout.
#[tokio::test]
async fn a_bulk_action_short_of_time_answers_the_clients_it_did_not_start() {
    use clientele::service::{bulk, lifecycle::Command, Actor};
    use std::time::{Duration, Instant};
    let app = spawn_app().await;
    let ids = vec![app.client_in("ACTIVE").await, app.client_in("ACTIVE").await];
    let manager = entity::user::Entity::find_by_id(app.manager.id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    let actor = Actor::Staff(manager);
    let request = || bulk::BulkRequest {
        action: entity::LifecycleAction::Suspend,
        client_ids: ids.iter().map(|id| Uuid::parse_str(id).unwrap()).collect(),
        command: Command::default(),
        dry_run: false,
    };

    let out = bulk::run(&app.services, &actor, request(), Some(Instant::now()))
        .await
        .unwrap();
    assert_eq!(out.len(), 2);
    for (_, outcome) in &out {
        let err = outcome.error().expect("not attempted");
        assert_eq!(err.code().as_str(), "INTERNAL");
        assert!(err.public_message().starts_with("Not attempted"), "{err}");
    }
    for id in &ids {
        assert_eq!(app.status_of(id).await.as_deref(), Some("ACTIVE"));
    }

    let later = Instant::now() + Duration::from_secs(60);
    let out = bulk::run(&app.services, &actor, request(), Some(later))
        .await
        .unwrap();
    assert!(out.iter().all(|(_, o)| o.ok()));
    for id in &ids {
        assert_eq!(app.status_of(id).await.as_deref(), Some("SUSPENDED"));
    }
}
