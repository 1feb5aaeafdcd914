/**
 * Real-OpenClaw tier, Slack: the shipped configure-slack step applies the
 * channel's part with the pinned OpenClaw's own `config patch`, converges,
 * and takes a channel dropped from the arguments out of the live config,
 * which `config patch` alone would keep (it merges maps key by key);
 * remove-slack then takes the part out again. A real gateway with the pinned
 * `@openclaw/slack` plugin then connects in Socket Mode to a stand-in for
 * Slack (test/lib/fake-slack.mjs).
 *
 * Every process here runs in a network namespace of its own: nothing may
 * leave this machine.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OFFICIAL_PLUGINS } from "../../src/remote/plugin.js";
import { SLACK_REMOVAL, renderSlackSteps } from "../../src/slack/steps.js";
import type { SlackConfigSettings } from "../../src/slack/slack-config.js";
import type { RemoteStep } from "../../src/remote/step.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { fullCombination, renderCombination, SLACK_SETTINGS, SLACK_TOKENS } from "./combinations.js";
import { at, isolate, OFFLINE, parseJson, requireOpenclaw, runProcess, runStepOffline } from "./harness.js";
import type { Isolation, RunResult } from "./harness.js";

const TIER = "the real-OpenClaw tier (Slack)";
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";
const SECRETS = Object.values(SLACK_TOKENS);

function describeRun(r: RunResult): string {
  return `exit ${r.status}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
}

describe.skipIf(!prepared.ok)(`${TIER}: OpenClaw ${prepared.ok ? prepared.version : ""}`, () => {
  const isolations: Isolation[] = [];
  afterAll(() => {
    for (const iso of isolations) iso.cleanup();
  }, 60_000);

  async function run(iso: Isolation, step: RemoteStep, label: string): Promise<RunResult> {
    const r = await runStepOffline(iso, step, label);
    for (const text of [r.stdout, r.stderr]) for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(r.status, describeRun(r)).toBe(0);
    return r;
  }
  const configure = (s: SlackConfigSettings) =>
    renderSlackSteps({ ...s, port: 18789, pluginVersion: DEFAULT_OPENCLAW_VERSION }, SLACK_TOKENS).configureSlack;
  const lastLine = (r: RunResult) => r.stdout.trimEnd().split("\n").at(-1);
  async function valid(iso: Isolation): Promise<void> {
    const v = await runProcess("unshare", [...OFFLINE, "--", "openclaw", "config", "validate", "--json"], {
      env: iso.env,
      timeoutMs: 120_000,
    });
    expect(v.status, describeRun(v)).toBe(0);
    const json = parseJson<{ valid: boolean; warnings?: unknown[] }>(v);
    expect(json.valid).toBe(true);
    expect(json.warnings ?? []).toEqual([]);
  }

  it("applies the part beside Telegram's, converges, drops a channel, and switched off takes the part out", async () => {
    const iso = isolate(binDir, "slack");
    isolations.push(iso);
    iso.writeConfig(renderCombination(fullCombination("http://127.0.0.1:9")).config);

    const two = {
      ...SLACK_SETTINGS,
      channels: [...SLACK_SETTINGS.channels, { id: "G0123ABCDE", requireMention: false }],
    };
    expect(lastLine(await run(iso, configure(two), "DMs and two channels"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.slack")).toEqual({
      enabled: true,
      mode: "socket",
      botToken: SLACK_TOKENS.botToken,
      appToken: SLACK_TOKENS.appToken,
      allowFrom: ["U0123ABCDE"],
      dmPolicy: "allowlist",
      groupPolicy: "allowlist",
      channels: {
        C0123ABCDE: { enabled: true, requireMention: true, users: ["U0123ABCDE"] },
        G0123ABCDE: { enabled: true, requireMention: false, users: ["U0123ABCDE"] },
      },
    });
    expect(at(iso.readConfig(), "channels.telegram.dmPolicy"), "Telegram's part is untouched").toBe("allowlist");
    await valid(iso);
    expect(lastLine(await run(iso, configure(two), "again"))).toBe("unchanged");

    // One channel dropped from the arguments: it leaves the allowlist.
    expect(lastLine(await run(iso, configure(SLACK_SETTINGS), "one channel"))).toBe("changed");
    expect(Object.keys(at(iso.readConfig(), "channels.slack.channels") as object)).toEqual(["C0123ABCDE"]);
    const dmsOnly = { ...SLACK_SETTINGS, channels: [] };
    expect(lastLine(await run(iso, configure(dmsOnly), "DMs only"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.slack.channels")).toBeUndefined();
    expect(at(iso.readConfig(), "channels.slack.groupPolicy")).toBe("disabled");
    await valid(iso);
    expect(lastLine(await run(iso, configure(dmsOnly), "settled"))).toBe("unchanged");

    // Switched off: the part goes (the plugin is not installed here, so there is none to uninstall).
    const { removeSlack } = SLACK_REMOVAL.render({ port: 18789 }, {});
    expect(lastLine(await run(iso, removeSlack, "off"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.slack")).toBeUndefined();
    expect(at(iso.readConfig(), "channels.telegram.dmPolicy")).toBe("allowlist");
    expect(lastLine(await run(iso, removeSlack, "off again"))).toBe("unchanged");
    await valid(iso);
  }, 600_000);

  it.todo(`a real gateway with the pinned ${OFFICIAL_PLUGINS.slack.npmPackage} connects to a stand-in for Slack`);
});
