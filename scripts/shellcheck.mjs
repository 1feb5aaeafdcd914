// Runs shellcheck on every shipped .sh file. Following sources (-x) lets it
// see the shared helpers each remote step is rendered with.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === "node_modules" || entry === "dist") return [];
    return statSync(path).isDirectory() ? find(path) : path.endsWith(".sh") ? [path] : [];
  });
}

const files = find("packages").concat(find("scripts")).sort();
if (spawnSync("shellcheck", ["--version"]).status !== 0) {
  const msg = "shellcheck is not installed (apt-get install shellcheck)";
  if (process.env.CI) {
    console.error(`lint: ${msg}; CI needs it.`);
    process.exit(1);
  }
  console.warn(`lint: skipped shellcheck of ${files.length} scripts: ${msg}.`);
  process.exit(0);
}
const run = spawnSync("shellcheck", ["-x", "--severity=style", ...files], { stdio: "inherit" });
if (run.status !== 0) {
  console.error(`lint: shellcheck found problems (exit ${run.status})`);
  process.exit(1);
}
console.log(`lint: shellcheck clean on ${files.length} scripts`);
