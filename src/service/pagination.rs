use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QueryTrait, Select,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The largest page a connection answers.
pub const MAX_PAGE: i32 = 100;
/// The page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: i32 = 20;

/// The value of a sort key stored in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortValue {
    #[serde(rename = "t")]
    Time(DateTime<Utc>),
    #[serde(rename = "s")]
    Text(String),
}

impl SortValue {
    fn expr(&self) -> SimpleExpr {
        match self {
            SortValue::Time(t) => Expr::val(*t),
            SortValue::Text(s) => Expr::val(s.clone()),
        }
    }
}

/// An opaque position in one ordering: the sort field's tag, its value and the row id.
///
/// Its text is URL-safe base64 (no padding) of a few bytes:
///
/// | bytes | what |
/// |---|---|
/// | 1 | [`CURSOR_FORMAT`] |
/// | 1 + n | the tag's length `n`, then the tag (`created_at`, `name`, ...) |
/// | 1 | `t` for a time, `s` for a text |
/// | 12 or the rest | a time as seconds since 1970 (8 bytes, big-endian, signed) and nanoseconds (4 bytes); a text as UTF-8 |
/// | 16 | the row's id |
///
/// A page writes one cursor per row, so the cursor is kept short: 55 characters for a
/// `created_at` position, where the JSON the first cursors held took 170. Those JSON
/// cursors (`{"f":…,"v":{"t":…},"i":…}` in base64, whose first byte is `{`) are still
/// read, so a list a screen holds open keeps paging across an upgrade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "f")]
    pub field: String,
    #[serde(rename = "v")]
    pub value: SortValue,
    #[serde(rename = "i")]
    pub id: Uuid,
}

/// The first byte of a cursor in the current format (see [`Cursor`]).
const CURSOR_FORMAT: u8 = 1;
/// The longest sort tag a cursor holds.
const MAX_TAG: usize = 32;

impl Cursor {
    /// The cursor's text (see [`Cursor`]).
    pub fn encode(&self) -> String {
        Self::encode_parts(&self.field, &self.value, self.id)
    }

    /// The text of the cursor of `(field, value, id)`, without building a `Cursor`.
    pub fn encode_parts(field: &str, value: &SortValue, id: Uuid) -> String {
        debug_assert!(field.len() <= MAX_TAG, "sort tag too long: {field}");
        let tag = &field.as_bytes()[..field.len().min(MAX_TAG)];
        let value_len = match value {
            SortValue::Time(_) => 12,
            SortValue::Text(text) => text.len(),
        };
        let mut bytes = Vec::with_capacity(3 + tag.len() + value_len + 16);
        bytes.push(CURSOR_FORMAT);
        // At most MAX_TAG: the length fits in the byte.
        bytes.push(tag.len() as u8);
        bytes.extend_from_slice(tag);
        match value {
            SortValue::Time(at) => {
                bytes.push(b't');
                bytes.extend_from_slice(&at.timestamp().to_be_bytes());
                bytes.extend_from_slice(&at.timestamp_subsec_nanos().to_be_bytes());
            }
            SortValue::Text(text) => {
                bytes.push(b's');
                bytes.extend_from_slice(text.as_bytes());
            }
        }
        bytes.extend_from_slice(id.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes a cursor made for the ordering `field`.
    pub fn decode(raw: &str, field: &str, arg: &'static str) -> AppResult<Self> {
        let bad = || {
            AppError::bad_field(
                arg,
                format!("{arg} is not a cursor of this list (sorted by {field})."),
            )
        };
        if raw.len() > 512 {
            return Err(bad());
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| bad())?;
        let cursor = match bytes.first() {
            Some(&CURSOR_FORMAT) => Self::from_bytes(&bytes).ok_or_else(bad)?,
            Some(b'{') => serde_json::from_slice(&bytes).map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        let kind_ok = matches!(
            (&cursor.value, field.ends_with("_at")),
            (SortValue::Time(_), true) | (SortValue::Text(_), false)
        );
        if cursor.field != field || !kind_ok {
            return Err(bad());
        }
        Ok(cursor)
    }

    /// The cursor in `bytes` (current format), or `None` for anything else.
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (&tag_len, rest) = bytes.get(1..)?.split_first()?;
        let tag_len = usize::from(tag_len);
        if tag_len > MAX_TAG || rest.len() < tag_len + 1 + 16 {
            return None;
        }
        let (tag, rest) = rest.split_at(tag_len);
        let (&kind, rest) = rest.split_first()?;
        let (value, id) = rest.split_at(rest.len() - 16);
        let value = match kind {
            b't' => {
                let (secs, nanos) = value.split_first_chunk::<8>()?;
                let nanos = u32::from_be_bytes(nanos.try_into().ok()?);
                if nanos >= 1_000_000_000 {
                    return None;
                }
                SortValue::Time(DateTime::from_timestamp(i64::from_be_bytes(*secs), nanos)?)
            }
            b's' => SortValue::Text(std::str::from_utf8(value).ok()?.to_owned()),
            _ => return None,
        };
        Some(Cursor {
            field: std::str::from_utf8(tag).ok()?.to_owned(),
            value,
            id: Uuid::from_slice(id).ok()?,
        })
    }
}

/// The Relay arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// A validated window: how many rows, which direction, and the cursors bounding it.
#[derive(Debug, Clone)]
pub struct Window {
    pub limit: u64,
    /// True for `last`: rows are read from the end and reversed.
    pub backward: bool,
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
}

impl PageArgs {
    /// Checks the arguments for an ordering tagged `field`; `first`/`last` are capped at
    /// [`MAX_PAGE`].
    pub fn window(&self, field: &str) -> AppResult<Window> {
        if self.first.is_some() && self.last.is_some() {
            return Err(AppError::bad_input("Pass either first or last, not both."));
        }
        for (name, v) in [("first", self.first), ("last", self.last)] {
            if v.is_some_and(|n| n < 0) {
                return Err(AppError::bad_field(
                    name,
                    format!("{name} must not be negative."),
                ));
            }
        }
        let backward = self.last.is_some();
        let n = Ord::min(self.first.or(self.last).unwrap_or(DEFAULT_PAGE), MAX_PAGE);
        let after = self
            .after
            .as_deref()
            .map(|c| Cursor::decode(c, field, "after"))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|c| Cursor::decode(c, field, "before"))
            .transpose()?;
        Ok(Window {
            limit: u64::try_from(n).unwrap_or(0),
            backward,
            after,
            before,
        })
    }
}

/// One page of rows with their cursors.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// A keyset ordering: rows sorted by (`key`, `id`) in `direction`, cursors tagged `tag`.
pub struct Keyset<'a, E: EntityTrait> {
    pub tag: &'a str,
    pub key: E::Column,
    pub id: E::Column,
    pub direction: Order,
}

/// Runs `select` as one keyset page of rows decoded as `M`. `key_of` reads the sort
/// value back from a row to build its cursor.
pub async fn fetch_page<E, M>(
    svc: &super::Services,
    select: Select<E>,
    order: Keyset<'_, E>,
    window: &Window,
    key_of: impl Fn(&M) -> (SortValue, Uuid),
) -> AppResult<Page<M>>
where
    E: EntityTrait,
    M: FromQueryResult + Send + Sync,
{
    let field = order.tag;
    let stmt = page_statement(select, &order, window, svc.db.get_database_backend());
    let mut rows: Vec<M> = svc.read_models(stmt).await?;
    let more = rows.len() as u64 > window.limit;
    rows.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
    if window.backward {
        rows.reverse();
    }
    let items = rows
        .into_iter()
        .map(|row| {
            let (value, id) = key_of(&row);
            (Cursor::encode_parts(field, &value, id), row)
        })
        .collect();
    let (has_next_page, has_previous_page) = if window.backward {
        (window.before.is_some(), more)
    } else {
        (more, window.after.is_some())
    };
    Ok(Page {
        items,
        has_next_page,
        has_previous_page,
    })
}

/// The SELECT of one keyset page: `select` after and before the window's cursors, in
/// the keyset's order (reversed for `last`), one row more than the page to learn
/// whether there are more.
pub fn page_statement<E: EntityTrait>(
    select: Select<E>,
    order: &Keyset<'_, E>,
    window: &Window,
    backend: sea_orm::DbBackend,
) -> sea_orm::Statement {
    let ascending = matches!(order.direction, Order::Asc);
    let tuple = || Expr::tuple([Expr::col(order.key), Expr::col(order.id)]);
    let at = |c: &Cursor| -> Expr {
        let row = [c.value.expr(), Expr::val(c.id)];
        if backend == sea_orm::DbBackend::Postgres {
            // `(key, id) > (SELECT $2, $3)`: PostgreSQL computes the one-row subquery
            // first (an InitPlan) and seeks the index from it, as from the plain row.
            // But it cannot see the cursor's values when it plans, so the plan for the
            // values costs what the generic plan does, and PostgreSQL keeps the generic
            // one; with the values in view it judged each deep page by where its cursor
            // falls, found the generic plan dearer, and planned every page anew.
            sea_orm::sea_query::Query::select()
                .exprs(row)
                .to_owned()
                .into()
        } else {
            Expr::tuple(row)
        }
    };
    let mut select = select;
    if let Some(c) = &window.after {
        select = select.filter(if ascending {
            tuple().gt(at(c))
        } else {
            tuple().lt(at(c))
        });
    }
    if let Some(c) = &window.before {
        select = select.filter(if ascending {
            tuple().lt(at(c))
        } else {
            tuple().gt(at(c))
        });
    }
    let read = if ascending != window.backward {
        Order::Asc
    } else {
        Order::Desc
    };
    let mut stmt = select
        .order_by(order.key, read.clone())
        .order_by(order.id, read)
        .build(backend);
    // The LIMIT is written into the text, not bound: PostgreSQL plans a statement whose
    // LIMIT is a parameter again at every execution (its generic plan must assume a
    // tenth of the rows, which never looks cheaper than the plan for 51), and planning
    // was 40% of its work for a page. A page size is one of at most `MAX_PAGE` numbers.
    stmt.sql.push_str(" LIMIT ");
    stmt.sql.push_str(&(window.limit + 1).to_string());
    stmt
}

/// Keeps the column type in one place for callers building filters.
pub fn id_in<C: ColumnTrait>(col: C, ids: &[Uuid]) -> SimpleExpr {
    col.is_in(ids.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_ordering() {
        let c = Cursor {
            field: "created_at".into(),
            value: SortValue::Time(Utc::now()),
            id: Uuid::now_v7(),
        };
        let raw = c.encode();
        assert_eq!(Cursor::decode(&raw, "created_at", "after").unwrap(), c);
        assert!(Cursor::decode(&raw, "name", "after").is_err());
        assert!(Cursor::decode("garbage!", "created_at", "after").is_err());
        let text = Cursor {
            field: "name".into(),
            value: SortValue::Text("2026-01-01T00:00:00Z".into()),
            id: Uuid::now_v7(),
        };
        // A name that looks like a time still decodes as a name cursor.
        assert_eq!(
            Cursor::decode(&text.encode(), "name", "after").unwrap(),
            text
        );
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn cursors_keep_every_value_exactly_and_stay_short() {
        for value in [
            SortValue::Time(at("2026-03-01T10:00:00Z")),
            SortValue::Time(at("2026-03-01T10:00:00.120Z")),
            SortValue::Time(at("2026-03-01T10:00:00.123456789Z")),
            SortValue::Time(at("1969-12-31T23:59:59.000001+02:00")),
            SortValue::Text(String::new()),
            SortValue::Text("Ann \"Quoted\" \\ Ünïcode\n".into()),
        ] {
            let field = if matches!(value, SortValue::Time(_)) {
                "status_changed_at"
            } else {
                "name"
            };
            let c = Cursor {
                field: field.into(),
                value,
                id: Uuid::now_v7(),
            };
            let raw = c.encode();
            assert!(raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(Cursor::decode(&raw, field, "after").unwrap(), c);
        }
        let c = Cursor {
            field: "created_at".into(),
            value: SortValue::Time(at("2026-03-01T10:00:00.123456Z")),
            id: Uuid::now_v7(),
        };
        assert_eq!(c.encode().len(), 55);
    }

    #[test]
    fn cursors_of_the_json_format_are_still_read() {
        for c in [
            Cursor {
                field: "created_at".into(),
                value: SortValue::Time(at("2026-03-01T10:00:00.123456Z")),
                id: Uuid::now_v7(),
            },
            Cursor {
                field: "name".into(),
                value: SortValue::Text("Ann".into()),
                id: Uuid::now_v7(),
            },
        ] {
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&c).unwrap());
            assert!(raw.starts_with("eyJ"));
            assert_eq!(Cursor::decode(&raw, &c.field, "after").unwrap(), c);
        }
    }

    #[test]
    fn malformed_cursors_are_refused() {
        let c = Cursor {
            field: "created_at".into(),
            value: SortValue::Time(at("2026-03-01T10:00:59Z")),
            id: Uuid::now_v7(),
        };
        let good = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c.encode())
            .unwrap();
        let tag_end = 2 + "created_at".len();
        let mut bad: Vec<Vec<u8>> = vec![Vec::new(), vec![CURSOR_FORMAT], vec![2]];
        // Every shorter prefix, and one byte too many.
        bad.extend((1..good.len()).map(|n| good[..n].to_vec()));
        bad.push([good.as_slice(), &[0]].concat());
        let mut edit = |i: usize, b: u8| {
            let mut v = good.clone();
            v[i] = b;
            bad.push(v);
        };
        edit(0, 2); // an unknown format
        edit(1, 200); // a tag longer than the cursor
        edit(1, 9); // a tag one byte short
        edit(tag_end, b'x'); // an unknown kind of value
        edit(tag_end, b's'); // a text cursor for a time ordering
        edit(2, 0xff); // a tag that is not UTF-8
                       // Nanoseconds past a second (chrono takes up to two at :59, as a leap second).
        let mut leap = good.clone();
        leap[tag_end + 9..tag_end + 13].copy_from_slice(&1_500_000_000_u32.to_be_bytes());
        bad.push(leap);
        for bytes in bad {
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
            let err = Cursor::decode(&raw, "created_at", "after").unwrap_err();
            assert_eq!(
                err.code(),
                crate::error::ErrorCode::BadUserInput,
                "{bytes:?}"
            );
        }
        let text = Cursor {
            field: "name".into(),
            value: SortValue::Text("Ann".into()),
            id: Uuid::now_v7(),
        };
        let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.encode())
            .unwrap();
        bytes[7] = 0xff; // the name's first byte: no longer UTF-8
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        assert!(Cursor::decode(&raw, "name", "after").is_err());
        assert!(Cursor::decode(&"A".repeat(513), "name", "after").is_err());
    }

    #[test]
    fn windows_are_checked_and_capped() {
        let w = PageArgs {
            first: Some(1000),
            ..Default::default()
        }
        .window("name")
        .unwrap();
        assert_eq!(w.limit, 100);
        assert!(!w.backward);
        assert!(PageArgs {
            first: Some(-1),
            ..Default::default()
        }
        .window("name")
        .is_err());
        assert!(PageArgs {
            first: Some(1),
            last: Some(1),
            ..Default::default()
        }
        .window("name")
        .is_err());
        let w = PageArgs::default().window("name").unwrap();
        assert_eq!(w.limit, DEFAULT_PAGE as u64);
    }
}
