/**
 * Every shipped .sh passes `shellcheck -x --severity=style`, and so does the
 * exact command text each remote step sends (prelude + script, as rendered);
 * every `# shellcheck disable=` carries a comment saying why. The fakes of
 * this tier are held to the same rules.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { COMBINATIONS } from "../fixtures.js";
import { haveTool } from "../tools.js";
import { FAKES, PACKAGE_DIR, SRC_DIR } from "./harness.js";
import { render } from "./hosts.js";

const available = haveTool("shellcheck", ["--version"], "lints every shipped script");

function shFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    if (entry === "node_modules" || entry === "dist") return [];
    return statSync(p).isDirectory() ? shFiles(p) : p.endsWith(".sh") ? [p] : [];
  });
}

/**
 * `# shellcheck disable=…` lines that do not say why: a reason must follow on
 * the same line (`# shellcheck disable=SC2086 # one id per word`) or be the
 * comment line directly above.
 */
export function unexplainedDisables(text: string): { line: number; text: string }[] {
  const lines = text.split("\n");
  const bad: { line: number; text: string }[] = [];
  lines.forEach((l, i) => {
    const m = /#\s*shellcheck\s+disable=[A-Za-z0-9,-]+(.*)$/.exec(l);
    if (!m) return;
    const sameLine = /^\s*#\s*\S.{3,}/.test(m[1]!);
    const above = lines[i - 1]?.trim() ?? "";
    const lineAbove = above.startsWith("#") && !/shellcheck\s/.test(above) && above.replace(/^#+\s*/, "").length > 3;
    if (!sameLine && !lineAbove) bad.push({ line: i + 1, text: l.trim() });
  });
  return bad;
}

describe.skipIf(!available)("shell tier: shellcheck", () => {
  const shipped = shFiles(SRC_DIR).sort();
  const fakes = shFiles(FAKES).sort();

  it("finds the shipped scripts", () => {
    const names = shipped.map((f) => relative(SRC_DIR, f));
    expect(names).toEqual(
      expect.arrayContaining([
        "remote/scripts/lib.sh",
        "host/scripts/bootstrap.sh",
        "workspace/scripts/workspace-sync.sh",
        "schedules/scripts/sync-schedules.sh",
      ]),
    );
    expect(shipped.length).toBeGreaterThanOrEqual(15);
  });

  it("every shipped .sh (and every fake) passes shellcheck -x --severity=style", () => {
    const res = spawnSync("shellcheck", ["-x", "--severity=style", "--format=gcc", ...shipped, ...fakes], {
      cwd: PACKAGE_DIR,
      encoding: "utf8",
    });
    expect(res.stdout + res.stderr).toBe("");
    expect(res.status).toBe(0);
    console.log(`shell tier (shellcheck): ${shipped.length} shipped scripts and ${fakes.length} fakes clean`);
  });

  it("every rendered step command (what the host runs) passes shellcheck too", () => {
    const commands = new Map<string, string>();
    for (const [label, args] of COMBINATIONS)
      for (const s of render(args).steps) commands.set(s.command, `${label}/${s.name}`);
    const problems: string[] = [];
    for (const [command, where] of commands) {
      const res = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", "-"], {
        input: command,
        encoding: "utf8",
      });
      if (res.status !== 0) problems.push(`${where}:\n${res.stdout}${res.stderr}`);
    }
    expect(problems).toEqual([]);
    expect(commands.size).toBeGreaterThan(10);
  });

  it("every `# shellcheck disable=` says why", () => {
    const found: string[] = [];
    const bad = [...shipped, ...fakes].flatMap((f) => {
      const text = readFileSync(f, "utf8");
      found.push(...text.split("\n").filter((l) => /shellcheck\s+disable=/.test(l)));
      return unexplainedDisables(text).map((b) => `${relative(PACKAGE_DIR, f)}:${b.line}: ${b.text}`);
    });
    expect(bad).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
  });

  it("the reason check itself catches a bare disable", () => {
    expect(unexplainedDisables("x\n# shellcheck disable=SC2086\necho $a\n")).toEqual([
      { line: 2, text: "# shellcheck disable=SC2086" },
    ]);
    expect(unexplainedDisables("# shellcheck disable=SC2086 # word splitting wanted\n")).toEqual([]);
    expect(unexplainedDisables("# ids are one per word, on purpose\n# shellcheck disable=SC2086\n")).toEqual([]);
    expect(unexplainedDisables("# shellcheck source=lib.sh\n# shellcheck disable=SC1091\n")).toHaveLength(1);
  });
});
