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

async fn statements_for(app: &TestApp, n: usize) -> u64 {
    let before = app.stats.statements();
    let r = app.gql(&app.admin, RICH, json!({"n": n})).await;
    let nodes = r.data()["clients"]["nodes"].as_array().unwrap().len();
    assert_eq!(nodes, n);
    app.stats.statements() - before
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
    let ten = statements_for(&app, 10).await;
    let hundred = statements_for(&app, 100).await;
    assert_eq!(ten, hundred, "statement count grows with the page size");
    // Auth user, page, newest events (two window sizes), actors, and the rules' facts
    // (ACTIVE contacts, ACTIVE workflows, subscriptions).
    assert_eq!(hundred, 8, "statements for one page");
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
            let before = app.stats.statements();
            let r = app.gql(&app.admin, DETAIL, json!({"n": n})).await;
            assert_eq!(r.data()["clients"]["nodes"].as_array().unwrap().len(), n);
            app.stats.statements() - before
        }
    };
    let five = count(5).await;
    let forty = count(40).await;
    assert_eq!(five, forty);
    // Auth user, page, contacts, stakeholders, their users, workflows, the rules' facts.
    assert_eq!(forty, 9);
}
