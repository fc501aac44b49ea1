//! The probes of graphql-cop (the established GraphQL security scanner), each sent as
//! the scanner sends it to a server configured for production (a real signing secret,
//! `CLIENTELE_INTROSPECTION=false`), with the answer a hardened server gives. Each test
//! also checks the scanner's own condition for a finding.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

async fn production() -> TestApp {
    spawn_app_with(|c| c.introspection = false).await
}

/// POSTs a query as graphql-cop does (JSON, no token) and answers status and body.
async fn post(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn query(app: &TestApp, q: &str) -> (StatusCode, Value) {
    post(app, json!({ "query": q })).await
}

fn only_code(body: &Value) -> &str {
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "one error: {body}");
    errors[0]["extensions"]["code"].as_str().expect("a code")
}

#[tokio::test]
async fn introspection_is_refused_in_production_and_served_in_development() {
    let app = production().await;
    let (_, body) = query(
        &app,
        "query cop { __schema { types { name fields { name } } } }",
    )
    .await;
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("schema.graphql"));
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let (_, body) = query(&app, r#"{ __type(name: "Client") { name } }"#).await;
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    // __typename is not introspection of the schema and stays.
    let (_, body) = query(&app, "{ __typename }").await;
    assert_eq!(body["data"]["__typename"], "Query");

    let dev = spawn_app().await;
    let (_, body) = query(
        &dev,
        "query cop { __schema { types { name fields { name } } } }",
    )
    .await;
    assert!(body["data"]["__schema"]["types"].as_array().unwrap().len() > 25);
}

#[tokio::test]
async fn circular_introspection_is_refused_in_production() {
    let app = production().await;
    let q = "query cop { __schema { types { fields { type { fields { type { fields { type { \
             fields { type { name } } } } } } } } } } }";
    let (_, body) = query(&app, q).await;
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    assert!(body["data"]["__schema"]["types"].is_null());
}

#[tokio::test]
async fn graphiql_is_not_served_in_production() {
    let app = production().await;
    for path in [
        "/graphiql",
        "/",
        "/graphql",
        "/playground",
        "/graphql/playground",
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_ne!(res.status(), StatusCode::OK, "{path}");
        let text = res.text().await.unwrap();
        for word in [
            "graphiql.min.css",
            "GraphQL Playground",
            "GraphiQL",
            "graphql-playground",
        ] {
            assert!(!text.contains(word), "{path} shows {word}");
        }
    }
    let dev = spawn_app().await;
    let page = dev
        .http
        .get(format!("{}/graphiql", dev.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("GraphiQL"));
}

#[tokio::test]
async fn errors_do_not_suggest_field_names_in_production() {
    let app = production().await;
    let (_, body) = query(&app, "query cop { __schema { directive } }").await;
    assert!(!body.to_string().contains("Did you mean"), "{body}");
    let token = app.viewer.token.clone();
    let typo = app
        .gql_as(
            Some(&token),
            "{ clientz(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(typo.error_code().as_deref(), Some("BAD_USER_INPUT"));
    assert!(
        !typo.body.to_string().contains("Did you mean"),
        "{}",
        typo.body
    );

    let dev = spawn_app().await;
    let typo = dev
        .gql(
            &dev.viewer,
            "{ clientz(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(
        typo.body.to_string().contains("Did you mean"),
        "{}",
        typo.body
    );
}

#[tokio::test]
async fn alias_overloading_is_refused() {
    let app = production().await;
    let aliases: String = (0..101)
        .map(|i| format!("alias{i}:__typename \n"))
        .collect();
    let (_, body) = query(&app, &format!("query cop {{ {aliases} }}")).await;
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    assert!(body["data"]["alias100"].is_null());
    let hundred: String = (0..100)
        .map(|i| format!("alias{i}:__typename \n"))
        .collect();
    let (_, body) = query(&app, &format!("query cop {{ {hundred} }}")).await;
    assert_eq!(body["data"]["alias99"], "Query");
}

#[tokio::test]
async fn batches_are_refused() {
    let app = production().await;
    let batch: Vec<Value> = (0..10)
        .map(|_| json!({"query": "query cop { __typename }"}))
        .collect();
    let (status, body) = post(&app, Value::Array(batch)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!body.is_array());
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn directive_overloading_is_refused_with_one_error() {
    let app = production().await;
    let (_, body) = query(
        &app,
        "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }",
    )
    .await;
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn no_trace_mode() {
    let app = production().await;
    let (_, body) = query(&app, "query cop { __typename }").await;
    assert_eq!(body, json!({"data": {"__typename": "Query"}}));
    let (_, body) = query(&app, "query cop { nope }").await;
    assert!(!body.to_string().to_lowercase().contains("tracing"));
}

#[tokio::test]
async fn get_answers_queries_but_never_mutations() {
    let app = production().await;
    let get = |q: &str| {
        app.http
            .get(format!("{}/graphql", app.base))
            .query(&[("query", q)])
            .send()
    };
    // Queries over GET are part of the contract. They cannot act, and a page on another
    // site cannot make them carry a user's authority: the token travels in the
    // Authorization header, which a browser never adds by itself.
    let res = get("query cop {__typename}").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = get("query cop { me { id } }").await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(only_code(&body), "UNAUTHENTICATED");

    let res = get("mutation cop {__typename}").await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()["allow"], "POST");
    let body: Value = res.json().await.unwrap();
    assert!(body["data"].is_null());
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn form_and_text_posts_are_refused() {
    let app = production().await;
    let token = app.admin.token.clone();
    let form = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&token)
        .form(&[("query", "query cop { __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: Value = form.json().await.unwrap();
    assert!(body["data"].is_null());
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    for content_type in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/graphql",
    ] {
        let res = app
            .http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, content_type)
            .body(r#"{"query":"mutation { createClient(input: {name: \"CSRF\"}) { client { id } } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    let list = app
        .gql(
            &app.admin,
            "{ clients(first: 5) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(list.data()["clients"]["totalCount"], 0);
}

#[tokio::test]
async fn unhandled_errors_leak_nothing() {
    let app = production().await;
    let (status, body) = query(&app, "qwerty cop { abc }").await;
    assert!(status.is_success() || status == StatusCode::BAD_REQUEST);
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    let text = body.to_string().to_lowercase();
    for leak in ["exception", "panicked", "src/", ".rs:", "sqlx", "backtrace"] {
        assert!(!text.contains(leak), "{leak} in {body}");
    }
    assert!(body["errors"][0]["extensions"].get("exception").is_none());
}

#[tokio::test]
async fn character_encoding_errors_are_refused_with_a_code() {
    let app = production().await;
    let send = |content_type: &'static str, body: Vec<u8>| {
        app.http
            .post(format!("{}/graphql", app.base))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    // Bytes that are not UTF-8, inside a JSON string.
    let mut invalid = br#"{"query":"{ __typename } # "#.to_vec();
    invalid.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    invalid.extend_from_slice(br#""}"#);
    let res = send("application/json", invalid).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
    // A body declared in another encoding.
    let res = send(
        "application/json; charset=iso-8859-1",
        br#"{"query":"{ __typename }"}"#.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // UTF-8 declared explicitly is fine, and so are escapes and non-ASCII text.
    let res = send(
        "application/json; charset=UTF-8",
        r#"{"query":"{ __typename } # \u00e9 ü 😀"}"#.as_bytes().to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A lone surrogate escape is not a character.
    let res = send(
        "application/json",
        br#"{"query":"{ __typename } # \ud800"}"#.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Over GET, invalid percent-encoded bytes.
    let res = app
        .http
        .get(format!(
            "{}/graphql?query=%7B%20__typename%20%7D%FF%FE",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(only_code(&body), "BAD_USER_INPUT");
}
