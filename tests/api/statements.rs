use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

const RICH: &str = "query($n: Int) {
  clients(first: $n, orderBy: {field: CREATED_AT, direction: ASC}) {
    nodes {
      id name status
      availableActions { action allowed code reason }
      latestEvent { action at actor { id name } }
      history(first: 3) { nodes { action actor { name } client { id } } }
    }
  }
}";

/// Statements sent to read the signed-in user of the next request: none on PostgreSQL,
/// where the server keeps signed-in users between requests (see `service::signed_in`;
/// a request just before makes sure the admin is kept), one on SQLite (which reads the
/// count of changes to `users` with it).
async fn sign_in_statements(app: &TestApp) -> u64 {
    app.gql(&app.admin, "{ me { id } }", json!({})).await.data();
    if !clientele::db::is_postgres(&app.services.db) {
        return 1;
    }
    u64::from(app.services.signed_in.get(app.admin.id).is_none())
}

/// Waits until the staff a page names may be remembered between requests: on
/// PostgreSQL once the server listens for changes to `users`, on SQLite once a request
/// has read the count of changes with its signed-in user.
async fn users_remembered(app: &TestApp) {
    app.gql(&app.admin, "{ me { id } }", json!({})).await.data();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while app.services.signed_in.before_read().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server does not hear of changes to users"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Statements of one request besides reading its signed-in user. The request is sent
/// once before it is counted, so that the staff it names (actors) are remembered, as they
/// are for every page after a screen's first.
async fn statements_for(app: &TestApp, n: usize) -> u64 {
    app.gql(&app.admin, RICH, json!({"n": n})).await.data();
    let sign_in = sign_in_statements(app).await;
    let before = app.stats.statements();
    let r = app.gql(&app.admin, RICH, json!({"n": n})).await;
    let nodes = r.data()["clients"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), n);
    for node in nodes {
        // The latest event is the history's first, read by the same statement.
        assert_eq!(
            node["latestEvent"]["action"],
            node["history"]["nodes"][0]["action"]
        );
        assert_eq!(
            node["latestEvent"]["actor"]["name"],
            node["history"]["nodes"][0]["actor"]["name"]
        );
    }
    app.stats.statements() - before - sign_in
}

/// A page of clients with their latest events, history and actors costs a fixed handful
/// of statements, whatever its size: no N+1.
#[tokio::test]
async fn a_rich_client_page_costs_the_same_statements_for_10_and_100_clients() {
    let app = spawn_app().await;
    for i in 0..100 {
        let id = app.create_client(&format!("Client {i:03}")).await;
        if i % 3 == 0 {
            app.act(&app.manager, "activateClient", &id, json!({}))
                .await
                .data();
        }
    }
    users_remembered(&app).await;
    let ten = statements_for(&app, 10).await;
    let hundred = statements_for(&app, 100).await;
    assert_eq!(ten, hundred, "statement count grows with the page size");
    // The page (with each client's counts of ACTIVE contacts and workflows, all the
    // verdicts of `availableActions` need) and the newest events (the history page's
    // first row is the latest event); the actors are remembered.
    assert_eq!(hundred, 2, "statements for one page");
}

/// The `list50-rich` query of the benchmark (bench/run), with the page size a variable.
const LIST_RICH: &str = "query($n: Int) {
  clients(filter: {status: [ACTIVE]}, first: $n, orderBy: {field: CREATED_AT, direction: ASC}) {
    edges { cursor node {
      id name email status createdAt updatedAt
      availableActions { action allowed code reason }
      latestEvent { action at fromStatus toStatus actor { id name } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}";

/// The benchmark's `list50-rich` page costs the same statements for 10 and 100 clients.
#[tokio::test]
async fn the_benchmark_rich_list_costs_the_same_statements_for_10_and_100_clients() {
    let app = spawn_app().await;
    for _ in 0..100 {
        app.client_in("ACTIVE").await;
    }
    // Clients in other statuses are filtered out, not counted.
    app.client_in("SUSPENDED").await;
    users_remembered(&app).await;
    let mut counts = Vec::new();
    for n in [10, 100] {
        app.gql(&app.admin, LIST_RICH, json!({"n": n})).await.data();
        let sign_in = sign_in_statements(&app).await;
        let before = app.stats.statements();
        let r = app.gql(&app.admin, LIST_RICH, json!({"n": n})).await;
        let edges = r.data()["clients"]["edges"].as_array().unwrap().clone();
        assert_eq!(edges.len(), n);
        for e in &edges {
            assert_eq!(e["node"]["status"], "ACTIVE");
            assert_eq!(e["node"]["availableActions"].as_array().unwrap().len(), 16);
            assert_eq!(e["node"]["latestEvent"]["action"], "ACTIVATE");
            assert!(e["node"]["latestEvent"]["actor"]["name"].is_string());
        }
        counts.push(app.stats.statements() - before - sign_in);
    }
    assert_eq!(
        counts[0], counts[1],
        "statement count grows with the page size"
    );
    // The page, with each client's latest event (the copy on its row) and counts of
    // ACTIVE contacts and workflows for the rules; the actors are remembered.
    assert_eq!(counts[1], 1, "statements for one page");
}

const DETAIL: &str = "query($n: Int) {
  clients(first: $n, orderBy: {field: CREATED_AT, direction: ASC}) {
    nodes {
      id
      contacts { id name }
      stakeholders { status user { name } }
      workflows { status assignee { name } }
      subscriptions { charge }
      currentSubscription { periodEnd }
    }
  }
}";

/// Contacts, stakeholders, workflows and subscriptions of a page are loaded once per
/// kind, not once per client.
#[tokio::test]
async fn related_rows_of_a_page_cost_the_same_statements_for_5_and_40_clients() {
    let app = spawn_app().await;
    for i in 0..40 {
        let id = app.client_in("ACTIVE").await;
        let contact = app.add_contact(&id, &format!("Contact {i}")).await;
        app.gql(
            &app.member,
            "mutation($i: StartWorkflowInput!) { startWorkflow(input: $i) { workflow { id } } }",
            json!({"i": {"clientId": id, "name": "Work", "kind": "PLAN", "assigneeContactId": contact}}),
        )
        .await
        .data();
        app.gql(
            &app.member,
            "mutation($i: StakeholderInput!) { assignStakeholder(input: $i) { stakeholder { id } } }",
            json!({"i": {"clientId": id, "userId": app.manager.id.to_string()}}),
        )
        .await
        .data();
    }
    let count = |n: usize| {
        let app = &app;
        async move {
            app.gql(&app.admin, DETAIL, json!({"n": n})).await.data();
            let sign_in = sign_in_statements(app).await;
            let before = app.stats.statements();
            let r = app.gql(&app.admin, DETAIL, json!({"n": n})).await;
            assert_eq!(r.data()["clients"]["nodes"].as_array().unwrap().len(), n);
            app.stats.statements() - before - sign_in
        }
    };
    users_remembered(&app).await;
    let five = count(5).await;
    let forty = count(40).await;
    assert_eq!(five, forty);
    // Page, contacts, stakeholders, workflows, the rules' facts (ACTIVE contacts and
    // workflows in one, subscriptions in another); the stakeholders' users are
    // remembered.
    assert_eq!(forty, 6);
}

/// A page that asks only for `availableActions` reads the rules' facts without the
/// clients' subscriptions; a page or a client of the same request that asks for
/// subscriptions still gets them (`Primed::keep_facts` holds the order in which pages
/// are read to the same rule).
#[tokio::test]
async fn subscriptions_are_answered_beside_pages_that_read_facts_without_them() {
    let app = spawn_app().await;
    let id = app.client_in("ACTIVE").await;
    let query = "query($id: ID!) {
      verdicts: clients(first: 5) { nodes { id availableActions { action allowed code } } }
      billing: clients(first: 5) {
        nodes { id availableActions { action allowed code } subscriptions { charge }
                currentSubscription { charge } }
      }
      client(id: $id) { subscriptions { charge } currentSubscription { charge } }
    }";
    let r = app.gql(&app.admin, query, json!({"id": id})).await;
    let data = r.data();
    assert_eq!(data["client"]["subscriptions"][0]["charge"], "INVOICED");
    assert_eq!(data["client"]["currentSubscription"]["charge"], "INVOICED");
    let billing = data["billing"]["nodes"].as_array().unwrap();
    let node = billing.iter().find(|n| n["id"] == id.as_str()).unwrap();
    assert_eq!(node["subscriptions"], data["client"]["subscriptions"]);
    assert_eq!(node["currentSubscription"]["charge"], "INVOICED");
    let verdicts = data["verdicts"]["nodes"].as_array().unwrap();
    assert_eq!(verdicts.len(), billing.len());
    for (v, b) in verdicts.iter().zip(billing) {
        assert_eq!(v["availableActions"], b["availableActions"]);
    }
}
