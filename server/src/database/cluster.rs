//! The databases behind one Hatang server: a primary that takes the writes and
//! any number of PostgreSQL streaming replicas (hot standbys) that take reads.
//!
//! Replication itself is PostgreSQL's own (`pg_basebackup -R`, `primary_conninfo`,
//! `pg_ctl promote`, or Patroni doing that automatically); Hatang only follows
//! it. A monitor asks every database twice a second whether it is up, whether
//! it is in recovery (a standby), how far it has replayed the primary's
//! write-ahead log and on which timeline it is, and from that:
//!
//! - **writes** go to the database that is up, not in recovery and on the
//!   highest timeline. That is the configured primary until it is lost; when an
//!   operator promotes a standby, the write pool is pointed at it (its timeline
//!   is higher than the old primary's, so an old primary that comes back is not
//!   written to again). With no such database, writes are refused with 503
//!   `read_only` at once instead of waiting for a connection;
//! - **reads** that may be a little behind (tiles, lists, OGC API, dashboards,
//!   exports) go round-robin to the replicas that are up and less than
//!   `max_lag` behind; a person who just wrote reads from a replica only once
//!   it has replayed that write (read-your-writes: the write's log position
//!   travels in a cookie, so it works across servers behind one proxy), after a
//!   bounded wait, else from the primary; with no replica in shape, from the
//!   primary; with the primary lost, from any replica that answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{ConnectOptions, Connection, PgConnection};
use utoipa::ToSchema;

/// A position in the write-ahead log (`pg_lsn`), as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Lsn(pub u64);

impl Lsn {
    /// Parses PostgreSQL's text form, `16/B374D848`.
    pub fn parse(text: &str) -> Option<Self> {
        let (high, low) = text.trim().split_once('/')?;
        let high = u64::from_str_radix(high, 16).ok()?;
        let low = u64::from_str_radix(low, 16).ok()?;
        (high <= u32::MAX as u64 && low <= u32::MAX as u64).then_some(Self((high << 32) | low))
    }
}

impl std::fmt::Display for Lsn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:X}/{:X}", self.0 >> 32, self.0 & 0xFFFF_FFFF)
    }
}

/// What the monitor last saw of one database.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeStatus {
    /// `primary` or `replica-1`, `replica-2`, … as configured.
    pub name: String,
    /// The database's address, without any password.
    pub target: String,
    /// `primary` (takes writes), `standby` (in recovery) or `unknown` (down).
    pub role: &'static str,
    /// `up`, `down`, or `lagging` (a standby too far behind to be read).
    pub state: &'static str,
    /// Whether reads are sent to it now.
    pub serving_reads: bool,
    /// Whether writes are sent to it now.
    pub serving_writes: bool,
    /// How far behind the primary's log a standby's replay is, in bytes.
    pub lag_bytes: Option<u64>,
    /// How old the last replayed transaction is while the standby is behind, in seconds
    /// (0 when it has replayed everything).
    pub lag_seconds: Option<f64>,
    /// WAL timeline: a promoted standby starts a new, higher one.
    pub timeline: Option<i64>,
    /// The last error talking to it, if it is down.
    pub error: Option<String>,
    /// Milliseconds since the monitor last checked it.
    pub checked_ms_ago: u64,
}

#[derive(Debug, Clone, Default)]
struct Observed {
    up: bool,
    in_recovery: bool,
    timeline: Option<i64>,
    /// The primary's current position, or a standby's replay position.
    lsn: Option<Lsn>,
    lag_bytes: Option<u64>,
    lag_seconds: Option<f64>,
    error: Option<String>,
    checked: Option<Instant>,
}

struct Node {
    name: String,
    target: String,
    options: PgConnectOptions,
    /// Reads routed to this database (a small pool of its own).
    pool: PgPool,
    observed: RwLock<Observed>,
}

/// Settings of read routing.
#[derive(Debug, Clone, Copy)]
pub struct RoutingSettings {
    /// A standby further behind than this is not read from.
    pub max_lag: Duration,
    /// How long a read waits for a standby to replay the reader's own last write.
    pub read_your_writes_wait: Duration,
    /// How often the monitor looks at every database.
    pub check_every: Duration,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        Self {
            max_lag: Duration::from_secs(5),
            read_your_writes_wait: Duration::from_millis(500),
            check_every: Duration::from_millis(500),
        }
    }
}

const NO_WRITER: usize = usize::MAX;

/// The primary and the replicas, and which of them serve what (cheap to clone).
#[derive(Clone)]
pub struct Databases {
    inner: Arc<Inner>,
}

struct Inner {
    /// The pool every write (and every read that is not routed) uses. It is
    /// pointed at whichever database takes writes now.
    write_pool: PgPool,
    /// `nodes[0]` is the configured primary, then the replicas in order.
    nodes: Vec<Node>,
    writer: AtomicUsize,
    next_replica: AtomicUsize,
    settings: RoutingSettings,
    /// The primary's log position at each check of the last [`HISTORY`], to
    /// tell how far behind in time a standby's replay is.
    history: std::sync::Mutex<std::collections::VecDeque<(Instant, Lsn)>>,
}

const HISTORY: Duration = Duration::from_secs(300);

/// Where a read was served from (the `X-Hatang-Database` response header says it too).
#[derive(Debug, Clone)]
pub struct ReadTarget {
    pub pool: PgPool,
    pub name: String,
}

impl Databases {
    /// A server with only a primary (every read and write goes there).
    pub fn single(pool: PgPool) -> Self {
        let options = pool.connect_options().as_ref().clone();
        Self::new(
            pool,
            options,
            "primary".into(),
            Vec::new(),
            RoutingSettings::default(),
        )
    }

    /// The primary's pool (already connected), and the replicas to connect to lazily.
    pub fn new(
        write_pool: PgPool,
        primary_options: PgConnectOptions,
        primary_target: String,
        replicas: Vec<(PgConnectOptions, String)>,
        settings: RoutingSettings,
    ) -> Self {
        let mut nodes = vec![Node::new("primary".into(), primary_target, primary_options)];
        for (i, (options, target)) in replicas.into_iter().enumerate() {
            nodes.push(Node::new(format!("replica-{}", i + 1), target, options));
        }
        let databases = Self {
            inner: Arc::new(Inner {
                write_pool,
                nodes,
                writer: AtomicUsize::new(0),
                next_replica: AtomicUsize::new(0),
                settings,
                history: Default::default(),
            }),
        };
        // Until the monitor's first look, the configured primary counts as up.
        if let Ok(mut observed) = databases.inner.nodes[0].observed.write() {
            observed.up = true;
        }
        databases
    }

    /// Whether any replica is configured.
    pub fn has_replicas(&self) -> bool {
        self.inner.nodes.len() > 1
    }

    /// The pool for writes and for reads that must see the latest data.
    pub fn write_pool(&self) -> &PgPool {
        &self.inner.write_pool
    }

    /// Whether some database takes writes now.
    pub fn writable(&self) -> bool {
        self.inner.writer.load(Ordering::Relaxed) != NO_WRITER
    }

    /// The pool for a read that may be slightly behind, given the reader's own
    /// last write position (if any).
    pub async fn reader(&self, own_write: Option<Lsn>) -> ReadTarget {
        let inner = &self.inner;
        if inner.nodes.len() == 1 {
            return self.primary_target();
        }
        let writer = inner.writer.load(Ordering::Relaxed);
        let candidates: Vec<usize> = (1..inner.nodes.len())
            .filter(|&i| i != writer && inner.nodes[i].readable(&inner.settings))
            .collect();
        if !candidates.is_empty() {
            let start = inner.next_replica.fetch_add(1, Ordering::Relaxed);
            let order = (0..candidates.len()).map(|k| candidates[(start + k) % candidates.len()]);
            match own_write {
                None => {
                    let i = candidates[start % candidates.len()];
                    return inner.nodes[i].target();
                }
                Some(lsn) => {
                    // A standby that has replayed the reader's write already?
                    let order: Vec<usize> = order.collect();
                    if let Some(&i) = order.iter().find(|&&i| inner.nodes[i].replayed(lsn)) {
                        return inner.nodes[i].target();
                    }
                    // Else wait a little for one, asking the standbys directly.
                    let deadline = Instant::now() + inner.settings.read_your_writes_wait;
                    while Instant::now() < deadline && writer != NO_WRITER {
                        for &i in &order {
                            if inner.nodes[i]
                                .replay_position()
                                .await
                                .is_some_and(|p| p >= lsn)
                            {
                                return inner.nodes[i].target();
                            }
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    if writer == NO_WRITER {
                        // Nothing newer exists to read: the best standby serves.
                        return inner.nodes[order[0]].target();
                    }
                }
            }
        } else if writer == NO_WRITER {
            // No standby in shape and no primary: any database that answers.
            if let Some(i) = (1..inner.nodes.len()).find(|&i| inner.nodes[i].observed().up) {
                return inner.nodes[i].target();
            }
        }
        self.primary_target()
    }

    fn primary_target(&self) -> ReadTarget {
        let writer = self.inner.writer.load(Ordering::Relaxed);
        let name = self
            .inner
            .nodes
            .get(writer)
            .map_or("primary", |n| n.name.as_str());
        ReadTarget {
            pool: self.inner.write_pool.clone(),
            name: name.to_string(),
        }
    }

    /// The primary's current write position (after a write, for read-your-writes).
    pub async fn current_write_position(&self) -> Option<Lsn> {
        if !self.has_replicas() {
            return None;
        }
        let text: String = sqlx::query_scalar("select pg_current_wal_lsn()::text")
            .fetch_one(&self.inner.write_pool)
            .await
            .ok()?;
        Lsn::parse(&text)
    }

    /// What the monitor knows of every database.
    pub fn status(&self) -> Vec<NodeStatus> {
        let inner = &self.inner;
        let writer = inner.writer.load(Ordering::Relaxed);
        inner
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let observed = node.observed();
                let readable = i != 0 && i != writer && node.readable(&inner.settings);
                let lagging = observed.up
                    && observed.in_recovery
                    && observed
                        .lag_seconds
                        .is_some_and(|s| s > inner.settings.max_lag.as_secs_f64());
                NodeStatus {
                    name: node.name.clone(),
                    target: node.target.clone(),
                    role: match (observed.up, observed.in_recovery) {
                        (false, _) => "unknown",
                        (true, true) => "standby",
                        (true, false) => "primary",
                    },
                    state: if !observed.up {
                        "down"
                    } else if lagging {
                        "lagging"
                    } else {
                        "up"
                    },
                    serving_reads: readable
                        || (i == writer
                            && (inner.nodes.len() == 1 || !self.any_replica_readable())),
                    serving_writes: i == writer,
                    lag_bytes: observed.lag_bytes,
                    lag_seconds: observed.lag_seconds,
                    timeline: observed.timeline,
                    error: observed.error.clone(),
                    checked_ms_ago: observed
                        .checked
                        .map_or(0, |at| at.elapsed().as_millis() as u64),
                }
            })
            .collect()
    }

    fn any_replica_readable(&self) -> bool {
        let writer = self.inner.writer.load(Ordering::Relaxed);
        (1..self.inner.nodes.len())
            .any(|i| i != writer && self.inner.nodes[i].readable(&self.inner.settings))
    }

    /// Looks at every database once and decides who takes writes.
    pub async fn check(&self, connections: &mut [Option<PgConnection>]) {
        let inner = &self.inner;
        let looks = futures_util::future::join_all(
            inner
                .nodes
                .iter()
                .zip(connections.iter_mut())
                .map(|(node, connection)| node.look(connection)),
        )
        .await;
        let primary_lsn = looks
            .iter()
            .filter(|o| o.up && !o.in_recovery)
            .max_by_key(|o| o.timeline)
            .and_then(|o| o.lsn);
        let now = Instant::now();
        let mut history = inner.history.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lsn) = primary_lsn {
            history.push_back((now, lsn));
            while history
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) > HISTORY)
            {
                history.pop_front();
            }
        }
        for (node, mut observed) in inner.nodes.iter().zip(looks) {
            // A standby's lag: how long ago the primary was where the standby
            // has replayed to. With no primary there is nothing to lag behind.
            if observed.up
                && observed.in_recovery
                && let (Some(p), Some(r)) = (primary_lsn, observed.lsn)
            {
                observed.lag_bytes = Some(p.0.saturating_sub(r.0));
                observed.lag_seconds = Some(if r >= p {
                    0.0
                } else {
                    // The last moment the primary had not yet passed `r`.
                    let since = history
                        .iter()
                        .rev()
                        .find(|(_, lsn)| *lsn <= r)
                        .or(history.front())
                        .map_or(now, |(at, _)| *at);
                    now.duration_since(since).as_secs_f64()
                });
            }
            if let Ok(mut slot) = node.observed.write() {
                *slot = observed;
            }
        }
        // Writes go to the database on the highest timeline that takes writes;
        // the configured primary wins a tie.
        let writer = inner
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let o = n.observed();
                (o.up && !o.in_recovery).then_some((i, o.timeline.unwrap_or(0)))
            })
            .max_by_key(|&(i, timeline)| (timeline, std::cmp::Reverse(i)))
            .map_or(NO_WRITER, |(i, _)| i);
        let before = inner.writer.swap(writer, Ordering::Relaxed);
        if before != writer {
            if writer == NO_WRITER {
                tracing::error!(
                    "no database takes writes: writes are refused until the primary is back or a standby is promoted"
                );
            } else {
                let node = &inner.nodes[writer];
                if before != NO_WRITER || writer != 0 {
                    tracing::warn!(database = %node.name, target = %node.target, "writes now go to this database");
                } else {
                    tracing::info!(database = %node.name, "the primary takes writes again");
                }
                inner.write_pool.set_connect_options(node.options.clone());
            }
        }
    }

    /// Runs [`Self::check`] forever (a background task of the server).
    pub async fn monitor(self) {
        let mut connections: Vec<Option<PgConnection>> =
            (0..self.inner.nodes.len()).map(|_| None).collect();
        let mut tick = tokio::time::interval(self.inner.settings.check_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.check(&mut connections).await;
        }
    }
}

impl Node {
    fn new(name: String, target: String, options: PgConnectOptions) -> Self {
        let pool = super::pool_options()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(3))
            .connect_lazy_with(options.clone());
        Self {
            name,
            target,
            options,
            pool,
            observed: RwLock::new(Observed::default()),
        }
    }

    fn observed(&self) -> Observed {
        self.observed.read().map(|o| o.clone()).unwrap_or_default()
    }

    fn target(&self) -> ReadTarget {
        ReadTarget {
            pool: self.pool.clone(),
            name: self.name.clone(),
        }
    }

    /// Up, and a standby no further behind than the limit (or a primary).
    fn readable(&self, settings: &RoutingSettings) -> bool {
        let o = self.observed();
        o.up && (!o.in_recovery
            || o.lag_seconds
                .is_none_or(|s| s <= settings.max_lag.as_secs_f64()))
    }

    fn replayed(&self, lsn: Lsn) -> bool {
        self.observed().lsn.is_some_and(|p| p >= lsn)
    }

    async fn replay_position(&self) -> Option<Lsn> {
        let text: Option<String> = tokio::time::timeout(
            Duration::from_millis(200),
            sqlx::query_scalar(
                "select coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text",
            )
            .fetch_one(&self.pool),
        )
        .await
        .ok()?
        .ok()?;
        text.as_deref().and_then(Lsn::parse)
    }

    /// One look at the database over the monitor's own connection.
    async fn look(&self, connection: &mut Option<PgConnection>) -> Observed {
        const LIMIT: Duration = Duration::from_secs(1);
        let checked = Some(Instant::now());
        if connection.is_none() {
            let options = self.options.clone().log_statements(log::LevelFilter::Off);
            match tokio::time::timeout(LIMIT, PgConnection::connect_with(&options)).await {
                Ok(Ok(c)) => *connection = Some(c),
                Ok(Err(error)) => return Observed::down(error.to_string(), checked),
                Err(_) => return Observed::down("no answer within 1 s".into(), checked),
            }
        }
        let Some(conn) = connection.as_mut() else {
            return Observed::down("not connected".into(), checked);
        };
        let query = sqlx::query_as::<_, (bool, Option<String>, Option<i64>)>(
            "select pg_is_in_recovery(),
                    case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end::text,
                    -- A primary's timeline from its current log file name (pg_control's
                    -- lags until the next checkpoint after a promotion).
                    case when pg_is_in_recovery() then (select timeline_id::bigint from pg_control_checkpoint())
                         else ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int::bigint end",
        )
        .fetch_one(conn);
        match tokio::time::timeout(LIMIT, query).await {
            Ok(Ok((in_recovery, lsn, timeline))) => Observed {
                up: true,
                in_recovery,
                timeline,
                lsn: lsn.as_deref().and_then(Lsn::parse),
                // Worked out by `check`, against the primary.
                lag_bytes: None,
                lag_seconds: None,
                error: None,
                checked,
            },
            Ok(Err(error)) => {
                *connection = None;
                Observed::down(error.to_string(), checked)
            }
            Err(_) => {
                *connection = None;
                Observed::down("no answer within 1 s".into(), checked)
            }
        }
    }
}

impl Observed {
    fn down(error: String, checked: Option<Instant>) -> Self {
        Self {
            error: Some(error),
            checked,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lsn;

    #[test]
    fn log_positions_parse_and_print_as_postgresql_does() {
        let lsn = Lsn::parse("16/B374D848").unwrap();
        assert_eq!(lsn.0, (0x16 << 32) | 0xB374D848);
        assert_eq!(lsn.to_string(), "16/B374D848");
        assert!(Lsn::parse("0/0").unwrap() < lsn);
        assert_eq!(Lsn::parse("nonsense"), None);
        assert_eq!(Lsn::parse("1/"), None);
    }
}
