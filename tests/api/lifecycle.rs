use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn create_makes_a_prospect_or_a_pending_client_with_a_create_event() {
    let app = spawn_app().await;
    let r = app
        .gql(
            &app.member,
            "mutation { createClient(input: {name: \"  Acme Ltd \", email: \"Hello@Acme.TEST\", kind: BUSINESS}) { client { name email status version billing portalAccess } } }",
            json!({}),
        )
        .await;
    let c = &r.data()["createClient"]["client"];
    assert_eq!(c["name"], "Acme Ltd");
    assert_eq!(c["email"], "hello@acme.test");
    assert_eq!(c["status"], "PROSPECT");
    assert_eq!(c["billing"], "FIRM_PAID");
    assert_eq!(c["version"], 1);

    let at = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let id = app
        .create_client_with(json!({"name": "Later Ltd", "activateAt": at}))
        .await;
    assert_eq!(app.status_of(&id).await.as_deref(), Some("PENDING"));
    let h = app.history(&id).await;
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["action"], "CREATE");
    assert_eq!(h[0]["fromStatus"], serde_json::Value::Null);
    assert_eq!(h[0]["toStatus"], "PENDING");
    assert_eq!(h[0]["actor"]["id"], app.admin.id.to_string());

    let past = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    let r = app
        .gql(
            &app.admin,
            "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }",
            json!({"i": {"name": "Past Ltd", "activateAt": past}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn the_main_path_through_the_lifecycle_records_every_step() {
    let app = spawn_app().await;
    let id = app.create_client("Path Ltd").await;
    let steps = [
        ("activateClient", "ACTIVE"),
        ("suspendClient", "SUSPENDED"),
        ("unsuspendClient", "ACTIVE"),
        ("deactivateClient", "INACTIVE"),
        ("reactivateClient", "ACTIVE"),
        ("archiveClient", "ARCHIVED"),
        ("unarchiveClient", "ACTIVE"),
        ("discardClient", "DISCARDED"),
        ("restoreClient", "PROSPECT"),
        ("activateClient", "ACTIVE"),
        ("decommissionClient", "DECOMMISSIONED"),
    ];
    let mut version = 1;
    for (mutation, status) in steps {
        let r = app
            .act(
                &app.admin,
                mutation,
                &id,
                json!({"reason": "CLIENT_REQUEST", "feedback": "as asked"}),
            )
            .await;
        let d = &r.data()[mutation];
        if mutation == "discardClient" {
            assert_eq!(d["purged"], false);
        }
        assert_eq!(d["client"]["status"], status, "{mutation}");
        version += 1;
        assert_eq!(d["client"]["version"], version, "{mutation}");
        if mutation != "discardClient" {
            assert_eq!(d["event"]["toStatus"], status);
            assert_eq!(d["event"]["reason"], "CLIENT_REQUEST");
            assert_eq!(d["event"]["feedback"], "as asked");
        }
    }
    let h = app.history(&id).await;
    assert_eq!(h.len(), steps.len() + 1);
    for (event, (_, status)) in h[1..].iter().zip(steps) {
        assert_eq!(event["toStatus"], status);
        assert_eq!(event["reason"], "CLIENT_REQUEST");
    }
    // Decommissioning revoked portal access.
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { portalAccess } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.data()["client"]["portalAccess"], false);
}

#[tokio::test]
async fn unarchive_returns_to_the_status_the_client_left() {
    let app = spawn_app().await;
    for from in ["ACTIVE", "SUSPENDED", "INACTIVE"] {
        let id = app.client_in(from).await;
        let r = app.act(&app.manager, "archiveClient", &id, json!({})).await;
        assert_eq!(
            r.data()["archiveClient"]["client"]["statusBeforeArchive"],
            from
        );
        let r = app
            .act(&app.manager, "unarchiveClient", &id, json!({}))
            .await;
        let c = &r.data()["unarchiveClient"]["client"];
        assert_eq!(c["status"], from);
        assert_eq!(c["statusBeforeArchive"], serde_json::Value::Null);
    }
}

#[tokio::test]
async fn an_invalid_transition_names_the_current_and_allowed_statuses_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.create_client("Prospect Ltd").await;
    let r = app.act(&app.admin, "suspendClient", &id, json!({})).await;
    let err = r.error();
    assert_eq!(err["extensions"]["code"], "INVALID_TRANSITION");
    assert_eq!(err["extensions"]["currentStatus"], "PROSPECT");
    assert_eq!(err["extensions"]["allowedStatuses"], json!(["ACTIVE"]));
    let msg = err["message"].as_str().unwrap();
    assert!(msg.contains("PROSPECT") && msg.contains("ACTIVE"), "{msg}");
    assert_eq!(r.body["data"], serde_json::Value::Null);
    assert_eq!(app.history(&id).await.len(), 1);
    let r = app
        .gql(
            &app.admin,
            "query($id: ID!) { client(id: $id) { version } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.data()["client"]["version"], 1);
}

#[tokio::test]
async fn expected_version_refuses_stale_changes() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let r = app
        .act(
            &app.admin,
            "suspendClient",
            &id,
            json!({"expectedVersion": 1}),
        )
        .await;
    let err = r.error();
    assert_eq!(err["extensions"]["code"], "VERSION_CONFLICT");
    assert_eq!(err["extensions"]["currentVersion"], 2);
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
    let r = app
        .act(
            &app.admin,
            "suspendClient",
            &id,
            json!({"expectedVersion": 2}),
        )
        .await;
    assert_eq!(r.data()["suspendClient"]["client"]["version"], 3);
    let r = app
        .gql(
            &app.admin,
            "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
            json!({"i": {"clientId": id, "name": "New", "expectedVersion": 2}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("VERSION_CONFLICT"));
}

#[tokio::test]
async fn self_paying_clients_cannot_be_deactivated() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Own Payer", "billing": "SELF_PAYING"}))
        .await;
    app.act(&app.admin, "activateClient", &id, json!({}))
        .await
        .data();
    let r = app
        .act(
            &app.admin,
            "deactivateClient",
            &id,
            json!({"notifyClient": true}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("SELF_PAYING_CLIENT"));
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
}

#[tokio::test]
async fn disconnect_without_an_account_owner_says_to_delete_instead() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let r = app
        .act(&app.admin, "disconnectClient", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("ACCOUNT_OWNER_REQUIRED"));
    let msg = r.error()["message"].as_str().unwrap().to_lowercase();
    assert!(msg.contains("delete"), "{msg}");
    let r = app
        .act(
            &app.admin,
            "disconnectClient",
            &id,
            json!({"accountOwnerContactId": uuid::Uuid::now_v7().to_string()}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("ACCOUNT_OWNER_REQUIRED"));
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
}

#[tokio::test]
async fn decommission_now_or_later_and_cancel_a_scheduled_one() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let later = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
    let r = app
        .act(
            &app.admin,
            "decommissionClient",
            &id,
            json!({"effectiveAt": later}),
        )
        .await;
    let c = &r.data()["decommissionClient"]["client"];
    assert_eq!(c["status"], "ACTIVE");
    assert!(c["decommissionScheduledAt"].is_string());
    let r = app
        .gql(
            &app.admin,
            "{ clients(filter: {decommissionScheduled: true}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data()["clients"]["totalCount"], 1);

    let r = app
        .act(&app.admin, "cancelScheduledDecommission", &id, json!({}))
        .await;
    let c = &r.data()["cancelScheduledDecommission"]["client"];
    assert_eq!(c["decommissionScheduledAt"], serde_json::Value::Null);
    assert_eq!(c["status"], "ACTIVE");
    let r = app
        .act(&app.admin, "cancelScheduledDecommission", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("INVALID_TRANSITION"));

    let past = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let r = app
        .act(
            &app.admin,
            "decommissionClient",
            &id,
            json!({"effectiveAt": past}),
        )
        .await;
    assert_eq!(
        r.data()["decommissionClient"]["client"]["status"],
        "DECOMMISSIONED"
    );
    assert_eq!(
        r.data()["decommissionClient"]["client"]["portalAccess"],
        false
    );
}

#[tokio::test]
async fn delete_needs_the_exact_name_and_keeps_events_without_personal_data() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Gone Ltd", "email": "gone@x.test"}))
        .await;
    app.act(
        &app.admin,
        "activateClient",
        &id,
        json!({"feedback": "Welcome aboard, Gone Ltd"}),
    )
    .await
    .data();
    app.act(
        &app.admin,
        "deactivateClient",
        &id,
        json!({"reason": "CLIENT_REQUEST"}),
    )
    .await
    .data();

    for wrong in ["gone ltd", "Gone Ltd ", "Gone"] {
        let r = app
            .act(
                &app.admin,
                "deleteClient",
                &id,
                json!({"confirmName": wrong}),
            )
            .await;
        assert_eq!(
            r.error_code().as_deref(),
            Some("CONFIRMATION_MISMATCH"),
            "{wrong}"
        );
    }
    let r = app
        .act(
            &app.manager,
            "deleteClient",
            &id,
            json!({"confirmName": "Gone Ltd"}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(app.status_of(&id).await.as_deref(), Some("INACTIVE"));

    let r = app
        .act(
            &app.admin,
            "deleteClient",
            &id,
            json!({"confirmName": "Gone Ltd"}),
        )
        .await;
    let d = &r.data()["deleteClient"];
    assert_eq!(d["deletedClientId"], id);
    assert_eq!(d["event"]["action"], "DELETE");
    assert_eq!(d["event"]["fromStatus"], "INACTIVE");
    assert_eq!(d["event"]["toStatus"], serde_json::Value::Null);
    assert_eq!(app.status_of(&id).await, None);

    let r = app
        .gql(&app.admin, "{ auditLog(first: 50) { nodes { clientId client { id } action feedback details reason } } }", json!({}))
        .await;
    let events: Vec<_> = r.data()["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["clientId"] == id)
        .cloned()
        .collect();
    assert_eq!(events.len(), 4, "CREATE, ACTIVATE, DEACTIVATE, DELETE stay");
    for e in &events {
        assert_eq!(e["client"], serde_json::Value::Null);
        assert_eq!(e["feedback"], serde_json::Value::Null);
        assert_eq!(e["details"], serde_json::Value::Null);
    }
    assert!(events.iter().any(|e| e["reason"] == "CLIENT_REQUEST"));
    // The e-mail address is free again.
    app.create_client_with(json!({"name": "New Gone", "email": "GONE@x.test"}))
        .await;
}

#[tokio::test]
async fn portal_access_is_revoked_and_restored_independently_of_status() {
    let app = spawn_app().await;
    let id = app.client_in("SUSPENDED").await;
    let r = app
        .act(
            &app.manager,
            "revokePortalAccess",
            &id,
            json!({"reason": "NON_PAYMENT"}),
        )
        .await;
    let c = &r.data()["revokePortalAccess"]["client"];
    assert_eq!(c["portalAccess"], false);
    assert_eq!(c["status"], "SUSPENDED");
    let r = app
        .act(&app.manager, "revokePortalAccess", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("INVALID_TRANSITION"));
    let r = app
        .gql(
            &app.admin,
            "{ clients(filter: {portalAccess: false}) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data()["clients"]["nodes"][0]["id"], id);
    let r = app
        .act(&app.manager, "restorePortalAccess", &id, json!({}))
        .await;
    assert_eq!(
        r.data()["restorePortalAccess"]["client"]["portalAccess"],
        true
    );
    let discarded = app.client_in("DISCARDED").await;
    app.act(&app.manager, "revokePortalAccess", &discarded, json!({}))
        .await
        .data();
    let r = app
        .act(&app.manager, "restorePortalAccess", &discarded, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("INVALID_TRANSITION"));
}

#[tokio::test]
async fn schedule_activation_needs_a_future_time() {
    let app = spawn_app().await;
    let id = app.create_client("Soon Ltd").await;
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let r = app
        .act(&app.manager, "scheduleActivation", &id, json!({"at": past}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .act(
            &app.manager,
            "scheduleActivation",
            &id,
            json!({"at": "tomorrow"}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let r = app
        .act(
            &app.manager,
            "scheduleActivation",
            &id,
            json!({"at": future}),
        )
        .await;
    let c = &r.data()["scheduleActivation"]["client"];
    assert_eq!(c["status"], "PENDING");
    assert!(c["activationScheduledAt"].is_string());
    let r = app
        .act(&app.manager, "activateClient", &id, json!({}))
        .await;
    let c = &r.data()["activateClient"]["client"];
    assert_eq!(c["status"], "ACTIVE");
    assert_eq!(c["activationScheduledAt"], serde_json::Value::Null);
}

#[tokio::test]
async fn client_emails_are_unique_in_the_firm_case_insensitively() {
    let app = spawn_app().await;
    let first = app
        .create_client_with(json!({"name": "One", "email": "shared@x.test"}))
        .await;
    app.act(&app.admin, "activateClient", &first, json!({}))
        .await
        .data();
    app.act(&app.admin, "discardClient", &first, json!({}))
        .await
        .data();
    let r = app
        .gql(
            &app.member,
            "mutation { createClient(input: {name: \"Two\", email: \" SHARED@X.test\"}) { client { id } } }",
            json!({}),
        )
        .await;
    let err = r.error();
    assert_eq!(err["extensions"]["code"], "EMAIL_IN_USE");
    assert_eq!(err["extensions"]["holderKind"], "CLIENT");
    assert_eq!(err["extensions"]["holderId"], first);
    assert_eq!(err["extensions"]["holderStatus"], "DISCARDED");
    let other = app
        .create_client_with(json!({"name": "Three", "email": "three@x.test"}))
        .await;
    let r = app
        .gql(
            &app.member,
            "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { email } } }",
            json!({"i": {"clientId": other, "email": "Shared@x.test"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("EMAIL_IN_USE"));
    // Another firm may use the same address.
    let stranger = app.other_firm_admin().await;
    let r = app
        .gql(&stranger, "mutation { createClient(input: {name: \"Elsewhere\", email: \"shared@x.test\"}) { client { id } } }", json!({}))
        .await;
    r.data();
}

#[tokio::test]
async fn update_edits_details_records_an_event_and_can_clear_the_email() {
    let app = spawn_app().await;
    let id = app
        .create_client_with(json!({"name": "Old Name", "email": "old@x.test"}))
        .await;
    let q = "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { name email version } } }";
    let r = app
        .gql(
            &app.member,
            q,
            json!({"i": {"clientId": id, "name": "New Name"}}),
        )
        .await;
    let c = &r.data()["updateClient"]["client"];
    assert_eq!(c["name"], "New Name");
    assert_eq!(c["email"], "old@x.test");
    assert_eq!(c["version"], 2);
    let r = app
        .gql(
            &app.member,
            q,
            json!({"i": {"clientId": id, "email": null}}),
        )
        .await;
    assert_eq!(
        r.data()["updateClient"]["client"]["email"],
        serde_json::Value::Null
    );
    let h = app.history(&id).await;
    assert_eq!(h.last().unwrap()["action"], "UPDATE");
    assert_eq!(h.last().unwrap()["details"], json!({"changed": ["email"]}));
    let r = app
        .gql(&app.viewer, q, json!({"i": {"clientId": id, "name": "X"}}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
}

#[tokio::test]
async fn bad_input_is_refused_with_bad_user_input_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let create = "mutation($i: CreateClientInput!) { createClient(input: $i) { client { id } } }";
    let cases = vec![
        json!({"name": "nul\u{0}byte"}),
        json!({"name": "x".repeat(201)}),
        json!({"name": "   "}),
        json!({"name": "ok", "email": "not-an-email"}),
        json!({"name": "ok", "email": format!("{}@x.test", "a".repeat(300))}),
    ];
    for input in cases {
        let r = app.gql(&app.admin, create, json!({"i": input})).await;
        assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"), "{input}");
    }
    let r = app
        .act(
            &app.admin,
            "suspendClient",
            &id,
            json!({"feedback": "a\u{0}b"}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .act(
            &app.admin,
            "suspendClient",
            &id,
            json!({"feedback": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .act(&app.admin, "suspendClient", "not-a-uuid", json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .act(
            &app.admin,
            "deleteClient",
            &id,
            json!({"confirmName": "a\u{0}"}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .gql(
            &app.admin,
            "{ clients(filter: {search: \"a\\u0000\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app
        .gql(&app.admin, "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(r.data()["clients"]["totalCount"], 1);
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
}
