/** The user-data of every combination, through the real `cloud-init schema`. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMBINATIONS, RENDER_SECRETS as secrets } from "../test/fixtures.js";
import { haveTool, run } from "../test/tools.js";
import { renderDeployment } from "./render.js";

describe.skipIf(!haveTool("cloud-init", ["--version"], "Debian package cloud-init"))(
  "cloud-init schema accepts the user-data of every combination",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "user-data-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // Combinations that differ only in what the steps do render the same
    // user-data: each distinct text is checked once, named by all of them.
    const byText = new Map<string, string[]>();
    for (const [label, args] of COMBINATIONS) {
      const text = renderDeployment(args, secrets).userData;
      byText.set(text, [...(byText.get(text) ?? []), label]);
    }
    const distinct = [...byText].map(([text, labels]) => [labels.join(", "), text] as const);
    it.each(distinct)("%s", (labels, text) => {
      const file = join(dir, `${labels.replace(/\W+/g, "-")}.yaml`);
      writeFileSync(file, text);
      const r = run("cloud-init", ["schema", "--config-file", file]);
      expect(r.stdout.trim()).toBe(`Valid cloud-config: ${file}`);
      expect(r.stderr).not.toMatch(/error|warning|deprecat\S*:\s*\S/i);
      expect(r.status).toBe(0);
    });
  },
);
