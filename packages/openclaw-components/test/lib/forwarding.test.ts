/**
 * forwarding.sh, the tiers' shared hold on IPv4 forwarding, against a state
 * directory and a setting file of its own (never this machine's): the last
 * release puts back what the first hold found, and a hold whose test process
 * is gone (a run killed before its release) is dropped by the next call.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "forwarding.sh");
const available = spawnSync("flock", ["--version"]).status === 0;

describe.skipIf(!available)("forwarding.sh: one hold on forwarding shared by the tiers", () => {
  let root = "";
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function setup(initial: string) {
    root = mkdtempSync(join(tmpdir(), "fwd-"));
    const setting = join(root, "ip_forward");
    writeFileSync(setting, `${initial}\n`);
    const dir = join(root, "state");
    const call = (action: string, holder: string, owner: number | undefined) => {
      const r = spawnSync("bash", [SCRIPT, action, holder], {
        encoding: "utf8",
        env: {
          PATH: process.env.PATH,
          OPENCLAW_FORWARDING_DIR: dir,
          OPENCLAW_FORWARDING_SETTING: setting,
          ...(owner !== undefined ? { OPENCLAW_TEST_OWNER_PID: String(owner) } : {}),
        },
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stderr;
    };
    return {
      call,
      value: () => readFileSync(setting, "utf8").trim(),
      holders: () => readdirSync(join(dir, "holders")).sort(),
      recorded: () => existsSync(join(dir, "before")),
    };
  }

  /** The PID of a process that has exited. */
  function deadPid(): number {
    const r = spawnSync("bash", ["-c", "echo $$"], { encoding: "utf8" });
    return Number(r.stdout.trim());
  }

  it("turns forwarding on for the first holder and back to what it found after the last release", () => {
    const f = setup("0");
    f.call("hold", "docker-tier-a", process.pid);
    f.call("hold", "host-tier-b", process.pid);
    expect(f.value()).toBe("1");
    f.call("release", "docker-tier-a", process.pid);
    expect(f.value(), "another tier still needs it").toBe("1");
    f.call("release", "host-tier-b", process.pid);
    expect(f.value()).toBe("0");
    expect(f.recorded()).toBe(false);
    expect(f.holders()).toEqual([]);
  });

  it("drops a hold whose test process is gone, so the setting found first comes back", () => {
    const f = setup("0");
    // A run killed before its release: its hold stays, with forwarding on.
    f.call("hold", "docker-tier-killed", deadPid());
    expect(f.value()).toBe("1");
    const said = f.call("hold", "host-tier-next", process.pid);
    expect(said).toMatch(/dropping the hold of docker-tier-killed: its test process \(PID \d+\) is gone/);
    expect(f.holders()).toEqual(["host-tier-next"]);
    f.call("release", "host-tier-next", process.pid);
    expect(f.value(), "the 0 the killed run found").toBe("0");
    expect(f.holders()).toEqual([]);
  });

  it("keeps a hold whose owner is alive, or that names none", () => {
    const f = setup("1");
    f.call("hold", "alive", process.pid);
    f.call("hold", "unnamed", undefined);
    f.call("release", "other", process.pid);
    expect(f.holders()).toEqual(["alive", "unnamed"]);
  });
});
