//! The GraphQL schema. Knows nothing of HTTP: `http` hands it requests.

use async_graphql::{MergedObject, SDLExportOptions, Schema};

use crate::service::Services;

/// Previews of lifecycle actions, and bulk actions.
pub mod actions;
/// What a resolver reads from the request context.
pub mod context;
/// Role guards on fields.
pub mod guards;
/// Who holds an address, scheduled actions, lifecycle statistics.
pub mod insight;
/// Writing answers as JSON.
pub mod json;
/// Request limits and the error-code safety net.
pub mod limits;
/// Per-request data loaders.
pub mod loaders;
/// Mutation roots.
pub mod mutation;
/// Plain fields resolved without a future each.
pub mod plain;
/// Query roots.
pub mod query;
/// The subscription root.
pub mod subscription;
/// Object, enum and connection types.
pub mod types;
/// Webhooks and their deliveries.
pub mod webhooks;

/// Every query root field.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    query::ClientQuery,
    actions::PreviewQuery,
    insight::InsightQuery,
    query::StaffQuery,
    webhooks::WebhookQuery,
);

/// Every mutation root field.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    mutation::ClientMutation,
    mutation::LifecycleMutation,
    actions::BulkMutation,
    mutation::ContactMutation,
    mutation::WorkMutation,
    mutation::StaffMutation,
    webhooks::WebhookMutation,
);

/// The schema served at `/graphql`.
pub type AppSchema = Schema<QueryRoot, MutationRoot, subscription::SubscriptionRoot>;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, subscription::SubscriptionRoot>
{
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .limit_depth(limits::MAX_DEPTH)
    .limit_complexity(limits::MAX_COMPLEXITY)
    .limit_recursive_depth(limits::MAX_NESTING)
    .limit_directives(8)
}

/// Builds the schema with the services every resolver uses. Without introspection,
/// `__schema` and `__type` are refused (see [`limits::measure`]) and errors never
/// suggest field names.
pub fn build_schema(services: Services, introspection: bool) -> AppSchema {
    build(
        services,
        introspection,
        async_graphql::ValidationMode::Strict,
    )
}

/// The same schema, but validating with async-graphql's few fast rules only (depth,
/// complexity, fragment cycles): for documents that already passed every rule with the
/// same operation and variables (see [`limits::execute`]).
pub fn build_prevalidated_schema(services: Services, introspection: bool) -> AppSchema {
    build(services, introspection, async_graphql::ValidationMode::Fast)
}

fn build(
    services: Services,
    introspection: bool,
    mode: async_graphql::ValidationMode,
) -> AppSchema {
    let builder = builder().data(services).validation_mode(mode);
    if introspection {
        builder.finish()
    } else {
        builder
            .disable_introspection()
            .disable_suggestions()
            .finish()
    }
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().prefer_single_line_descriptions())
}
