use std::time::Duration;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::Secret;

/// The claims of a Clientele token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The staff user's id.
    sub: String,
    /// Expiry, seconds since the epoch.
    exp: i64,
    /// Issued at, seconds since the epoch (optional).
    #[serde(default)]
    iat: i64,
}

/// Signs and verifies HS256 bearer tokens with one secret.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(<redacted>)")
    }
}

impl Tokens {
    pub fn new(secret: &Secret) -> Self {
        // Only HS256 is accepted; `exp` is required and checked with a small leeway.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Tokens {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
        }
    }

    /// A token for `user_id`, valid for `ttl`.
    pub fn issue(&self, user_id: Uuid, ttl: Duration) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = Claims {
            sub: user_id.to_string(),
            exp: now.saturating_add(ttl),
            iat: now,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| format!("could not sign token: {e}"))
    }

    /// The user id of a valid token; `None` for anything else (bad signature, wrong
    /// algorithm, missing or malformed `exp`, expired, malformed `sub`).
    pub fn verify(&self, token: &str) -> Option<Uuid> {
        self.verify_until(token).map(|(user_id, _)| user_id)
    }

    /// The user id of a valid token and the moment it expires (its `exp`, in seconds
    /// since the Unix epoch).
    pub fn verify_until(&self, token: &str) -> Option<(Uuid, i64)> {
        if token.len() > 4096 {
            return None;
        }
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        Some((Uuid::parse_str(&data.claims.sub).ok()?, data.claims.exp))
    }
}

/// Reads a TTL such as `8h`, `30m` or `7d`.
pub fn parse_ttl(raw: &str) -> Result<Duration, String> {
    humantime::parse_duration(raw).map_err(|e| format!("invalid duration {raw:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn b64(v: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
    }

    fn forged(header: &str, payload: &str, secret: &str) -> String {
        use jsonwebtoken::crypto::sign;
        let msg = format!("{}.{}", b64(header), b64(payload));
        let sig = sign(
            msg.as_bytes(),
            &EncodingKey::from_secret(secret.as_bytes()),
            Algorithm::HS256,
        )
        .unwrap();
        format!("{msg}.{sig}")
    }

    #[test]
    fn issued_tokens_verify() {
        let t = Tokens::new(&Secret::new("s3cret"));
        let id = Uuid::now_v7();
        let token = t.issue(id, Duration::from_secs(60)).unwrap();
        assert_eq!(t.verify(&token), Some(id));
        let other = Tokens::new(&Secret::new("other"));
        assert_eq!(other.verify(&token), None);
    }

    #[test]
    fn malformed_claims_and_algorithms_are_refused() {
        let id = Uuid::now_v7();
        let t = Tokens::new(&Secret::new("k"));
        let exp = chrono::Utc::now().timestamp() + 600;
        let hs = r#"{"alg":"HS256","typ":"JWT"}"#;
        let good = format!(r#"{{"sub":"{id}","exp":{exp}}}"#);
        assert_eq!(t.verify(&forged(hs, &good, "k")), Some(id));
        // exp as a string
        let p = format!(r#"{{"sub":"{id}","exp":"{exp}"}}"#);
        assert_eq!(t.verify(&forged(hs, &p, "k")), None);
        // no exp
        let p = format!(r#"{{"sub":"{id}"}}"#);
        assert_eq!(t.verify(&forged(hs, &p, "k")), None);
        // expired two minutes ago
        let p = format!(r#"{{"sub":"{id}","exp":{}}}"#, exp - 720);
        assert_eq!(t.verify(&forged(hs, &p, "k")), None);
        // alg none, unsigned
        let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&good));
        assert_eq!(t.verify(&none), None);
        // RS256 header over an HMAC signature
        assert_eq!(
            t.verify(&forged(r#"{"alg":"RS256","typ":"JWT"}"#, &good, "k")),
            None
        );
        // HS512
        assert_eq!(
            t.verify(&forged(r#"{"alg":"HS512","typ":"JWT"}"#, &good, "k")),
            None
        );
        // sub that is not a uuid
        let p = format!(r#"{{"sub":"admin","exp":{exp}}}"#);
        assert_eq!(t.verify(&forged(hs, &p, "k")), None);
    }

    #[test]
    fn secrets_are_redacted() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:?}", Tokens::new(&s)).contains("hunter2"));
    }

    #[test]
    fn ttls_parse() {
        assert_eq!(parse_ttl("8h").unwrap(), Duration::from_secs(8 * 3600));
        assert!(parse_ttl("soon").is_err());
    }
}
