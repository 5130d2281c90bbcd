#!/usr/bin/env python3
"""Hash-chains history entries for a bulk load, exactly as the database's trigger would.

Reads CSV rows `asset_id,after` (after = the jsonb document's text, as
PostgreSQL prints it) on standard input and writes CSV rows for
`COPY asset_history (id, asset_id, action, actor, at, version, after, chain_seq, prev_hash, hash)`
on standard output. Each hash is asset_history_digest() of migration 0003:
sha256 over the fields joined by U+001F, the previous entry's hash included.

    chain.py FIRST_ID FIRST_SEQ PREV_HASH_HEX AT_MICROSECONDS AT_TEXT ACTOR
"""

import csv
import hashlib
import sys


def main():
    first_id, first_seq, prev_hex, at_micros, at_text, actor = sys.argv[1:7]
    entry_id, seq = int(first_id), int(first_seq)
    prev = bytes.fromhex(prev_hex) if prev_hex else b""
    csv.field_size_limit(1 << 30)
    reader = csv.reader(sys.stdin)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    sep = "\x1f"
    count = 0
    for asset_id, after in reader:
        text = sep.join((str(seq), prev.hex(), str(entry_id), asset_id, "create", actor, "", "",
                         at_micros, "1", "", "", after))
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        writer.writerow((entry_id, asset_id, "create", actor, at_text, 1, after, seq,
                         "\\x" + prev.hex() if prev else None, "\\x" + digest.hex()))
        prev = digest
        entry_id += 1
        seq += 1
        count += 1
    print(f"chain.py: chained {count} entries, last id {entry_id - 1}, head {prev.hex()}", file=sys.stderr)


if __name__ == "__main__":
    main()
