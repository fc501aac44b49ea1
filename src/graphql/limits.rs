//! Limits that keep one request from costing more than its size suggests. They run
//! before async-graphql does any work proportional to the query (see SECURITY notes in
//! the README): a bracket-nesting scan on the raw text, then a field count with fragments
//! expanded (memoised), then async-graphql's own depth and complexity limits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ObjectType, Request, Response, Schema, ServerError, SubscriptionType, Value};

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

/// Counts field selections with every fragment spread expanded, memoising each fragment,
/// and stops as soon as the count passes `limit`. A fragment cycle counts as over.
pub fn count_fields(doc: &ExecutableDocument, limit: usize) -> Option<usize> {
    struct Counter<'a> {
        doc: &'a ExecutableDocument,
        memo: HashMap<&'a str, Option<usize>>,
        limit: usize,
    }
    impl<'a> Counter<'a> {
        fn set(&mut self, set: &'a SelectionSet) -> Option<usize> {
            let mut total: usize = 0;
            for item in &set.items {
                let n = match &item.node {
                    Selection::Field(f) => {
                        1usize.checked_add(self.set(&f.node.selection_set.node)?)?
                    }
                    Selection::InlineFragment(f) => self.set(&f.node.selection_set.node)?,
                    Selection::FragmentSpread(s) => {
                        self.fragment(s.node.fragment_name.node.as_str())?
                    }
                };
                total = total.checked_add(n)?;
                if total > self.limit {
                    return None;
                }
            }
            Some(total)
        }

        fn fragment(&mut self, name: &'a str) -> Option<usize> {
            if let Some(known) = self.memo.get(name) {
                return *known;
            }
            // Marked over the limit while being counted: a cycle stays over.
            self.memo.insert(name, None);
            let doc = self.doc;
            let n = match doc.fragments.iter().find(|(k, _)| k.as_str() == name) {
                Some((_, frag)) => self.set(&frag.node.selection_set.node),
                None => Some(0),
            };
            self.memo.insert(name, n);
            n
        }
    }
    let mut counter = Counter {
        doc,
        memo: HashMap::new(),
        limit,
    };
    let mut total: usize = 0;
    for (_, op) in doc.operations.iter() {
        total = total.checked_add(counter.set(&op.node.selection_set.node)?)?;
        if total > limit {
            return None;
        }
    }
    Some(total)
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
/// passed the limits are kept, so a hit skips the checks too.
#[derive(Default)]
pub struct QueryCache {
    docs: Mutex<HashMap<String, Arc<ExecutableDocument>>>,
}

impl QueryCache {
    fn get(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        self.docs.lock().ok()?.get(query).cloned()
    }

    fn put(&self, query: &str, doc: &ExecutableDocument) {
        if query.len() > MAX_CACHED_QUERY_BYTES {
            return;
        }
        if let Ok(mut docs) = self.docs.lock() {
            if docs.len() >= MAX_CACHED_QUERIES {
                docs.clear();
            }
            docs.insert(query.to_owned(), Arc::new(doc.clone()));
        }
    }
}

/// Checks a request's query text and shape before anything else runs, and leaves the
/// parsed document in the request.
pub fn check_request(cache: &QueryCache, request: &mut Request) -> Result<(), ServerError> {
    if let Some(doc) = cache.get(&request.query) {
        request.set_parsed_query(ExecutableDocument::clone(&doc));
        return Ok(());
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
    if count_fields(doc, MAX_FIELDS).is_none() {
        return Err(coded(
            format!("The query selects more than {MAX_FIELDS} fields (fragments expanded)."),
            ErrorCode::BadUserInput,
        ));
    }
    cache.put(&query, doc);
    Ok(())
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
/// hundreds. Also answers the operation's name, when it has one.
pub async fn execute<Q, M, S>(
    schema: &Schema<Q, M, S>,
    cache: &QueryCache,
    mut request: Request,
) -> (Response, Option<String>)
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let (mut response, operation) = match check_request(cache, &mut request) {
        Ok(()) => {
            let operation = operation_name(&mut request);
            (schema.execute(request).await, operation)
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
/// the operation, argument values that fail to parse) are the caller's mistake; any
/// other uncoded error from a resolver is a bug whose details stay in the log.
fn tag(err: &mut ServerError) {
    if code_of(err).is_some() {
        return;
    }
    let input_error = err.path.is_empty()
        || err.message.starts_with("Failed to parse")
        || err.message.starts_with("Invalid value for argument");
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
            async move { execute(schema, cache, request).await.0 }
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
    fn field_count_expands_fragments_once_each() {
        let mut q = String::from("query { ...F0 }\nfragment F0 on Query { a b }\n");
        for i in 1..30 {
            let p = i - 1;
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{p} ...F{p} ...F{p} ...F{p} }}\n"
            ));
        }
        q = q.replace("query { ...F0 }", "query { ...F29 }");
        let doc = async_graphql::parser::parse_query(&q).unwrap();
        assert_eq!(count_fields(&doc, 1_000), None);
        let doc = async_graphql::parser::parse_query("{ a b { c ...X } } fragment X on T { d e }")
            .unwrap();
        assert_eq!(count_fields(&doc, 1_000), Some(5));
        let cyc = async_graphql::parser::parse_query(
            "{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }",
        )
        .unwrap();
        assert_eq!(count_fields(&cyc, 1_000), None);
    }

    #[test]
    fn page_complexity_saturates() {
        assert_eq!(page_complexity(Some(i32::MAX), None, 5), 500);
        assert_eq!(page_complexity(Some(-1), None, 5), 5);
        assert_eq!(page_complexity(None, None, usize::MAX), 1_000_000);
        assert_eq!(page_complexity(None, Some(10), 3), 30);
    }
}
