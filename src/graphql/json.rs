//! Writes a GraphQL answer as JSON, byte for byte as `serde_json` would.
//!
//! serde_json scans every string a byte at a time for characters to escape, and a page of
//! clients is mostly strings (ids, names, addresses, timestamps, cursors, reasons): that
//! scan was the largest single cost of serialising a page (see bench/README.md). Here a
//! string is checked eight bytes at a time and copied whole when, as nearly always,
//! nothing in it needs escaping; the rare string that does is escaped exactly as
//! serde_json escapes it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;

use async_graphql::{Name, Response, Value};

/// In a request's data when its answer is written by [`response_body`]: a resolver may
/// then answer a part as ready-made JSON ([`raw`]), which only this writer understands.
pub struct RawAllowed;

/// The key of a [`raw`] value. It is recognised by its allocation, not its text, so an
/// object that merely has a key with the same text (from a `JSON` scalar) is written as
/// the object it is.
static RAW_KEY: LazyLock<Name> = LazyLock::new(|| Name::new("$json"));

/// A value that [`write_value`] writes as the given JSON text, unchanged. The text is
/// kept as bytes: it comes from this writer, which writes UTF-8 only, and checking it
/// again for every object of a page cost more than writing it.
pub fn raw(json: impl Into<bytes::Bytes>) -> Value {
    let mut map = async_graphql::indexmap::IndexMap::with_capacity(1);
    map.insert(RAW_KEY.clone(), Value::Binary(json.into()));
    Value::Object(map)
}

/// The JSON text of a value.
pub fn to_string(value: &Value) -> String {
    let mut out = Vec::new();
    write_value(&mut out, value);
    // The writer writes UTF-8 only: strings as they are, everything else in ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// The JSON body of a GraphQL response, as serde_json writes a `Response` (with `data`
/// written here), in pieces: the text written here, and between them the ready-made JSON
/// of [`raw`] values of some size as they are, not copied again (a page of 100 KB was
/// copied once more into the body).
pub fn response_body(response: &Response) -> Vec<bytes::Bytes> {
    let mut out = Pieces {
        done: Vec::new(),
        buf: Vec::with_capacity(SIZE_HINT.load(Ordering::Relaxed).clamp(1024, 1 << 20)),
        written: 0,
    };
    out.buf.extend_from_slice(b"{\"data\":");
    write_value(&mut out, &response.data);
    let buf = &mut out.buf;
    // Extensions and errors are rare and small: serde_json writes them.
    if !response.extensions.is_empty() {
        buf.extend_from_slice(b",\"extensions\":");
        if serde_json::to_writer(&mut *buf, &response.extensions).is_err() {
            return vec![bytes::Bytes::from_static(b"{\"data\":null}")];
        }
    }
    if !response.errors.is_empty() {
        buf.extend_from_slice(b",\"errors\":");
        if serde_json::to_writer(&mut *buf, &response.errors).is_err() {
            return vec![bytes::Bytes::from_static(b"{\"data\":null}")];
        }
    }
    buf.push(b'}');
    out.written += buf.len();
    // The next answer starts with room for the text written here (an eighth more):
    // growing an answer of 100 KB from a small buffer copied it five times over.
    SIZE_HINT.store(out.written + out.written / 8, Ordering::Relaxed);
    out.flush();
    out.done
}

/// The buffer size the next answer starts with.
static SIZE_HINT: AtomicUsize = AtomicUsize::new(16 * 1024);

/// Ready-made JSON shorter than this is copied into the text around it.
const PIECE_MIN: usize = 4096;

/// Where JSON is written: a buffer, or the pieces of a response's body.
pub trait JsonOut {
    /// The buffer text is written to.
    fn buf(&mut self) -> &mut Vec<u8>;
    /// Appends ready-made JSON.
    fn ready(&mut self, json: &bytes::Bytes);
}

impl JsonOut for Vec<u8> {
    fn buf(&mut self) -> &mut Vec<u8> {
        self
    }

    fn ready(&mut self, json: &bytes::Bytes) {
        self.extend_from_slice(json);
    }
}

/// A response's body as it is written: pieces done, and the text being written.
struct Pieces {
    done: Vec<bytes::Bytes>,
    buf: Vec<u8>,
    /// Bytes written into buffers (not counting ready-made pieces).
    written: usize,
}

impl Pieces {
    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        // A small answer after a large one does not hold on to the large buffer while
        // it is sent.
        if buf.capacity() > 2 * buf.len() + 4096 {
            buf.shrink_to_fit();
        }
        self.done.push(buf.into());
    }
}

impl JsonOut for Pieces {
    fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn ready(&mut self, json: &bytes::Bytes) {
        if json.len() < PIECE_MIN {
            self.buf.extend_from_slice(json);
            return;
        }
        self.written += self.buf.len();
        self.flush();
        // The text after it is short (the rest of the answer's punctuation, pageInfo).
        self.buf = Vec::with_capacity(256);
        self.done.push(json.clone());
    }
}

/// Appends one value.
pub fn write_value<O: JsonOut + ?Sized>(out: &mut O, value: &Value) {
    match value {
        Value::Null => out.buf().extend_from_slice(b"null"),
        Value::Boolean(true) => out.buf().extend_from_slice(b"true"),
        Value::Boolean(false) => out.buf().extend_from_slice(b"false"),
        Value::Number(n) => {
            // Integers and floats are written by serde_json itself (itoa and ryu).
            let _ = serde_json::to_writer(out.buf(), n);
        }
        Value::String(s) => write_str(out.buf(), s),
        Value::Enum(name) => write_name(out.buf(), name),
        Value::Binary(bytes) => {
            // serde_json writes bytes as an array of numbers.
            let _ = serde_json::to_writer(out.buf(), bytes.as_ref());
        }
        Value::List(items) => {
            out.buf().push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.buf().push(b',');
                }
                write_value(out, item);
            }
            out.buf().push(b']');
        }
        Value::Object(map) => {
            if let Some(json) = as_raw(map) {
                out.ready(json);
                return;
            }
            out.buf().push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.buf().push(b',');
                }
                write_str(out.buf(), key);
                out.buf().push(b':');
                write_value(out, item);
            }
            out.buf().push(b'}');
        }
    }
}

/// The JSON text of a [`raw`] value.
fn as_raw(map: &async_graphql::indexmap::IndexMap<Name, Value>) -> Option<&bytes::Bytes> {
    if map.len() != 1 {
        return None;
    }
    match map.first() {
        Some((key, Value::Binary(json))) if std::ptr::eq(key.as_str(), RAW_KEY.as_str()) => {
            Some(json)
        }
        _ => None,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of eight bytes is a control character, `"` or `\`.
#[inline]
fn needs_escape(word: u64) -> bool {
    // A byte below 0x20 (exact for this test: a byte of 0x80 or more is masked by !word).
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = {
        let x = word ^ (ONES * u64::from(b'"'));
        x.wrapping_sub(ONES) & !x
    };
    let backslash = {
        let x = word ^ (ONES * u64::from(b'\\'));
        x.wrapping_sub(ONES) & !x
    };
    (control | quote | backslash) & HIGHS != 0
}

/// Appends a GraphQL name (a response key, an enum item) as a JSON string. Names are
/// `[_A-Za-z][_0-9A-Za-z]*`: the parser allows nothing else in a response key, and enum
/// items come from the schema (a `JSON` scalar's strings are strings, never enum items),
/// so there is nothing in them to escape and they are not scanned.
pub fn write_name(out: &mut Vec<u8>, name: &str) {
    debug_assert!(name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()));
    out.reserve(name.len() + 2);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// Appends a JSON string.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // The length of the prefix that needs no escaping, found eight bytes at a time; the
    // last few bytes are checked padded with spaces.
    let mut chunks = bytes.chunks_exact(8);
    let mut clean = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        if needs_escape(word) {
            break;
        }
        clean += 8;
    }
    if clean == bytes.len() - chunks.remainder().len() {
        let mut word = [b' '; 8];
        for (w, b) in word.iter_mut().zip(chunks.remainder()) {
            *w = *b;
        }
        if !needs_escape(u64::from_le_bytes(word)) {
            clean = bytes.len();
        }
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(&bytes[..clean]);
    if clean == bytes.len() {
        out.push(b'"');
        return;
    }
    let mut start = clean;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{Name, Number};

    fn same_as_serde_json(value: &Value) {
        let mut ours = Vec::new();
        write_value(&mut ours, value);
        let theirs = serde_json::to_vec(value).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{value:?}"
        );
    }

    #[test]
    fn every_character_is_written_as_serde_json_writes_it() {
        // Every code point up to 0x2FF, alone and at each position of a longer string,
        // so that each lands in every lane of the eight-byte scan and in the tail.
        for c in (0u32..0x300).filter_map(char::from_u32) {
            same_as_serde_json(&Value::String(c.to_string()));
            for at in 0..17 {
                let mut s: String = "abcdefghijklmnopq".chars().take(at).collect();
                s.push(c);
                s.push_str("tail end");
                same_as_serde_json(&Value::String(s));
            }
        }
        for s in [
            "",
            "plain",
            "exactly8",
            "Ünïcödé ✓ 漢字 🎉 and \u{7f} \u{2028}",
            "quote \" backslash \\ newline \n tab \t",
            "\u{0}\u{1}\u{1f}",
        ] {
            same_as_serde_json(&Value::String(s.to_owned()));
        }
    }

    #[test]
    fn names_are_written_as_serde_json_writes_them() {
        // GraphQL names (the only text written as names).
        for name in ["id", "createdAt", "_x9", "ACTIVE"] {
            let mut ours = Vec::new();
            write_name(&mut ours, name);
            let theirs = serde_json::to_vec(name).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
            same_as_serde_json(&Value::Enum(Name::new(name)));
        }
    }

    #[test]
    fn whole_values_are_written_as_serde_json_writes_them() {
        let mut object = async_graphql::indexmap::IndexMap::new();
        object.insert(Name::new("id"), Value::String("a\"b".into()));
        object.insert(Name::new("status"), Value::Enum(Name::new("ACTIVE")));
        object.insert(Name::new("count"), Value::Number(Number::from(-42)));
        object.insert(Name::new("big"), Value::Number(Number::from(u64::MAX)));
        object.insert(
            Name::new("ratio"),
            Value::Number(Number::from_f64(0.1).unwrap()),
        );
        object.insert(Name::new("ok"), Value::Boolean(true));
        object.insert(Name::new("no"), Value::Boolean(false));
        object.insert(Name::new("none"), Value::Null);
        // A `JSON` scalar's keys are any strings.
        object.insert(Name::new("a \"key\"\n"), Value::Null);
        object.insert(Name::new("empty"), Value::List(vec![]));
        object.insert(
            Name::new("emptyObject"),
            Value::Object(async_graphql::indexmap::IndexMap::new()),
        );
        object.insert(Name::new("bytes"), Value::Binary(vec![0u8, 7, 255].into()));
        let inner = Value::Object(object.clone());
        object.insert(
            Name::new("list"),
            Value::List(vec![inner.clone(), Value::Null, inner]),
        );
        same_as_serde_json(&Value::Object(object));
    }

    #[test]
    fn a_raw_value_is_written_as_it_is_and_a_look_alike_as_an_object() {
        let mut page = async_graphql::indexmap::IndexMap::new();
        page.insert(Name::new("a"), raw(b"[1,{\"b\":null}]".to_vec()));
        let mut look_alike = async_graphql::indexmap::IndexMap::new();
        look_alike.insert(Name::new("$json"), Value::String("[1]".into()));
        page.insert(Name::new("c"), Value::Object(look_alike));
        let mut bytes = async_graphql::indexmap::IndexMap::new();
        bytes.insert(Name::new("$json"), Value::Binary(b"[2]".to_vec().into()));
        page.insert(Name::new("d"), Value::Object(bytes));
        page.insert(Name::new("e"), Value::List(vec![raw(b"{}".to_vec())]));
        assert_eq!(
            to_string(&Value::Object(page)),
            r#"{"a":[1,{"b":null}],"c":{"$json":"[1]"},"d":{"$json":[91,50,93]},"e":[{}]}"#
        );
    }

    #[test]
    fn a_response_is_written_as_serde_json_writes_it() {
        let mut data = async_graphql::indexmap::IndexMap::new();
        data.insert(Name::new("me"), Value::String("x".into()));
        let ok = Response::new(Value::Object(data.clone()));
        assert_eq!(body(&ok), serde_json::to_vec(&ok).unwrap());
        let failed = Response::from_errors(vec![async_graphql::ServerError::new(
            "boom \"quoted\"",
            None,
        )]);
        assert_eq!(body(&failed), serde_json::to_vec(&failed).unwrap());
        let mut partial = Response::new(Value::Object(data)).extension("cost", Value::from(3));
        partial
            .errors
            .push(async_graphql::ServerError::new("one field failed", None));
        assert_eq!(body(&partial), serde_json::to_vec(&partial).unwrap());
    }

    fn body(response: &Response) -> Vec<u8> {
        response_body(response).concat()
    }

    #[test]
    fn large_ready_made_json_is_a_piece_of_the_body_of_its_own() {
        let page = format!("[{}]", vec!["{\"id\":\"x\"}"; 600].join(","));
        assert!(page.len() >= PIECE_MIN);
        let mut data = async_graphql::indexmap::IndexMap::new();
        data.insert(Name::new("small"), raw(b"[1]".to_vec()));
        data.insert(Name::new("page"), raw(page.clone().into_bytes()));
        data.insert(Name::new("after"), Value::String("é".into()));
        let pieces = response_body(&Response::new(Value::Object(data)));
        assert_eq!(pieces.len(), 3);
        assert_eq!(&pieces[0][..], br#"{"data":{"small":[1],"page":"#);
        assert_eq!(pieces[1], page.as_bytes());
        assert_eq!(&pieces[2][..], r#","after":"é"}}"#.as_bytes());
        // The same text as written into one buffer.
        let mut data = async_graphql::indexmap::IndexMap::new();
        data.insert(Name::new("page"), raw(page.clone().into_bytes()));
        assert_eq!(
            to_string(&Value::Object(data)),
            format!("{{\"page\":{page}}}")
        );
    }
}
