// Redocly's exit code ignores warnings: this reads its JSON report and fails on any error or warning.
import { readFileSync } from "node:fs";
const text = readFileSync(process.argv[2], "utf8");
const { totals } = JSON.parse(text.slice(text.indexOf("{")));
if (totals.errors || totals.warnings) {
  console.error(`OpenAPI lint: ${totals.errors} errors, ${totals.warnings} warnings: fix them (see above).`);
  process.exit(1);
}
console.log(`OpenAPI lint: 0 errors, 0 warnings (${totals.ignored} ignored).`);
