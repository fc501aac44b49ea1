//! The benchmark's seed (`clientele seed`): the client book it writes, read back
//! through the API.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::spawn_app;

const PAGE: &str = "query($after: String) {
  clients(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
    nodes {
      email status createdAt
      latestEvent { id action toStatus at actor { email } }
      history(first: 3) { totalCount edges { node { id action } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}";

/// Two firms of 1,050 clients: the first firm's rows cross the 1,000-row batch.
#[tokio::test]
async fn the_seed_writes_the_benchmark_client_book() {
    let app = spawn_app().await;
    let seeded = clientele::seed::seed(&app.services, 2, 2_100)
        .await
        .unwrap();
    assert_eq!(seeded.firms.len(), 2);
    assert_eq!(seeded.clients, 2_100);
    let now = app.services.clock.now();
    let mut events = 0;
    for (n, (_, admin_email)) in seeded.firms.iter().enumerate() {
        assert_eq!(admin_email, &clientele::seed::admin_email(n + 1));
        let admin = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(admin_email.as_str()))
            .one(&app.services.db)
            .await
            .unwrap()
            .expect("the firm's admin");
        assert_eq!(admin.role, entity::Role::Admin);
        let token = app
            .tokens
            .issue(admin.id, std::time::Duration::from_secs(600))
            .unwrap();
        let mut clients: Vec<Value> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let r = app
                .gql_as(Some(&token), PAGE, json!({ "after": after }))
                .await;
            let page = r.data()["clients"].clone();
            clients.extend(page["nodes"].as_array().unwrap().iter().cloned());
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        assert_eq!(clients.len(), 1_050, "firm {n}'s clients");

        // The status mix: 70% ACTIVE, 10% SUSPENDED, 10% INACTIVE, 5% ARCHIVED, 5% DISCARDED.
        let mut by_status: HashMap<&str, usize> = HashMap::new();
        for c in &clients {
            *by_status.entry(c["status"].as_str().unwrap()).or_default() += 1;
        }
        for (status, percent) in [
            ("ACTIVE", 70.0),
            ("SUSPENDED", 10.0),
            ("INACTIVE", 10.0),
            ("ARCHIVED", 5.0),
            ("DISCARDED", 5.0),
        ] {
            let share = *by_status.get(status).unwrap_or(&0) as f64 * 100.0 / 1_050.0;
            assert!(
                (share - percent).abs() < 4.0,
                "{status}: {share:.1}% of the clients, {percent}% wanted"
            );
        }
        assert_eq!(by_status.values().sum::<usize>(), 1_050, "{by_status:?}");

        // One in seven without an e-mail address.
        let without = clients.iter().filter(|c| c["email"].is_null()).count();
        assert_eq!(without, 150);

        let time = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
        let first = time(&clients[0]["createdAt"]);
        let last = time(&clients[clients.len() - 1]["createdAt"]);
        // Created over the two years before now.
        assert!(first >= now - Duration::days(730) && first < now - Duration::days(700));
        assert!(last <= now && last > now - Duration::days(30));
        for c in &clients {
            let history = &c["history"];
            let count = history["totalCount"].as_i64().unwrap();
            // The CREATE event, and the event that brought it to its status.
            assert_eq!(count, if c["status"] == "ACTIVE" { 1 } else { 2 }, "{c}");
            events += count;
            let newest = &history["edges"][0]["node"];
            let latest = &c["latestEvent"];
            assert_eq!(latest["id"], newest["id"], "the copy on the row: {c}");
            assert_eq!(latest["toStatus"], c["status"]);
            assert_eq!(latest["actor"]["email"], admin_email.as_str());
            assert!(time(&latest["at"]) >= time(&c["createdAt"]));
            assert_eq!(
                history["edges"][count as usize - 1]["node"]["action"],
                "CREATE"
            );
        }
    }
    assert_eq!(seeded.events as i64, events);
}
