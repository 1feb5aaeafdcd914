/**
 * The host tier's one booted host: its constants, the state every scenario
 * reads, the helpers they share, and the boot and clean-up the tier runs once
 * around all of them (test/host/host.test.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { RemoteStep } from "../../src/remote/step.js";
import {
  renderDeployment,
  type PlainDeploymentArgs,
  type RenderSecrets,
  type RenderedDeployment,
} from "../../src/render.js";
import { DEFAULT_SCHEDULES, type Schedule } from "../../src/schedules/schedules.js";
import { DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { SENTINELS } from "../fixtures.js";
import {
  buildNodeDist,
  buildRootfs,
  cleanup,
  FakeServices,
  freeSlash24,
  KEEP,
  lastLine,
  log,
  networkFacts,
  NODE_PACKAGE,
  pendingCleanups,
  run,
  runStep,
  script,
  seconds,
  sleep,
  ssh,
  stepInputs,
  TestHost,
  TestNetwork,
  workDir,
  type HostConfig,
  type NetworkFacts,
  type RunResult,
  type SshTarget,
} from "./harness.js";

/** The npm release Node 24.21.0 bundles. */
export const NPM_BUNDLED_WITH_NODE = "11.19.0";
export const SERVER_NAME = "openclaw-tier";
export const ADMIN = "ubuntu";
export const PORT = 18789;
export const GIT_REMOTE = "ssh://git@127.0.0.1:2222/srv/git/workspace.git";
/** An extra agent's own workspace repository, on the same git remote (its own deploy key is authorised too). */
export const AGENT_GIT_REMOTE = "ssh://git@127.0.0.1:2222/srv/git/research.git";
export const NPM_INSTALL = "npm install --global --prefix";
/**
 * The published release before the pinned one. The host is first provisioned
 * with it, as a user's stack created a release ago would be, and then
 * upgraded to the pinned release the way a user upgrades: one changed
 * `openclawVersion` and the steps that depend on it.
 */
export const PREVIOUS_OPENCLAW_VERSION = "2026.9.5";
/** The Tailscale key may be in these (user-data is public on the host by design); no other secret may. */
export const CLOUD_PATHS = /^\/var\/lib\/cloud\/|^\/var\/log\/cloud-init[^/]*\.log$/;

// ---------------------------------------------------------------------------
// Prerequisites

export function prerequisites(): { reasons: string[]; facts?: NetworkFacts } {
  if (process.platform !== "linux") return { reasons: [`needs Linux (running on ${process.platform})`] };
  const reasons: string[] = [];
  if (process.getuid?.() !== 0) reasons.push("needs root (network namespaces, systemd-nspawn, debootstrap, iptables)");
  const tools: Array<[string, string]> = [
    ["systemd-nspawn", "systemd-container"],
    ["debootstrap", "debootstrap"],
    ["ip", "iproute2"],
    ["iptables", "iptables"],
    ["ip6tables", "iptables"],
    ["ssh", "openssh-client"],
    ["ssh-keygen", "openssh-client"],
    ["nsenter", "util-linux"],
    ["getent", "libc-bin"],
    ["chroot", "coreutils"],
    ["openssl", "openssl"],
    ["gpg", "gnupg"],
    ["dpkg-scanpackages", "dpkg-dev"],
    ["restic", "restic"],
    ["npm", "npm"],
  ];
  for (const [tool, pkg] of tools) {
    if (run("bash", ["-c", `command -v ${tool}`]).status !== 0)
      reasons.push(`${tool} is not installed (Debian package ${pkg})`);
  }
  if (run("bash", ["-c", "test -e /proc/sys/net/ipv4/ip_forward && ip netns list"]).status !== 0)
    reasons.push("network namespaces are not available");
  if (run("bash", ["-c", `test -x ${NODE_PACKAGE}/bin/node`]).status !== 0)
    reasons.push(`${NODE_PACKAGE} is missing (npm ci installs it)`);
  if (reasons.length > 0) return { reasons };
  const facts = networkFacts();
  if (typeof facts === "string") return { reasons: [facts] };
  return { reasons, facts };
}

export const pre = prerequisites();

/**
 * An hour of the day (UTC) twelve hours from now. The tier's jobs run then, so
 * that none fires while the tier runs: a job that fires starts a sandboxed
 * session, which changes the host under the tests (a run that crossed Sunday
 * 18:00 in Berlin, the default Weekly Planning's time, lost its state wipe to
 * a root-owned directory the session had made in the workspace).
 */
export const QUIET_HOUR = (new Date().getUTCHours() + 12) % 24;
/** The template's four jobs, at the quiet hour. */
export const QUIET_SCHEDULES: Schedule[] = DEFAULT_SCHEDULES.map((s, i) => ({
  ...s,
  cron: `${i * 10} ${QUIET_HOUR} * * *`,
}));

// ---------------------------------------------------------------------------
// Shared state

export interface StepFigure {
  name: string;
  ms: number;
  result: string;
}
export const figures: {
  rootfs?: string;
  nodeDist?: string;
  baseImage?: string;
  bootToSsh?: number;
  bootToCloudInitDone?: number;
  bootToHealthy?: number;
  killedInstall?: { afterMs: number; killed: string };
  steps: StepFigure[];
  noop?: { total: number; steps: StepFigure[] };
  rebootToHealthy?: number;
  upgrade?: { installStepMs: number; totalMs: number };
  rollback?: number;
  changes: Array<{ what: string; reran: string[]; ms: number }>;
  replacement?: { provisionMs: number; restoreMs: number; downtimeMs: number; steps: StepFigure[] };
} = { steps: [], changes: [] };

export let facts: NetworkFacts;
export let dir: string;
export let net: TestNetwork;
export let services: FakeServices;
export let host: TestHost;
export let target: SshTarget;
export let args: PlainDeploymentArgs;
export let secrets: RenderSecrets;
export let rendered: RenderedDeployment;
export let deployKeyBody: string;
/** The extra agent's deploy key (private, OpenSSH), for a rendering with that agent. */
export let agentDeployKey: string;
/** The off-server backups' login key's private seed line, once a scenario has made one. */
export let offServerKeyBody: string | undefined;
export let provisioned = false;
/** What a host is made from: a second host (a replacement) gets the same. */
let hostConfig: HostConfig;
export let rootfsTarball: string;

/** The provisioning test reached its end: later tests may rely on the host. */
export function markProvisioned(): void {
  provisioned = true;
}

export function needles(): Record<string, string> {
  return {
    tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
    claudeSetupToken: SENTINELS.claudeSetupToken,
    telegramBotToken: SENTINELS.telegramBotToken,
    gatewayToken: secrets.gatewayToken,
    deployPrivateKey: deployKeyBody,
    agentDeployPrivateKey: agentDeployKey.split("\n")[4]!,
    offServerPassword: SENTINELS.offServerPassword,
    ...(offServerKeyBody ? { offServerPrivateKey: offServerKeyBody } : {}),
  };
}

/** Secrets from now on (a scenario that adds one, e.g. the off-server backups' key). */
export function useSecrets(next: RenderSecrets): void {
  secrets = next;
  offServerKeyBody = next.offServerPrivateKey?.split("\n")[4];
}
export function secretsIn(text: string): string[] {
  return Object.entries(needles())
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

export function requireProvisioned(): void {
  if (!provisioned) throw new Error("the host was not provisioned (see the provisioning test)");
}

/** A command as `ubuntu` over SSH (the operator's way in); throws on failure. */
export async function asAdmin(command: string, timeoutMs = 120_000): Promise<string> {
  const r = await ssh(target, command, { timeoutMs });
  if (r.status !== 0)
    throw new Error(`ssh ${ADMIN}: ${command}\nexit ${r.status}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`);
  return r.stdout;
}

/** Where the steps install the host's programs (backup, restore, off-server, workspace sync), as a shell path. */
export const LIB = "~/.local/lib/openclaw-infra";

/** The SHA-256 of the admin's openclaw.json: equal before and after means the config came back as it was. */
export async function configHash(): Promise<string> {
  return (await asAdmin("sha256sum < ~/.openclaw/openclaw.json")).trim();
}

/** OpenClaw's --json output from its first line that opens a document. */
export function jsonOf(out: string): unknown {
  const lines = out.split("\n");
  const i = lines.findIndex((l) => /^[{[]/.test(l));
  if (i < 0) throw new Error(`no JSON in: ${out.slice(0, 500)}`);
  return JSON.parse(lines.slice(i).join("\n"));
}

export async function gatewayUnit(): Promise<Record<string, string>> {
  const out = await asAdmin(
    "systemctl --user show openclaw-gateway.service --property=ActiveState,SubState,MainPID,ActiveEnterTimestamp,UnitFileState",
  );
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Runs a step; the first one of a boot retries while SSH cannot connect yet, as the provider's dial retries do. */
export async function step(s: RemoteStep, opts: { dialRetryMs?: number } = {}): Promise<RunResult> {
  const deadline = Date.now() + (opts.dialRetryMs ?? 0);
  for (;;) {
    const r = await runStep(target, s);
    const dialError =
      r.status === 255 &&
      /Connection refused|timed out|No route to host|Permission denied|Connection closed|Connection reset/.test(
        r.stderr,
      );
    if (!dialError || Date.now() > deadline) return r;
    await sleep(1000);
  }
}

export function describeResult(s: RemoteStep, r: RunResult): string {
  // A secret step's output is never logged by the component either; the test
  // prints it only when the step fails, and only the tail. A failed step
  // usually means a failed unit: its status and journal say why.
  const units = r.status !== 0 ? host.failedUnits(ADMIN) : "";
  return `${s.name}: exit ${r.status} after ${seconds(r.ms)}\n--- stdout (tail)\n${r.stdout.split("\n").slice(-25).join("\n")}\n--- stderr (tail)\n${r.stderr.split("\n").slice(-25).join("\n")}${units ? `\n${units}` : ""}`;
}

export function expectOk(s: RemoteStep, r: RunResult, want?: "changed" | "unchanged"): void {
  if (r.status !== 0) throw new Error(`step failed: ${describeResult(s, r)}`);
  if (want && lastLine(r.stdout) !== want)
    throw new Error(`step ${s.name} said "${lastLine(r.stdout)}", expected "${want}": ${describeResult(s, r)}`);
}

/** Hashes of what the steps put on the host, and the state of its units: compared around a change. */
export async function snapshot(): Promise<Record<string, string>> {
  const files = host.sh(
    [
      "cd /",
      "for f in home/ubuntu/.openclaw/openclaw.json home/ubuntu/.openclaw/.infra/* home/ubuntu/.config/systemd/user/*.service home/ubuntu/.config/systemd/user/*.timer \\",
      "  home/ubuntu/.ssh/openclaw_workspace_ed25519 home/ubuntu/.ssh/config home/ubuntu/.ssh/config.d/* home/ubuntu/.local/lib/openclaw-infra/* \\",
      "  etc/ufw/user.rules etc/ufw/user6.rules etc/ssh/sshd_config.d/*; do",
      '  if [ -f "$f" ]; then printf "%s %s %s\\n" "$f" "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -c1-16)"; fi',
      "done",
      "ls -1 /opt/openclaw | sed 's|^|opt/openclaw/|'",
      "readlink /opt/openclaw/current /usr/local/bin/openclaw /usr/local/bin/node",
    ].join("\n"),
  );
  const snap: Record<string, string> = {};
  for (const l of files.trim().split("\n")) {
    const [k, ...v] = l.split(" ");
    snap[k!] = v.join(" ");
  }
  const unit = await gatewayUnit();
  snap["gateway.ActiveEnterTimestamp"] = unit.ActiveEnterTimestamp!;
  snap["gateway.MainPID"] = unit.MainPID!;
  snap["sync timer"] = (await asAdmin("systemctl --user is-active openclaw-workspace-sync.timer || true")).trim();
  snap["sandbox image"] = (await asAdmin(`docker image inspect --format '{{.Id}}' ${sandboxImage()} || true`)).trim();
  snap["docker"] = host.sh("systemctl show docker.service --property=ActiveEnterTimestamp --value").trim();
  return snap;
}

/** A rendering's step by name. */
export function stepOf(r: RenderedDeployment, name: string): RemoteStep {
  const s = r.steps.find((x) => x.name === name);
  if (!s) throw new Error(`the rendering has no step ${name}`);
  return s;
}

/** The gateway's jobs as "<id> <declaration key>", sorted: what must survive upgrades and restores. */
export async function jobIds(): Promise<string[]> {
  return (await cronJobs()).map((j) => `${j.id} ${j.declarationKey ?? ""}`).sort();
}

/** The image sandbox sessions run in, as the verify step checks it. */
export function sandboxImage(): string {
  const image = stepOf(rendered, "verify").environment.OPENCLAW_VERIFY_SANDBOX_IMAGE;
  if (!image) throw new Error("the rendering has no sandbox image to verify");
  return image;
}

export function diffKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** The admin's active systemd user timers (workspace sync, backups, ...). */
export async function activeUserTimers(): Promise<string[]> {
  const out = await asAdmin("systemctl --user list-units --type=timer --state=active --no-legend --plain");
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter(Boolean)
    .sort();
}

export async function cronJobs(): Promise<
  Array<{
    id: string;
    declarationKey?: string;
    name: string;
    schedule: { expr: string; tz: string };
    delivery?: { channel?: string; to?: string | number };
  }>
> {
  const out = await asAdmin(`openclaw cron list --all --json --port ${PORT}`);
  return (jsonOf(out) as { jobs: never[] }).jobs;
}

/** The output of each step the last `applyChange` ran. */
export let changeResults: Record<string, RunResult> = {};

/** Re-renders with changed arguments and runs only the steps whose inputs changed, as Pulumi would. */
export async function applyChange(what: string, next: PlainDeploymentArgs): Promise<string[]> {
  expect(renderDeployment(next, secrets).steps.map((s) => s.name)).toEqual(rendered.steps.map((s) => s.name));
  return deploy(what, next);
}

/**
 * Re-renders with other arguments and runs, in order, the steps `pulumi up`
 * would: new ones and those whose inputs changed. A step gone from the
 * rendering runs nothing (the library's steps have no `delete` command).
 */
export async function deploy(what: string, next: PlainDeploymentArgs): Promise<string[]> {
  const before = new Map(rendered.steps.map((s) => [s.name, stepInputs(s)]));
  const after = renderDeployment(next, secrets);
  const changed = after.steps.filter((s) => before.get(s.name) !== stepInputs(s));
  const started = Date.now();
  changeResults = {};
  for (const s of changed) {
    const r = await step(s);
    changeResults[s.name] = r;
    expectOk(s, r);
    log(`${what}: ${s.name} → ${lastLine(r.stdout)} (${seconds(r.ms)})`);
  }
  figures.changes.push({ what, reran: changed.map((s) => s.name), ms: Date.now() - started });
  rendered = after;
  args = next;
  return changed.map((s) => s.name);
}

/**
 * Where secrets are that they should not be: any argv seen inside the host
 * (both boots) and the fake tailscale's record of its own; the journal (every
 * field, every boot, system and user journals); the console; and every file on
 * the host's disk and tmpfs mounts, where only cloud-init's data and logs may
 * hold one, the Tailscale key, and only the admin's ~/.openclaw (0700) and
 * deploy key (0600) may hold the others.
 */
export function secretFindings(): string[] {
  const found: string[] = [];
  for (const line of [...host.recordedArgv(), ...host.sh("cat /var/log/fake-tailscale/calls.log").split("\n")]) {
    for (const k of secretsIn(line)) found.push(`argv (${k}): ${line.slice(0, 120)}…`);
  }
  const journal = host.exec(["journalctl", "--no-pager", "--all", "--merge", "-o", "verbose"], { timeoutMs: 120_000 });
  if (journal.status !== 0) found.push(`journalctl failed: ${journal.stderr.slice(0, 300)}`);
  for (const k of secretsIn(journal.stdout)) found.push(`journal: ${k}`);
  for (const k of secretsIn(readFileSync(host.consoleLog, "utf8"))) found.push(`console: ${k}`);

  const names = Object.entries(needles());
  // Patterns on stdin (-f -): never on an argv.
  const sweep = host.exec(["bash", "-c", "grep -rsaoF -f - $(ls -d /* | grep -vxE '/(proc|sys|dev)') | sort -u"], {
    input: `${names.map(([, v]) => v).join("\n")}\n`,
    timeoutMs: 300_000,
  });
  const holders = new Map<string, Set<string>>();
  for (const l of sweep.stdout.split("\n").filter(Boolean)) {
    const hit = names.find(([, v]) => l.endsWith(`:${v}`));
    if (!hit) continue;
    const file = l.slice(0, l.length - hit[1].length - 1);
    holders.set(file, (holders.get(file) ?? new Set()).add(hit[0]));
  }
  const report: string[] = [];
  for (const [file, which] of [...holders].sort(([a], [b]) => a.localeCompare(b))) {
    const mode = host.exec(["stat", "-c", "%a %U", file]).stdout.trim();
    report.push(`${file} (${mode}): ${[...which].join(", ")}`);
    if (CLOUD_PATHS.test(file)) {
      for (const k of which) if (k !== "tailscaleAuthKey") found.push(`${file}: ${k}`);
    } else if (file.startsWith("/var/log/journal/")) {
      // Compressed or not, read through journalctl above.
    } else if (file === `/home/${ADMIN}/.ssh/openclaw_workspace_ed25519`) {
      if (mode !== `600 ${ADMIN}`) found.push(`${file}: mode ${mode}`);
    } else if (file.startsWith(`/home/${ADMIN}/.config/openclaw-infra/off-server/`)) {
      // The off-server backups' password and login key: 0600 in a 0700 directory.
      const closed = host.exec(["stat", "-c", "%a %U", file.slice(0, file.lastIndexOf("/"))]).stdout.trim();
      if (mode !== `600 ${ADMIN}` || closed !== `700 ${ADMIN}`) found.push(`${file}: mode ${mode} in ${closed}`);
    } else if (/^\/home\/[^/]+\/\.openclaw\.pre-restore-[^/]+\//.test(file)) {
      // A state a restore moved aside (a rolled-back upgrade's): as closed as ~/.openclaw itself.
      const aside = file.split("/").slice(0, 4).join("/");
      const asideMode = host.exec(["stat", "-c", "%a %U", aside]).stdout.trim();
      if (asideMode !== `700 ${ADMIN}`) found.push(`${aside}: mode ${asideMode}`);
    } else if (!file.startsWith(`/home/${ADMIN}/.openclaw/`)) {
      found.push(`unexpected holder ${file} (${mode}): ${[...which].join(", ")}`);
    }
  }
  log(`files holding a secret:\n  ${report.join("\n  ")}`);
  // The sweep works: the config the steps wrote holds the gateway token.
  if (sweep.stderr !== "") found.push(`the sweep failed: ${sweep.stderr.slice(0, 300)}`);
  if (!holders.get(`/home/${ADMIN}/.openclaw/openclaw.json`)?.has("gatewayToken"))
    found.push("the sweep did not find the gateway token in openclaw.json");
  if (host.sh(`stat -c %a /home/${ADMIN}/.openclaw`).trim() !== "700") found.push("~/.openclaw is not 0700");
  return found;
}

// ---------------------------------------------------------------------------

/** Boots the test host and starts the fake services around it (the tier's `beforeAll`). */
export async function bootHost(): Promise<void> {
  facts = pre.facts!;
  let t = Date.now();
  const tarball = buildRootfs();
  figures.rootfs = `${seconds(Date.now() - t)} (${tarball.split("/").pop()})`;
  t = Date.now();
  const dist = buildNodeDist(DEFAULT_NODE_RUNTIME.version, NPM_BUNDLED_WITH_NODE);
  figures.nodeDist = seconds(Date.now() - t);

  dir = workDir();
  const tsNet = freeSlash24(
    facts.taken,
    Array.from({ length: 64 }, (_, i) => `100.64.${64 + ((process.pid + i) % 64)}`),
  );
  const pubNet = freeSlash24(facts.taken, ["198.51.100", "198.18.77", "198.19.77", "100.127.254"]);
  const dockerNet = freeSlash24(facts.taken, ["10.231.7", "10.232.7", "10.233.7", "172.31.231"]);
  if (!tsNet || !pubNet || !dockerNet) throw new Error("no free address range for the test network");
  net = new TestNetwork(facts, tsNet, pubNet, join(dir, "net"));
  net.up();

  const tailscaleRepo = join(dir, "tailscale-repo");
  log(script("build-tailscale-repo.sh", [tailscaleRepo, "debian", "bookworm", "amd64"]).stdout.trim());
  services = new FakeServices(net.pubGateway, dist.distDir, tailscaleRepo, dir);
  await services.start();
  log(`fake services (Node archive, Bot API) on ${services.url}, pkgs.tailscale.com on ${net.pubGateway}:443`);

  for (const k of ["admin", "deploy", "agent-deploy"]) {
    const r = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `host-tier-${k}`, "-f", join(dir, k)]);
    if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  }
  const deployKey = readFileSync(join(dir, "deploy"), "utf8");
  // The 5th line of an OpenSSH ed25519 key holds its private seed (the first
  // lines are the same for every key, then comes the public key).
  deployKeyBody = deployKey.split("\n")[4]!;
  agentDeployKey = readFileSync(join(dir, "agent-deploy"), "utf8");
  secrets = {
    adminPublicKey: readFileSync(join(dir, "admin.pub"), "utf8"),
    gatewayToken: randomBytes(24).toString("hex"),
    deployPrivateKey: deployKey,
  };
  args = {
    tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
    claudeSetupToken: SENTINELS.claudeSetupToken,
    serverName: SERVER_NAME,
    openclawVersion: PREVIOUS_OPENCLAW_VERSION,
    nodeRuntime: {
      version: DEFAULT_NODE_RUNTIME.version,
      distBaseUrl: `${services.url}/dist`,
      sha256: { x64: dist.sha256, arm64: DEFAULT_NODE_RUNTIME.sha256.arm64 },
    },
    telegram: {
      botToken: SENTINELS.telegramBotToken,
      userId: "123456789",
      apiRoot: services.url,
      timezone: "UTC",
      schedules: QUIET_SCHEDULES,
    },
    workspaceSync: { repoUrl: GIT_REMOTE, interval: "1h" },
  };
  rendered = renderDeployment(args, secrets);
  log(`steps: ${rendered.steps.map((s) => s.name).join(", ")}`);

  rootfsTarball = tarball;
  hostConfig = {
    hostname: SERVER_NAME,
    instanceId: `i-${randomBytes(6).toString("hex")}`,
    userData: rendered.userData,
    // Both deploy keys the git remote authorises: the workspace's and the extra agent's.
    deployPublicKey: ["deploy.pub", "agent-deploy.pub"].map((f) => readFileSync(join(dir, f), "utf8")).join(""),
    dockerBridgeNet: dockerNet,
    tailscaleRepo: { address: net.pubGateway, caCert: readFileSync(join(tailscaleRepo, "tls/ca.crt"), "utf8") },
  };
  target = { host: net.tsAddr, user: ADMIN, keyFile: join(dir, "admin") };
  await bootNewHost(dir);
}

async function bootNewHost(workDir: string): Promise<void> {
  host = new TestHost(workDir, net, SERVER_NAME);
  host.prepare(rootfsTarball, hostConfig);
  host.boot();
  await host.waitForInit();
  host.startRecording();
  log(`host booted (nspawn PID ${host.nspawnPid}, tailscale0 ${net.tsAddr}, eth0 ${net.pubAddr})`);
}

/**
 * A replacement: halts this host for good and boots a new one from a fresh
 * copy of the image, with the same name, tailnet address and user-data (a new
 * instance id), as Hetzner hands over a rebuilt server. The new host starts
 * with an empty packet filter, as a new VM does. `host` is the new one from
 * then on.
 */
export async function replaceHost(): Promise<void> {
  host.stop();
  log(script("reset-netns-firewall.sh", [net.ns]).stdout.trim());
  hostConfig = { ...hostConfig, instanceId: `i-${randomBytes(6).toString("hex")}`, userData: rendered.userData };
  await bootNewHost(mkdtempSync(join(dir, "replacement-")));
}

/**
 * Every step of the rendering in order, as the first `pulumi up` on a new
 * server runs them: the first dials until the host answers (the provider's
 * dial retries); after install-docker, Docker Hub's base image is loaded.
 Each step's figure goes to `record`; `before` and `after` run around each step
 * (the provisioning test kills one half-way, and re-runs one); `after` gets the
 * step's result too.
 */
export async function runEveryStep(
  record: StepFigure[],
  hooks: { before?: (s: RemoteStep) => Promise<void>; after?: (s: RemoteStep, r: RunResult) => Promise<void> } = {},
): Promise<void> {
  for (const s of rendered.steps) {
    await hooks.before?.(s);
    const r = await step(s, { dialRetryMs: s === rendered.steps[0] ? 5 * 60_000 : 0 });
    record.push({ name: s.name, ms: r.ms, result: lastLine(r.stdout) });
    log(`${s.name}: ${lastLine(r.stdout)} (${seconds(r.ms)})`);
    expectOk(s, r);
    if (s.name === "start-gateway") figures.bootToHealthy ??= Date.now() - host.bootedAt;
    if (s.name === "install-docker") {
      // Docker Hub's debian:bookworm-slim, which the base Dockerfile starts FROM, cannot be pulled here.
      const t = Date.now();
      const imported = host.importBaseImage("debian:bookworm-slim");
      expect(imported.status, imported.stderr).toBe(0);
      figures.baseImage ??= seconds(Date.now() - t);
      log(`${lastLine(imported.stdout)} (${seconds(Date.now() - t)})`);
    }
    await hooks.after?.(s, r);
  }
}

/** Prints the figures and stops everything the tier started, by PID (the tier's `afterAll`). */
export function finishHost(): void {
  if (figures.steps.length > 0 || figures.bootToSsh !== undefined) {
    const lines = [
      `rootfs: ${figures.rootfs ?? "-"}; Node archive: ${figures.nodeDist ?? "-"}; debian:bookworm-slim stand-in loaded: ${figures.baseImage ?? "-"}`,
      `boot → SSH as ${ADMIN} over tailscale0: ${figures.bootToSsh !== undefined ? seconds(figures.bootToSsh) : "-"}`,
      `boot → cloud-init done: ${figures.bootToCloudInitDone !== undefined ? seconds(figures.bootToCloudInitDone) : "-"}`,
      `boot → healthy gateway (/readyz, all gateway steps run): ${figures.bootToHealthy !== undefined ? seconds(figures.bootToHealthy) : "-"}`,
      ...(figures.killedInstall
        ? [
            `install-openclaw killed ${seconds(figures.killedInstall.afterMs)} into npm install (${figures.killedInstall.killed}), then re-run`,
          ]
        : []),
      "per step (first provisioning):",
      ...figures.steps.map((s) => `  ${s.name.padEnd(20)} ${seconds(s.ms).padStart(8)}  ${s.result}`),
      ...(figures.noop
        ? [
            `no-op re-run of every step: ${seconds(figures.noop.total)}`,
            ...figures.noop.steps.map((s) => `  ${s.name.padEnd(20)} ${seconds(s.ms).padStart(8)}  ${s.result}`),
          ]
        : []),
      `reboot → healthy gateway (no step run): ${figures.rebootToHealthy !== undefined ? seconds(figures.rebootToHealthy) : "-"}`,
      ...(figures.upgrade
        ? [
            `upgrade ${PREVIOUS_OPENCLAW_VERSION} → ${DEFAULT_OPENCLAW_VERSION}: install-openclaw ${seconds(figures.upgrade.installStepMs)}; with the sandbox image rebuild and verify ${seconds(figures.upgrade.totalMs)}`,
          ]
        : []),
      ...(figures.rollback !== undefined
        ? [
            `upgrade rolled back after the switch (with a restore of the pre-upgrade archive): ${seconds(figures.rollback)}`,
          ]
        : []),
      ...figures.changes.map(
        (c) => `change "${c.what}": re-ran ${c.reran.join(", ") || "nothing"} in ${seconds(c.ms)}`,
      ),
      ...(figures.replacement
        ? [
            `replacement: old host stopped → gateway ready on the new host with the restored state: downtime ${seconds(figures.replacement.downtimeMs)} (restore-state ${seconds(figures.replacement.restoreMs)}); every step done ${seconds(figures.replacement.provisionMs)}`,
            ...figures.replacement.steps.map((s) => `  ${s.name.padEnd(20)} ${seconds(s.ms).padStart(8)}  ${s.result}`),
          ]
        : []),
    ];
    console.log(`[host tier] figures\n${lines.map((l) => `  ${l}`).join("\n")}`);
  }
  if (!provisioned && host) console.log(`[host tier] console tail:\n${host.consoleTail(60)}`);
  if (KEEP) {
    console.log(
      `[host tier] OPENCLAW_HOST_TIER_KEEP=1: left running: ${pendingCleanups().join("; ")}; root commands: nsenter -t ${host?.initPid()} -m -u -i -n -p -- bash`,
    );
    return;
  }
  const errors = cleanup();
  if (errors.length > 0) throw new Error(`host tier clean-up failed: ${errors.join("; ")}`);
}
