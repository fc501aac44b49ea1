//! Subscriptions over graphql-transport-ws at `/graphql/ws`.
//!
//! The token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`); a
//! missing or bad one closes the socket with 4403 Forbidden, as the protocol asks. Every
//! operation passes the same limits as over HTTP, and only subscriptions are served here:
//! queries and mutations go to `POST /graphql`.
//!
//! A socket that has not sent `connection_init` within [`INIT_TIMEOUT`] is closed with
//! 4408; one socket runs at most [`MAX_SUBSCRIPTIONS`] subscriptions at once; messages
//! are at most [`MAX_MESSAGE_BYTES`]; and every subscription ends with an
//! `UNAUTHENTICATED` error when the token it was opened with expires.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
/// The close code for a socket that did not send `connection_init` in time.
const INIT_TIMED_OUT: u16 = 4408;
/// How long a new socket has to send `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Most subscriptions one socket runs at once.
pub const MAX_SUBSCRIPTIONS: usize = 32;
/// Largest message (and frame) a client may send, as for HTTP bodies.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;
/// Most signed-in sockets one user keeps open at once, so that one user (or one leaked
/// token) cannot take every place.
pub const MAX_SOCKETS_PER_USER: usize = 16;
/// The close code for a user with [`MAX_SOCKETS_PER_USER`] sockets open already.
const TOO_MANY: u16 = 4429;

/// How many signed-in sockets each user has open.
#[derive(Clone, Default)]
pub struct SocketsPerUser(Arc<Mutex<std::collections::HashMap<uuid::Uuid, usize>>>);

impl SocketsPerUser {
    /// Takes one of the user's places, or `None` when they are all taken.
    fn take(&self, user: uuid::Uuid) -> Option<UserSocket> {
        let mut open = self.0.lock().ok()?;
        let n = open.entry(user).or_insert(0);
        if *n >= MAX_SOCKETS_PER_USER {
            return None;
        }
        *n += 1;
        Some(UserSocket {
            user,
            book: self.clone(),
        })
    }
}

/// One user's place, given back when the socket ends.
struct UserSocket {
    user: uuid::Uuid,
    book: SocketsPerUser,
}

impl Drop for UserSocket {
    fn drop(&mut self) {
        if let Ok(mut open) = self.book.0.lock() {
            if let Some(n) = open.get_mut(&self.user) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(&self.user);
                }
            }
        }
    }
}

/// The schema behind the socket: the HTTP limits before each operation, subscriptions
/// only, per-operation loaders, and a code on every error.
#[derive(Clone)]
struct Guarded {
    schema: AppSchema,
    queries: Arc<limits::QueryCache>,
    services: Services,
    /// Subscriptions of this socket running now.
    running: Arc<AtomicUsize>,
    /// When the socket's token expires; set by `connection_init`.
    expires: Arc<Mutex<Option<tokio::time::Instant>>>,
}

fn coded(code: ErrorCode, message: &str) -> Response {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
    Response::from_errors(vec![err])
}

fn refused(message: &str) -> Response {
    coded(ErrorCode::BadUserInput, message)
}

const EXPIRED: &str = "The token this socket signed in with has expired: sign in again, \
                       open a new socket and subscribe anew.";

/// Frees a subscription's slot when its stream is dropped (completed or stopped).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
        limits::execute(&self.schema, None, &self.queries, request, false)
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
        let Some(expires) = self.expires.lock().ok().and_then(|e| *e) else {
            return futures_util::stream::once(async {
                coded(ErrorCode::Unauthenticated, EXPIRED)
            })
            .boxed();
        };
        if expires <= tokio::time::Instant::now() {
            return futures_util::stream::once(async {
                coded(ErrorCode::Unauthenticated, EXPIRED)
            })
            .boxed();
        }
        if self
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_SUBSCRIPTIONS).then_some(n + 1)
            })
            .is_err()
        {
            let answer = refused(&format!(
                "A socket runs at most {MAX_SUBSCRIPTIONS} subscriptions at once; complete \
                 one first."
            ));
            return futures_util::stream::once(async move { answer }).boxed();
        }
        let slot = Slot(self.running.clone());
        let request = request.data(Loaders::new(&self.services));
        let events = self
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .map(move |mut response| {
                let _held = &slot;
                for err in &mut response.errors {
                    limits::tag(err);
                }
                response
            })
            .take_until(tokio::time::sleep_until(expires));
        // Ended by the token's expiry rather than by itself: say why.
        let expired = futures_util::stream::once(async move {
            (tokio::time::Instant::now() >= expires)
                .then(|| coded(ErrorCode::Unauthenticated, EXPIRED))
        })
        .filter_map(futures_util::future::ready);
        events.chain(expired).boxed()
    }
}

/// The signed-in actor of a `connection_init` payload and when its token expires, or
/// `None` to refuse.
async fn authenticate(
    state: &AppState,
    payload: &serde_json::Value,
) -> Option<(Actor, tokio::time::Instant)> {
    let header = payload
        .get("Authorization")
        .or_else(|| payload.get("authorization"))?
        .as_str()?;
    let (scheme, token) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let (user_id, exp) = state.tokens.verify_until(token.trim())?;
    let left = u64::try_from(exp.saturating_sub(chrono::Utc::now().timestamp())).ok()?;
    // Far-future expiries are capped so the deadline cannot overflow.
    let expires = tokio::time::Instant::now() + Duration::from_secs(left.min(10 * 365 * 24 * 3600));
    match users::authenticate(&state.services, user_id).await {
        Ok(Some(user)) => Some((Actor::Staff(user), expires)),
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
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let _permit = permit;
            let (socket_sink, stream) = socket.split();
            // The library writes into a channel rather than the socket, so that a close
            // frame can still be sent after it stops (the init timeout).
            let (mut out, outgoing) = futures_channel::mpsc::channel::<Message>(16);
            let writer = outgoing.map(Ok).forward(socket_sink);
            // Why connection_init was refused, as a close code: 4403 (bad token) or
            // 4429 (too many sockets of this user), rather than the library's 4400.
            let refusal = Arc::new(std::sync::atomic::AtomicU16::new(0));
            let code = refusal.clone();
            let sink = out
                .clone()
                .sink_map_err(axum::Error::new)
                .with(move |msg: Message| {
                    let msg = match (msg, code.load(Ordering::SeqCst)) {
                        (Message::Close(_), FORBIDDEN) => Message::Close(Some(CloseFrame {
                            code: FORBIDDEN,
                            reason: "Forbidden".into(),
                        })),
                        (Message::Close(_), TOO_MANY) => Message::Close(Some(CloseFrame {
                            code: TOO_MANY,
                            reason: "Too many sockets for this user".into(),
                        })),
                        (other, _) => other,
                    };
                    futures_util::future::ready(Ok::<_, axum::Error>(msg))
                });
            // The user's place, held until the socket ends.
            let place: Arc<Mutex<Option<UserSocket>>> = Arc::default();
            let held = place.clone();
            let expires = Arc::new(Mutex::new(None));
            let executor = Guarded {
                schema: state.schema.clone(),
                queries: state.queries.clone(),
                services: state.services.clone(),
                running: Arc::new(AtomicUsize::new(0)),
                expires: expires.clone(),
            };
            let initialised = Arc::new(AtomicBool::new(false));
            let init_seen = initialised.clone();
            let serve = GraphQLWebSocket::new_with_pair(sink, stream, executor, protocol)
                .on_connection_init(move |payload| async move {
                    init_seen.store(true, Ordering::SeqCst);
                    let Some((actor, until)) = authenticate(&state, &payload).await else {
                        refusal.store(FORBIDDEN, Ordering::SeqCst);
                        return Err("Forbidden: send a valid bearer token of an active user \
                                    as {\"Authorization\": \"Bearer <token>\"}."
                            .into());
                    };
                    let user = actor.user_id().unwrap_or_default();
                    let Some(slot) = state.sockets_per_user.take(user) else {
                        refusal.store(TOO_MANY, Ordering::SeqCst);
                        return Err(format!(
                            "This user has {MAX_SOCKETS_PER_USER} sockets open already; one \
                             socket carries many subscriptions."
                        )
                        .into());
                    };
                    if let Ok(mut p) = held.lock() {
                        *p = Some(slot);
                    }
                    if let Ok(mut e) = expires.lock() {
                        *e = Some(until);
                    }
                    let mut data = Data::default();
                    data.insert(RequestAuth::Staff(actor));
                    Ok(data)
                })
                .serve();
            let init_deadline = async {
                tokio::time::sleep(INIT_TIMEOUT).await;
                if initialised.load(Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
            };
            let session = async move {
                tokio::select! {
                    () = serve => {}
                    () = init_deadline => {
                        let _ = out
                            .send(Message::Close(Some(CloseFrame {
                                code: INIT_TIMED_OUT,
                                reason: "Connection initialisation timeout".into(),
                            })))
                            .await;
                    }
                }
                // Dropping the last sender ends the writer.
                drop(out);
            };
            tokio::pin!(writer);
            tokio::select! {
                () = session => {
                    let _ = (&mut writer).await;
                }
                // The socket failed: nothing more can be written, so the session stops.
                _ = &mut writer => {}
            }
            drop(place);
        })
        .into_response()
}
