//! The asset history's hash chain, computed in Rust for bulk writes.
//!
//! Each entry's hash covers its content and the previous entry's hash
//! (`asset_history_digest`, migration 0003), so that an edited or deleted
//! entry breaks every later link. Single changes are chained by the trigger
//! `asset_history_chain`; an import writes up to millions of entries at once
//! and computes the same links here, then copies them in whole (the trigger
//! skips entries that arrive with their hash, migration 0110).
//!
//! The digest covers the documents as PostgreSQL prints a `jsonb` value, so
//! the documents are written here in that form ([`JsonbText`]): keys ordered
//! by length and then bytewise, `": "` and `", "` between the parts, numbers
//! as `numeric` prints them. What is hashed is then exactly what
//! `before::text` and `after::text` give back once stored.

use sha2::{Digest, Sha256};

/// The fields of one history entry that its hash covers, in the digest's order.
#[derive(Debug, Clone)]
pub struct Link<'a> {
    pub chain_seq: i64,
    pub prev_hash: Option<&'a [u8]>,
    pub id: i64,
    pub asset_id: i64,
    pub action: &'a str,
    pub actor: &'a str,
    pub actor_user_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    /// `at` in microseconds since 1970 (UTC).
    pub at_micros: i64,
    pub version: i32,
    pub reason: Option<&'a str>,
    /// `before::text` and `after::text`, as [`JsonbText`] writes them.
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl Link<'_> {
    /// `asset_history_digest(h)`: SHA-256 of the fields joined by U+001F.
    pub fn digest(&self) -> [u8; 32] {
        let optional = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let parts: [&str; 13] = [
            &self.chain_seq.to_string(),
            &hex(self.prev_hash.unwrap_or_default()),
            &self.id.to_string(),
            &self.asset_id.to_string(),
            self.action,
            self.actor,
            &optional(self.actor_user_id),
            &optional(self.actor_token_id),
            &self.at_micros.to_string(),
            &self.version.to_string(),
            self.reason.unwrap_or_default(),
            self.before.unwrap_or_default(),
            self.after.unwrap_or_default(),
        ];
        let mut hash = Sha256::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                hash.update([0x1f]);
            }
            hash.update(part.as_bytes());
        }
        hash.finalize().into()
    }
}

/// Lowercase hexadecimal, as `encode(bytes, 'hex')`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// Writes JSON as PostgreSQL prints `jsonb`.
pub struct JsonbText;

impl JsonbText {
    /// A string, escaped as `escape_json` does: `\"`, `\\`, `\b`, `\f`, `\n`,
    /// `\r`, `\t`, other control characters as `\u00xx`, the rest as is.
    pub fn string(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// A `double precision` as `to_jsonb` stores it: the shortest digits
    /// that read back as the same number, without an exponent (`numeric`
    /// prints none), and no negative zero.
    pub fn float(out: &mut String, x: f64) {
        if x == 0.0 {
            out.push('0');
        } else {
            out.push_str(&format!("{x}"));
        }
    }

    pub fn optional_string(out: &mut String, s: Option<&str>) {
        match s {
            Some(s) => Self::string(out, s),
            None => out.push_str("null"),
        }
    }

    /// An object of members whose values are already written in `jsonb`
    /// form: ordered as `jsonb` orders keys (shorter first, then bytewise),
    /// a later member replacing an earlier one of the same key.
    pub fn object(out: &mut String, mut members: Vec<(&str, &str)>) {
        // Stable: of equal keys the later stays last, and wins below.
        members.sort_by(|a, b| key_order(a.0, b.0));
        out.push('{');
        let mut first = true;
        for (i, (key, value)) in members.iter().enumerate() {
            if members.get(i + 1).is_some_and(|next| next.0 == *key) {
                continue;
            }
            if !first {
                out.push_str(", ");
            }
            first = false;
            Self::string(out, key);
            out.push_str(": ");
            out.push_str(value);
        }
        out.push('}');
    }
}

fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_ordered_as_jsonb_orders_keys() {
        let mut out = String::new();
        JsonbText::object(
            &mut out,
            vec![
                ("geometry", "1"),
                ("b", "2"),
                ("aa", "3"),
                ("a", "4"),
                ("b", "5"),
            ],
        );
        assert_eq!(out, r#"{"a": 4, "b": 5, "aa": 3, "geometry": 1}"#);
    }

    #[test]
    fn strings_are_escaped_as_postgresql_escapes_them() {
        let mut out = String::new();
        JsonbText::string(&mut out, "Cột \"mới\"\\\n\t\u{1f}\u{7f}");
        assert_eq!(out, "\"Cột \\\"mới\\\"\\\\\\n\\t\\u001f\u{7f}\"");
    }

    #[test]
    fn numbers_have_no_exponent_and_no_negative_zero() {
        for (x, text) in [
            (7.3, "7.3"),
            (8.0, "8"),
            (1e-5, "0.00001"),
            (-0.0, "0"),
            (1e16, "10000000000000000"),
        ] {
            let mut out = String::new();
            JsonbText::float(&mut out, x);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn the_digest_joins_the_fields_with_unit_separators() {
        let link = Link {
            chain_seq: 2,
            prev_hash: Some(&[0xab, 0x01]),
            id: 7,
            asset_id: 3,
            action: "create",
            actor: "system",
            actor_user_id: None,
            actor_token_id: Some(5),
            at_micros: 1_700_000_000_000_000,
            version: 1,
            reason: None,
            before: None,
            after: Some("{}"),
        };
        let text = "2\u{1f}ab01\u{1f}7\u{1f}3\u{1f}create\u{1f}system\u{1f}\u{1f}5\u{1f}1700000000000000\u{1f}1\u{1f}\u{1f}\u{1f}{}";
        let expected: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        assert_eq!(link.digest(), expected);
    }
}
