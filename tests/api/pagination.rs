use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: ClientOrder, $filter: ClientFilterInput) {
  clients(first: $first, after: $after, last: $last, before: $before, orderBy: $order, filter: $filter) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

async fn page(app: &TestApp, vars: Value) -> Value {
    let r = app.gql(&app.viewer, PAGE, vars).await;
    r.data()["clients"].clone()
}

fn names(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_string())
        .collect()
}

async fn seed(app: &TestApp, n: usize) -> Vec<String> {
    let mut created = Vec::new();
    for i in 0..n {
        // Names repeat so that ties are broken by id.
        let name = format!("Client {:02}", i / 2);
        app.create_client(&name).await;
        created.push(name);
    }
    created
}

#[tokio::test]
async fn forward_and_backward_pages_cover_every_client_once_in_order() {
    let app = spawn_app().await;
    seed(&app, 23).await;
    for (field, direction) in [
        ("NAME", "ASC"),
        ("NAME", "DESC"),
        ("CREATED_AT", "DESC"),
        ("CREATED_AT", "ASC"),
        ("UPDATED_AT", "ASC"),
        ("STATUS_CHANGED_AT", "DESC"),
    ] {
        let order = json!({"field": field, "direction": direction});
        let full = page(&app, json!({"first": 100, "order": order})).await;
        let all_ids: Vec<Value> = full["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].clone())
            .collect();
        assert_eq!(all_ids.len(), 23);
        assert_eq!(full["totalCount"], 23);
        if field == "NAME" {
            let mut sorted = names(&full);
            sorted.sort();
            if direction == "DESC" {
                sorted.reverse();
            }
            assert_eq!(names(&full), sorted);
        }

        // Forwards, 5 at a time.
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let p = page(&app, json!({"first": 5, "after": after, "order": order})).await;
            for e in p["edges"].as_array().unwrap() {
                seen.push(e["node"]["id"].clone());
            }
            assert_eq!(p["pageInfo"]["hasPreviousPage"], after.is_some());
            if p["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = p["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        assert_eq!(seen, all_ids, "forward {field} {direction}");

        // Backwards, 4 at a time.
        let mut back = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let p = page(&app, json!({"last": 4, "before": before, "order": order})).await;
            let mut chunk: Vec<Value> = p["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["id"].clone())
                .collect();
            chunk.extend(back);
            back = chunk;
            assert_eq!(p["pageInfo"]["hasNextPage"], before.is_some());
            if p["pageInfo"]["hasPreviousPage"] == false {
                break;
            }
            before = p["pageInfo"]["startCursor"].as_str().map(str::to_string);
        }
        assert_eq!(back, all_ids, "backward {field} {direction}");
    }
}

#[tokio::test]
async fn a_window_between_two_cursors_and_the_default_order() {
    let app = spawn_app().await;
    seed(&app, 10).await;
    let full = page(&app, json!({"first": 10})).await;
    let cursors: Vec<String> = full["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().to_string())
        .collect();
    let w = page(
        &app,
        json!({"first": 10, "after": cursors[2], "before": cursors[7]}),
    )
    .await;
    assert_eq!(names(&w), names(&full)[3..7].to_vec());
    // Default: newest first.
    let n = names(&full);
    assert_eq!(n.first().unwrap(), "Client 04");
    assert_eq!(n.last().unwrap(), "Client 00");
}

#[tokio::test]
async fn page_arguments_are_checked_and_capped() {
    let app = spawn_app().await;
    seed(&app, 3).await;
    let r = app
        .gql(&app.viewer, PAGE, json!({"first": 1, "last": 1}))
        .await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app.gql(&app.viewer, PAGE, json!({"first": -1})).await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let r = app.gql(&app.viewer, PAGE, json!({"after": "bm9wZQ"})).await;
    assert_eq!(r.error_code().as_deref(), Some("BAD_USER_INPUT"));
    let name_cursor = page(
        &app,
        json!({"first": 1, "order": {"field": "NAME", "direction": "ASC"}}),
    )
    .await["pageInfo"]["endCursor"]
        .clone();
    let r = app
        .gql(&app.viewer, PAGE, json!({"after": name_cursor}))
        .await;
    assert_eq!(
        r.error_code().as_deref(),
        Some("BAD_USER_INPUT"),
        "a NAME cursor used with CREATED_AT"
    );
    let p = page(&app, json!({"first": 500})).await;
    assert_eq!(p["edges"].as_array().unwrap().len(), 3);
    let p = page(&app, json!({"first": 0})).await;
    assert_eq!(p["edges"].as_array().unwrap().len(), 0);
    assert_eq!(p["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn first_is_capped_at_one_hundred() {
    let app = spawn_app().await;
    for i in 0..105 {
        app.create_client(&format!("Bulk {i:03}")).await;
    }
    let p = page(&app, json!({"first": 1000})).await;
    assert_eq!(p["edges"].as_array().unwrap().len(), 100);
    assert_eq!(p["pageInfo"]["hasNextPage"], true);
    assert_eq!(p["totalCount"], 105);
}

#[tokio::test]
async fn filters_by_status_search_and_counts_per_status() {
    let app = spawn_app().await;
    app.create_client_with(json!({"name": "Alpha Bakery", "email": "hello@alpha.test"}))
        .await;
    app.create_client_with(json!({"name": "Beta 100% Honest", "email": "b@beta.test"}))
        .await;
    app.create_client_with(json!({"name": "Gamma_Works"})).await;
    app.client_in("ACTIVE").await;
    app.client_in("SUSPENDED").await;
    let search = |s: &str| json!({"first": 50, "filter": {"search": s}});
    assert_eq!(
        names(&page(&app, search("BAKERY")).await),
        vec!["Alpha Bakery"]
    );
    assert_eq!(
        names(&page(&app, search("ALPHA.TEST")).await),
        vec!["Alpha Bakery"]
    );
    assert_eq!(
        names(&page(&app, search("100%")).await),
        vec!["Beta 100% Honest"]
    );
    assert_eq!(names(&page(&app, search("a_w")).await), vec!["Gamma_Works"]);
    assert_eq!(page(&app, search("%")).await["totalCount"], 1);
    let p = page(&app, json!({"filter": {"status": ["ACTIVE", "SUSPENDED"]}})).await;
    assert_eq!(p["totalCount"], 2);
    let p = page(
        &app,
        json!({"filter": {"status": ["PROSPECT"], "search": "a"}}),
    )
    .await;
    assert_eq!(p["totalCount"], 3);

    let r = app
        .gql(
            &app.viewer,
            "{ clientStatusCounts { status count } }",
            json!({}),
        )
        .await;
    let counts = r.data()["clientStatusCounts"].as_array().unwrap().clone();
    assert_eq!(counts.len(), 9);
    let count = |s: &str| {
        counts.iter().find(|c| c["status"] == s).unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count("PROSPECT"), 3);
    assert_eq!(count("ACTIVE"), 1);
    assert_eq!(count("SUSPENDED"), 1);
    assert_eq!(count("DISCONNECTED"), 0);
}

#[tokio::test]
async fn history_and_the_audit_log_page_newest_first() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    for _ in 0..5 {
        app.act(&app.manager, "suspendClient", &id, json!({}))
            .await
            .data();
        app.act(&app.manager, "unsuspendClient", &id, json!({}))
            .await
            .data();
    }
    let q = "query($id: ID!, $after: String) { client(id: $id) { history(first: 4, after: $after) { totalCount nodes { action } pageInfo { hasNextPage endCursor } } } }";
    let mut actions = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let r = app
            .gql(&app.viewer, q, json!({"id": id, "after": after}))
            .await;
        let h = r.data()["client"]["history"].clone();
        assert_eq!(h["totalCount"], 12);
        for n in h["nodes"].as_array().unwrap() {
            actions.push(n["action"].as_str().unwrap().to_string());
        }
        if h["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = h["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
    assert_eq!(actions.len(), 12);
    assert_eq!(actions[0], "UNSUSPEND");
    assert_eq!(actions[11], "CREATE");
    let r = app
        .gql(
            &app.admin,
            "{ auditLog(last: 2) { nodes { action } pageInfo { hasPreviousPage } } }",
            json!({}),
        )
        .await;
    let log = &r.data()["auditLog"];
    assert_eq!(log["nodes"][1]["action"], "CREATE");
    assert_eq!(log["pageInfo"]["hasPreviousPage"], true);
}
