//! Clientele: a GraphQL API server that manages a professional firm's clients through
//! their whole lifecycle.

/// JSON Web Tokens: issuing and verifying bearer tokens.
pub mod auth;
/// The command line (clap), every option also read from its environment variable.
pub mod cli;
/// Runtime configuration built from the command line.
pub mod config;
/// Connecting to SQLite or PostgreSQL and opening write transactions.
pub mod db;
/// Development mode: a generated signing secret and demo data.
pub mod dev;
/// Parsed input values (names, e-mail addresses, free text) with their limits.
pub mod domain;
/// The closed vocabulary of error codes and the one error type of the service layer.
pub mod error;
/// The GraphQL schema: types, queries, mutations, guards, loaders and limits.
pub mod graphql;
/// The HTTP surface: routes, transport rules, timeouts and panic handling.
pub mod http;
/// The process's memory: transparent huge pages off.
pub mod memory;
/// Counters and histograms served at `/metrics`.
pub mod metrics;
/// Synthetic data for benchmarks and load tests.
pub mod seed;
/// Every business rule, each change in one transaction with its audit event.
pub mod service;
/// Building the application and running it until shutdown.
pub mod startup;
/// Logging set-up.
pub mod telemetry;
/// RFC 3339 text of UTC times, written and read without chrono's general formatter.
pub mod timestamp;
/// Subscriptions over graphql-transport-ws.
pub mod ws;
