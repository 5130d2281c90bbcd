// Saves the running server's OpenAPI description as web/openapi.json, the copy
// the API types (src/api/schema.d.ts) are generated from.
// Usage: HATANG_URL=http://127.0.0.1:8080 npm run api:refresh (the default address).
// Not `npm run api:refresh -- URL`: npm would hand the URL to the api:types step.
import { writeFile } from 'node:fs/promises';

const base = process.argv[2] ?? process.env.HATANG_URL ?? 'http://127.0.0.1:8080';
const response = await fetch(new URL('/api/openapi.json', base));
if (!response.ok) {
  console.error(`GET ${base}/api/openapi.json answered ${response.status}`);
  process.exit(1);
}
const document = await response.json();
await writeFile(new URL('../openapi.json', import.meta.url), JSON.stringify(document, null, 2) + '\n');
console.log(`saved web/openapi.json from ${base} (API version ${document.info?.version})`);
