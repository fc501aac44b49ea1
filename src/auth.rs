use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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

/// Seconds a token is still accepted after its `exp`.
const LEEWAY_SECS: i64 = 5;
/// Most verified tokens remembered; the memory starts afresh when full.
const MAX_VERIFIED: usize = 1024;

/// Verified tokens, by their exact text: their user and expiry.
type Verified = HashMap<Box<str>, (Uuid, i64), foldhash::fast::RandomState>;

/// Signs and verifies HS256 bearer tokens with one secret.
///
/// A screen sends the same token with every request, and checking its signature (an
/// HMAC-SHA256 and the JSON of its claims) cost 3% of a page of clients. A token whose
/// signature and claims checked out is remembered by its exact text, with its user and
/// expiry; the same text again is accepted without the HMAC until it expires, as
/// verifying it again would do. Any other text, however close, is verified in full.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    verified: Arc<Mutex<Verified>>,
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
        validation.leeway = LEEWAY_SECS.unsigned_abs();
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Tokens {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            verified: Arc::default(),
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
        self.verify_at(token, chrono::Utc::now().timestamp())
    }

    /// `verify_until` at `now` (seconds since the epoch) for a remembered token; one not
    /// remembered is verified at the system's time.
    fn verify_at(&self, token: &str, now: i64) -> Option<(Uuid, i64)> {
        if token.len() > 4096 {
            return None;
        }
        let remembered = self.lock().get(token).copied();
        if let Some((user_id, exp)) = remembered {
            // What `decode` checks of `exp`: expired once `now - leeway` has passed it.
            return (exp >= now - LEEWAY_SECS).then_some((user_id, exp));
        }
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let verified = (Uuid::parse_str(&data.claims.sub).ok()?, data.claims.exp);
        let mut memory = self.lock();
        if memory.len() >= MAX_VERIFIED {
            memory.clear();
        }
        memory.insert(token.into(), verified);
        Some(verified)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Verified> {
        self.verified
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
    fn remembered_tokens_still_expire_and_only_their_exact_text_is_remembered() {
        let t = Tokens::new(&Secret::new("k"));
        let id = Uuid::now_v7();
        let token = t.issue(id, Duration::from_secs(60)).unwrap();
        let (user, exp) = t.verify_until(&token).unwrap();
        assert_eq!(user, id);
        assert_eq!(t.lock().get(token.as_str()), Some(&(id, exp)));
        // Remembered: accepted within the leeway after `exp`, refused after it.
        assert_eq!(t.verify_at(&token, exp + LEEWAY_SECS), Some((id, exp)));
        assert_eq!(t.verify_at(&token, exp + LEEWAY_SECS + 1), None);
        // The same claims under another signature, or with a character changed, are
        // verified in full and refused.
        let mut tampered = token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(t.verify(&tampered), None);
        let other = Tokens::new(&Secret::new("other"));
        let resigned = other.issue(id, Duration::from_secs(60)).unwrap();
        assert_eq!(t.verify(&resigned), None);
        assert!(!t.lock().contains_key(tampered.as_str()));
        // A full memory starts afresh with the next token verified.
        let mut memory = t.lock();
        for i in memory.len()..MAX_VERIFIED {
            memory.insert(format!("filler{i}").into(), (id, exp));
        }
        drop(memory);
        let next = t.issue(id, Duration::from_secs(120)).unwrap();
        assert_eq!(t.verify(&next), Some(id));
        assert_eq!(t.lock().len(), 1);
        assert!(t.lock().contains_key(next.as_str()));
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
