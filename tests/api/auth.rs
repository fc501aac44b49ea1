use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

use crate::helpers::{spawn_app, SECRET};

const ME: &str = "{ me { id role } }";

fn b64(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

fn sign(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn a_valid_token_identifies_the_user_and_role_from_the_database() {
    let app = spawn_app().await;
    let r = app.gql(&app.manager, ME, json!({})).await;
    assert_eq!(r.data()["me"]["role"], "MANAGER");
    assert_eq!(r.data()["me"]["id"], app.manager.id.to_string());
}

#[tokio::test]
async fn missing_bad_and_expired_tokens_are_unauthenticated() {
    let app = spawn_app().await;
    let now = chrono::Utc::now().timestamp();
    let sub = app.admin.id.to_string();
    let cases = vec![
        ("no token", None),
        ("garbage", Some("not-a-jwt".to_string())),
        (
            "wrong secret",
            Some(sign(
                json!({"sub": sub, "exp": now + 600}),
                "another-secret",
            )),
        ),
        (
            "expired",
            Some(sign(json!({"sub": sub, "exp": now - 600}), SECRET)),
        ),
        ("no exp", Some(sign(json!({"sub": sub}), SECRET))),
        (
            "exp as a string",
            Some(sign(
                json!({"sub": sub, "exp": (now + 600).to_string()}),
                SECRET,
            )),
        ),
        (
            "alg none",
            Some(format!(
                "{}.{}.",
                b64(r#"{"alg":"none","typ":"JWT"}"#),
                b64(&json!({"sub": sub, "exp": now + 600}).to_string())
            )),
        ),
        (
            "RS256 header",
            Some({
                let valid = sign(json!({"sub": sub, "exp": now + 600}), SECRET);
                let parts: Vec<&str> = valid.split('.').collect();
                format!(
                    "{}.{}.{}",
                    b64(r#"{"alg":"RS256","typ":"JWT"}"#),
                    parts[1],
                    parts[2]
                )
            }),
        ),
        (
            "unknown user",
            Some(sign(
                json!({"sub": uuid::Uuid::now_v7().to_string(), "exp": now + 600}),
                SECRET,
            )),
        ),
    ];
    for (case, token) in cases {
        let r = app.gql_as(token.as_deref(), ME, json!({})).await;
        assert_eq!(
            r.error_code().as_deref(),
            Some("UNAUTHENTICATED"),
            "{case}: {}",
            r.body
        );
        assert!(
            !r.body.to_string().contains(SECRET),
            "{case} leaks the secret"
        );
    }
    // The token printed by a valid signer with the right secret works.
    let ok = sign(json!({"sub": sub, "exp": now + 600}), SECRET);
    assert!(app
        .gql_as(Some(&ok), ME, json!({}))
        .await
        .error_code()
        .is_none());
}

#[tokio::test]
async fn a_deactivated_user_is_rejected_at_once() {
    let app = spawn_app().await;
    assert!(app
        .gql(&app.member, ME, json!({}))
        .await
        .error_code()
        .is_none());
    let r = app
        .gql(
            &app.admin,
            "mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { active } } }",
            json!({"i": {"userId": app.member.id.to_string()}}),
        )
        .await;
    assert_eq!(r.data()["deactivateUser"]["user"]["active"], false);
    let r = app.gql(&app.member, ME, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn roles_below_the_minimum_are_forbidden_and_nothing_changes() {
    let app = spawn_app().await;
    let r = app
        .gql(
            &app.viewer,
            "mutation { createClient(input: {name: \"Nope\"}) { client { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    let id = app.client_in("ACTIVE").await;
    let r = app.act(&app.member, "suspendClient", &id, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    let r = app
        .act(&app.manager, "deactivateClient", &id, json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(app.status_of(&id).await.as_deref(), Some("ACTIVE"));
    let r = app
        .gql(&app.manager, "{ auditLog { totalCount } }", json!({}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    let r = app
        .gql(
            &app.manager,
            "mutation { createUser(input: {name: \"X\", email: \"x@x.test\", role: ADMIN}) { user { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("FORBIDDEN"));
    // A viewer reads.
    let r = app
        .gql(&app.viewer, "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(r.data()["clients"]["totalCount"], 1);
}

#[tokio::test]
async fn another_firms_ids_behave_exactly_like_missing_ones() {
    let app = spawn_app().await;
    let ours = app.client_in("ACTIVE").await;
    let other = app.other_firm_admin().await;
    let missing = uuid::Uuid::now_v7().to_string();

    let r = app
        .gql(
            &other,
            "query($id: ID!) { client(id: $id) { id } }",
            json!({"id": ours}),
        )
        .await;
    assert_eq!(r.data()["client"], serde_json::Value::Null);

    let foreign = app.act(&other, "suspendClient", &ours, json!({})).await;
    let absent = app.act(&other, "suspendClient", &missing, json!({})).await;
    assert_eq!(foreign.error_code().as_deref(), Some("NOT_FOUND"));
    assert_eq!(
        foreign.body["errors"][0]["message"],
        absent.body["errors"][0]["message"]
    );
    assert_eq!(foreign.body["data"], absent.body["data"]);

    let r = app
        .gql(
            &other,
            "mutation($i: UpdateClientInput!) { updateClient(input: $i) { client { id } } }",
            json!({"i": {"clientId": ours, "name": "Stolen"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("NOT_FOUND"));

    let r = app
        .gql(&other, "{ clients { totalCount nodes { id } } clientStatusCounts { status count } auditLog { totalCount } users { id } }", json!({}))
        .await;
    let d = r.data();
    assert_eq!(d["clients"]["totalCount"], 0);
    assert!(d["clientStatusCounts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["count"] == 0));
    assert_eq!(d["auditLog"]["totalCount"], 0);
    assert_eq!(d["users"].as_array().unwrap().len(), 1);

    let r = app
        .gql(
            &other,
            "mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { user { id } } }",
            json!({"i": {"userId": app.viewer.id.to_string(), "role": "ADMIN"}}),
        )
        .await;
    assert_eq!(r.error_code().as_deref(), Some("NOT_FOUND"));
    assert_eq!(app.status_of(&ours).await.as_deref(), Some("ACTIVE"));
}

/// A change to `users` made outside the server's own mutations (another process, an
/// operator in a database shell) reaches the next requests too: on PostgreSQL, where the
/// server keeps signed-in users between requests, through the `users` trigger's
/// notification.
#[tokio::test]
async fn users_changed_outside_the_server_are_read_again() {
    use entity::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = spawn_app().await;
    let r = app.gql(&app.member, ME, json!({})).await;
    assert_eq!(r.data()["me"]["role"], "MEMBER");
    let postgres = clientele::db::is_postgres(&app.services.db);
    if postgres {
        // Kept once the server listens for changes: the same request reads nothing.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let before = app.stats.statements();
            app.gql(&app.member, ME, json!({})).await.data();
            if app.stats.statements() == before {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the signed-in user is read again on every request"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let change = |column: user::Column, value: sea_orm::Value| {
        let db = app.services.writer.clone();
        let id = app.member.id;
        async move {
            user::Entity::update_many()
                .col_expr(column, Expr::value(value))
                .filter(user::Column::Id.eq(id))
                .exec(&db)
                .await
                .unwrap();
        }
    };
    // Within moments (at once on SQLite, which keeps nothing).
    let settles = |expect: &'static str| {
        let app = &app;
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            loop {
                let r = app.gql(&app.member, ME, json!({})).await;
                let seen = match r.error_code() {
                    Some(code) => code,
                    None => r.data()["me"]["role"].as_str().unwrap().to_string(),
                };
                if seen == expect {
                    return;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "still {seen}, not {expect}"
                );
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    change(user::Column::Role, "MANAGER".into()).await;
    settles("MANAGER").await;
    change(user::Column::Active, false.into()).await;
    settles("UNAUTHENTICATED").await;
}

/// The staff a page names (here the actor of a client's latest event, who is not the
/// user signed in) are remembered between requests, and read again as soon as anything
/// changes them: on SQLite the next request sees the change (it reads the count of
/// changes to `users` with its signed-in user), on PostgreSQL within moments (the
/// trigger's notification).
#[tokio::test]
async fn a_renamed_actor_shows_on_the_next_pages() {
    use entity::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    const PAGE: &str = "{ clients(first: 1) { nodes { latestEvent { actor { id name } } } } }";
    let app = spawn_app().await;
    let id = app.create_client("Named Co").await;
    app.act(&app.manager, "activateClient", &id, json!({}))
        .await
        .data();
    let actor_name = || {
        let app = &app;
        async move {
            let r = app.gql(&app.member, PAGE, json!({})).await;
            let actor = &r.data()["clients"]["nodes"][0]["latestEvent"]["actor"];
            assert_eq!(actor["id"], app.manager.id.to_string());
            actor["name"].as_str().unwrap().to_string()
        }
    };
    let before = actor_name().await;
    assert_ne!(before, "Renamed Manager");
    // Read again, and remembered.
    assert_eq!(actor_name().await, before);
    let postgres = clientele::db::is_postgres(&app.services.db);
    user::Entity::update_many()
        .col_expr(user::Column::Name, Expr::value("Renamed Manager"))
        .filter(user::Column::Id.eq(app.manager.id))
        .exec(&app.services.writer)
        .await
        .unwrap();
    if !postgres {
        assert_eq!(actor_name().await, "Renamed Manager");
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let seen = actor_name().await;
        if seen == "Renamed Manager" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {seen}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// On SQLite every write to `users`, whoever makes it and however many rows it touches,
/// adds to the count in `user_changes` that requests read with their signed-in user
/// (PostgreSQL notifies instead: `users_changed_outside_the_server_are_read_again`).
#[tokio::test]
async fn every_write_to_users_is_counted_on_sqlite() {
    use entity::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

    let app = spawn_app().await;
    let db = &app.services.writer;
    if clientele::db::is_postgres(db) {
        return;
    }
    let count = || async {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT changes FROM user_changes WHERE id = 1",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "changes").unwrap()
    };
    let start = count().await;
    let admin = user::Entity::find_by_id(app.admin.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let extra = user::Model {
        id: uuid::Uuid::now_v7(),
        firm_id: admin.firm_id,
        name: "Counted".into(),
        email: "counted@example.test".into(),
        role: entity::Role::Viewer,
        active: true,
        created_at: now,
        updated_at: now,
    };
    sea_orm::IntoActiveModel::into_active_model(extra.clone())
        .insert(db)
        .await
        .unwrap();
    assert_eq!(count().await, start + 1);
    // One statement, two rows: two changes.
    user::Entity::update_many()
        .col_expr(user::Column::Name, Expr::value("Renamed"))
        .filter(user::Column::Id.is_in([extra.id, app.viewer.id]))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(count().await, start + 3);
    user::Entity::delete_by_id(extra.id).exec(db).await.unwrap();
    assert_eq!(count().await, start + 4);
    // The server's own writes count too.
    let r = app
        .gql(
            &app.admin,
            "mutation($i: ChangeUserRoleInput!) { changeUserRole(input: $i) { user { id } } }",
            json!({"i": {"userId": app.viewer.id.to_string(), "role": "MEMBER"}}),
        )
        .await;
    r.data();
    assert_eq!(count().await, start + 5);
}

/// On PostgreSQL, a server whose listening connection is cut keeps nothing while it is
/// down, listens again by itself, and from then on hears changes to `users` as before.
#[tokio::test]
async fn a_cut_listening_connection_is_made_again() {
    use entity::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

    let app = spawn_app().await;
    let db = &app.services.writer;
    if !clientele::db::is_postgres(db) {
        return;
    }
    let memory = &app.services.signed_in;
    let wait_for = |listening: bool| async move {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while memory.before_read().is_some() != listening {
            assert!(
                std::time::Instant::now() < deadline,
                "listening is not {listening}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    wait_for(true).await;
    let listener = "SELECT pid FROM pg_stat_activity \
                    WHERE datname = current_database() AND query ILIKE 'LISTEN%'";
    let pids = || async {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                listener,
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get::<i32>("", "pid").unwrap())
            .collect::<Vec<_>>()
    };
    let before = pids().await;
    assert_eq!(before.len(), 1, "one listening connection");
    db.execute_unprepared(&format!("SELECT pg_terminate_backend({})", before[0]))
        .await
        .unwrap();
    // A new connection listens, and users are kept again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = pids().await;
        if now.len() == 1 && now != before {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not listening again: {now:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    wait_for(true).await;
    // Kept again, and forgotten when `users` changes.
    app.gql(&app.member, ME, json!({})).await.data();
    assert!(memory.get(app.member.id).is_some());
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value("VIEWER"))
        .filter(user::Column::Id.eq(app.member.id))
        .exec(db)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = app.gql(&app.member, ME, json!({})).await;
        if r.data()["me"]["role"] == "VIEWER" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the change was not heard"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
