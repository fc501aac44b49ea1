//! Subscriptions over graphql-transport-ws at `/graphql/ws`.
//!
//! The token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`); a
//! missing or bad one closes the socket with 4403 Forbidden, as the protocol asks. Every
//! operation passes the same limits as over HTTP, and only subscriptions are served here:
//! queries and mutations go to `POST /graphql`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as HttpResponse};
use futures_util::stream::{BoxStream, StreamExt};
use futures_util::SinkExt;

use crate::error::ErrorCode;
use crate::graphql::context::RequestAuth;
use crate::graphql::loaders::Loaders;
use crate::graphql::{limits, AppSchema};
use crate::http::{error_response, AppState};
use crate::service::{users, Actor, Services};

/// Most subscription sockets open at once; more are answered 503.
pub const MAX_SOCKETS: usize = 1_000;
/// The close code for a refused `connection_init`.
const FORBIDDEN: u16 = 4403;

/// The schema behind the socket: the HTTP limits before each operation, subscriptions
/// only, per-operation loaders, and a code on every error.
#[derive(Clone)]
struct Guarded {
    schema: AppSchema,
    queries: Arc<limits::QueryCache>,
    services: Services,
}

fn refused(message: &str) -> Response {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", ErrorCode::BadUserInput.as_str());
    Response::from_errors(vec![err])
}

fn is_subscription(request: &mut Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    let ty = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name.as_str()).map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    };
    ty == Some(OperationType::Subscription)
}

impl Executor for Guarded {
    async fn execute(&self, request: Request) -> Response {
        limits::execute(&self.schema, &self.queries, request)
            .await
            .0
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if let Err(err) = limits::check_request(&self.queries, &mut request) {
            return futures_util::stream::once(async move { Response::from_errors(vec![err]) })
                .boxed();
        }
        if !is_subscription(&mut request) {
            let answer = refused(
                "Only subscriptions are served on /graphql/ws; send queries and mutations \
                 to POST /graphql.",
            );
            return futures_util::stream::once(async move { answer }).boxed();
        }
        let request = request.data(Loaders::new(&self.services));
        self.schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .map(|mut response| {
                for err in &mut response.errors {
                    limits::tag(err);
                }
                response
            })
            .boxed()
    }
}

/// The signed-in actor of a `connection_init` payload, or `None` to refuse.
async fn authenticate(state: &AppState, payload: &serde_json::Value) -> Option<Actor> {
    let header = payload
        .get("Authorization")
        .or_else(|| payload.get("authorization"))?
        .as_str()?;
    let (scheme, token) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let user_id = state.tokens.verify(token.trim())?;
    match users::authenticate(&state.services, user_id).await {
        Ok(Some(user)) => Some(Actor::Staff(user)),
        _ => None,
    }
}

/// `GET /graphql/ws`: upgrades to graphql-transport-ws (or the older graphql-ws).
pub async fn subscriptions(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let Ok(permit) = state.sockets.clone().try_acquire_owned() else {
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal,
            "Too many subscription sockets are open; try again in a moment.",
        );
    };
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let _permit = permit;
            let rejected = Arc::new(AtomicBool::new(false));
            let (sink, stream) = socket.split();
            // A refused connection_init closes with 4403 rather than the library's 1002.
            let flag = rejected.clone();
            let sink = sink.with(move |msg: Message| {
                let msg = match msg {
                    Message::Close(_) if flag.load(Ordering::SeqCst) => {
                        Message::Close(Some(CloseFrame {
                            code: FORBIDDEN,
                            reason: "Forbidden".into(),
                        }))
                    }
                    other => other,
                };
                futures_util::future::ready(Ok::<_, axum::Error>(msg))
            });
            let executor = Guarded {
                schema: state.schema.clone(),
                queries: state.queries.clone(),
                services: state.services.clone(),
            };
            GraphQLWebSocket::new_with_pair(sink, stream, executor, protocol)
                .on_connection_init(move |payload| async move {
                    match authenticate(&state, &payload).await {
                        Some(actor) => {
                            let mut data = Data::default();
                            data.insert(RequestAuth::Staff(actor));
                            Ok(data)
                        }
                        None => {
                            rejected.store(true, Ordering::SeqCst);
                            Err("Forbidden: send a valid bearer token of an active user as \
                                 {\"Authorization\": \"Bearer <token>\"}."
                                .into())
                        }
                    }
                })
                .serve()
                .await;
        })
        .into_response()
}
