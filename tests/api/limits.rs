use serde_json::json;

use crate::helpers::spawn_app;

async fn refused(app: &crate::helpers::TestApp, query: &str) -> String {
    let r = app.gql(&app.admin, query, json!({})).await;
    assert!(
        r.body["errors"].is_array(),
        "accepted: {}",
        &r.body.to_string()[..200.min(r.body.to_string().len())]
    );
    assert_eq!(r.body["data"], serde_json::Value::Null);
    r.error_code().unwrap_or_default()
}

#[tokio::test]
async fn deeply_nested_queries_are_refused() {
    let app = spawn_app().await;
    app.gql(&app.admin, "{ me { firm { name } } }", json!({}))
        .await
        .data();
    let deep = format!(
        "{{{}id{}}}",
        "clients { nodes { history { nodes { client {".repeat(40),
        "}}}}}".repeat(40)
    );
    assert_eq!(refused(&app, &deep).await, "BAD_USER_INPUT");
    let deep200 = format!(
        "query {{ {} }}",
        (0..200).fold(String::from("id"), |acc, _| format!("a {{ {acc} }}"))
    );
    assert_eq!(refused(&app, &deep200).await, "BAD_USER_INPUT");
    // Selection depth within the bracket limit but past the depth limit.
    let nested = format!(
        "{{ clients {{ nodes {{ {} id {} }} }} }}",
        "history { nodes { client { ".repeat(7),
        "} } } ".repeat(7)
    );
    assert_eq!(refused(&app, &nested).await, "BAD_USER_INPUT");
}

#[tokio::test]
async fn ten_thousand_aliases_are_refused_including_typename() {
    let app = spawn_app().await;
    let aliases: String = (0..10_000).map(|i| format!("a{i}: __typename ")).collect();
    assert_eq!(
        refused(&app, &format!("{{ {aliases} }}")).await,
        "BAD_USER_INPUT"
    );
    let aliases: String = (0..10_000).map(|i| format!("m{i}: me {{ id }} ")).collect();
    assert_eq!(
        refused(&app, &format!("{{ {aliases} }}")).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn huge_page_sizes_nested_in_connections_are_too_complex() {
    let app = spawn_app().await;
    let q = "{ clients(first: 2147483647) { nodes { history(first: 2147483647) { nodes { id action actor { id name email } client { id name } } } } } }";
    assert_eq!(refused(&app, q).await, "BAD_USER_INPUT");
    let q = "{ clients(first: -1) { nodes { history(last: -2147483648) { nodes { id } } } } }";
    let r = app.gql(&app.admin, q, json!({})).await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    // A normal rich page is fine.
    let ok = "{ clients(first: 100) { nodes { id name availableActions { action allowed } history(first: 5) { nodes { action } } } } }";
    app.gql(&app.admin, ok, json!({})).await.data();
}

#[tokio::test]
async fn argument_literals_nested_thousands_deep_are_refused_before_parsing() {
    let app = spawn_app().await;
    let q = format!(
        "{{ client(id: {}\"x\"{}) {{ id }} }}",
        "[".repeat(3000),
        "]".repeat(3000)
    );
    assert_eq!(refused(&app, &q).await, "BAD_USER_INPUT");
    let q = format!(
        "{{ client(id: {}1{}) {{ id }} }}",
        "{a:".repeat(3000),
        "}".repeat(3000)
    );
    assert_eq!(refused(&app, &q).await, "BAD_USER_INPUT");
    // Over GET too.
    let res = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[(
            "query",
            format!(
                "{{ client(id: {}\"x\"{}) {{ id }} }}",
                "[".repeat(3000),
                "]".repeat(3000)
            ),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // The server is still up.
    app.gql(&app.admin, "{ me { id } }", json!({})).await.data();
}

#[tokio::test]
async fn fragment_fan_out_bombs_are_refused() {
    let app = spawn_app().await;
    let mut q = String::from("query { ...F14 }\nfragment F0 on Query { me { id name } }\n");
    for i in 1..=14 {
        let p = i - 1;
        q.push_str(&format!(
            "fragment F{i} on Query {{ ...F{p} ...F{p} ...F{p} ...F{p} }}\n"
        ));
    }
    assert!(q.len() < 2048);
    assert_eq!(refused(&app, &q).await, "BAD_USER_INPUT");
    let cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    assert_eq!(refused(&app, cycle).await, "BAD_USER_INPUT");
    app.gql(&app.admin, "{ me { id } }", json!({})).await.data();
}

#[tokio::test]
async fn every_error_carries_a_code() {
    let app = spawn_app().await;
    for q in [
        "{ nope }",
        "{ me { id ",
        "query($x: Int!) { me { id } }",
        "{ clients(first: \"ten\") { totalCount } }",
        "query($id: ID!) { client(id: $id) { id } }",
    ] {
        let r = app.gql(&app.admin, q, json!({})).await;
        assert_eq!(
            r.error_code().as_deref(),
            Some("BAD_USER_INPUT"),
            "{q}: {}",
            r.body
        );
    }
}

/// A query that has run and passed validation runs again without async-graphql's full
/// validation only with the same variables: other values are validated every time.
#[tokio::test]
async fn repeated_queries_are_still_validated_with_new_variables() {
    let app = spawn_app().await;
    let id = app.create_client("Repeat Ltd").await;
    let q = "query One($id: ID!, $n: Int) { client(id: $id) { name history(first: $n) { edges { cursor } } } }";
    for _ in 0..3 {
        let r = app.gql(&app.admin, q, json!({ "id": id, "n": 5 })).await;
        assert_eq!(r.body["data"]["client"]["name"], "Repeat Ltd", "{}", r.body);
    }
    for bad in [
        json!({ "id": id, "n": "five" }),
        json!({ "n": 5 }),
        json!({ "id": [id] }),
    ] {
        for _ in 0..3 {
            let r = app.gql(&app.admin, q, bad.clone()).await;
            assert_eq!(
                r.error_code().as_deref(),
                Some("BAD_USER_INPUT"),
                "{bad}: {}",
                r.body
            );
            assert_eq!(r.body["data"], serde_json::Value::Null, "{bad}: {}", r.body);
        }
    }
    let r = app.gql(&app.admin, q, json!({ "id": id, "n": 5 })).await;
    assert_eq!(r.body["data"]["client"]["name"], "Repeat Ltd", "{}", r.body);
}
