import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stackImpact } from "./stack-impact.js";

// The prod example as users have it: a program directory and its config file.
const repo = resolve(__dirname, "../../../..");
const prod = join(repo, "examples/prod");
const template = join(prod, "Pulumi.prod.yaml.template");
const tmp = mkdtempSync(join(tmpdir(), "stack-impact-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function variantOf(from: string, to: string): string {
  const text = readFileSync(template, "utf8");
  if (!text.includes(from)) throw new Error(`the prod template no longer contains ${JSON.stringify(from)}`);
  const file = join(tmp, `Pulumi.prod-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(file, text.replace(from, to));
  return file;
}

describe("stackImpact over a program directory and two config files", { timeout: 120_000 }, () => {
  it("a new server type resizes in place: nothing is replaced, no step runs again", async () => {
    const after = variantOf("openclaw-prod:serverType: cax21", "openclaw-prod:serverType: cax31");
    const impact = await stackImpact(prod, template, after);
    expect(impact.changes).toEqual([expect.objectContaining({ name: "openclaw-host-server", action: "update" })]);
    expect(impact.stepsRun).toEqual([]);
    expect(impact.serverReplaced).toBe(false);
  });

  it("another serverName is refused, as the preview refuses it", async () => {
    const after = variantOf("openclaw-prod:serverName: openclaw-vps", "openclaw-prod:serverName: assistant");
    await expect(stackImpact(prod, template, after)).rejects.toThrow(
      /serverName: "assistant" would rename the server "openclaw-vps"/,
    );
  });

  it("another location is refused, as the preview refuses it: a replacement would boot with the spent auth key", async () => {
    const after = variantOf("openclaw-prod:location: fsn1", "openclaw-prod:location: hel1");
    await expect(stackImpact(prod, template, after)).rejects.toThrow(
      /location: "hel1" would replace the server "openclaw-vps" \(location "fsn1"\)/,
    );
  });
});
