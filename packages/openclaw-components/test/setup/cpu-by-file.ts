/**
 * Opt-in CPU accounting per test file, for `scripts/cpu-by-test-file.sh`.
 *
 * The machine tiers are bound by CPU, and most of it is spent in processes a
 * test starts (OpenClaw, a systemd host, dockerd), which a timer in the
 * worker cannot see. With OPENCLAW_TEST_CPU_CGROUP set to a cgroup directory
 * (cgroup v2, or v1's cpuacct), each file's worker moves into a child cgroup
 * named after the file before the file's own hooks run, so everything the
 * file starts is counted there. Unset, this does nothing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { beforeAll, expect } from "vitest";

const parent = process.env.OPENCLAW_TEST_CPU_CGROUP;

if (parent) {
  beforeAll(() => {
    const file = expect.getState().testPath;
    if (!file) throw new Error("cpu-by-file: vitest gave no test path");
    const dir = join(parent, `${basename(dirname(file))}-${basename(file)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cgroup.procs"), String(process.pid));
  });
}
