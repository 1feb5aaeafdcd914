/**
 * Fake hosts for the shell tier: the rules that make the recording fakes
 * answer like a healthy Ubuntu host, and the system state a step finds when
 * the steps before it have run (its HOME stays fresh).
 */
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { renderDeployment, type PlainDeploymentArgs, type RenderedDeployment } from "../../src/render.js";
import type { RemoteStep } from "../../src/remote/step.js";
import { RENDER_SECRETS, SENTINELS } from "../fixtures.js";
import {
  REAL_ID,
  REAL_RESTIC,
  type RunResult,
  fakeNodeTarball,
  put,
  Sandbox,
  sandboxUid,
  seedInstalledOpenclaw,
  seedUnit,
  NODE_ARCH,
} from "./harness.js";

/** The steps of a deployment in the order they run. */
export const STEP_ORDER = [
  "wait-for-host",
  "install-openclaw",
  "restore-state",
  "configure-gateway",
  "start-gateway",
  "install-docker",
  "build-sandbox-image",
  "configure-sandbox",
  "remove-sandbox",
  "install-discord-plugin",
  "configure-discord",
  "remove-discord",
  "install-slack-plugin",
  "configure-slack",
  "remove-slack",
  "install-whatsapp-plugin",
  "configure-whatsapp",
  "remove-whatsapp",
  "configure-telegram",
  "remove-telegram",
  "sync-schedules",
  "setup-workspace",
  "install-sync-timer",
  "remove-workspace-sync",
  "install-backup-timer",
  "remove-state-backups",
  "apply-openclaw-config",
  "verify",
] as const;

export function render(args: PlainDeploymentArgs): RenderedDeployment {
  return renderDeployment(args, RENDER_SECRETS);
}

export const DOCKER_GID = "999";

/** `ufw status verbose` after bootstrap: deny incoming, allow in on tailscale0 only. */
export const UFW_STATUS = [
  "Status: active",
  "Logging: on (low)",
  "Default: deny (incoming), allow (outgoing), disabled (routed)",
  "New profiles: skip",
  "",
  "To                         Action      From",
  "--                         ------      ----",
  "Anywhere on tailscale0     ALLOW IN    Anywhere",
  "Anywhere (v6) on tailscale0 ALLOW IN    Anywhere (v6)",
  "",
].join("\n");

/** The node's tailnet DNS name a healthy host has: the one verify expects. */
export function nodeDnsName(r: RenderedDeployment): string {
  const want = r.steps.find((s) => s.name === "verify")?.environment.OPENCLAW_VERIFY_NODE_NAME ?? "openclaw-vps";
  return want.includes(".") ? want : `${want}.tail0000.ts.net`;
}

/**
 * `tailscale status --json` of a healthy, tagged node, in the shape of
 * Tailscale's ipnstate.Status (ipn/ipnstate/ipnstate.go): DNSName ends in a
 * dot, KeyExpiry is absent when the key does not expire, CertDomains lists
 * the names HTTPS certificates can be had for.
 */
export function tailscaleStatus(r: RenderedDeployment, self: Record<string, unknown> = {}, top = {}): string {
  const dns = nodeDnsName(r);
  const status = {
    Version: "1.90.0",
    BackendState: "Running",
    Self: { HostName: dns.split(".")[0], DNSName: `${dns}.`, TailscaleIPs: ["100.64.0.7"], Online: true, ...self },
    CurrentTailnet: {
      Name: "you@example.com",
      MagicDNSSuffix: dns.split(".").slice(1).join("."),
      MagicDNSEnabled: true,
    },
    CertDomains: [dns],
    ...top,
  };
  return `${JSON.stringify(status, null, 2)}\n`;
}

/**
 * The loopback port OpenClaw 2026.9.6 points Serve at: its own ingress
 * listener in the gateway process (it checks the tailnet identity), chosen at
 * start, not gateway.port.
 */
export const INGRESS_PORT = 43901;
/** The gateway's MainPID on a healthy host: the ingress listener's owner. */
export const GATEWAY_PID = 4242;

/**
 * `tailscale serve status --json` while OpenClaw's foreground Serve runs, in
 * the shape of Tailscale's ipn.ServeConfig (ipn/serve.go): a foreground
 * session's config sits under Foreground, keyed by its session id.
 */
export function tailscaleServe(
  r: RenderedDeployment,
  proxy = `http://127.0.0.1:${INGRESS_PORT}`,
  dns = nodeDnsName(r),
): string {
  const session = {
    TCP: { "443": { HTTPS: true } },
    Web: { [`${dns}:443`]: { Handlers: { "/": { Proxy: proxy } } } },
  };
  return `${JSON.stringify({ Foreground: { a1b2c3: session } }, null, 2)}\n`;
}

/** Rules for a healthy host; later `override`s change single answers. */
export function healthyHost(sb: Sandbox, r: RenderedDeployment): Sandbox {
  const install = r.steps.find((s) => s.name === "install-openclaw")!;
  sb.env.FAKE_OPENCLAW_VERSION = install.environment.OPENCLAW_VERSION!;
  const behaviour = (tool: string, script: string) => sb.rule({ argv: [tool], source: script });
  behaviour("systemctl", "systemd.sh");
  behaviour("openclaw", "openclaw.sh");
  behaviour("docker", "docker.sh");
  behaviour("sudo", "sudo.sh");
  behaviour("npm", "npm.sh");
  sb.rule({ argv: ["node", "--version"], stdout: `v${install.environment.OPENCLAW_NODE_VERSION}\n` });
  sb.rule({ argv: ["cloud-init", "status"], stdout: "status: done\n" });
  sb.rule({ argv: ["loginctl", "show-user"], stdout: "yes\n" });
  // /readyz answers while the gateway unit is active; the Node download gets the test's archive.
  behaviour("curl", "curl.sh");
  const port = install.environment.OPENCLAW_GATEWAY_PORT!;
  sb.rule({ argv: ["tailscale", "status", "--json"], stdout: tailscaleStatus(r) });
  sb.rule({ argv: ["tailscale", "serve", "status", "--json"], stdout: tailscaleServe(r) });
  // OpenClaw's ingress listener: there while the gateway runs, in its main process.
  sb.rule({
    argv: ["ss", "-H", "-ltnp", `sport = :${INGRESS_PORT}`],
    run: `u="$FAKE_STATE/systemd/user/openclaw-gateway.service"; [ -e "$u.active" ] || exit 0; printf 'LISTEN 0 511 127.0.0.1:${INGRESS_PORT} 0.0.0.0:* users:(("openclaw-gatewa",pid=%s,fd=52))\\n' "$(cat "$u.mainpid")"`,
  });
  sb.rule({ argv: ["ufw", "status", "verbose"], stdout: UFW_STATUS });
  sb.rule({
    argv: ["ss", "-H", "-ltn", `sport = :${port}`],
    stdout: `LISTEN 0      511        127.0.0.1:${port}       0.0.0.0:*\n`,
  });
  sb.rule({
    argv: ["ss", "-H", "-ltn"],
    stdout: `LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*\nLISTEN 0      511        127.0.0.1:${port}       0.0.0.0:*\nLISTEN 0      4096            [::]:22           [::]:*\n`,
  });
  sb.rule({
    argv: ["systemd-analyze", "calendar"],
    stdout: "Normalized form: *-*-* 03:00:00\n    Next elapse: Thu 2026-11-26 03:00:00 UTC\n",
  });
  sb.rule({ argv: ["getent", "group", "docker"], stdout: `docker:x:${DOCKER_GID}:\n` });
  // Group membership: the real `id`, plus "docker" once the fake usermod added it.
  sb.addTool("id");
  sb.rule({
    argv: ["id", "-nG"],
    run: `g=$(${REAL_ID} -nG "$2"); if [ -e "$FAKE_STATE/docker-member" ]; then g="$g docker"; fi; echo "$g"`,
  });
  sb.rule({ argv: ["id"], run: `exec ${REAL_ID} "$@"` });
  sb.rule({ argv: ["usermod", "-aG", "docker"], run: 'touch "$FAKE_STATE/docker-member"' });
  sb.rule({
    argv: ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "docker.io"],
    run: 'ln -sfn "$FAKE_RECORDER" "$FAKE_BIN/docker"',
  });
  // stdin ignored: git talks to ssh over its stdin and waits for an answer.
  sb.rule({
    argv: ["ssh"],
    stdin: "ignore",
    exit: 255,
    stderr: "ssh: Could not resolve hostname github.com: Temporary failure in name resolution\n",
  });
  // The real restic on a local repository in the sandbox: SFTP (its `-o
  // sftp.command`) is the host tier's; everything else restic does is real.
  sb.rule({ argv: ["restic"], run: `exec ${REAL_RESTIC ?? "restic"} -r "$FAKE_STATE/restic-repository" "$@"` });
  sb.rule({
    argv: ["journalctl"],
    stdout: "Nov 25 07:29:01 openclaw-vps openclaw[4242]: fake journal line: config invalid\n",
  });
  return sb;
}

/** Puts a fake Node archive where the download rule finds it; returns the environment that expects its checksum. */
export function withNodeArchive(sb: Sandbox, step: RemoteStep): Record<string, string> {
  const archive = fakeNodeTarball(sb, step.environment.OPENCLAW_NODE_VERSION!);
  copyFileSync(archive.path, join(sb.state, "node.tar.gz"));
  return NODE_ARCH === "x64"
    ? { OPENCLAW_NODE_SHA256_X64: archive.sha256 }
    : { OPENCLAW_NODE_SHA256_ARM64: archive.sha256 };
}

/**
 * The system (not HOME) as the steps before `step` leave it on a healthy host:
 * linger's user manager running, then Node and openclaw installed, the gateway
 * unit enabled and running, Docker installed and running, the sandbox image built.
 */
export function seedBefore(sb: Sandbox, r: RenderedDeployment, step: string): Sandbox {
  const at = STEP_ORDER.indexOf(step as (typeof STEP_ORDER)[number]);
  if (at < 0) throw new Error(`unknown step ${step}`);
  const after = (name: (typeof STEP_ORDER)[number]) => at > STEP_ORDER.indexOf(name);
  const env = (name: string) => r.steps.find((s) => s.name === name)?.environment ?? {};
  seedUnit(sb, "system", `user@${sandboxUid()}.service`, ["active"]);
  if (after("install-openclaw"))
    seedInstalledOpenclaw(
      sb,
      env("install-openclaw").OPENCLAW_VERSION!,
      env("install-openclaw").OPENCLAW_NODE_VERSION!,
    );
  if (after("configure-gateway")) {
    // The profiles configure-gateway stored, in the fake's auth store (see fakes/openclaw.sh).
    const words = (env("configure-gateway").OPENCLAW_MODEL_AUTH ?? "").split(" ").filter(Boolean);
    const profiles = Object.fromEntries(
      words.map((w) => {
        const [provider, kind] = w.split(":");
        return [
          `${provider}:manual`,
          { provider, type: kind === "setup-token" ? "token" : "api_key", secret: "seeded" },
        ];
      }),
    );
    put(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), `${JSON.stringify(profiles)}\n`, 0o600);
  }
  if (after("start-gateway")) seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
  if (after("install-docker")) seedUnit(sb, "system", "docker.service", ["enabled", "active"]);
  else sb.removeTool("docker");
  const image = env("build-sandbox-image").OPENCLAW_SANDBOX_IMAGE;
  if (after("build-sandbox-image") && image)
    put(join(sb.state, "docker", "images", image.replace(/[/:]/g, "_"), "user"), "1000:1000\n");
  const plugins = (["install-discord-plugin", "install-slack-plugin"] as const)
    .filter((name) => after(name) && env(name).OPENCLAW_PLUGIN_ID)
    .map((name) => ({
      id: env(name).OPENCLAW_PLUGIN_ID,
      version: env(name).OPENCLAW_PLUGIN_VERSION,
      origin: "global",
    }));
  if (plugins.length > 0) put(join(sb.state, "openclaw", "plugins.json"), `${JSON.stringify(plugins)}\n`);
  if (after("sync-schedules")) {
    const jobs = r.schedules.map((j, i) => ({
      id: `job-${i}`,
      declarationKey: j.key,
      name: j.name,
      schedule: { kind: "cron", expr: j.cron, tz: j.tz },
      sessionTarget: j.session,
      payload: { kind: "agentTurn", message: j.message },
      delivery: { mode: "announce", channel: j.channel, to: j.to },
    }));
    put(join(sb.state, "openclaw", "cron.json"), `${JSON.stringify({ jobs, hasMore: false })}\n`);
  }
  if (after("install-sync-timer")) {
    seedUnit(sb, "user", "openclaw-workspace-sync.timer", ["enabled", "active"]);
    // Each synced agent's timer too; a rendering with workspace sync off has no such step.
    const agents = JSON.parse(env("install-sync-timer").OPENCLAW_SYNC_AGENTS ?? "[]") as { timer: string }[];
    for (const a of agents) seedUnit(sb, "user", a.timer, ["enabled", "active"]);
  }
  if (after("install-backup-timer")) seedUnit(sb, "user", "openclaw-backup.timer", ["enabled", "active"]);
  if (step === "verify") {
    put(join(sb.state, "systemd", "user", "openclaw-gateway.service.mainpid"), `${GATEWAY_PID}\n`);
    // verify checks what the HOME-level steps wrote: the config and its modes.
    put(join(sb.home, ".openclaw", "openclaw.json"), `${JSON.stringify(r.openclawConfig)}\n`, 0o600);
    chmodSync(join(sb.home, ".openclaw"), 0o700);
    seedBackupDir(sb);
  }
  return sb;
}

/**
 * An (empty) ~/backups, as after the first backup run. verify currently dies
 * without it (known bug, pinned in backup.test.ts), so hosts that run verify
 * get one.
 */
export function seedBackupDir(sb: Sandbox): void {
  mkdirSync(join(sb.home, "backups"), { recursive: true, mode: 0o700 });
}

/** A healthy host with the system state `step` expects and a fresh HOME. */
export function hostFor(r: RenderedDeployment, step: string): Sandbox {
  return seedBefore(healthyHost(new Sandbox(), r), r, step);
}

/**
 * A host before `step` of `r`, with the gateway running and state in
 * ~/.openclaw (`memory.sqlite` holding "state v1"); then `step` runs, and must pass.
 */
export function hostWithState(
  r: RenderedDeployment,
  step: string,
  prepare: (sb: Sandbox) => void = () => undefined,
): { sb: Sandbox; res: RunResult } {
  const sb = hostFor(r, step);
  prepare(sb);
  put(join(sb.home, ".openclaw", "openclaw.json"), "{}\n", 0o600);
  put(join(sb.home, ".openclaw", "memory.sqlite"), "state v1\n", 0o600);
  chmodSync(join(sb.home, ".openclaw"), 0o700);
  const s = r.steps.find((x) => x.name === step)!;
  const res = sb.run(s, { name: s.name });
  if (res.status !== 0) throw new Error(`${step} failed: ${res.stderr}`);
  return { sb, res };
}

/** Runs one of the programs the steps install in ~/.local/lib/openclaw-infra, as the timer or a person would. */
export function runProgram(sb: Sandbox, program: string, args = "", env: Record<string, string> = {}): RunResult {
  return sb.run(
    { command: `exec "$HOME/.local/lib/openclaw-infra/${program}"${args ? ` ${args}` : ""}` },
    { name: program.replace(/\.sh$/, ""), env },
  );
}

/** Every secret value a deployment handles (the fixtures' sentinels and generated secrets). */
export const SECRET_VALUES = [
  ...Object.values(SENTINELS),
  RENDER_SECRETS.gatewayToken,
  RENDER_SECRETS.deployPrivateKey.trim(),
  "DEPLOYKEYSENTINEL",
  "OFFSERVERKEYSENTINEL",
];

/** Where a run let a secret out: any recorded argv, its stdout or stderr. */
export function leakedSecrets(res: RunResult): string[] {
  const leaks: string[] = [];
  for (const s of SECRET_VALUES) {
    for (const c of res.calls)
      if (c.argv.some((a) => a.includes(s))) leaks.push(`argv of ${c.argv.slice(0, 3).join(" ")}: ${s.slice(0, 12)}…`);
    if (res.stdout.includes(s)) leaks.push(`stdout: ${s.slice(0, 12)}…`);
    if (res.stderr.includes(s)) leaks.push(`stderr: ${s.slice(0, 12)}…`);
  }
  return leaks;
}
