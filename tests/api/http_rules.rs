use serde_json::{json, Value};

use crate::helpers::spawn_app;

const MUTATION: &str = "mutation { createClient(input: {name: \"CSRF\"}) { client { id } } }";

#[tokio::test]
async fn queries_work_over_get_but_mutations_do_not() {
    let app = spawn_app().await;
    let url = format!("{}/graphql", app.base);
    let res = app
        .http
        .get(&url)
        .query(&[("query", "{ me { role } }")])
        .bearer_auth(&app.admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"]["me"]["role"], "ADMIN");

    for (query, op) in [
        (MUTATION, None),
        ("query Q { me { id } } mutation M { createClient(input: {name: \"x\"}) { client { id } } }", Some("M")),
    ] {
        let mut params = vec![("query", query)];
        if let Some(op) = op {
            params.push(("operationName", op));
        }
        let res = app.http.get(&url).query(&params).bearer_auth(&app.admin.token).send().await.unwrap();
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers()["allow"], "POST");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    let r = app
        .gql(&app.admin, "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(
        r.data()["clients"]["totalCount"],
        0,
        "no client was created over GET"
    );
}

#[tokio::test]
async fn mutations_need_post_with_a_json_content_type() {
    let app = spawn_app().await;
    let url = format!("{}/graphql", app.base);
    let json_body = json!({"query": MUTATION}).to_string();
    let cases: Vec<(&str, Option<&str>, String)> = vec![
        ("form", Some("application/x-www-form-urlencoded"), format!("query={}", urlencode(MUTATION))),
        ("text", Some("text/plain"), json_body.clone()),
        ("multipart", Some("multipart/form-data; boundary=x"), format!("--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{json_body}\r\n--x--\r\n")),
        ("none", None, json_body.clone()),
    ];
    for (case, ctype, body) in cases {
        let mut req = app.http.post(&url).bearer_auth(&app.admin.token).body(body);
        if let Some(ct) = ctype {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 415, "{case}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{case}"
        );
    }
    let res = app
        .http
        .post(&url)
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json; charset=utf-8")
        .body(json_body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let r = app
        .gql(&app.admin, "{ clients { totalCount } }", json!({}))
        .await;
    assert_eq!(
        r.data()["clients"]["totalCount"],
        1,
        "only the JSON POST acted"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn batches_are_refused() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&app.admin.token)
        .json(&json!([{"query": "{ me { id } }"}, {"query": "{ me { id } }"}]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn bodies_over_one_mebibyte_answer_413() {
    let app = spawn_app().await;
    let big =
        json!({"query": "{ me { id } }", "variables": {"pad": "x".repeat(2 << 20)}}).to_string();
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // Chunked, with no Content-Length.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let stream = futures_util::stream::iter(chunks);
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn a_request_past_its_timeout_answers_a_coded_error() {
    let app = spawn_app_with_timeout().await;
    let res = app
        .http
        .get(format!("{}/test/sleep?ms=3000", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
    let res = app
        .http
        .get(format!("{}/test/sleep?ms=10", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn spawn_app_with_timeout() -> crate::helpers::TestApp {
    crate::helpers::spawn_app_with(|c| c.request_timeout = std::time::Duration::from_millis(300))
        .await
}

#[tokio::test]
async fn a_panic_answers_internal_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let res = app
            .http
            .get(format!("{}/test/panic", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 500);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert!(
            !body.to_string().contains("deliberate"),
            "the panic message leaked"
        );
    }
    let r = app.gql(&app.admin, "{ me { id } }", json!({})).await;
    r.data();
}

#[tokio::test]
async fn health_readiness_and_graphiql_are_served() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .http
        .get(format!("{}/graphiql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.to_lowercase().contains("graphiql"));
    assert!(html.contains("/graphql"));
}

/// At its concurrency limit the server answers 503 with `Retry-After` at once instead of
/// queueing; health and metrics still answer; it recovers when the load drops.
#[tokio::test]
async fn over_its_limit_the_server_sheds_load_and_recovers() {
    let app = crate::helpers::spawn_app_with(|c| c.max_in_flight = 2).await;
    let sleep = |ms: u64| {
        app.http
            .get(format!("{}/test/sleep?ms={ms}", app.base))
            .send()
    };
    let (first, second) = (sleep(1500), sleep(1500));
    let busy = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let started = std::time::Instant::now();
        let res = app
            .http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&app.admin.token)
            .json(&json!({"query": "{ me { id } }"}))
            .send()
            .await
            .unwrap();
        let waited = started.elapsed();
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers()["retry-after"], "1");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert!(
            waited < std::time::Duration::from_millis(1000),
            "{waited:?}"
        );
        for path in ["/healthz", "/readyz", "/metrics"] {
            let res = app
                .http
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{path}");
        }
    };
    let (a, b, ()) = tokio::join!(first, second, busy);
    assert_eq!(a.unwrap().status(), 200);
    assert_eq!(b.unwrap().status(), 200);
    app.gql(&app.admin, "{ me { id } }", json!({})).await.data();
    let text = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("clientele_http_shed_total 1\n"), "{text}");
}
