//! Inputs parsed at the edge: the service layer only accepts these types.

use crate::error::{AppError, AppResult};

/// Refuses NUL and other control characters (tabs and newlines allowed when `multiline`).
fn check_text(field: &'static str, value: &str, max: usize, multiline: bool) -> AppResult<()> {
    if value.chars().count() > max {
        return Err(AppError::bad_field(
            field,
            format!("{field} is too long: at most {max} characters."),
        ));
    }
    let bad = value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if bad {
        return Err(AppError::bad_field(
            field,
            format!("{field} contains control characters."),
        ));
    }
    Ok(())
}

/// A person's or a client's display name: trimmed, 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 200;

    pub fn parse(field: &'static str, raw: &str) -> AppResult<Self> {
        let value = raw.trim();
        check_text(field, value, Self::MAX, false)?;
        if value.is_empty() {
            return Err(AppError::bad_field(
                field,
                format!("{field} must not be empty."),
            ));
        }
        Ok(Name(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An e-mail address: trimmed and lower-cased, so that uniqueness is case-insensitive on
/// every database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(field: &'static str, raw: &str) -> AppResult<Self> {
        let value = raw.trim();
        check_text(field, value, Self::MAX, false)?;
        let invalid =
            || AppError::bad_field(field, format!("{field} is not a valid e-mail address."));
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok || value.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        Ok(Email(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Optional free text (survey feedback): up to 2,000 characters, may span lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback(String);

impl Feedback {
    pub const MAX: usize = 2000;

    /// Blank feedback counts as none.
    pub fn parse(raw: Option<&str>) -> AppResult<Option<Self>> {
        let Some(raw) = raw else { return Ok(None) };
        check_text("feedback", raw, Self::MAX, true)?;
        let value = raw.trim();
        Ok((!value.is_empty()).then(|| Feedback(value.to_string())))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A search term for names and e-mail addresses: up to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// Blank search counts as none.
    pub fn parse(raw: Option<&str>) -> AppResult<Option<Self>> {
        let Some(raw) = raw else { return Ok(None) };
        check_text("search", raw, 200, false)?;
        let value = raw.trim().to_lowercase();
        Ok((!value.is_empty()).then_some(SearchText(value)))
    }

    /// A `LIKE` pattern matching the term anywhere, with `\` escaping `%`, `_` and `\`.
    pub fn like_pattern(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 2);
        out.push('%');
        for c in self.0.chars() {
            if matches!(c, '%' | '_' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('%');
        out
    }
}

/// The name typed into a "type the client's name to delete" dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmName(String);

impl ConfirmName {
    pub fn parse(raw: &str) -> AppResult<Self> {
        check_text("confirmName", raw, Name::MAX, false)?;
        Ok(ConfirmName(raw.to_string()))
    }

    /// Exact comparison: no trimming, no case folding.
    pub fn matches(&self, name: &str) -> bool {
        self.0 == name
    }
}

/// Parses a GraphQL `ID` holding a UUID.
pub fn parse_id(field: &'static str, raw: &str) -> AppResult<uuid::Uuid> {
    if raw.len() > 64 {
        return Err(AppError::bad_field(
            field,
            format!("{field} is not a valid id."),
        ));
    }
    uuid::Uuid::parse_str(raw)
        .map_err(|_| AppError::bad_field(field, format!("{field} is not a valid id.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("name", "  Acme  ").unwrap().as_str(), "Acme");
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"x".repeat(201)).is_err());
        assert!(Name::parse("name", &"é".repeat(200)).is_ok());
        assert!(Name::parse("name", "a\0b").is_err());
        assert!(Name::parse("name", "a\nb").is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("email", " Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        assert_eq!(
            Email::parse("email", "Élodie@X.fr").unwrap().as_str(),
            "élodie@x.fr"
        );
        for bad in [
            "",
            "ana",
            "@x.com",
            "ana@",
            "ana@.com",
            "a b@x.com",
            "a@b@c",
            "a\0@x.com",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse("email", &format!("{}@x.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn feedback_allows_lines_but_not_nul() {
        assert_eq!(Feedback::parse(Some("  ")).unwrap(), None);
        assert!(Feedback::parse(Some("line\nline")).unwrap().is_some());
        assert!(Feedback::parse(Some("a\0")).is_err());
        assert!(Feedback::parse(Some(&"x".repeat(2001))).is_err());
    }

    #[test]
    fn search_escapes_like_wildcards() {
        let s = SearchText::parse(Some("50%_a\\")).unwrap().unwrap();
        assert_eq!(s.like_pattern(), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn confirm_name_is_exact() {
        let c = ConfirmName::parse("Acme Ltd").unwrap();
        assert!(c.matches("Acme Ltd"));
        assert!(!c.matches("acme ltd"));
        assert!(!ConfirmName::parse("Acme Ltd ").unwrap().matches("Acme Ltd"));
    }

    #[test]
    fn ids_must_be_uuids() {
        assert!(parse_id("clientId", "not-a-uuid").is_err());
        assert!(parse_id("clientId", "0192f1a4-7a7e-7cc0-8f00-000000000001").is_ok());
    }
}
