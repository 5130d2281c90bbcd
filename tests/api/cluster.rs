//! Beyond one machine (issue 16): `scripts/cluster-demo` starts a PostgreSQL
//! primary and a streaming standby (made by `hatang replica`), two Hatang
//! servers reading from the standby and nginx round-robin in front, then
//! checks every step itself (a write read back from the replica through the
//! other server, tile invalidation across servers, an import followed from the
//! other server, reads served and writes refused with 503 once the primary is
//! killed, writes again after `pg_ctl promote`). The test runs it against this
//! build and fails when any step does.

use std::path::Path;
use std::process::Command;

#[test]
fn the_cluster_demo_survives_the_loss_of_its_primary() {
    let exe = std::env::current_exe().unwrap();
    let binary = exe.parent().and_then(Path::parent).unwrap().join("hatang");
    assert!(
        binary.is_file(),
        "{} is missing: make test builds it",
        binary.display()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = Command::new(root.join("scripts/cluster-demo"))
        .env("HATANG_BINARY", &binary)
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_REPLICA_URLS")
        .current_dir(root)
        .output()
        .expect("scripts/cluster-demo runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "cluster-demo failed:\n{printed}");
    for step in [
        "server 2 read it at once from replica-1",
        "four reads through nginx went to both servers",
        "server 2's cached tile changed",
        "server 2 followed it",
        "4 of 4 reads through nginx served from the replica",
        "a write is refused with 503",
        "both servers write to the promoted standby",
    ] {
        assert!(printed.contains(step), "step missing ({step}):\n{printed}");
    }
}
