//! Who is asking, without the database on every request.
//!
//! A map asks for dozens of tiles at once, each with the session cookie; the
//! session and its user were two queries per request, more than the tile
//! itself when it is cached. So a session's user (and a token's operator) is
//! kept in memory for [`SessionSettings::session_cache_seconds`] after it was
//! read, never past the session's end.
//!
//! # Why a change is never missed
//! - Logging out, changing one's password, an admin changing or disabling an
//!   account, and revoking a token forget the entries on the server that did it
//!   before it answers ([`Principals::forget_users`], [`Principals::forget_tokens`]).
//! - Every other server hears of it through the database: triggers (migration
//!   0060) announce on [`CHANNEL`] any change of a user, session, scope, token,
//!   operator or admin unit, whoever made it (another server, psql), and
//!   [`listen`] forgets the entries it names.
//! - While this server is not listening (not yet, or the connection dropped)
//!   nothing is served from memory, and everything is forgotten when it
//!   listens again: notices sent meanwhile are lost.
//! - A lookup that started before an invalidation is not stored after it (the
//!   generation check), so a stale answer cannot outlive the notice.
//!
//! What is given up: recording the use of a session or token (`last_seen_at`,
//! `last_used_at`) happens on the lookups that reach the database, at most
//! once per cache period instead of every 30 seconds.
//!
//! [`SessionSettings::session_cache_seconds`]: crate::config::SessionSettings::session_cache_seconds

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use super::principal::Session;
use crate::policy::Principal;

/// The channel the triggers of migration 0060 notify.
pub const CHANNEL: &str = "hatang_principals";

/// Entries held at most; past that the cache is emptied (a bound, not a policy:
/// a server sees far fewer live sessions).
const MAX_ENTRIES: usize = 100_000;

/// What a cookie or token stood for when it was read.
#[derive(Clone)]
pub enum Known {
    Session(Arc<Session>),
    Token(Principal),
}

#[derive(Clone)]
struct Entry {
    known: Known,
    until: Instant,
}

/// Key: the digest of the cookie value or token, with a tag.
type Key = (u8, Vec<u8>);
const SESSION: u8 = 0;
const TOKEN: u8 = 1;

/// Counters for `/metrics` and the benchmark.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Stats {
    pub hits: u64,
    pub misses: u64,
    pub invalidations: u64,
    pub entries: u64,
}

/// The cached principals of one server. Cheap to clone.
#[derive(Clone)]
pub struct Principals {
    inner: Arc<Inner>,
}

struct Inner {
    ttl: Duration,
    entries: RwLock<HashMap<Key, Entry>>,
    /// Bumped by every invalidation; a lookup stores its answer only if it did
    /// not change while the lookup ran.
    generation: AtomicU64,
    /// Serialises "check the generation and store" against "bump and forget".
    store: Mutex<()>,
    /// Whether the change notices are being received.
    listening: AtomicBool,
    hits: AtomicU64,
    misses: AtomicU64,
    invalidations: AtomicU64,
}

impl Principals {
    /// A cache keeping entries for `ttl` (zero: no caching).
    pub fn new(ttl: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                ttl,
                entries: RwLock::new(HashMap::new()),
                generation: AtomicU64::new(0),
                store: Mutex::new(()),
                listening: AtomicBool::new(false),
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
                invalidations: AtomicU64::new(0),
            }),
        }
    }

    fn enabled(&self) -> bool {
        !self.inner.ttl.is_zero() && self.inner.listening.load(Ordering::SeqCst)
    }

    /// The generation to pass to [`Self::store_session`] / [`Self::store_token`];
    /// read it before the database lookup.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::SeqCst)
    }

    fn get(&self, key: &Key) -> Option<Known> {
        if !self.enabled() {
            return None;
        }
        let found = {
            let entries = self.inner.entries.read().expect("never poisoned");
            entries
                .get(key)
                .filter(|e| e.until > Instant::now())
                .map(|e| e.known.clone())
        };
        let counter = if found.is_some() {
            &self.inner.hits
        } else {
            &self.inner.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The cached session of a cookie (by its digest).
    pub fn session(&self, digest: &[u8]) -> Option<Arc<Session>> {
        match self.get(&(SESSION, digest.to_vec()))? {
            Known::Session(session) => Some(session),
            Known::Token(_) => None,
        }
    }

    /// The cached principal of an API token (by its digest).
    pub fn token(&self, digest: &[u8]) -> Option<Principal> {
        match self.get(&(TOKEN, digest.to_vec()))? {
            Known::Token(principal) => Some(principal),
            Known::Session(_) => None,
        }
    }

    fn store(&self, key: Key, known: Known, generation: u64, live_for: Option<Duration>) {
        if !self.enabled() {
            return;
        }
        let live_for = live_for.map_or(self.inner.ttl, |d| d.min(self.inner.ttl));
        if live_for.is_zero() {
            return;
        }
        let _store = self.inner.store.lock().expect("never poisoned");
        if self.inner.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let mut entries = self.inner.entries.write().expect("never poisoned");
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, e| e.until > now);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Entry {
                known,
                until: Instant::now() + live_for,
            },
        );
    }

    /// Remembers the session of a cookie digest read at `generation`, for at
    /// most `live_for` (the time the session has left).
    pub fn store_session(
        &self,
        digest: &[u8],
        session: Arc<Session>,
        generation: u64,
        live_for: Duration,
    ) {
        self.store(
            (SESSION, digest.to_vec()),
            Known::Session(session),
            generation,
            Some(live_for),
        );
    }

    /// Remembers the principal of a token digest read at `generation`.
    pub fn store_token(
        &self,
        digest: &[u8],
        principal: Principal,
        generation: u64,
        live_for: Option<Duration>,
    ) {
        self.store(
            (TOKEN, digest.to_vec()),
            Known::Token(principal),
            generation,
            live_for,
        );
    }

    /// Forgets the entries `forget` picks, after bumping the generation.
    fn forget(&self, forget: impl Fn(&Key, &Known) -> bool) {
        self.inner.invalidations.fetch_add(1, Ordering::Relaxed);
        let _store = self.inner.store.lock().expect("never poisoned");
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
        let mut entries = self.inner.entries.write().expect("never poisoned");
        entries.retain(|key, entry| !forget(key, &entry.known));
    }

    /// Forgets the sessions of these users, and every token (a token stops
    /// with the account that made it).
    pub fn forget_users(&self, users: &[i64]) {
        self.forget(|_, known| match known {
            Known::Session(session) => users.contains(&session.user.id),
            Known::Token(_) => true,
        });
    }

    /// Forgets these tokens.
    pub fn forget_tokens(&self, tokens: &[i64]) {
        self.forget(|_, known| match known {
            Known::Token(Principal::Token { id, .. }) => tokens.contains(id),
            _ => false,
        });
    }

    /// Forgets one session by the digest of its cookie.
    pub fn forget_session(&self, digest: &[u8]) {
        let key = (SESSION, digest.to_vec());
        self.forget(|k, _| *k == key);
    }

    /// Forgets everything.
    pub fn forget_all(&self) {
        self.forget(|_, _| true);
    }

    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.inner.hits.load(Ordering::Relaxed),
            misses: self.inner.misses.load(Ordering::Relaxed),
            invalidations: self.inner.invalidations.load(Ordering::Relaxed),
            entries: self.inner.entries.read().expect("never poisoned").len() as u64,
        }
    }

    fn set_listening(&self, listening: bool) {
        if listening {
            // Notices may have been missed before: start afresh.
            self.forget_all();
        }
        self.inner.listening.store(listening, Ordering::SeqCst);
        if !listening {
            self.forget_all();
        }
    }
}

/// A change announced on [`CHANNEL`].
#[derive(Debug, serde::Deserialize)]
struct Notice {
    #[serde(default)]
    users: Vec<i64>,
    #[serde(default)]
    tokens: Vec<i64>,
    #[serde(default)]
    all: bool,
}

impl Principals {
    fn apply(&self, notice: &Notice) {
        if notice.all {
            self.forget_all();
            return;
        }
        if !notice.users.is_empty() {
            self.forget_users(&notice.users);
        }
        if !notice.tokens.is_empty() {
            self.forget_tokens(&notice.tokens);
        }
    }
}

/// Follows the change notices for as long as the returned task runs. Returns
/// once listening (or once the first attempt failed; it keeps trying in the
/// background, and meanwhile nothing is cached).
pub async fn listen(principals: Principals, pool: PgPool) -> tokio::task::JoinHandle<()> {
    let first = subscribe(&pool).await;
    if first.is_some() {
        principals.set_listening(true);
    }
    tokio::spawn(async move {
        let mut listener = first;
        loop {
            if let Some(mut connected) = listener.take() {
                principals.set_listening(true);
                // `try_recv` gives `None` when the connection drops.
                while let Ok(Some(notification)) = connected.try_recv().await {
                    match serde_json::from_str::<Notice>(notification.payload()) {
                        Ok(notice) => principals.apply(&notice),
                        Err(error) => {
                            tracing::warn!(%error, payload = notification.payload(), "unreadable account change notice");
                            principals.forget_all();
                        }
                    }
                }
                principals.set_listening(false);
                tracing::warn!("lost the connection listening for account changes");
            }
            if pool.is_closed() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
            listener = subscribe(&pool).await;
        }
    })
}

async fn subscribe(pool: &PgPool) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(pool)
        .await
        .map_err(|error| tracing::warn!(%error, "cannot connect to listen for account changes"))
        .ok()?;
    listener
        .listen(CHANNEL)
        .await
        .map_err(|error| tracing::warn!(%error, "cannot listen for account changes"))
        .ok()?;
    Some(listener)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{OperatorRef, Role, User};

    fn session(user: i64) -> Arc<Session> {
        Arc::new(Session {
            user: User {
                id: user,
                username: format!("u{user}"),
                display_name: "U".into(),
                role: Role::Planner,
                operator: None,
                scope_wards: Vec::new(),
                scope_units: Vec::new(),
            },
            csrf_token: "c".into(),
        })
    }

    fn token(id: i64) -> Principal {
        Principal::Token {
            id,
            name: "t".into(),
            operator: OperatorRef {
                id: 1,
                code: "VNPT".into(),
            },
        }
    }

    fn cache() -> Principals {
        let cache = Principals::new(Duration::from_secs(30));
        cache.set_listening(true);
        cache
    }

    #[test]
    fn nothing_is_cached_while_not_listening() {
        let cache = Principals::new(Duration::from_secs(30));
        cache.store_session(
            b"a",
            session(1),
            cache.generation(),
            Duration::from_secs(60),
        );
        assert!(cache.session(b"a").is_none());
        cache.set_listening(true);
        cache.store_session(
            b"a",
            session(1),
            cache.generation(),
            Duration::from_secs(60),
        );
        assert!(cache.session(b"a").is_some());
        cache.set_listening(false);
        assert!(cache.session(b"a").is_none());
    }

    #[test]
    fn a_user_notice_forgets_that_users_sessions_and_every_token() {
        let cache = cache();
        let g = cache.generation();
        cache.store_session(b"a", session(1), g, Duration::from_secs(60));
        cache.store_session(b"b", session(2), g, Duration::from_secs(60));
        cache.store_token(b"t", token(7), g, None);
        cache.apply(&Notice {
            users: vec![1],
            tokens: vec![],
            all: false,
        });
        assert!(cache.session(b"a").is_none());
        assert!(cache.session(b"b").is_some());
        assert!(cache.token(b"t").is_none());
        let g = cache.generation();
        cache.store_token(b"t", token(7), g, None);
        cache.store_token(b"u", token(8), g, None);
        cache.apply(&Notice {
            users: vec![],
            tokens: vec![8],
            all: false,
        });
        assert!(cache.token(b"t").is_some());
        assert!(cache.token(b"u").is_none());
        assert!(cache.session(b"b").is_some());
    }

    #[test]
    fn a_lookup_that_overlapped_an_invalidation_is_not_stored() {
        let cache = cache();
        let before = cache.generation();
        cache.forget_users(&[1]);
        cache.store_session(b"a", session(1), before, Duration::from_secs(60));
        assert!(cache.session(b"a").is_none());
    }

    #[test]
    fn an_entry_never_outlives_its_session() {
        let cache = cache();
        cache.store_session(b"a", session(1), cache.generation(), Duration::ZERO);
        assert!(cache.session(b"a").is_none());
        let none = Principals::new(Duration::ZERO);
        none.set_listening(true);
        none.store_session(b"a", session(1), none.generation(), Duration::from_secs(60));
        assert!(none.session(b"a").is_none());
    }
}
