//! Client rows decoded by position, for the pages that read many of them.
//!
//! SeaORM's derived decoding looks each column up by name and, for every NULL it meets,
//! formats an error message that `Option` then throws away. A list page decodes 16
//! columns of up to 101 rows, and on the `list50` benchmark that was a sixth of the
//! server's time. This decoder reads the same columns by index straight from the sqlx
//! row, and falls back to SeaORM's when the row is not the plain client SELECT.

use entity::client;
use sea_orm::sqlx::{self, Row};
use sea_orm::{ActiveEnum, DbErr, FromQueryResult, QueryResult};

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

fn text_enum<T: ActiveEnum<Value = String>>(text: &str) -> Result<T, sqlx::Error> {
    T::try_from_value(&text.to_owned()).map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}

fn plain_select<R: Row>(row: &R) -> bool {
    use sqlx::Column;
    let cols = row.columns();
    cols.len() == COLUMNS.len() && cols.iter().zip(COLUMNS).all(|(c, name)| c.name() == name)
}

/// Both backends decode the same Rust types; only the row type differs.
macro_rules! decode_client {
    ($row:expr) => {{
        let r = $row;
        (|| -> Result<client::Model, sqlx::Error> {
            let status_before: Option<&str> = r.try_get(10)?;
            Ok(client::Model {
                id: r.try_get(0)?,
                firm_id: r.try_get(1)?,
                name: r.try_get(2)?,
                email: r.try_get(3)?,
                kind: text_enum(r.try_get::<&str, _>(4)?)?,
                billing: text_enum(r.try_get::<&str, _>(5)?)?,
                status: text_enum(r.try_get::<&str, _>(6)?)?,
                portal_access: r.try_get(7)?,
                activation_scheduled_at: r.try_get(8)?,
                decommission_scheduled_at: r.try_get(9)?,
                status_before_archive: status_before.map(text_enum).transpose()?,
                account_owner_contact_id: r.try_get(11)?,
                version: r.try_get(12)?,
                created_at: r.try_get(13)?,
                updated_at: r.try_get(14)?,
                status_changed_at: r.try_get(15)?,
            })
        })()
    }};
}

impl FromQueryResult for ClientRow {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let pg = res
            .try_as_pg_row()
            .filter(|r| pre.is_empty() && plain_select(*r));
        let sqlite = res
            .try_as_sqlite_row()
            .filter(|r| pre.is_empty() && plain_select(*r));
        let decoded = match (pg, sqlite) {
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
