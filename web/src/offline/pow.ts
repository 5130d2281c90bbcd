// The proof of work a report without an account carries: a nonce whose
// SHA-256 with the server's signed challenge starts with `difficulty` zero
// bits (server/src/incidents/guard.rs). About a second of a phone's work.

function zeroBits(digest: ArrayBuffer): number {
  let bits = 0;
  for (const byte of new Uint8Array(digest)) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

export async function solve(challenge: string, difficulty: number): Promise<string> {
  const encoder = new TextEncoder();
  const batch = 512;
  for (let start = 0; ; start += batch) {
    const nonces = Array.from({ length: batch }, (_, i) => start + i);
    const digests = await Promise.all(nonces.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${n}`))));
    const found = digests.findIndex((d) => zeroBits(d) >= difficulty);
    if (found >= 0) return String(nonces[found]);
  }
}
