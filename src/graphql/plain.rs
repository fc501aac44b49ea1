//! Resolving an object's plain fields without a future each.
//!
//! async-graphql resolves every field of an object as a boxed future in a
//! `FuturesUnordered`, and a page of 50 clients has hundreds of fields that only copy a
//! column (id, name, status, timestamps): the futures, their boxes and the bookkeeping
//! cost more than the values (see bench/README.md). An object that implements
//! [`PlainFields`] has those fields written straight into its answer; every other field
//! (data loaders, arguments, guards) still goes through the object's own resolver,
//! concurrently as before, unless what it needs is already at hand: the rows a list page
//! read for all its items let a client's `availableActions` and `latestEvent { actor }`,
//! and an edge's `node`, be answered the same way ([`PlainFields::plain_nested`]), so a
//! whole page is written with no future per object. A selection this walk does not
//! handle as async-graphql would (a response key asked for twice, a directive, a fragment
//! on another type) is handed to async-graphql whole, so the answer never differs.

use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::resolver_utils::{resolve_container, ContainerType};
use async_graphql::{ContextSelectionSet, Positioned, ServerResult, Value};

use super::json;

/// Makes `$outer` (a tuple struct of a model) the GraphQL object `$fields` describes:
/// `$fields` borrows the model and carries the `#[Object]` resolvers, and `$outer`
/// resolves through [`resolve`], answering the plain fields itself.
macro_rules! plain_object {
    // `Outer(model)`: the fields borrow the model.
    ($outer:ident => $fields:ident) => {
        $crate::graphql::plain::plain_object!(@impl $outer => $fields, .0);
    };
    // The fields borrow the outer value itself.
    ($outer:ident => $fields:ident, itself) => {
        $crate::graphql::plain::plain_object!(@impl $outer => $fields,);
    };
    (@impl $outer:ident => $fields:ident, $($inner:tt)*) => {
        impl async_graphql::OutputType for $outer {
            fn type_name() -> std::borrow::Cow<'static, str> {
                <$fields<'static> as async_graphql::OutputType>::type_name()
            }

            fn qualified_type_name() -> String {
                <$fields<'static> as async_graphql::OutputType>::qualified_type_name()
            }

            fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
                <$fields<'static> as async_graphql::OutputType>::create_type_info(registry)
            }

            async fn resolve(
                &self,
                ctx: &async_graphql::ContextSelectionSet<'_>,
                _field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
            ) -> async_graphql::ServerResult<async_graphql::Value> {
                $crate::graphql::plain::resolve(ctx, &$fields(&(*self)$($inner)*)).await
            }
        }

        impl $crate::graphql::plain::AsPlain for $outer {
            type Fields<'a> = $fields<'a>;

            fn plain(&self) -> $fields<'_> {
                $fields(&(*self)$($inner)*)
            }
        }
    };
}
pub(crate) use plain_object;

/// An object type with fields that need no arguments, context or I/O.
pub trait PlainFields: ContainerType {
    /// The value of the field `name` if it is plain (the same value its resolver
    /// answers), or `None` for a field its resolver must answer.
    fn plain_field(&self, name: &str) -> Option<Value>;

    /// Writes the JSON of the plain field `name` as [`PlainFields::plain_field`] answers
    /// it; false for a field its resolver must answer. Types whose fields are many on a
    /// page write the common ones straight from the model, with no value in between.
    fn write_plain(&self, name: &str, out: &mut Vec<u8>) -> bool {
        write_value_of(self, name, out)
    }

    /// Gives `sink` the answer of `field`, a field with a selection (an object or a list
    /// of objects), when what it needs is already at hand (rows a list page read for all
    /// its items): the same value its resolver answers, given by [`nested`] or
    /// [`nested_list`]. False (and `sink` as it was) hands the field to its resolver.
    fn plain_nested(
        &self,
        _ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
        _sink: &mut Sink<'_>,
    ) -> bool {
        false
    }
}

/// Where [`PlainFields::plain_nested`] puts its answer.
pub enum Sink<'o> {
    /// Written as JSON straight into the parent object's text: a nested object (an
    /// edge's node, a client's latest event) needs no text of its own to copy.
    Json(&'o mut Vec<u8>),
    /// Kept as an answer.
    Answer(Option<Answer>),
}

impl Sink<'_> {
    /// Puts `answer`, if any; false for none.
    pub fn put(&mut self, answer: Option<Answer>) -> bool {
        let Some(answer) = answer else {
            return false;
        };
        match self {
            Sink::Json(out) => answer.write(out),
            Sink::Answer(slot) => *slot = Some(answer),
        }
        true
    }
}

/// A field's answer in the plain walk: a value, or, when the answer is written by
/// `graphql::json`, an object or a list already written as JSON (copied into its
/// parent's text as it is, with no value or map of its own).
#[derive(Clone)]
pub enum Answer {
    Value(Value),
    Json(bytes::Bytes),
}

impl Answer {
    /// `null`.
    pub const NULL: Answer = Answer::Value(Value::Null);

    /// The answer as a value for async-graphql.
    pub fn into_value(self) -> Value {
        match self {
            Answer::Value(value) => value,
            Answer::Json(json) => json::raw(json),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Answer::Value(value) => json::write_value(out, value),
            Answer::Json(json) => out.extend_from_slice(json),
        }
    }
}

/// Resolves `root` for the selection of `ctx`. When the answer is written by
/// `graphql::json` (`json::RawAllowed`), the object is answered as its JSON text, with no
/// map or value per field to build, drop and walk again.
pub async fn resolve<T: PlainFields + Sync>(
    ctx: &ContextSelectionSet<'_>,
    root: &T,
) -> ServerResult<Value> {
    let Some(fields) = fields_of::<T>(ctx) else {
        return resolve_container(ctx, root).await;
    };
    // Each field's answer in order; `None` until its resolver has answered.
    let mut values: Vec<Option<ServerResult<Answer>>> = Vec::with_capacity(fields.len());
    let mut pending = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let value = answer_now(ctx, root, field);
        if value.is_none() {
            pending.push(i);
        }
        values.push(value.map(Ok));
    }
    if !pending.is_empty() {
        // Boxed, as async-graphql boxes each field: a field's object may have a field of
        // this object's type (an event's client), and the future cannot contain itself.
        let results = futures_util::future::join_all(pending.iter().map(|&i| {
            let ctx = ctx.clone();
            let field = fields[i];
            let fut: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + '_>> =
                Box::pin(async move {
                    let ctx_field = ctx.with_field(field);
                    root.resolve_field(&ctx_field)
                        .await
                        .map(Option::unwrap_or_default)
                });
            fut
        }))
        .await;
        for (&i, result) in pending.iter().zip(results) {
            values[i] = Some(result.map(Answer::Value));
        }
    }
    let answered = fields
        .iter()
        .zip(values)
        .filter_map(|(field, value)| match value {
            Some(Ok(value)) => Some((*field, value)),
            // As async-graphql does: the error is reported and the field left out.
            Some(Err(error)) => {
                ctx.add_error(error);
                None
            }
            None => None,
        });
    if ctx.data_opt::<json::RawAllowed>().is_some() {
        let mut out = Vec::with_capacity(64 * fields.len());
        write_object(&mut out, answered);
        return Ok(if out == b"null" {
            Value::Null
        } else {
            json::raw(out)
        });
    }
    Ok(object(answered))
}

/// Writes the value [`PlainFields::plain_field`] gives for `name`; false when it gives none.
pub fn write_value_of<T: PlainFields + ?Sized>(root: &T, name: &str, out: &mut Vec<u8>) -> bool {
    match root.plain_field(name) {
        Some(value) => {
            json::write_value(out, &value);
            true
        }
        None => false,
    }
}

/// The answer of `root` for the selection of `ctx` when every field of it can be answered
/// at once (plain fields, and nested ones whose rows are at hand); `None` otherwise, and
/// then the object is left to [`resolve`].
pub fn resolve_now<T: PlainFields>(ctx: &ContextSelectionSet<'_>, root: &T) -> Option<Answer> {
    let fields = fields_of::<T>(ctx)?;
    if ctx.data_opt::<json::RawAllowed>().is_some() {
        let mut out = Vec::with_capacity(64 * fields.len());
        write_now(ctx, root, &fields, &mut out)?;
        return Some(Answer::Json(out.into()));
    }
    let answers = answers_now(ctx, root, &fields)?;
    Some(Answer::Value(object(fields.iter().copied().zip(answers))))
}

/// Gives `sink` the answer of a field with a selection whose object is `root`, when
/// every field of it can be answered at once (see [`PlainFields::plain_nested`]).
pub fn nested<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    root: &T,
    sink: &mut Sink<'_>,
) -> bool {
    let ctx_field = ctx.with_field(field);
    let ctx_set = ctx_field.with_selection_set(&field.node.selection_set);
    match sink {
        Sink::Json(out) => fields_of::<T>(&ctx_set)
            .is_some_and(|fields| write_now(&ctx_set, root, &fields, out).is_some()),
        Sink::Answer(_) => sink.put(resolve_now(&ctx_set, root)),
    }
}

/// The answer of a field with a selection whose value is a list of `items`, when every
/// field of each can be answered at once.
pub fn nested_list<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    items: impl IntoIterator<Item = T>,
) -> Option<Answer> {
    let ctx_field = ctx.with_field(field);
    list_now(
        &ctx_field.with_selection_set(&field.node.selection_set),
        items,
    )
}

/// The answer of a list of `items` for the selection of `ctx`, when every field of each
/// can be answered at once.
pub fn list_now<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    items: impl IntoIterator<Item = T>,
) -> Option<Answer> {
    if ctx.data_opt::<json::RawAllowed>().is_none() {
        let values = items
            .into_iter()
            .map(|item| resolve_now(ctx, &item).map(Answer::into_value))
            .collect::<Option<Vec<Value>>>()?;
        return Some(Answer::Value(Value::List(values)));
    }
    // Every item has the same selection: its fields are collected once.
    let fields = fields_of::<T>(ctx)?;
    let items = items.into_iter();
    let count = items.size_hint().0;
    let mut out = Vec::with_capacity(2 + 64 * fields.len());
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_now(ctx, &item, &fields, &mut out)?;
        if i == 0 {
            // The items of a list are alike: room for the others, sized from the first,
            // instead of growing (and copying) a 100 KB page's text a dozen times.
            out.reserve((out.len() + out.len() / 8) * count.saturating_sub(1));
        }
    }
    out.push(b']');
    Some(Answer::Json(out.into()))
}

/// A list of objects that the plain walk answers as one JSON text when every field of
/// every item can be answered at once (no future, value or map per item); otherwise
/// async-graphql resolves it as the `Vec` it wraps. Its GraphQL type is the `Vec`'s.
pub struct PlainList<T>(pub Vec<T>);

/// An object type answered by the plain walk through its fields' view (`plain_object!`).
pub trait AsPlain: async_graphql::OutputType {
    type Fields<'a>: PlainFields
    where
        Self: 'a;

    fn plain(&self) -> Self::Fields<'_>;
}

impl<T: AsPlain + Send + Sync> async_graphql::OutputType for PlainList<T> {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <Vec<T> as async_graphql::OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T> as async_graphql::OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <Vec<T> as async_graphql::OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if ctx.data_opt::<json::RawAllowed>().is_some() {
            if let Some(answer) = list_now(ctx, self.0.iter().map(AsPlain::plain)) {
                return Ok(answer.into_value());
            }
        }
        async_graphql::OutputType::resolve(&self.0, ctx, field).await
    }
}

/// The selected fields of an object of type `T`, or `None` when the selection holds
/// something only async-graphql's own walk handles.
fn fields_of<'a, T: PlainFields>(
    ctx: &ContextSelectionSet<'a>,
) -> Option<Vec<&'a Positioned<Field>>> {
    let mut fields = Vec::with_capacity(ctx.item.node.items.len());
    let type_name = T::type_name();
    if !collect(ctx, &type_name, &ctx.item.node, &mut fields)
        || (ctx.data_opt::<UniqueKeys>().is_none() && has_repeated_key(&fields))
    {
        return None;
    }
    Some(fields)
}

/// Every field's answer, in order, when all can be given at once. Nested fields are
/// answered first: they are the ones that may not be at hand, and giving up before the
/// plain ones are made wastes less.
fn answers_now<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    root: &T,
    fields: &[&Positioned<Field>],
) -> Option<Vec<Answer>> {
    let mut answers: Vec<Option<Answer>> = vec![None; fields.len()];
    for (answer, field) in answers.iter_mut().zip(fields) {
        if !field.node.selection_set.node.items.is_empty() {
            *answer = Some(answer_now(ctx, root, field)?);
        }
    }
    for (answer, field) in answers.iter_mut().zip(fields) {
        if answer.is_none() {
            *answer = Some(answer_now(ctx, root, field)?);
        }
    }
    answers.into_iter().collect()
}

/// Writes the object `root` as JSON when all its fields can be answered at once; on
/// `None`, `out` is as it was. Nested objects are written straight into `out`.
fn write_now<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    root: &T,
    fields: &[&Positioned<Field>],
    out: &mut Vec<u8>,
) -> Option<()> {
    let start = out.len();
    for field in fields {
        out.push(if out.len() == start { b'{' } else { b',' });
        json::write_name(out, field.node.response_key().node.as_str());
        out.push(b':');
        let name = field.node.name.node.as_str();
        let written = if !field.node.selection_set.node.items.is_empty() {
            root.plain_nested(ctx, field, &mut Sink::Json(out))
        } else if name == "__typename" {
            json::write_str(out, &root.introspection_type_name());
            true
        } else {
            root.write_plain(name, out)
        };
        if !written {
            out.truncate(start);
            return None;
        }
    }
    if out.len() == start {
        out.extend_from_slice(b"null");
    } else {
        out.push(b'}');
    }
    Some(())
}

/// The value of `field` of `root` if it can be given without waiting.
fn answer_now<T: PlainFields>(
    ctx: &ContextSelectionSet<'_>,
    root: &T,
    field: &Positioned<Field>,
) -> Option<Answer> {
    let name = field.node.name.node.as_str();
    if name == "__typename" {
        return Some(Answer::Value(Value::String(
            root.introspection_type_name().into_owned(),
        )));
    }
    if field.node.selection_set.node.items.is_empty() {
        root.plain_field(name).map(Answer::Value)
    } else {
        let mut sink = Sink::Answer(None);
        root.plain_nested(ctx, field, &mut sink);
        match sink {
            Sink::Answer(answer) => answer,
            Sink::Json(_) => None,
        }
    }
}

/// Writes an object from its fields' answers, in order (`null` when there are none).
fn write_object<'a>(
    out: &mut Vec<u8>,
    answered: impl Iterator<Item = (&'a Positioned<Field>, Answer)>,
) {
    let start = out.len();
    for (field, answer) in answered {
        out.push(if out.len() == start { b'{' } else { b',' });
        json::write_name(out, field.node.response_key().node.as_str());
        out.push(b':');
        answer.write(out);
    }
    if out.len() == start {
        out.extend_from_slice(b"null");
    } else {
        out.push(b'}');
    }
}

/// An object's value from its fields' answers, in order.
fn object<'a>(answered: impl Iterator<Item = (&'a Positioned<Field>, Answer)>) -> Value {
    let answer: async_graphql::indexmap::IndexMap<_, _> = answered
        .map(|(field, answer)| (field.node.response_key().node.clone(), answer.into_value()))
        .collect();
    if answer.is_empty() {
        Value::Null
    } else {
        Value::Object(answer)
    }
}

/// The fields of a selection set with its fragments spread, in order; false when the
/// set holds anything that only async-graphql's own walk handles.
fn collect<'a>(
    ctx: &ContextSelectionSet<'a>,
    type_name: &str,
    set: &'a SelectionSet,
    out: &mut Vec<&'a Positioned<Field>>,
) -> bool {
    for selection in &set.items {
        // `@skip` and `@include` are gone before execution; any other directive is
        // left to async-graphql.
        if !selection.node.directives().is_empty() {
            return false;
        }
        let ok = match &selection.node {
            Selection::Field(field) => {
                out.push(field);
                true
            }
            Selection::FragmentSpread(spread) => {
                match ctx.query_env.fragments.get(&spread.node.fragment_name.node) {
                    Some(fragment) if fragment.node.type_condition.node.on.node == type_name => {
                        collect(ctx, type_name, &fragment.node.selection_set.node, out)
                    }
                    _ => false,
                }
            }
            Selection::InlineFragment(fragment) => {
                let applies = fragment
                    .node
                    .type_condition
                    .as_ref()
                    .is_none_or(|c| c.node.on.node == type_name);
                applies && collect(ctx, type_name, &fragment.node.selection_set.node, out)
            }
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether two fields answer under the same key (async-graphql merges them).
fn has_repeated_key(fields: &[&Positioned<Field>]) -> bool {
    fn key<'a>(f: &&'a Positioned<Field>) -> &'a str {
        f.node.response_key().node.as_str()
    }
    if fields.len() > 16 {
        let mut seen = std::collections::HashSet::with_capacity(fields.len());
        return !fields.iter().all(|f| seen.insert(key(f)));
    }
    fields
        .iter()
        .enumerate()
        .any(|(i, a)| fields[..i].iter().any(|b| key(a) == key(b)))
}

/// The value of a `DateTime`, as its scalar answers it (RFC 3339, `+00:00`).
pub fn time(at: &chrono::DateTime<chrono::Utc>) -> Value {
    Value::String(crate::timestamp::rfc3339(at))
}

/// The value of an `ID` made from a UUID, as `ID(id.to_string())` answers it.
pub fn uuid_id(id: &uuid::Uuid) -> Value {
    Value::String(
        id.hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer())
            .to_owned(),
    )
}

/// The value of an enum item, as its resolver answers it.
pub fn enum_value<T: async_graphql::resolver_utils::EnumType>(value: T) -> Value {
    async_graphql::resolver_utils::enum_value(value)
}

/// Writes an enum item as [`enum_value`] answers it.
pub fn write_enum<T: async_graphql::resolver_utils::EnumType>(out: &mut Vec<u8>, value: T) {
    match T::items().iter().find(|item| item.value == value) {
        Some(item) => json::write_name(out, item.name),
        None => json::write_value(out, &enum_value(value)),
    }
}

/// Writes a nullable enum item as [`optional`] and [`enum_value`] answer it.
pub fn write_opt_enum<T: async_graphql::resolver_utils::EnumType>(
    out: &mut Vec<u8>,
    value: Option<T>,
) {
    match value {
        Some(value) => write_enum(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// Writes an `ID` made from a UUID as [`uuid_id`] answers it.
pub fn write_uuid(out: &mut Vec<u8>, id: &uuid::Uuid) {
    out.push(b'"');
    out.extend_from_slice(
        id.hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer())
            .as_bytes(),
    );
    out.push(b'"');
}

/// Writes a `DateTime` as [`time`] answers it.
pub fn write_time(out: &mut Vec<u8>, at: &chrono::DateTime<chrono::Utc>) {
    crate::timestamp::write_rfc3339_json(out, at, false);
}

/// Writes a nullable string as its resolver answers it.
pub fn write_opt_str(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => json::write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// `null`, or the value of what is there.
pub fn optional<T>(value: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
    value.map_or(Value::Null, f)
}

/// Whether executing the document can merge two fields with selections under one
/// response key in one object (`latestEvent { at }` beside `latestEvent { actor { name } }`,
/// often from two fragments): async-graphql then merges their values key by key, which
/// ready-made JSON (`json::raw`) does not allow, so such a request is answered without.
/// Type conditions are ignored: a document may be flagged that would merge nothing.
pub fn merges_objects(doc: &async_graphql::parser::types::ExecutableDocument) -> bool {
    let fragments = &doc.fragments;
    let mut sets: Vec<&SelectionSet> = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(fragments.values().map(|f| &f.node.selection_set.node))
        .collect();
    while let Some(set) = sets.pop() {
        let mut fields = Vec::new();
        let mut spread = std::collections::HashSet::new();
        spread_fields(doc, set, &mut fields, &mut spread, &mut false);
        let with_selections: Vec<&Positioned<Field>> = fields
            .iter()
            .copied()
            .filter(|f| !f.node.selection_set.node.items.is_empty())
            .collect();
        if has_repeated_key(&with_selections) {
            return true;
        }
        // Each field's own selection, once (fields inside fragments are reached through
        // the fragment definitions).
        collect_nested(set, &mut sets);
    }
    false
}

/// Whether some selection set of the document, its fragments spread, can hold two fields
/// under one response key, or one fragment twice. Type conditions are ignored: a document
/// may be flagged that repeats nothing for the type at hand. When it holds none, the
/// fields [`fields_of`] collects need no check of their own (see [`UniqueKeys`]).
pub fn repeats_keys(doc: &async_graphql::parser::types::ExecutableDocument) -> bool {
    let mut sets: Vec<&SelectionSet> = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node))
        .collect();
    while let Some(set) = sets.pop() {
        let mut fields = Vec::new();
        let mut repeated = false;
        let mut spread = std::collections::HashSet::new();
        spread_fields(doc, set, &mut fields, &mut spread, &mut repeated);
        if repeated || has_repeated_key(&fields) {
            return true;
        }
        collect_nested(set, &mut sets);
    }
    false
}

/// Request data: the document repeats no response key in any selection set (see
/// [`repeats_keys`]).
pub struct UniqueKeys;

/// The fields of a selection set with every fragment spread (each fragment once;
/// `repeated` is set when one is spread again).
fn spread_fields<'a>(
    doc: &'a async_graphql::parser::types::ExecutableDocument,
    set: &'a SelectionSet,
    out: &mut Vec<&'a Positioned<Field>>,
    spread: &mut std::collections::HashSet<&'a str>,
    repeated: &mut bool,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => out.push(field),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                if spread.insert(name) {
                    if let Some(fragment) = doc.fragments.get(&s.node.fragment_name.node) {
                        let set = &fragment.node.selection_set.node;
                        spread_fields(doc, set, out, spread, repeated);
                    }
                } else {
                    *repeated = true;
                }
            }
            Selection::InlineFragment(f) => {
                spread_fields(doc, &f.node.selection_set.node, out, spread, repeated);
            }
        }
    }
}

/// The selection sets of the fields directly in `set` and in its inline fragments.
fn collect_nested<'a>(set: &'a SelectionSet, out: &mut Vec<&'a SelectionSet>) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) if !field.node.selection_set.node.items.is_empty() => {
                out.push(&field.node.selection_set.node);
            }
            Selection::InlineFragment(f) => collect_nested(&f.node.selection_set.node, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeats(query: &str) -> bool {
        repeats_keys(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn documents_that_repeat_a_response_key_are_found() {
        assert!(!repeats("{ a b c { d e } }"));
        assert!(!repeats("{ c { d } e { d } x: a y: a }"));
        assert!(!repeats("{ a ...F } fragment F on Q { b c { a } }"));
        assert!(repeats("{ a a }"));
        assert!(repeats("{ x: a x: b }"));
        assert!(repeats("{ a ...F } fragment F on Q { a }"));
        assert!(repeats("{ ...F ...F } fragment F on Q { a }"));
        assert!(repeats("{ c { d ... on T { d } } }"));
        assert!(repeats("{ c { ...F } } fragment F on T { e { f f } }"));
        assert!(repeats("query A { a } query B { b { c c } }"));
    }
}
