//! Passwords: hashed with Argon2id (the OWASP recommendation), never stored
//! or logged in clear; and the random secrets behind sessions and API tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::validation::Problems;

/// Argon2id with 19 MiB memory, 2 passes, 1 lane (OWASP's minimum settings).
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters"),
    )
}

/// A PHC-format Argon2id hash of `password` with a fresh salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("hashing cannot fail with valid parameters")
        .to_string()
}

/// Whether `password` matches `stored`. Unknown users are checked against a
/// throw-away hash so that the answer takes as long either way.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = stored.unwrap_or_else(|| DUMMY.get_or_init(|| hash("not a real password")));
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// The rules a new password must meet.
pub fn check_new(password: &str, username: &str, field: &str, problems: &mut Problems) {
    let length = password.chars().count();
    if length < 10 {
        problems.add(field, "must have at least 10 characters");
    } else if length > 200 {
        problems.add(field, "must have at most 200 characters");
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        problems.add(field, "must not contain the username");
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes
}

/// A random secret, URL-safe, with 256 bits of entropy.
pub fn random_secret() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// A password a person can type: four groups of four letters and digits
/// (about 80 bits), without look-alike characters.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = random_bytes::<16>();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// SHA-256 of a high-entropy secret (session cookie, API token): such secrets
/// need no slow hash, and the digest finds the row by index.
pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("mật khẩu rất dài 2026");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("mật khẩu rất dài 2026", Some(&stored)));
        assert!(!verify("mật khẩu rất dài 2025", Some(&stored)));
        assert!(!verify("anything", None));
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        let mut problems = Problems::new();
        check_new("short", "an", "password", &mut problems);
        check_new("vnpt.demo-is-long", "vnpt.demo", "password", &mut problems);
        assert!(!problems.is_empty());
        let mut ok = Problems::new();
        check_new(&random_password(), "vnpt.demo", "password", &mut ok);
        assert!(ok.is_empty());
    }
}
