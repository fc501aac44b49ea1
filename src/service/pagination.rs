use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect, Select,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "f")]
    pub field: String,
    #[serde(rename = "v")]
    pub value: SortValue,
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    /// The cursor's text: its JSON, as serde_json writes it, in URL-safe base64. Written
    /// by hand for the common case of a time: a page encodes one cursor per row, and
    /// serde_json's general path was most of the cost.
    pub fn encode(&self) -> String {
        let SortValue::Time(at) = &self.value else {
            let json = serde_json::to_vec(self).unwrap_or_default();
            return base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        };
        let mut json = String::with_capacity(96);
        json.push_str("{\"f\":");
        // The field is a column tag (`created_at`): nothing in it to escape.
        if self
            .field
            .bytes()
            .all(|b| b == b'_' || b.is_ascii_alphanumeric())
        {
            json.push('"');
            json.push_str(&self.field);
            json.push('"');
        } else {
            json.push_str(&serde_json::to_string(&self.field).unwrap_or_default());
        }
        // chrono writes a time for serde as RFC 3339 with as many fraction digits as it
        // needs (0, 3, 6 or 9) and `Z`.
        json.push_str(",\"v\":{\"t\":\"");
        crate::timestamp::write_rfc3339(&mut json, at, true);
        json.push_str("\"},\"i\":\"");
        json.push_str(
            self.id
                .hyphenated()
                .encode_lower(&mut Uuid::encode_buffer()),
        );
        json.push_str("\"}");
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
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
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        let kind_ok = matches!(
            (&cursor.value, field.ends_with("_at")),
            (SortValue::Time(_), true) | (SortValue::Text(_), false)
        );
        if cursor.field != field || !kind_ok {
            return Err(bad());
        }
        Ok(cursor)
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
    let Keyset {
        tag: field,
        key,
        id,
        direction,
    } = order;
    let ascending = matches!(direction, Order::Asc);
    let tuple = || Expr::tuple([Expr::col(key), Expr::col(id)]);
    let at = |c: &Cursor| Expr::tuple([c.value.expr(), Expr::val(c.id)]);
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
    let read_ascending = ascending != window.backward;
    let order = if read_ascending {
        Order::Asc
    } else {
        Order::Desc
    };
    let mut rows: Vec<M> = svc
        .read_select(
            select
                .order_by(key, order.clone())
                .order_by(id, order)
                .limit(window.limit + 1),
        )
        .await?;
    let more = rows.len() as u64 > window.limit;
    rows.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
    if window.backward {
        rows.reverse();
    }
    let items = rows
        .into_iter()
        .map(|row| {
            let (value, id) = key_of(&row);
            let cursor = Cursor {
                field: field.to_string(),
                value,
                id,
            };
            (cursor.encode(), row)
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

    #[test]
    fn cursors_are_the_base64_of_their_json() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        for value in [
            SortValue::Time(at("2026-03-01T10:00:00Z")),
            SortValue::Time(at("2026-03-01T10:00:00.120Z")),
            SortValue::Time(at("2026-03-01T10:00:00.123456Z")),
            SortValue::Time(at("2026-03-01T10:00:00.123456789Z")),
            SortValue::Time(at("1999-12-31T23:59:59.000001+02:00")),
            SortValue::Text("Ann \"Quoted\" \\ Ünïcode\n".into()),
        ] {
            for field in ["created_at", "odd \"tag\""] {
                let c = Cursor {
                    field: field.into(),
                    value: value.clone(),
                    id: Uuid::now_v7(),
                };
                let json = serde_json::to_vec(&c).unwrap();
                assert_eq!(
                    c.encode(),
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
                );
            }
        }
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
