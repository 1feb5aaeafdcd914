/**
 * Every distinct step command the combinations render, through the real
 * shellcheck: every component's steps, as the deployment renders them (a
 * component's own renderer gives the same text, values being in the
 * environment). Its own file: the slowest check of the unit tier, so vitest
 * can run it beside the others rather than after them. One shellcheck run
 * reads every script (a process per script cost about a quarter more), and
 * each script's findings are its own test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMBINATIONS, RENDER_SECRETS as secrets } from "../test/fixtures.js";
import { haveTool, run } from "../test/tools.js";
import { STEP_HEADER } from "./remote/step.js";
import { renderDeployment } from "./render.js";

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

describe.skipIf(!haveTool("shellcheck", ["--version"], "Debian package shellcheck"))(
  "every rendered step passes shellcheck",
  () => {
    const steps = COMBINATIONS.flatMap(([label, args]) =>
      renderDeployment(args, secrets).steps.map((s) => [`${label}: ${s.name}`, s.command] as const),
    );
    // Steps whose text differs only in the header comment (remove-discord and
    // remove-slack share one script) are one check: renderStep keeps that line
    // one printable comment line, so it cannot change what shellcheck sees.
    const byText = new Map<string, readonly [string, string]>();
    for (const [label, command] of steps) {
      const key = command.replace(new RegExp(`^${STEP_HEADER} .*$`, "m"), STEP_HEADER);
      if (!byText.has(key)) byText.set(key, [label, command]);
    }
    const unique = [...byText.values()];
    const dir = mkdtempSync(join(tmpdir(), "openclaw-shellcheck-"));
    const files = unique.map((_, i) => join(dir, `step-${i}.sh`));
    let findings: Finding[] = [];
    let failure = "";

    beforeAll(() => {
      unique.forEach(([, command], i) => writeFileSync(files[i]!, command));
      const r = run("shellcheck", ["--shell=bash", "--severity=style", "--format=json1", ...files]);
      // Exit 1 means findings (listed in the JSON); anything else is shellcheck failing.
      if (r.status !== 0 && r.status !== 1) failure = `shellcheck exited ${r.status}: ${r.stderr}`;
      else findings = (JSON.parse(r.stdout) as { comments: Finding[] }).comments;
      // One shellcheck run over every script: seconds alone, longer beside the machine tiers.
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(unique.map(([label], i) => [label, i] as const))("%s", (_label, i) => {
      expect(failure).toBe("");
      const own = findings
        .filter((f) => f.file === files[i])
        .map((f) => `line ${f.line}: SC${f.code} (${f.level}) ${f.message}`);
      expect(own).toEqual([]);
    });

    it("the run reads every script: a finding in one is reported against it", () => {
      // The check can fail: a script with a known finding gets exactly it.
      const probe = join(dir, "probe.sh");
      writeFileSync(probe, "#!/usr/bin/env bash\necho $1\n");
      const r = run("shellcheck", ["--shell=bash", "--severity=style", "--format=json1", files[0]!, probe]);
      const comments = (JSON.parse(r.stdout) as { comments: Finding[] }).comments;
      expect(comments.map((c) => [c.file === probe, c.code])).toEqual([[true, 2086]]);
    });
  },
);
