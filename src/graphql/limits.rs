//! Limits that keep one request from costing more than its size suggests. They run
//! before async-graphql does any work proportional to the query (see SECURITY notes in
//! the README): a bracket-nesting scan on the raw text, then a count of fields, aliases
//! and directives with fragments expanded (memoised), then async-graphql's own depth
//! and complexity limits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{
    ObjectType, Request, Response, Schema, ServerError, SubscriptionType, Value, Variables,
};

use crate::error::{ErrorCode, INTERNAL_MESSAGE};

/// Deepest nesting of `{`, `[` and `(` accepted in a query text.
pub const MAX_NESTING: usize = 40;
/// Most field selections a request may make, fragments expanded.
pub const MAX_FIELDS: usize = 2_000;
/// Deepest selection nesting (async-graphql's depth limit).
pub const MAX_DEPTH: usize = 20;
/// Highest complexity (fields, with connections weighted by their page size).
pub const MAX_COMPLEXITY: usize = 10_000;
/// Longest query text accepted.
pub const MAX_QUERY_BYTES: usize = 100_000;

/// Complexity of a connection field: its page size times its children, computed with
/// saturating arithmetic and capped far below `usize::MAX`.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .unwrap_or(crate::service::pagination::DEFAULT_PAGE)
        .clamp(0, crate::service::pagination::MAX_PAGE);
    (usize::try_from(n).unwrap_or(0).max(1))
        .saturating_mul(child.max(1))
        .min(1_000_000)
}

/// Refuses queries whose brackets nest deeper than [`MAX_NESTING`], skipping strings,
/// block strings and comments. Runs in one pass with no recursion.
pub fn check_nesting(query: &str) -> Result<(), String> {
    let bytes = query.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "The query nests brackets deeper than {MAX_NESTING} levels."
                    ));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Most aliased fields a request may select, fragments expanded: 101 aliases of one
/// cheap field is the classic probe for alias overloading.
pub const MAX_ALIASES: usize = 100;
/// Most directives on one field, fragment spread or inline fragment (`@include` and
/// `@skip` are the only ones the schema knows).
pub const MAX_DIRECTIVES: usize = 4;

/// Why a document was refused before validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// More than [`MAX_FIELDS`] field selections (or a fragment cycle).
    Fields,
    /// More than [`MAX_ALIASES`] aliased fields.
    Aliases,
    /// More than [`MAX_DIRECTIVES`] directives in one place.
    Directives,
    /// `__schema` or `__type` while introspection is off.
    Introspection,
}

impl Refusal {
    fn message(self) -> String {
        match self {
            Refusal::Fields => {
                format!("The query selects more than {MAX_FIELDS} fields (fragments expanded).")
            }
            Refusal::Aliases => {
                format!("The query uses more than {MAX_ALIASES} aliases (fragments expanded).")
            }
            Refusal::Directives => {
                format!("The query puts more than {MAX_DIRECTIVES} directives on one selection.")
            }
            Refusal::Introspection => "Introspection is turned off on this server; the schema \
                 is published as schema.graphql."
                .to_string(),
        }
    }
}

/// Field selections and aliases of a document, every fragment spread expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub fields: usize,
    pub aliases: usize,
}

impl Shape {
    fn add(self, other: Shape) -> Option<Shape> {
        Some(Shape {
            fields: self.fields.checked_add(other.fields)?,
            aliases: self.aliases.checked_add(other.aliases)?,
        })
    }
}

/// Measures a document before validation: counts field selections and aliases with
/// every fragment spread expanded (each fragment measured once), and stops at the first
/// limit passed. A fragment cycle counts as too many fields. With `introspection` false,
/// a `__schema` or `__type` selection anywhere is refused.
pub fn measure(doc: &ExecutableDocument, introspection: bool) -> Result<Shape, Refusal> {
    struct Walk<'a> {
        doc: &'a ExecutableDocument,
        memo: HashMap<&'a str, Option<Shape>>,
        introspection: bool,
    }
    impl<'a> Walk<'a> {
        fn check(total: Shape) -> Result<Shape, Refusal> {
            if total.fields > MAX_FIELDS {
                Err(Refusal::Fields)
            } else if total.aliases > MAX_ALIASES {
                Err(Refusal::Aliases)
            } else {
                Ok(total)
            }
        }

        fn set(&mut self, set: &'a SelectionSet) -> Result<Shape, Refusal> {
            let mut total = Shape::default();
            for item in &set.items {
                let (n, directives) = match &item.node {
                    Selection::Field(f) => {
                        let name = f.node.name.node.as_str();
                        if !self.introspection && (name == "__schema" || name == "__type") {
                            return Err(Refusal::Introspection);
                        }
                        let own = Shape {
                            fields: 1,
                            aliases: usize::from(f.node.alias.is_some()),
                        };
                        let below = self.set(&f.node.selection_set.node)?;
                        (
                            own.add(below).ok_or(Refusal::Fields)?,
                            f.node.directives.len(),
                        )
                    }
                    Selection::InlineFragment(f) => (
                        self.set(&f.node.selection_set.node)?,
                        f.node.directives.len(),
                    ),
                    Selection::FragmentSpread(s) => (
                        self.fragment(s.node.fragment_name.node.as_str())?,
                        s.node.directives.len(),
                    ),
                };
                if directives > MAX_DIRECTIVES {
                    return Err(Refusal::Directives);
                }
                total = Self::check(total.add(n).ok_or(Refusal::Fields)?)?;
            }
            Ok(total)
        }

        fn fragment(&mut self, name: &'a str) -> Result<Shape, Refusal> {
            if let Some(known) = self.memo.get(name) {
                return known.ok_or(Refusal::Fields);
            }
            // Marked as over the limit while being measured: a cycle stays over.
            self.memo.insert(name, None);
            let doc = self.doc;
            let shape = match doc.fragments.iter().find(|(k, _)| k.as_str() == name) {
                Some((_, frag)) => {
                    if frag.node.directives.len() > MAX_DIRECTIVES {
                        return Err(Refusal::Directives);
                    }
                    self.set(&frag.node.selection_set.node)?
                }
                None => Shape::default(),
            };
            self.memo.insert(name, Some(shape));
            Ok(shape)
        }
    }
    let mut walk = Walk {
        doc,
        memo: HashMap::new(),
        introspection,
    };
    let mut total = Shape::default();
    for (_, op) in doc.operations.iter() {
        if op.node.directives.len() > MAX_DIRECTIVES {
            return Err(Refusal::Directives);
        }
        let shape = walk.set(&op.node.selection_set.node)?;
        total = Walk::check(total.add(shape).ok_or(Refusal::Fields)?)?;
    }
    Ok(total)
}

fn coded(message: impl Into<String>, code: ErrorCode) -> ServerError {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
    err
}

fn code_of(err: &ServerError) -> Option<&Value> {
    err.extensions.as_ref().and_then(|e| e.get("code"))
}

/// Longest query text whose parsed document is kept for reuse.
const MAX_CACHED_QUERY_BYTES: usize = 8_192;
/// Most parsed documents kept; the cache starts afresh when full.
const MAX_CACHED_QUERIES: usize = 256;

/// Parsed documents by query text. Screens send the same few queries again and again,
/// and parsing a page query costs about as much as running it. Only documents that
/// passed the limits are kept, so a hit skips the checks too. Also holds whether
/// introspection is allowed, which the checks depend on.
pub struct QueryCache {
    docs: Mutex<HashMap<String, Arc<CachedDocument>>>,
    introspection: bool,
}

/// A parsed document that passed the limits, with the operations and variables it has
/// already run with and passed async-graphql's validation.
pub struct CachedDocument {
    doc: ExecutableDocument,
    checked: Checked,
    /// Operation name and variables of runs that passed validation, oldest first.
    validated: Mutex<Vec<(Option<String>, Variables)>>,
}

/// Most sets of variables remembered as validated for one document; the oldest is
/// forgotten first.
const MAX_VALIDATED_RUNS: usize = 64;
/// Largest variables remembered (values, counting each item and field, and the bytes
/// of their strings): a screen's ids, filters and cursors, not bulk input.
const MAX_REMEMBERED_VARIABLES: usize = 1_024;

impl CachedDocument {
    /// Whether a run with this operation name and these variables passed validation.
    fn validated(&self, request: &Request) -> bool {
        self.validated.lock().is_ok_and(|runs| {
            runs.iter()
                .any(|(name, vars)| *name == request.operation_name && *vars == request.variables)
        })
    }

    /// Remembers that a run passed validation.
    fn remember(&self, run: (Option<String>, Variables)) {
        if let Ok(mut runs) = self.validated.lock() {
            if runs.contains(&run) {
                return;
            }
            if runs.len() >= MAX_VALIDATED_RUNS {
                runs.remove(0);
            }
            runs.push(run);
        }
    }
}

/// Whether variables are small enough to remember (see [`MAX_REMEMBERED_VARIABLES`]).
fn small(vars: &Variables) -> bool {
    fn take(budget: &mut usize, cost: usize) -> bool {
        budget
            .checked_sub(cost)
            .map(|left| *budget = left)
            .is_some()
    }
    fn fits(value: &Value, budget: &mut usize) -> bool {
        let bytes = match value {
            Value::String(s) => s.len(),
            Value::Binary(b) => b.len(),
            _ => 0,
        };
        take(budget, bytes + 1)
            && match value {
                Value::List(items) => items.iter().all(|v| fits(v, budget)),
                Value::Object(fields) => fields
                    .iter()
                    .all(|(k, v)| take(budget, k.len()) && fits(v, budget)),
                _ => true,
            }
    }
    let mut budget = MAX_REMEMBERED_VARIABLES;
    vars.iter()
        .all(|(k, v)| take(&mut budget, k.len()) && fits(v, &mut budget))
}

impl Default for QueryCache {
    fn default() -> Self {
        QueryCache::new(true)
    }
}

impl QueryCache {
    /// An empty cache for a server with introspection on or off.
    pub fn new(introspection: bool) -> Self {
        QueryCache {
            docs: Mutex::default(),
            introspection,
        }
    }

    fn get(&self, query: &str) -> Option<Arc<CachedDocument>> {
        self.docs.lock().ok()?.get(query).cloned()
    }

    fn put(&self, query: &str, doc: &ExecutableDocument, checked: Checked) {
        if query.len() > MAX_CACHED_QUERY_BYTES {
            return;
        }
        if let Ok(mut docs) = self.docs.lock() {
            if docs.len() >= MAX_CACHED_QUERIES {
                docs.clear();
            }
            let cached = CachedDocument {
                doc: doc.clone(),
                checked,
                validated: Mutex::default(),
            };
            docs.insert(query.to_owned(), Arc::new(cached));
        }
    }
}

/// Checks a request's query text and shape before anything else runs, and leaves the
/// parsed document in the request.
pub fn check_request(cache: &QueryCache, request: &mut Request) -> Result<Checked, ServerError> {
    checked_entry(cache, request).map(|(checked, _)| checked)
}

/// `check_request`, and the cache's entry of the document when it has one.
fn checked_entry(
    cache: &QueryCache,
    request: &mut Request,
) -> Result<(Checked, Option<Arc<CachedDocument>>), ServerError> {
    if let Some(cached) = cache.get(&request.query) {
        request.set_parsed_query(ExecutableDocument::clone(&cached.doc));
        return Ok((cached.checked, Some(cached)));
    }
    if request.query.len() > MAX_QUERY_BYTES {
        return Err(coded(
            format!("The query is longer than {MAX_QUERY_BYTES} bytes."),
            ErrorCode::BadUserInput,
        ));
    }
    check_nesting(&request.query).map_err(|m| coded(m, ErrorCode::BadUserInput))?;
    let query = request.query.clone();
    let doc = request.parsed_query().map_err(|mut e| {
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", ErrorCode::BadUserInput.as_str());
        e
    })?;
    measure(doc, cache.introspection).map_err(|r| coded(r.message(), ErrorCode::BadUserInput))?;
    let checked = Checked {
        merges_objects: super::plain::merges_objects(doc),
        unique_keys: !super::plain::repeats_keys(doc),
    };
    cache.put(&query, doc, checked);
    Ok((checked, None))
}

/// What checking a document found out about it.
#[derive(Debug, Clone, Copy)]
pub struct Checked {
    /// Whether it can merge two fields with selections under one key (see
    /// `plain::merges_objects`).
    pub merges_objects: bool,
    /// Whether no selection set repeats a response key (see `plain::repeats_keys`).
    pub unique_keys: bool,
}

/// The name of the operation a checked request runs: the one it names, or the only
/// named operation of its document.
pub fn operation_name(request: &mut Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|k| k.to_string())
        }
        _ => None,
    }
}

/// Runs a request with the limits in front and, behind, a safety net that gives every
/// error a code. Done around `Schema::execute` rather than as a schema extension: an
/// extension puts a hook on every field resolved, and a page of clients resolves
/// hundreds. Also answers the operation's name, when it has one. `written_by_json`: the
/// answer will be written by `graphql::json::response_body`, so resolvers may hand it
/// ready-made JSON (unless the document merges objects).
///
/// `prevalidated`: the same schema built with `ValidationMode::Fast`. async-graphql
/// validates every request, and for a page of clients that was a tenth of the server's
/// work. Validation depends only on the schema, the document, the operation name and
/// the variables; so a cached document that already passed it with the same name and
/// variables (its answer had no error at all) runs on this twin, which still computes
/// depth and complexity against the same limits. Anything else runs on `schema`, with
/// every rule.
pub async fn execute<Q, M, S>(
    schema: &Schema<Q, M, S>,
    prevalidated: Option<&Schema<Q, M, S>>,
    cache: &QueryCache,
    mut request: Request,
    written_by_json: bool,
) -> (Response, Option<String>)
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let (mut response, operation) = match checked_entry(cache, &mut request) {
        Ok((checked, entry)) => {
            if written_by_json && !checked.merges_objects {
                request.data.insert(super::json::RawAllowed);
            }
            if checked.unique_keys {
                request.data.insert(super::plain::UniqueKeys);
            }
            let operation = operation_name(&mut request);
            let response = match (entry, prevalidated) {
                (Some(entry), Some(fast)) if entry.validated(&request) => {
                    fast.execute(request).await
                }
                (Some(entry), Some(_)) if small(&request.variables) => {
                    let run = (request.operation_name.clone(), request.variables.clone());
                    let response = schema.execute(request).await;
                    if response.errors.is_empty() {
                        entry.remember(run);
                    }
                    response
                }
                _ => schema.execute(request).await,
            };
            (response, operation)
        }
        Err(err) => (Response::from_errors(vec![err]), None),
    };
    for err in &mut response.errors {
        tag(err);
    }
    (response, operation)
}

/// The code of a response's first error, or [`crate::metrics::OK`].
pub fn outcome(response: &Response) -> &'static str {
    let Some(err) = response.errors.first() else {
        return crate::metrics::OK;
    };
    let code = match code_of(err) {
        Some(Value::String(code)) => code.as_str(),
        Some(Value::Enum(code)) => code.as_str(),
        _ => return "OTHER",
    };
    ErrorCode::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .map_or("OTHER", |c| c.as_str())
}

/// Gives an error without a code one: request-level errors (parsing, validation, picking
/// the operation, argument values that fail to parse, a variable the request did not
/// send) are the caller's mistake; any other uncoded error from a resolver is a bug
/// whose details stay in the log.
pub fn tag(err: &mut ServerError) {
    if code_of(err).is_some() {
        return;
    }
    let input_error = err.path.is_empty()
        || err.message.starts_with("Failed to parse")
        || err.message.starts_with("Invalid value for argument")
        || (err.message.starts_with("Variable ") && err.message.ends_with(" is not defined."));
    let code = if input_error {
        ErrorCode::BadUserInput
    } else {
        tracing::error!(error = %err.message, path = ?err.path, "uncoded error in a resolver");
        err.message = INTERNAL_MESSAGE.to_string();
        err.source = None;
        ErrorCode::Internal
    };
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The safety net: a resolver that returns a plain error (no code) is answered as
    /// INTERNAL with the fixed message; the original text never reaches the client.
    #[tokio::test]
    async fn uncoded_resolver_errors_become_internal() {
        use async_graphql::{EmptyMutation, EmptySubscription, Object};
        struct Q;
        #[Object]
        impl Q {
            async fn boom(&self) -> async_graphql::Result<i32> {
                Err("database password is hunter2".into())
            }
            async fn fine(&self) -> i32 {
                1
            }
        }
        let schema = Schema::build(Q, EmptyMutation, EmptySubscription).finish();
        let cache = QueryCache::default();
        let run = |q: &str| {
            let (schema, cache) = (&schema, &cache);
            let request = Request::new(q);
            async move { execute(schema, None, cache, request, false).await.0 }
        };
        let res = run("{ boom fine }").await;
        let json = serde_json::to_value(&res).unwrap();
        assert_eq!(json["errors"][0]["extensions"]["code"], "INTERNAL");
        assert_eq!(json["errors"][0]["message"], INTERNAL_MESSAGE);
        assert!(!json.to_string().contains("hunter2"));
        let res = run("{ nope }").await;
        let json = serde_json::to_value(&res).unwrap();
        assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        let res = run("query A { fine } query B { fine }").await;
        let json = serde_json::to_value(&res).unwrap();
        assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }

    /// A document runs on the prevalidated twin only with an operation name and variables
    /// it already passed validation with; bad variables are validated (and refused)
    /// every time.
    #[tokio::test]
    async fn only_validated_runs_skip_validation() {
        use async_graphql::{Context, EmptyMutation, EmptySubscription, Object};
        struct Q;
        #[Object]
        impl Q {
            /// Which schema answered, and the argument.
            async fn echo(&self, ctx: &Context<'_>, n: i32) -> String {
                format!("{} {n}", ctx.data_unchecked::<&str>())
            }
            /// Which schema answered, and the argument's length.
            async fn len(&self, ctx: &Context<'_>, s: String) -> String {
                format!("{} {}", ctx.data_unchecked::<&str>(), s.len())
            }
            async fn fail(&self) -> async_graphql::Result<i32> {
                Err("no".into())
            }
        }
        let strict = Schema::build(Q, EmptyMutation, EmptySubscription)
            .data("strict")
            .finish();
        let fast = Schema::build(Q, EmptyMutation, EmptySubscription)
            .data("fast")
            .validation_mode(async_graphql::ValidationMode::Fast)
            .finish();
        let cache = QueryCache::default();
        let run = |q: &str, vars: serde_json::Value| {
            let (strict, fast, cache) = (&strict, &fast, &cache);
            let request = Request::new(q).variables(Variables::from_json(vars));
            async move {
                let res = execute(strict, Some(fast), cache, request, false).await.0;
                serde_json::to_value(&res).unwrap()
            }
        };
        let q = "query E($n: Int!) { echo(n: $n) }";
        let n = |v: serde_json::Value| serde_json::json!({ "n": v });
        // Parsed and cached, then validated, then prevalidated.
        assert_eq!(run(q, n(1.into())).await["data"]["echo"], "strict 1");
        assert_eq!(run(q, n(1.into())).await["data"]["echo"], "strict 1");
        assert_eq!(run(q, n(1.into())).await["data"]["echo"], "fast 1");
        assert_eq!(run(q, n(2.into())).await["data"]["echo"], "strict 2");
        assert_eq!(run(q, n(2.into())).await["data"]["echo"], "fast 2");
        // A value of the wrong type fails validation every time, never reaching a
        // resolver.
        for _ in 0..3 {
            let res = run(q, n("two".into())).await;
            assert_eq!(res["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
            assert!(res["data"].is_null(), "{res}");
        }
        // An answer with an error is not taken as validated.
        for _ in 0..3 {
            let res = run("{ fail echo(n: 3) }", serde_json::json!({})).await;
            assert_eq!(res["data"]["echo"], "strict 3");
        }
        // Variables too large to remember always run with every rule.
        let big = n(serde_json::Value::from(
            "x".repeat(MAX_REMEMBERED_VARIABLES),
        ));
        assert!(!small(&Variables::from_json(big.clone())));
        assert!(small(&Variables::from_json(n(1.into()))));
        let q = "query L($s: String!) { len(s: $s) }";
        let v = serde_json::json!({ "s": "x".repeat(MAX_REMEMBERED_VARIABLES) });
        let answer = format!("strict {MAX_REMEMBERED_VARIABLES}");
        for _ in 0..3 {
            assert_eq!(run(q, v.clone()).await["data"]["len"], answer.as_str());
        }
    }

    #[test]
    fn nesting_scan_ignores_strings_and_comments() {
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(100), "]".repeat(100));
        assert!(check_nesting(&deep).is_err());
        let quoted = format!("{{ a(x: \"{}\") }}", "[".repeat(100));
        assert!(check_nesting(&quoted).is_ok());
        let block = format!("{{ a(x: \"\"\"{}\"\"\") }}", "{".repeat(100));
        assert!(check_nesting(&block).is_ok());
        let comment = format!("# {}\n{{ a }}", "(".repeat(100));
        assert!(check_nesting(&comment).is_ok());
        assert!(check_nesting(&"{".repeat(MAX_NESTING)).is_ok());
        assert!(check_nesting(&"{".repeat(MAX_NESTING + 1)).is_err());
    }

    #[test]
    fn measuring_expands_fragments_once_each() {
        let parse = |q: &str| async_graphql::parser::parse_query(q).unwrap();
        let mut q = String::from("query { ...F0 }\nfragment F0 on Query { a b }\n");
        for i in 1..30 {
            let p = i - 1;
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{p} ...F{p} ...F{p} ...F{p} }}\n"
            ));
        }
        q = q.replace("query { ...F0 }", "query { ...F29 }");
        assert_eq!(measure(&parse(&q), true), Err(Refusal::Fields));
        let doc = parse("{ a b { c ...X } } fragment X on T { d e: f }");
        assert_eq!(
            measure(&doc, true),
            Ok(Shape {
                fields: 5,
                aliases: 1
            })
        );
        let cyc = parse("{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }");
        assert_eq!(measure(&cyc, true), Err(Refusal::Fields));
    }

    #[test]
    fn aliases_directives_and_introspection_are_limited() {
        let parse = |q: &str| async_graphql::parser::parse_query(q).unwrap();
        let aliases = |n: usize| {
            let fields: String = (0..n).map(|i| format!("a{i}: __typename ")).collect();
            parse(&format!("query cop {{ {fields} }}"))
        };
        assert_eq!(
            measure(&aliases(MAX_ALIASES), true).map(|s| s.aliases),
            Ok(MAX_ALIASES)
        );
        assert_eq!(
            measure(&aliases(MAX_ALIASES + 1), true),
            Err(Refusal::Aliases)
        );
        // Aliases in a fragment count once per spread.
        let spread = parse(&format!(
            "{{ ...F ...F }} fragment F on Query {{ {} }}",
            (0..60)
                .map(|i| format!("a{i}: __typename "))
                .collect::<String>()
        ));
        assert_eq!(measure(&spread, true), Err(Refusal::Aliases));
        let directives = parse("query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }");
        assert_eq!(measure(&directives, true), Err(Refusal::Directives));
        let on_spread = parse("{ ...F @a @b @c @d @e } fragment F on Query { __typename }");
        assert_eq!(measure(&on_spread, true), Err(Refusal::Directives));
        let fine = parse("{ __typename @include(if: true) @skip(if: false) }");
        assert!(measure(&fine, true).is_ok());
        let schema = parse("{ x: __schema { types { name } } }");
        assert!(measure(&schema, true).is_ok());
        assert_eq!(measure(&schema, false), Err(Refusal::Introspection));
        let hidden = parse("{ ...F } fragment F on Query { __type(name: \"Client\") { name } }");
        assert_eq!(measure(&hidden, false), Err(Refusal::Introspection));
        assert!(measure(&parse("{ __typename }"), false).is_ok());
    }

    #[test]
    fn page_complexity_saturates() {
        assert_eq!(page_complexity(Some(i32::MAX), None, 5), 500);
        assert_eq!(page_complexity(Some(-1), None, 5), 5);
        assert_eq!(page_complexity(None, None, usize::MAX), 1_000_000);
        assert_eq!(page_complexity(None, Some(10), 3), 30);
    }
}
