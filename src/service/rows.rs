//! Client and event rows decoded by position, for the pages that read many of them.
//!
//! SeaORM's derived decoding looks each column up by name and, for every NULL it meets,
//! formats an error message that `Option` then throws away. A list page decodes 16
//! columns of up to 101 rows, and on the `list50` benchmark that was a sixth of the
//! server's time. These decoders read the same columns by index straight from the sqlx
//! row, without sqlx's check of each value's type against the Rust type (the columns,
//! checked by name, and their types are this server's own migrations'; the check was 4%
//! of a rich page on PostgreSQL), and fall back to SeaORM's when the row is not the plain
//! SELECT of its table.
//! Times stored as text by SQLite are read by `timestamp::parse_utc` first.

use chrono::{DateTime, Utc};
use entity::{client, lifecycle_event};
use sea_orm::sqlx::{self, postgres::PgRow, sqlite::SqliteRow, Row, ValueRef};
use sea_orm::{ActiveEnum, DbErr, FromQueryResult, QueryResult, TryGetable};

use crate::timestamp;

/// The columns of `client::Entity::find()`, in the order SeaORM selects them.
const COLUMNS: [&str; 16] = [
    "id",
    "firm_id",
    "name",
    "email",
    "kind",
    "billing",
    "status",
    "portal_access",
    "activation_scheduled_at",
    "decommission_scheduled_at",
    "status_before_archive",
    "account_owner_contact_id",
    "version",
    "created_at",
    "updated_at",
    "status_changed_at",
];

/// A client decoded by position; `.into_model::<ClientRow>()` on a client SELECT.
#[derive(Debug, Clone)]
pub struct ClientRow(pub client::Model);

/// An enum stored as text. SeaORM's conversion takes a `String`: the text is copied into
/// one kept per thread rather than a new one for every value.
fn text_enum<T: ActiveEnum<Value = String>>(text: &str) -> Result<T, sqlx::Error> {
    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    TEXT.with_borrow_mut(|buf| {
        buf.clear();
        buf.push_str(text);
        T::try_from_value(buf)
    })
    .map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}

fn plain_select<R: Row>(row: &R, columns: &[&str]) -> bool {
    use sqlx::Column;
    let cols = row.columns();
    let shape = (cols.as_ptr() as usize, columns.as_ptr() as usize);
    if BATCH.get() == Some(Some(shape)) {
        return true;
    }
    let plain =
        cols.len() == columns.len() && cols.iter().zip(columns).all(|(c, name)| c.name() == *name);
    if plain && BATCH.get().is_some() {
        BATCH.set(Some(Some(shape)));
    }
    plain
}

thread_local! {
    /// Inside [`decode_all`]: the row shape (the address of the rows' column list, which
    /// the rows of one statement share, and of the expected names) already found plain.
    /// `None` outside: a freed column list's address may be reused by another shape.
    static BATCH: std::cell::Cell<Option<Option<(usize, usize)>>> =
        const { std::cell::Cell::new(None) };
}

/// Decodes the rows of one statement. The rows share one column list, so the decoders
/// above compare its names with theirs once, not for every row (the comparison was 3% of
/// a page of clients on PostgreSQL).
pub fn decode_all<M: FromQueryResult>(rows: &[QueryResult]) -> Result<Vec<M>, DbErr> {
    /// Leaves the batch however decoding ends.
    struct Batch;
    impl Drop for Batch {
        fn drop(&mut self) {
            BATCH.set(None);
        }
    }
    BATCH.set(Some(None));
    let _batch = Batch;
    // Collecting into a `Result` gives the vector no size to start from: it grew (and
    // moved the models, hundreds of bytes each) five times for a page of 50.
    let mut models = Vec::with_capacity(rows.len());
    for row in rows {
        models.push(M::from_query_result(row, "")?);
    }
    Ok(models)
}

/// The sqlx row of `res` when it is the plain SELECT of `columns` (no prefix), as the
/// PostgreSQL or the SQLite row it is; `(None, None)` for any other row.
fn plain_rows<'a>(
    res: &'a QueryResult,
    pre: &str,
    columns: &[&str],
) -> (Option<&'a PgRow>, Option<&'a SqliteRow>) {
    if !pre.is_empty() {
        return (None, None);
    }
    (
        res.try_as_pg_row().filter(|r| plain_select(*r, columns)),
        res.try_as_sqlite_row()
            .filter(|r| plain_select(*r, columns)),
    )
}

/// Reading a time column. PostgreSQL sends times in binary; SQLite holds the text this
/// server wrote, read by `timestamp::parse_utc` and, for any other text, by sqlx.
trait Times {
    fn time(&self, index: usize) -> Result<DateTime<Utc>, sqlx::Error>;
    fn time_opt(&self, index: usize) -> Result<Option<DateTime<Utc>>, sqlx::Error>;
}

impl Times for PgRow {
    fn time(&self, index: usize) -> Result<DateTime<Utc>, sqlx::Error> {
        match binary_time(self, index) {
            Some(Some(at)) => Ok(at),
            _ => self.try_get_unchecked(index),
        }
    }

    fn time_opt(&self, index: usize) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        match binary_time(self, index) {
            Some(at) => Ok(at),
            None => self.try_get_unchecked(index),
        }
    }
}

/// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// A `timestamptz` as PostgreSQL sends it in binary, read directly: eight bytes, the
/// microseconds since 2000-01-01 UTC, big-endian (`Some(None)` for NULL). sqlx goes
/// through a `NaiveDateTime`, a `FixedOffset` and calendar arithmetic, about 400
/// instructions a value; a page holds 153 of them. `None` when the value is not that
/// (text format, another length, ±infinity or out of chrono's range): sqlx decides.
fn binary_time(row: &PgRow, index: usize) -> Option<Option<DateTime<Utc>>> {
    use sqlx::postgres::PgValueFormat;
    let value = row.try_get_raw(index).ok()?;
    if value.is_null() {
        return Some(None);
    }
    if value.format() != PgValueFormat::Binary {
        return None;
    }
    pg_micros(value.as_bytes().ok()?).map(Some)
}

/// The time of eight big-endian bytes of microseconds since PostgreSQL's epoch.
fn pg_micros(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let micros = i64::from_be_bytes(bytes.try_into().ok()?);
    DateTime::from_timestamp_micros(micros.checked_add(PG_EPOCH_MICROS)?)
}

impl Times for SqliteRow {
    fn time(&self, index: usize) -> Result<DateTime<Utc>, sqlx::Error> {
        match self
            .try_get_unchecked::<&str, _>(index)
            .map(timestamp::parse_utc)
        {
            Ok(Some(at)) => Ok(at),
            _ => self.try_get(index),
        }
    }

    fn time_opt(&self, index: usize) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        match self.try_get_unchecked::<Option<&str>, _>(index) {
            Ok(None) => Ok(None),
            Ok(Some(text)) => match timestamp::parse_utc(text) {
                Some(at) => Ok(Some(at)),
                None => self.try_get(index),
            },
            Err(_) => self.try_get(index),
        }
    }
}

/// Both backends decode the same Rust types; only the row type differs.
macro_rules! decode_client {
    ($row:expr) => {{
        let r = $row;
        (|| -> Result<client::Model, sqlx::Error> {
            let status_before: Option<&str> = r.try_get_unchecked(10)?;
            Ok(client::Model {
                id: r.try_get_unchecked(0)?,
                firm_id: r.try_get_unchecked(1)?,
                name: r.try_get_unchecked(2)?,
                email: r.try_get_unchecked(3)?,
                kind: text_enum(r.try_get_unchecked::<&str, _>(4)?)?,
                billing: text_enum(r.try_get_unchecked::<&str, _>(5)?)?,
                status: text_enum(r.try_get_unchecked::<&str, _>(6)?)?,
                portal_access: r.try_get_unchecked(7)?,
                activation_scheduled_at: r.time_opt(8)?,
                decommission_scheduled_at: r.time_opt(9)?,
                status_before_archive: status_before.map(text_enum).transpose()?,
                account_owner_contact_id: r.try_get_unchecked(11)?,
                version: r.try_get_unchecked(12)?,
                created_at: r.time(13)?,
                updated_at: r.time(14)?,
                status_changed_at: r.time(15)?,
            })
        })()
    }};
}

impl FromQueryResult for ClientRow {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let decoded = match plain_rows(res, pre, &COLUMNS) {
            (Some(row), _) => Some(decode_client!(row)),
            (None, Some(row)) => Some(decode_client!(row)),
            (None, None) => None,
        };
        match decoded {
            Some(model) => model
                .map(ClientRow)
                .map_err(|e| DbErr::Type(format!("a client row: {e}"))),
            None => client::Model::from_query_result(res, pre).map(ClientRow),
        }
    }
}

/// The columns of `lifecycle_event::Entity::find()`, in the order SeaORM selects them.
const EVENT_COLUMNS: [&str; 11] = [
    "id",
    "firm_id",
    "client_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "reason",
    "feedback",
    "details",
    "at",
];

/// An event decoded by position; `EventRow::find_by_statement` on an event SELECT.
#[derive(Debug, Clone)]
pub struct EventRow(pub lifecycle_event::Model);

/// The event whose `action` … `at` columns start at index `$first` (in the order of
/// [`EVENT_COLUMNS`] from `action` on), with the id, firm and client given.
macro_rules! decode_event_fields {
    ($row:expr, $res:expr, $what:literal, $id:expr, $firm:expr, $client:expr, $first:expr) => {{
        let r = $row;
        let first: usize = $first;
        (|| -> Result<lifecycle_event::Model, DbErr> {
            let e = |e: sqlx::Error| DbErr::Type(format!("{}: {e}", $what));
            let from: Option<&str> = r.try_get_unchecked(first + 1).map_err(e)?;
            let to: Option<&str> = r.try_get_unchecked(first + 2).map_err(e)?;
            let reason: Option<&str> = r.try_get_unchecked(first + 4).map_err(e)?;
            // The details are JSON, rare and small: SeaORM decodes them when present.
            let details = if r.try_get_raw(first + 6).map_err(e)?.is_null() {
                None
            } else {
                Some(serde_json::Value::try_get_by($res, first + 6).map_err(DbErr::from)?)
            };
            Ok(lifecycle_event::Model {
                id: $id.map_err(e)?,
                firm_id: $firm.map_err(e)?,
                client_id: $client.map_err(e)?,
                action: text_enum(r.try_get_unchecked::<&str, _>(first).map_err(e)?).map_err(e)?,
                from_status: from.map(text_enum).transpose().map_err(e)?,
                to_status: to.map(text_enum).transpose().map_err(e)?,
                actor_id: r.try_get_unchecked(first + 3).map_err(e)?,
                reason: reason.map(text_enum).transpose().map_err(e)?,
                feedback: r.try_get_unchecked(first + 5).map_err(e)?,
                details,
                at: r.time(first + 7).map_err(e)?,
            })
        })()
    }};
}

macro_rules! decode_event {
    ($row:expr, $res:expr) => {{
        let r = $row;
        decode_event_fields!(
            r,
            $res,
            "an event row",
            r.try_get_unchecked(0),
            r.try_get_unchecked(1),
            r.try_get_unchecked(2),
            3
        )
    }};
}

impl FromQueryResult for EventRow {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        match plain_rows(res, pre, &EVENT_COLUMNS) {
            (Some(row), _) => decode_event!(row, res).map(EventRow),
            (None, Some(row)) => decode_event!(row, res).map(EventRow),
            (None, None) => lifecycle_event::Model::from_query_result(res, pre).map(EventRow),
        }
    }
}

/// The copy of a client's latest event kept on its row (see migration
/// `m20261130_000005`), in the order [`ClientPageRow`] selects it after the client's
/// columns.
pub const LATEST_COLUMNS: [&str; 9] = [
    "latest_event_id",
    "latest_event_action",
    "latest_event_from_status",
    "latest_event_to_status",
    "latest_event_actor_id",
    "latest_event_reason",
    "latest_event_feedback",
    "latest_event_details",
    "latest_event_at",
];

/// How many ACTIVE contacts and workflows a client has, kept on its row (see migration
/// `m20261130_000006`), in the order [`ClientPageRow`] selects them, last.
pub const COUNT_COLUMNS: [&str; 2] = ["active_contacts", "active_workflows"];

/// `a`, `b` and `c` end to end.
const fn joined<const N: usize>(
    a: &[&'static str],
    b: &[&'static str],
    c: &[&'static str],
) -> [&'static str; N] {
    let mut all = [""; N];
    let mut i = 0;
    while i < a.len() {
        all[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        all[i + j] = b[j];
        j += 1;
    }
    let mut k = 0;
    while k < c.len() {
        all[i + j + k] = c[k];
        k += 1;
    }
    all
}

/// The shapes of a page's rows: the client's columns, then the copy of its latest event
/// and its counts when the page asked for them.
const WITH_LATEST: [&str; 25] = joined(&COLUMNS, &LATEST_COLUMNS, &[]);
const WITH_COUNTS: [&str; 18] = joined(&COLUMNS, &COUNT_COLUMNS, &[]);
const WITH_BOTH: [&str; 27] = joined(&COLUMNS, &LATEST_COLUMNS, &COUNT_COLUMNS);

/// A row of a page of clients: the client, and what else the page's statement read with
/// it (`None`: not read).
#[derive(Debug, Clone)]
pub struct ClientPageRow {
    pub client: client::Model,
    /// The copy of the client's latest event (`Some(None)`: it has none).
    pub latest: Option<Option<lifecycle_event::Model>>,
    /// How many ACTIVE contacts and workflows the client has.
    pub counts: Option<(usize, usize)>,
}

/// The copy of the latest event after the client's 16 columns; `None` without one.
macro_rules! decode_latest {
    ($row:expr, $res:expr, $client:expr) => {{
        let r = $row;
        let c: &client::Model = $client;
        match r.try_get_unchecked::<Option<uuid::Uuid>, _>(16) {
            Err(e) => Err(DbErr::Type(format!("a client's latest event: {e}"))),
            Ok(None) => Ok(None),
            Ok(Some(id)) => decode_event_fields!(
                r,
                $res,
                "a client's latest event",
                Ok::<_, sqlx::Error>(id),
                Ok::<_, sqlx::Error>(c.firm_id),
                Ok::<_, sqlx::Error>(c.id),
                17
            )
            .map(Some),
        }
    }};
}

/// A page row of a known shape, decoded by position: the copy of the latest event when
/// `$latest`, the counts from column `$counts` on when given.
macro_rules! decode_page_row {
    ($row:expr, $res:expr, $latest:expr, $counts:expr) => {{
        let r = $row;
        let client = decode_client!(r).map_err(|e| DbErr::Type(format!("a client row: {e}")))?;
        let latest = if $latest {
            Some(decode_latest!(r, $res, &client)?)
        } else {
            None
        };
        let counts = match $counts {
            Some(first) => {
                let count = |i: usize| {
                    r.try_get_unchecked::<i32, _>(i)
                        .map(|n| usize::try_from(n).unwrap_or(0))
                        .map_err(|e| DbErr::Type(format!("a client's counts: {e}")))
                };
                Some((count(first)?, count(first + 1)?))
            }
            None => None,
        };
        Ok(ClientPageRow {
            client,
            latest,
            counts,
        })
    }};
}

/// Decodes `$row` by the first of the page's shapes it has.
macro_rules! decode_page_shapes {
    ($row:expr, $res:expr) => {{
        let r = $row;
        if plain_select(r, &COLUMNS) {
            Some(decode_page_row!(r, $res, false, None))
        } else if plain_select(r, &WITH_LATEST) {
            Some(decode_page_row!(r, $res, true, None))
        } else if plain_select(r, &WITH_COUNTS) {
            Some(decode_page_row!(r, $res, false, Some(16)))
        } else if plain_select(r, &WITH_BOTH) {
            Some(decode_page_row!(r, $res, true, Some(25)))
        } else {
            None
        }
    }};
}

impl FromQueryResult for ClientPageRow {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let decoded = match plain_rows_any(res, pre) {
            (Some(row), _) => decode_page_shapes!(row, res),
            (None, Some(row)) => decode_page_shapes!(row, res),
            (None, None) => None,
        };
        match decoded {
            Some(row) => row,
            // Any other shape: the client alone, by name (the page reads the rest apart).
            None => Ok(ClientPageRow {
                client: client::Model::from_query_result(res, pre)?,
                latest: None,
                counts: None,
            }),
        }
    }
}

/// The sqlx row of `res` when it has no prefix, as the PostgreSQL or the SQLite row it
/// is, whatever its columns.
fn plain_rows_any<'a>(
    res: &'a QueryResult,
    pre: &str,
) -> (Option<&'a PgRow>, Option<&'a SqliteRow>) {
    if !pre.is_empty() {
        return (None, None);
    }
    (res.try_as_pg_row(), res.try_as_sqlite_row())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn postgres_binary_times_are_read_exactly() {
        let read = |micros: i64| pg_micros(&micros.to_be_bytes());
        assert_eq!(read(0), Some(at("2000-01-01T00:00:00Z")));
        assert_eq!(read(1), Some(at("2000-01-01T00:00:00.000001Z")));
        assert_eq!(read(-1), Some(at("1999-12-31T23:59:59.999999Z")));
        // 2026-11-29T16:30:00.123456Z: days and seconds since 2000-01-01, by hand.
        let days = 9_829_i64;
        let micros = ((days * 86_400 + 16 * 3_600 + 30 * 60) * 1_000_000) + 123_456;
        assert_eq!(read(micros), Some(at("2026-11-29T16:30:00.123456Z")));
        assert_eq!(read(-PG_EPOCH_MICROS), Some(DateTime::UNIX_EPOCH));
        // PostgreSQL's infinity and -infinity, and a value of another length, are left
        // to sqlx.
        assert_eq!(read(i64::MAX), None);
        assert_eq!(read(i64::MIN), None);
        assert_eq!(pg_micros(&[0; 4]), None);
    }
}
