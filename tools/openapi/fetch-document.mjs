// Waits until the service at the given address answers /healthz, then prints its OpenAPI document,
// indented as docs/openapi.json is.
const [base] = process.argv.slice(2);
for (let tries = 0; ; tries++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (tries >= 240) {
    console.error(`${base} did not become healthy.`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const response = await fetch(`${base}/openapi/v1.json`);
if (!response.ok) {
  console.error(`GET /openapi/v1.json answered ${response.status}.`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(await response.json(), null, 2) + "\n");
