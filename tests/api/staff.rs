use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn admins_create_users_change_roles_and_deactivate_them() {
    let app = spawn_app().await;
    let r = app
        .gql(
            &app.admin,
            "mutation { createUser(input: {name: \"Nina New\", email: \"Nina@Firm.TEST\", role: MEMBER}) { user { id email role active } } }",
            json!({}),
        )
        .await;
    let user = r.data()["createUser"]["user"].clone();
    assert_eq!(user["email"], "nina@firm.test");
    assert_eq!(user["role"], "MEMBER");
    let id = user["id"].as_str().unwrap().to_string();

    let r = app
        .gql(
            &app.admin,
            "mutation { createUser(input: {name: \"Nina Again\", email: \"nina@firm.test\", role: VIEWER}) { user { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("EMAIL_IN_USE"));
    assert_eq!(r.error()["extensions"]["holderId"], id);

    // Another firm learns that the address is taken, but not by whom.
    let other = app.other_firm_admin().await;
    let r = app
        .gql(&other, "mutation { createUser(input: {name: \"N\", email: \"nina@firm.test\", role: VIEWER}) { user { id } } }", json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("EMAIL_IN_USE"));
    assert!(r.error()["extensions"].get("holderId").is_none());

    let r = app
        .gql(
            &app.admin,
            "mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { user { role } } }",
            json!({"i": {"userId": id, "role": "MANAGER"}}),
        )
        .await;
    assert_eq!(r.data()["changeUserRole"]["user"]["role"], "MANAGER");

    let r = app
        .gql(&app.viewer, "{ users { name role } }", json!({}))
        .await;
    assert_eq!(r.data()["users"].as_array().unwrap().len(), 5);

    let r = app
        .gql(
            &app.admin,
            "mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { user { role } } }",
            json!({"i": {"userId": app.admin.id.to_string(), "role": "VIEWER"}}),
        )
        .await;
    assert_eq!(
        r.error_code().as_deref(),
        Some("BAD_USER_INPUT"),
        "an admin cannot demote themself"
    );
    let r = app
        .gql(
            &app.admin,
            "mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { active } } }",
            json!({"i": {"userId": app.admin.id.to_string()}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let r = app.act(&app.member, "suspendClient", &id, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    app.gql(
        &app.admin,
        "mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { user { role } } }",
        json!({"i": {"userId": app.member.id.to_string(), "role": "MANAGER"}}),
    )
    .await
    .data();
    let r = app.act(&app.member, "suspendClient", &id, json!({})).await;
    assert_eq!(r.data()["suspendClient"]["client"]["status"], "SUSPENDED");
}
