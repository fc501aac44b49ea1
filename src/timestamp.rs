//! RFC 3339 text of UTC times, written and read directly in the common case.
//!
//! A list page writes two or three times per row (`createdAt`, `updatedAt`, its cursor)
//! and, on SQLite, reads three or more back from their stored text. chrono's general
//! formatter and parser took 8% of a `list50` request. These functions give exactly what
//! chrono gives for UTC times of the years 0000 to 9999 and leave anything else to chrono
//! (the unit tests compare both).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, SecondsFormat, Timelike, Utc};

/// Appends `at` as `at.to_rfc3339_opts(SecondsFormat::AutoSi, use_z)` writes it: no
/// fraction, or 3, 6 or 9 digits as the nanoseconds need, then `Z` or `+00:00`.
pub fn write_rfc3339(out: &mut String, at: &DateTime<Utc>, use_z: bool) {
    match rfc3339_ascii(at, use_z) {
        // Only ASCII digits and punctuation were written.
        Some((buf, len)) => out.push_str(std::str::from_utf8(&buf[..len]).unwrap_or_default()),
        None => out.push_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, use_z)),
    }
}

/// Appends `at` as [`write_rfc3339`] writes it, as a JSON string.
pub fn write_rfc3339_json(out: &mut Vec<u8>, at: &DateTime<Utc>, use_z: bool) {
    out.push(b'"');
    match rfc3339_ascii(at, use_z) {
        Some((buf, len)) => out.extend_from_slice(&buf[..len]),
        None => out.extend_from_slice(at.to_rfc3339_opts(SecondsFormat::AutoSi, use_z).as_bytes()),
    }
    out.push(b'"');
}

/// The text of [`write_rfc3339`] in ASCII and its length, or `None` for the times left to
/// chrono: years of five digits or below zero, and leap seconds.
fn rfc3339_ascii(at: &DateTime<Utc>, use_z: bool) -> Option<([u8; 35], usize)> {
    let naive = at.naive_utc();
    let (date, time) = (naive.date(), naive.time());
    let year = date.year();
    let nanos = time.nanosecond();
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return None;
    }
    let year = year as u32;
    let seconds = time.num_seconds_from_midnight();
    let mut buf = *b"0000-00-00T00:00:00.000000000+00:00";
    put_pair(&mut buf, 0, year / 100);
    put_pair(&mut buf, 2, year % 100);
    put_pair(&mut buf, 5, date.month());
    put_pair(&mut buf, 8, date.day());
    put_pair(&mut buf, 11, seconds / 3600);
    put_pair(&mut buf, 14, seconds / 60 % 60);
    put_pair(&mut buf, 17, seconds % 60);
    let mut len = 19;
    if nanos != 0 {
        let (mut fraction, digits) = if nanos % 1_000_000 == 0 {
            (nanos / 1_000_000, 3)
        } else if nanos % 1_000 == 0 {
            (nanos / 1_000, 6)
        } else {
            (nanos, 9)
        };
        for slot in buf[20..20 + digits].iter_mut().rev() {
            *slot = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        len += 1 + digits;
    }
    let zone: &[u8] = if use_z { b"Z" } else { b"+00:00" };
    buf[len..len + zone.len()].copy_from_slice(zone);
    len += zone.len();
    Some((buf, len))
}

/// `at.to_rfc3339()`, as async-graphql's `DateTime` scalar answers it.
pub fn rfc3339(at: &DateTime<Utc>) -> String {
    let mut out = String::with_capacity(32);
    write_rfc3339(&mut out, at, false);
    out
}

/// Writes `value` (below 100) as two digits at `at`.
fn put_pair(buf: &mut [u8], at: usize, value: u32) {
    buf[at] = b'0' + (value / 10) as u8;
    buf[at + 1] = b'0' + (value % 10) as u8;
}

/// Reads `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits and `Z` or
/// `+00:00`: the text SQLite holds for the times this server writes. `None` for any
/// other text (another offset, a space for `T`, a leap second...), which the caller
/// hands to chrono; whatever this accepts, `DateTime::parse_from_rfc3339` reads the same.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = pair(b, 0)? * 100 + pair(b, 2)?;
    let (month, day) = (pair(b, 5)?, pair(b, 8)?);
    let (hour, minute, second) = (pair(b, 11)?, pair(b, 14)?, pair(b, 17)?);
    let mut at = 19;
    let mut nanos = 0;
    if b[at] == b'.' {
        at += 1;
        let mut scale = 1_000_000_000;
        while let Some(digit) = b.get(at).map(|c| c.wrapping_sub(b'0')).filter(|d| *d < 10) {
            scale /= 10;
            nanos += u32::from(digit) * scale;
            at += 1;
            if scale == 0 {
                // More than nine digits.
                return None;
            }
        }
        if scale == 1_000_000_000 {
            return None;
        }
    }
    let zone = &b[at..];
    if zone != b"Z" && zone != b"+00:00" {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    // A leap second (`:60`) is refused here, as is any value out of range.
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(date.and_time(time).and_utc())
}

/// The value of two ASCII digits at `at`, `None` if either is not a digit.
fn pair(b: &[u8], at: usize) -> Option<u32> {
    let (hi, lo) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
    (hi < 10 && lo < 10).then(|| u32::from(hi) * 10 + u32::from(lo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn samples() -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let base = [
            Utc.with_ymd_and_hms(2024, 11, 29, 10, 0, 47).unwrap(),
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2000, 2, 29, 12, 30, 5).unwrap(),
        ];
        let fractions = [
            0,
            1,
            7,
            999_999_999,
            123_000_000,
            100_000_000,
            661_933_000,
            661_933_001,
            5_000,
            50_000_000,
        ];
        for at in base {
            for nanos in fractions {
                out.push(at.with_nanosecond(nanos).unwrap());
            }
        }
        // Step through a year in odd increments, with odd fractions.
        let mut at = Utc.with_ymd_and_hms(2023, 12, 31, 22, 58, 59).unwrap();
        for i in 0..2_000 {
            at += chrono::Duration::nanoseconds(15_739_993_417_123 + i * 1_000);
            out.push(at);
        }
        out
    }

    /// The JSON string of `at` is chrono's text, as serde_json writes it.
    fn assert_json_is_chrono(at: &DateTime<Utc>) {
        let mut json = Vec::new();
        write_rfc3339_json(&mut json, at, false);
        assert_eq!(
            json,
            serde_json::to_vec(&at.to_rfc3339()).unwrap(),
            "{at:?}"
        );
    }

    #[test]
    fn writes_what_chrono_writes() {
        for at in samples() {
            for use_z in [false, true] {
                let mut ours = String::from("x");
                write_rfc3339(&mut ours, &at, use_z);
                assert_eq!(
                    ours[1..],
                    at.to_rfc3339_opts(SecondsFormat::AutoSi, use_z),
                    "{at:?}"
                );
            }
            assert_eq!(rfc3339(&at), at.to_rfc3339());
            assert_json_is_chrono(&at);
        }
    }

    #[test]
    fn times_chrono_writes_specially_are_left_to_it() {
        let far = Utc.with_ymd_and_hms(12_345, 6, 7, 8, 9, 10).unwrap();
        let before = Utc.with_ymd_and_hms(-44, 3, 15, 12, 0, 0).unwrap();
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        for at in [far, before, leap] {
            assert_eq!(rfc3339(&at), at.to_rfc3339());
            assert_json_is_chrono(&at);
        }
    }

    #[test]
    fn reads_what_chrono_reads() {
        for at in samples() {
            for text in [
                at.to_rfc3339(),
                at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                at.to_rfc3339_opts(SecondsFormat::Nanos, false),
                at.to_rfc3339_opts(SecondsFormat::Micros, true),
                at.to_rfc3339_opts(SecondsFormat::Millis, false),
                at.to_rfc3339_opts(SecondsFormat::Secs, false),
            ] {
                let chrono = DateTime::parse_from_rfc3339(&text).unwrap().to_utc();
                assert_eq!(parse_utc(&text), Some(chrono), "{text}");
            }
        }
    }

    #[test]
    fn other_text_is_left_to_chrono() {
        for text in [
            "2024-11-29 10:00:47+00:00",
            "2024-11-29T10:00:47+01:00",
            "2024-11-29T10:00:47-00:00",
            "2024-11-29T10:00:47z",
            "2024-11-29T10:00:47.+00:00",
            "2024-11-29T10:00:47.1234567891+00:00",
            "2024-11-29T10:00:60+00:00",
            "2024-02-30T10:00:47+00:00",
            "2024-11-29T24:00:00Z",
            "2024-1-29T10:00:47+00:00",
            "2024-11-29T10:00:47",
            "2024-11-29T10:00:47+00:00 ",
            "+2024-11-29T10:00:47Z",
            "２024-11-29T10:00:47Z",
            "",
        ] {
            assert_eq!(parse_utc(text), None, "{text}");
        }
    }
}
