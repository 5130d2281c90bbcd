//! Whether the database can be reached, as far as Hatang knows: one flag per
//! process, set by whoever watches the database (today the supervisor of the
//! embedded cluster, `database::watch`; a replica monitor can set it the same
//! way) and read by the request gate in `app.rs`, which answers 503
//! "database_unavailable" at once while it is down instead of letting requests
//! wait for a pool connection.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Whether the database can be reached, as far as Hatang knows.
#[derive(Debug)]
pub struct Health {
    down: AtomicBool,
    restarts: AtomicU64,
}

impl Health {
    /// The database went away (the watcher saw it).
    pub fn set_down(&self) {
        self.down.store(true, Ordering::Release);
    }

    /// The database is back after a restart.
    pub fn set_up_after_restart(&self) {
        self.restarts.fetch_add(1, Ordering::Relaxed);
        self.down.store(false, Ordering::Release);
    }

    /// False while the embedded cluster is down and being restarted.
    pub fn is_up(&self) -> bool {
        !self.down.load(Ordering::Acquire)
    }

    /// How often the embedded cluster was restarted since Hatang started.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }
}

/// The process's database health: one database per Hatang process.
pub fn health() -> &'static Health {
    static HEALTH: Health = Health {
        down: AtomicBool::new(false),
        restarts: AtomicU64::new(0),
    };
    &HEALTH
}
