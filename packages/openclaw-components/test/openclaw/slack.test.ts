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
import { join } from "node:path";
import {
  fullCombination,
  renderCombination,
  SLACK_SETTINGS,
  SLACK_TOKENS,
  syncStepDeliveringTo,
  channelGatewaySetup,
  CHANNEL_GATEWAY_PORT,
} from "./combinations.js";
import {
  at,
  isolate,
  requireOpenclaw,
  runChannelGateway,
  runStepOffline,
  testCertificates,
  describeRun,
  lastLine,
  expectConfigValid,
} from "./harness.js";
import type { Isolation, RunResult } from "./harness.js";

const TIER = "the real-OpenClaw tier (Slack)";
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";
const SECRETS = Object.values(SLACK_TOKENS);

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
    await expectConfigValid(iso);
    expect(lastLine(await run(iso, configure(two), "again"))).toBe("unchanged");

    // One channel dropped from the arguments: it leaves the allowlist.
    expect(lastLine(await run(iso, configure(SLACK_SETTINGS), "one channel"))).toBe("changed");
    expect(Object.keys(at(iso.readConfig(), "channels.slack.channels") as object)).toEqual(["C0123ABCDE"]);
    const dmsOnly = { ...SLACK_SETTINGS, channels: [] };
    expect(lastLine(await run(iso, configure(dmsOnly), "DMs only"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.slack.channels")).toBeUndefined();
    expect(at(iso.readConfig(), "channels.slack.groupPolicy")).toBe("disabled");
    await expectConfigValid(iso);
    expect(lastLine(await run(iso, configure(dmsOnly), "settled"))).toBe("unchanged");

    // Switched off: the part goes (the plugin is not installed here, so there is none to uninstall).
    const { removeSlack } = SLACK_REMOVAL.render({ port: 18789 }, {});
    expect(lastLine(await run(iso, removeSlack, "off"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.slack")).toBeUndefined();
    expect(at(iso.readConfig(), "channels.telegram.dmPolicy")).toBe("allowlist");
    expect(lastLine(await run(iso, removeSlack, "off again"))).toBe("unchanged");
    await expectConfigValid(iso);
  }, 600_000);

  it("a real gateway starts with the part and the pinned plugin, and its Slack channel connects in Socket Mode to a stand-in for Slack", async () => {
    const setup = channelGatewaySetup(binDir, OFFICIAL_PLUGINS.slack, { slack: SLACK_SETTINGS }, isolations);
    expect(setup.ok, setup.ok ? "" : setup.reason).toBe(true);
    if (!setup.ok) return;
    const { iso, config } = setup;
    const port = CHANNEL_GATEWAY_PORT;
    const fakePort = 18898;
    // The app id, as Slack's app-level tokens carry it (xapp-1-<app id>-…) and the plugin reads it.
    const appId = SLACK_TOKENS.appToken.split("-")[2]!;
    const tls = testCertificates(join(iso.root, "tls"), ["DNS:slack.com", "DNS:wss-primary.slack.com", "IP:127.0.0.1"]);
    const r = await runChannelGateway({
      iso,
      channel: "slack",
      pluginStateDir: setup.pluginStateDir,
      config,
      port,
      fake: "fake-slack.mjs",
      fakeArgs: [String(fakePort), tls.cert, tls.key, appId, "T0123ABCDE", "U0BOTUSER1", "B0BOTID01"],
      // The plugin's own Web API redirect; Socket Mode then dials the URL the stand-in hands out.
      // Not HTTPS_PROXY: the plugin's Socket Mode never connects through a proxy (docs/architecture.md).
      // A scheduled job announced on this channel, synced as a host syncs it, while the channel is up.
      then: syncStepDeliveringTo("slack", "user:U0123ABCDE", port),
      env: { NODE_EXTRA_CA_CERTS: tls.ca, SLACK_API_URL: `https://127.0.0.1:${fakePort}/api/` },
    });
    expect(r.run.status, r.why).toBe(0);
    expect(r.health?.channels?.slack, r.why).toMatchObject({
      configured: true,
      running: true,
      connected: true,
      lastError: null,
      botTokenSource: "config",
      appTokenSource: "config",
    });
    // What the plugin did, as the stand-in saw it: the bot token checked, then the app token opened Socket Mode.
    const calls = r.events.filter((e) => e.kind === "api");
    expect(calls.map((e) => [e.method, e.bot, e.app])).toEqual(
      expect.arrayContaining([
        ["auth.test", true, false],
        ["apps.connections.open", false, true],
      ]),
    );
    expect(r.events.some((e) => e.kind === "socket" && e.event === "hello")).toBe(true);
    for (const text of [r.run.stdout, r.run.stderr, r.gatewayOut, JSON.stringify(r.events)])
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    // The pinned OpenClaw takes a job announced on this channel, stored as the sync step declared it.
    expect(r.then?.status, r.then?.out).toBe(0);
    const jobs = (r.then?.jobs as { jobs?: Array<{ name: string; delivery?: unknown }> } | null)?.jobs ?? [];
    expect(jobs.find((j) => j.name === "Digest to slack")?.delivery, JSON.stringify(jobs)).toEqual({
      mode: "announce",
      channel: "slack",
      to: "user:U0123ABCDE",
    });
    // The plugin loaded is the pinned one.
    expect(r.plugin).toMatchObject({ version: DEFAULT_OPENCLAW_VERSION, origin: "global" });
  }, 600_000);
});
