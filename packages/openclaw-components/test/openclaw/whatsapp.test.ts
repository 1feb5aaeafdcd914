/**
 * Real-OpenClaw tier, WhatsApp: the shipped configure-whatsapp step applies
 * the channel's part with the pinned OpenClaw's own `config patch`, converges,
 * drops a number, and leaves the account's link alone; OpenClaw's own backup
 * carries the link; remove-whatsapp takes the part and the link out. A real
 * gateway with the pinned `@openclaw/whatsapp` plugin then starts with the
 * part and reports the channel configured but not linked: an account that
 * was never linked dials nothing (the link is a QR code shown on the host),
 * so no stand-in for WhatsApp is needed, and none could link.
 *
 * Every process here runs in a network namespace of its own: nothing may
 * leave this machine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OFFICIAL_PLUGINS } from "../../src/remote/plugin.js";
import type { RemoteStep } from "../../src/remote/step.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { parseVerifyReport, renderVerifyStep, type VerifyCheck } from "../../src/verify/verify-step.js";
import { renderWhatsAppSteps, WHATSAPP_LOGIN_COMMAND, WHATSAPP_REMOVAL } from "../../src/whatsapp/steps.js";
import type { WhatsAppConfigSettings } from "../../src/whatsapp/whatsapp-config.js";
import {
  fullCombination,
  renderCombination,
  syncStepDeliveringTo,
  WHATSAPP_SETTINGS,
  channelGatewaySetup,
  CHANNEL_GATEWAY_PORT,
} from "./combinations.js";
import {
  at,
  describeRun,
  expectConfigValid,
  isolate,
  lastLine,
  OFFLINE,
  requireOpenclaw,
  runChannelGateway,
  runStepOffline,
} from "./harness.js";
import type { Isolation, RunResult } from "./harness.js";

const TIER = "the real-OpenClaw tier (WhatsApp)";
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";

/** What a linked account leaves in OpenClaw's state: Baileys' credentials file (a stand-in's content). */
function fakeLink(iso: Isolation): string {
  const dir = join(iso.stateDir, "credentials", "whatsapp", "default");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const creds = join(dir, "creds.json");
  writeFileSync(creds, `${JSON.stringify({ me: { id: "4915123456789:1@s.whatsapp.net" }, registered: true })}\n`, {
    mode: 0o600,
  });
  return creds;
}

/**
 * The verify step, as shipped, run where `openclaw health --json` answers
 * with `health` (the real gateway's answer) and every other command it calls
 * is missing: its other checks fail, and its WhatsApp check is returned.
 */
function verifyChannelCheck(iso: Isolation, health: unknown): VerifyCheck | undefined {
  const bin = join(iso.root, "verify-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(iso.root, "health.json"), JSON.stringify(health));
  writeFileSync(
    join(bin, "openclaw"),
    `#!/bin/sh\n[ "$1" = health ] && exec cat ${JSON.stringify(join(iso.root, "health.json"))}\nexit 1\n`,
    { mode: 0o755 },
  );
  const step = renderVerifyStep({
    port: 18789,
    openclawVersion: DEFAULT_OPENCLAW_VERSION,
    nodeVersion: "24.0.0",
    nodeName: "openclaw-vps",
    channels: ["whatsapp"],
    syncTimer: false,
    otherSteps: [],
  });
  const r = spawnSync("bash", ["-c", step.command], {
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: join(iso.root, "verify-home"), ...step.environment },
    encoding: "utf8",
    timeout: 60_000,
  });
  return parseVerifyReport(r.stdout)?.checks.find((c) => c.name === "whatsapp channel");
}

describe.skipIf(!prepared.ok)(`${TIER}: OpenClaw ${prepared.ok ? prepared.version : ""}`, () => {
  const isolations: Isolation[] = [];
  afterAll(() => {
    for (const iso of isolations) iso.cleanup();
  }, 60_000);

  async function run(iso: Isolation, step: RemoteStep, label: string): Promise<RunResult> {
    const r = await runStepOffline(iso, step, label);
    expect(r.status, describeRun(r)).toBe(0);
    return r;
  }
  const configure = (s: WhatsAppConfigSettings) =>
    renderWhatsAppSteps({ ...s, port: 18789, pluginVersion: DEFAULT_OPENCLAW_VERSION }).configureWhatsapp;

  it("applies the part beside Telegram's, converges, drops a number, keeps the link, backs it up, and switched off takes part and link out", async () => {
    const iso = isolate(binDir, "whatsapp");
    isolations.push(iso);
    iso.writeConfig(renderCombination(fullCombination("http://127.0.0.1:9")).config);
    const creds = fakeLink(iso);

    expect(lastLine(await run(iso, configure(WHATSAPP_SETTINGS), "two numbers"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.whatsapp")).toEqual({
      enabled: true,
      dmPolicy: "allowlist",
      allowFrom: ["+4915123456789", "+14155550123"],
      groupPolicy: "disabled",
    });
    expect(at(iso.readConfig(), "channels.telegram.dmPolicy"), "Telegram's part is untouched").toBe("allowlist");
    await expectConfigValid(iso);
    expect(lastLine(await run(iso, configure(WHATSAPP_SETTINGS), "again"))).toBe("unchanged");

    // One number dropped: it leaves the allowlist; the link stays.
    const one = { allowFrom: ["+14155550123"] };
    expect(lastLine(await run(iso, configure(one), "one number"))).toBe("changed");
    expect(at(iso.readConfig(), "channels.whatsapp.allowFrom")).toEqual(["+14155550123"]);
    expect(existsSync(creds), "a re-run keeps the link").toBe(true);
    await expectConfigValid(iso);

    // OpenClaw's own backup (what openclaw-backup.sh archives) carries the link.
    const out = join(iso.root, "backups");
    mkdirSync(out);
    const backup = execFileSync(
      "unshare",
      [...OFFLINE, "--", "openclaw", "backup", "create", "--output", out, "--json"],
      {
        env: iso.env,
        encoding: "utf8",
        timeout: 180_000,
      },
    );
    const archive = (JSON.parse(backup.slice(backup.indexOf("{"))) as { archivePath: string }).archivePath;
    const listing = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" });
    expect(listing, "the archive holds the WhatsApp link").toMatch(/credentials\/whatsapp\/default\/creds\.json$/m);

    // Switched off: the part goes, then the link (the plugin is not installed here).
    const { removeWhatsapp } = WHATSAPP_REMOVAL.render({ port: 18789 }, {});
    const off = await run(iso, removeWhatsapp, "off");
    expect(lastLine(off)).toBe("changed");
    expect(at(iso.readConfig(), "channels.whatsapp")).toBeUndefined();
    expect(at(iso.readConfig(), "channels.telegram.dmPolicy")).toBe("allowlist");
    expect(existsSync(join(iso.stateDir, "credentials", "whatsapp")), "the link is gone").toBe(false);
    expect(existsSync(join(iso.stateDir, "credentials")), "other credentials stay").toBe(true);
    expect(lastLine(await run(iso, removeWhatsapp, "off again"))).toBe("unchanged");
    await expectConfigValid(iso);
  }, 600_000);

  it("a real gateway starts with the part and the pinned plugin, reports WhatsApp not linked, and takes a job announced on it", async () => {
    const setup = channelGatewaySetup(binDir, OFFICIAL_PLUGINS.whatsapp, { whatsapp: WHATSAPP_SETTINGS }, isolations);
    expect(setup.ok, setup.ok ? "" : setup.reason).toBe(true);
    if (!setup.ok) return;
    const { iso, config } = setup;
    const port = CHANNEL_GATEWAY_PORT;
    const r = await runChannelGateway({
      iso,
      channel: "whatsapp",
      pluginStateDir: setup.pluginStateDir,
      config,
      port,
      // Never linked: the plugin dials nothing, so there is no service to stand in for.
      fake: "-",
      fakeArgs: [],
      then: syncStepDeliveringTo("whatsapp", "+4915123456789", port),
      env: { CHANNEL_GATEWAY_UNTIL: ".configured" },
    });
    expect(r.run.status, r.why).toBe(0);
    expect(r.health?.channels?.whatsapp, r.why).toMatchObject({ configured: true, linked: false });
    // What the shipped verify step makes of that answer: not linked, naming the command that links it.
    const check = verifyChannelCheck(iso, r.health);
    expect(check, JSON.stringify(r.health)).toMatchObject({ name: "whatsapp channel", ok: false });
    expect(check?.detail).toContain(`not linked`);
    expect(check?.detail).toContain(WHATSAPP_LOGIN_COMMAND);
    // The pinned OpenClaw takes a job announced on WhatsApp to an allowed number.
    expect(r.then?.status, r.then?.out).toBe(0);
    const jobs = (r.then?.jobs as { jobs?: Array<{ name: string; delivery?: unknown }> } | null)?.jobs ?? [];
    expect(jobs.find((j) => j.name === "Digest to whatsapp")?.delivery, JSON.stringify(jobs)).toEqual({
      mode: "announce",
      channel: "whatsapp",
      to: "+4915123456789",
    });
    expect(r.plugin).toMatchObject({ version: DEFAULT_OPENCLAW_VERSION, origin: "global" });
  }, 600_000);
});
