use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

/// The committed `schema.graphql` is exactly what the server serves.
#[test]
fn schema_graphql_matches_the_served_schema() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql at the repository root");
    let served = clientele::graphql::sdl();
    assert!(
        committed == served,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql`"
    );
}

/// Every type, field, argument, input field and enum value has a description.
#[test]
fn everything_in_the_schema_is_described() {
    let doc = async_graphql::parser::parse_schema(clientele::graphql::sdl()).unwrap();
    let mut missing = Vec::new();
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = &t.node;
        let name = t.name.node.to_string();
        if t.description.is_none() {
            missing.push(name.clone());
        }
        match &t.kind {
            TypeKind::Object(o) => {
                for f in &o.fields {
                    let f = &f.node;
                    if f.description.is_none() {
                        missing.push(format!("{name}.{}", f.name.node));
                    }
                    for a in &f.arguments {
                        if a.node.description.is_none() {
                            missing.push(format!("{name}.{}({})", f.name.node, a.node.name.node));
                        }
                    }
                }
            }
            TypeKind::InputObject(i) => {
                for f in &i.fields {
                    if f.node.description.is_none() {
                        missing.push(format!("{name}.{}", f.node.name.node));
                    }
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.values {
                    if v.node.description.is_none() {
                        missing.push(format!("{name}.{}", v.node.value.node));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:?}");
}

/// The API names of the specification appear exactly.
#[test]
fn the_spec_names_are_in_the_schema() {
    let sdl = clientele::graphql::sdl();
    for name in [
        "activateClient",
        "scheduleActivation",
        "suspendClient",
        "unsuspendClient",
        "deactivateClient",
        "reactivateClient",
        "archiveClient",
        "unarchiveClient",
        "discardClient",
        "restoreClient",
        "decommissionClient",
        "cancelScheduledDecommission",
        "disconnectClient",
        "deleteClient",
        "revokePortalAccess",
        "restorePortalAccess",
        "createClient",
        "updateClient",
        "createUser",
        "changeUserRole",
        "deactivateUser",
        "clientStatusCounts",
        "auditLog",
        "availableActions",
        "expectedVersion",
        "notifyClient",
        "effectiveAt",
        "accountOwnerContactId",
        "confirmName",
        "deletedClientId",
        "purged",
        "totalCount",
        "pageInfo",
        "hasNextPage",
        "hasPreviousPage",
        "startCursor",
        "endCursor",
        "decommissionScheduled",
        "portalAccess",
        "statusBeforeArchive",
        "statusChangedAt",
        "STATUS_CHANGED_AT",
        "NON_PAYMENT",
        "MOVED_TO_ANOTHER_FIRM",
        "SELF_PAYING",
        "ACCOUNT_OWNER_REQUIRED",
        "CONFIRMATION_MISMATCH",
    ] {
        assert!(sdl.contains(name), "{name} missing from the schema");
    }
}
