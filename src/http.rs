//! The HTTP surface. Knows nothing of resolvers: it authenticates, enforces the transport
//! rules of SPEC section 5 and hands a request to the schema.

use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::auth::Tokens;
use crate::error::{ErrorCode, INTERNAL_MESSAGE};
use crate::graphql::context::RequestAuth;
use crate::graphql::loaders::Loaders;
use crate::graphql::{limits, AppSchema};
use crate::metrics::{self, Metrics};
use crate::service::{users, Actor, Services};
use crate::telemetry;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    /// The schema for documents already validated (see [`limits::execute`]).
    pub prevalidated_schema: AppSchema,
    pub services: Services,
    pub tokens: Arc<Tokens>,
    pub queries: Arc<limits::QueryCache>,
    pub metrics: Arc<Metrics>,
    /// Whether the GraphiQL page is served (off with introspection).
    pub graphiql: bool,
    /// Room for subscription sockets (see [`crate::ws::MAX_SOCKETS`]).
    pub sockets: Arc<tokio::sync::Semaphore>,
    /// Signed-in subscription sockets per user (see [`crate::ws::MAX_SOCKETS_PER_USER`]).
    pub sockets_per_user: crate::ws::SocketsPerUser,
    /// How long one request may run (`CLIENTELE_REQUEST_TIMEOUT`); resolvers that do many
    /// things in turn stop starting new ones before it runs out.
    pub request_timeout: Duration,
}

/// A JSON body in the GraphQL error shape, for refusals made before the schema runs.
pub fn error_response(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    (status, axum::Json(body)).into_response()
}

/// How the router bounds the work it takes on.
#[derive(Debug, Clone, Copy)]
pub struct RouterLimits {
    /// How long one request may run.
    pub request_timeout: Duration,
    /// Most requests served at once (GraphQL and GraphiQL); beyond it a request is
    /// answered 503 with `Retry-After` at once instead of waiting in a queue.
    pub max_in_flight: usize,
}

/// The routes, with load shedding, timeout, panic, trace and request-id layers. Health,
/// readiness and metrics are never shed, so operators can see an overloaded server.
pub fn router(state: AppState, limits: RouterLimits, test_routes: bool) -> Router {
    let mut work = Router::new().route("/graphql", get(graphql_get).post(graphql_post));
    if state.graphiql {
        work = work
            .route("/graphiql", get(graphiql))
            .route("/", get(|| async { Redirect::temporary("/graphiql") }));
    }
    if test_routes {
        work = work
            .route("/test/panic", get(test_panic))
            .route("/test/sleep", get(test_sleep));
    }
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight.max(1)));
    let metrics = state.metrics.clone();
    let work = work.route_layer(
        tower::ServiceBuilder::new()
            .layer(HandleErrorLayer::new(move |_: tower::BoxError| {
                let metrics = metrics.clone();
                async move {
                    metrics.record_shed();
                    overloaded()
                }
            }))
            .layer(tower::load_shed::LoadShedLayer::new())
            .layer(tower::limit::GlobalConcurrencyLimitLayer::with_semaphore(
                permits,
            )),
    );
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        // Long-lived sockets, bounded by their own limit rather than the request slots.
        .route("/graphql/ws", get(crate::ws::subscriptions))
        .merge(work)
        .with_state(state)
        .layer(middleware::from_fn_with_state(
            limits.request_timeout,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(middleware::from_fn(telemetry::request_id))
}

/// The answer to a request that arrives while the server is at its limit.
fn overloaded() -> Response {
    let mut res = error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal,
        "The server is busy; nothing was done. Try again in a moment.",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(timeout = ?limit, "request timed out");
            let mut res = error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Internal,
                &format!(
                    "The request did not finish within {} and was cancelled; nothing it had not \
                     committed was kept. Try again.",
                    humantime::format_duration(limit)
                ),
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            res
        }
    }
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| err.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "panic while handling a request");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::Internal,
        INTERNAL_MESSAGE,
    )
}

async fn test_panic() -> Response {
    panic!("deliberate panic from the test route")
}

async fn test_sleep(RawQuery(q): RawQuery) -> &'static str {
    let ms = q
        .as_deref()
        .and_then(|q| q.strip_prefix("ms="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    "slept"
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Clientele GraphiQL")
            .finish(),
    )
}

async fn readyz(State(state): State<AppState>) -> Response {
    if crate::db::ping(&state.services.db).await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// `application/json`, with no charset or `charset=utf-8` (JSON is UTF-8; a body
/// declared in another encoding would be misread, so it is refused).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';');
    let essence_ok = parts
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
    essence_ok
        && parts.all(|param| match param.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
}

/// POST: only `application/json`, at most 1 MiB, one operation (no batches).
async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    match post_request(&headers, body).await {
        Ok(request) => execute(&state, &headers, request, started).await,
        Err(refusal) => state.refused(refusal, started),
    }
}

/// The GraphQL request of a POST body, or the answer refusing it.
async fn post_request(headers: &HeaderMap, body: Body) -> Result<async_graphql::Request, Response> {
    if !is_json(headers) {
        return Err(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadUserInput,
            "Send GraphQL requests as POST with Content-Type: application/json (UTF-8).",
        ));
    }
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            "The request body is larger than 1 MiB.",
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return Err(too_large());
    };
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            "Batched requests are not supported: send one operation per request.",
        ));
    }
    serde_json::from_slice(&bytes).map_err(|err| {
        error_response(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadUserInput,
            &format!("The body is not a GraphQL request in JSON: {err}"),
        )
    })
}

/// The query-string parameters of a GET request (GraphQL over HTTP).
#[derive(Debug, serde::Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName", alias = "operation_name")]
    operation_name: Option<String>,
    variables: Option<String>,
}

/// GET: queries only; a mutation answers 405 so that links and forms cannot act.
async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, QueryRejection>,
) -> Response {
    let started = Instant::now();
    let bad = |message: String| {
        state.refused(
            error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, &message),
            started,
        )
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(err) => return bad(format!("The query string is not a GraphQL request: {err}")),
    };
    let Some(query) = params.query else {
        if state.graphiql {
            return Redirect::temporary("/graphiql").into_response();
        }
        return bad("Send a GraphQL query: POST a JSON body, or GET with ?query=…".to_string());
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables.filter(|v| !v.is_empty()) {
        match serde_json::from_str(&vars) {
            Ok(v) => request = request.variables(v),
            Err(err) => return bad(format!("variables is not a JSON object: {err}")),
        }
    }
    // The limits run before parsing, which is needed to see the operation type.
    if let Err(err) = limits::check_request(&state.queries, &mut request) {
        return bad(err.message);
    }
    let name = request.operation_name.clone();
    let is_query = match request.parsed_query() {
        Ok(doc) => {
            let op = match (&doc.operations, name.as_deref()) {
                (DocumentOperations::Single(op), _) => Some(op),
                (DocumentOperations::Multiple(ops), Some(name)) => ops
                    .iter()
                    .find(|(k, _)| k.as_str() == name)
                    .map(|(_, op)| op),
                (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
                (DocumentOperations::Multiple(_), None) => None,
            };
            // An unknown operation is left to the schema, which refuses it.
            op.is_none_or(|op| op.node.ty == OperationType::Query)
        }
        Err(_) => true,
    };
    if !is_query {
        let mut res = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadUserInput,
            "Mutations and subscriptions are only accepted as POST with Content-Type: \
             application/json.",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return state.refused(res, started);
    }
    execute(&state, &headers, request, started).await
}

async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    request: async_graphql::Request,
    started: Instant,
) -> Response {
    let auth = match authenticate(state, headers).await {
        Ok(auth) => auth,
        Err(res) => return state.refused(*res, started),
    };
    let request = request.data(auth).data(Loaders::new(&state.services)).data(
        crate::graphql::context::RequestDeadline::new(started, state.request_timeout),
    );
    // The answer is written by `graphql_response`, which understands ready-made JSON.
    let (response, operation) = limits::execute(
        &state.schema,
        Some(&state.prevalidated_schema),
        &state.queries,
        request,
        true,
    )
    .await;
    let operation = state.metrics.operation_label(operation.as_deref());
    state
        .metrics
        .record_request(operation, limits::outcome(&response), started.elapsed());
    graphql_response(response)
}

/// The HTTP answer of an executed request: the JSON body (written by
/// `graphql::json`), its content type, the cache policy of a successful query, and any
/// headers a resolver set.
fn graphql_response(response: async_graphql::Response) -> Response {
    let mut pieces = crate::graphql::json::response_body(&response);
    let body = if pieces.len() == 1 {
        Body::from(pieces.pop().unwrap_or_default())
    } else {
        Body::new(Pieces::new(pieces))
    };
    let mut res = Response::new(body);
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/graphql-response+json"),
    );
    if response.is_ok() {
        if let Some(value) = response
            .cache_control
            .value()
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
    headers.extend(response.http_headers);
    res
}

/// A body sent as the pieces it was written in, with its length known (hyper writes
/// them with one vectored write and a `Content-Length`, as it does a single piece).
struct Pieces {
    pieces: std::collections::VecDeque<bytes::Bytes>,
    left: u64,
}

impl Pieces {
    fn new(pieces: Vec<bytes::Bytes>) -> Self {
        let left = pieces.iter().map(|p| p.len() as u64).sum();
        Self {
            pieces: pieces.into(),
            left,
        }
    }
}

impl http_body::Body for Pieces {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let piece = this.pieces.pop_front();
        if let Some(piece) = &piece {
            this.left -= piece.len() as u64;
        }
        std::task::Poll::Ready(piece.map(|p| Ok(http_body::Frame::data(p))))
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

impl AppState {
    /// Counts a GraphQL request answered before it reached the schema.
    fn refused(&self, response: Response, started: Instant) -> Response {
        let code = if response.status().is_server_error() {
            ErrorCode::Internal
        } else {
            ErrorCode::BadUserInput
        };
        self.metrics.record_request(
            metrics::INVALID_OPERATION.to_string(),
            code.as_str(),
            started.elapsed(),
        );
        response
    }
}

/// The server's counters, with the database pools read at the time of the scrape.
async fn metrics_text(State(state): State<AppState>) -> Response {
    for (pool, stats) in state.services.pool_stats() {
        state
            .metrics
            .set_pool(pool, stats.in_use, stats.idle, stats.max);
    }
    state
        .metrics
        .set_acquire_timeouts(crate::db::acquire_timeouts());
    state
        .metrics
        .set_pool_waiting(crate::db::connections_waiting());
    // The backlog gauges keep their last value when the database does not answer.
    let svc = &state.services;
    if let (Ok(oldest), Ok((pending, failed))) = (
        crate::service::scheduler::oldest_due(svc).await,
        crate::service::outbox::depth(svc).await,
    ) {
        let lag = oldest
            .and_then(|due| (svc.clock.now() - due).to_std().ok())
            .unwrap_or_default();
        state.metrics.set_backlog(lag, pending, failed);
    }
    if let Ok((pending, failed)) = crate::service::webhooks::depth(svc).await {
        state.metrics.set_webhook_backlog(pending, failed);
    }
    (
        [(header::CONTENT_TYPE, metrics::CONTENT_TYPE)],
        state.metrics.render(),
    )
        .into_response()
}

/// Reads the bearer token and loads its user; the role is always the database's.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<RequestAuth, Box<Response>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(RequestAuth::Anonymous);
    };
    let token = value.to_str().ok().and_then(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    let Some(user_id) = token.and_then(|t| state.tokens.verify(t)) else {
        return Ok(RequestAuth::Anonymous);
    };
    match users::authenticate(&state.services, user_id).await {
        Ok(Some(user)) => Ok(RequestAuth::Staff(Actor::Staff(user))),
        Ok(None) => Ok(RequestAuth::Anonymous),
        Err(_) => Err(Box::new(error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal,
            INTERNAL_MESSAGE,
        ))),
    }
}
