/**
 * Host tier: a real systemd host on this machine, provisioned the way a
 * user's server is, and checked the way the user's server would be checked.
 *
 * What is real: systemd as PID 1 (systemd-nspawn) on a Debian bookworm root
 * filesystem standing in for Hetzner's Ubuntu 24.04 image; the library's
 * rendered user-data, run by the real cloud-init from a NoCloud seed; every
 * remote step from `renderDeployment`, in order, with the command text,
 * environment and stdin its `remote.Command` gets, over real SSH as `ubuntu`
 * with a real ED25519 key to the host's tailnet address; UFW, sshd, logind,
 * linger and the user manager; apt (Debian's mirror) and npm (the registry)
 * through a NAT like Docker's; the pinned OpenClaw gateway; git over SSH.
 *
 * What stands in: Tailscale (a fake `tailscale`/`tailscaled`: tailscale0 is a
 * veth with a 100.64.x.y address made before boot), nodejs.org (the Node
 * archive built from the repo's own Node, served by the test; passed as
 * `nodeRuntime`), Telegram's Bot API (a fake, passed as `telegram.apiRoot`)
 * and the workspace's git host (a bare repository behind a second sshd on the
 * host's loopback, passed as `workspaceSync.repoUrl`). The sandbox is on, as
 * by default: the host installs Debian's docker.io and builds the sandbox
 * images in its own Docker engine; only Docker Hub's debian:bookworm-slim is
 * a stand-in (the Docker tier's debootstrap, loaded once Docker is installed).
 * To let Docker run containers inside systemd-nspawn, the host gets the
 * keyring system calls and writable cgroup controllers a VM has
 * (boot-host.sh, writable-cgroups.sh), and a bridge range this machine does
 * not route (prepare-host.sh).
 *
 * Needs root, Linux, systemd-nspawn (systemd-container), debootstrap,
 * iproute2, iptables, OpenSSH's client, nsenter and the npm registry. Missing
 * ones skip the tier locally with the reason and fail it under CI=true.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteStep } from "../../src/remote/step.js";
import {
  renderDeployment,
  type PlainDeploymentArgs,
  type RenderSecrets,
  type RenderedDeployment,
} from "../../src/render.js";
import { DEFAULT_SCHEDULES } from "../../src/telegram/schedules.js";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { DEFAULT_CLAUDE_CODE_VERSION, DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { SENTINELS } from "../fixtures.js";
import {
  buildNodeDist,
  buildRootfs,
  cleanup,
  FakeServices,
  freeSlash24,
  HERE,
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
  tcpProbe,
  TestHost,
  TestNetwork,
  workDir,
  type NetworkFacts,
  type RunResult,
  type SshTarget,
} from "./harness.js";

/** The npm release Node 24.21.0 bundles. */
const NPM_BUNDLED_WITH_NODE = "11.19.0";
const SERVER_NAME = "openclaw-tier";
const ADMIN = "ubuntu";
const PORT = 18789;
const GIT_REMOTE = "ssh://git@127.0.0.1:2222/srv/git/workspace.git";
const NPM_INSTALL = "npm install --global --prefix";
/**
 * The published release before the pinned one. The host is first provisioned
 * with it, as a user's stack created a release ago would be, and then
 * upgraded to the pinned release the way a user upgrades: one changed
 * `openclawVersion` and the steps that depend on it.
 */
const PREVIOUS_OPENCLAW_VERSION = "2026.9.5";
/** The Tailscale key may be in these (user-data is public on the host by design); no other secret may. */
const CLOUD_PATHS = /^\/var\/lib\/cloud\/|^\/var\/log\/cloud-init[^/]*\.log$/;

// ---------------------------------------------------------------------------
// Prerequisites

function prerequisites(): { reasons: string[]; facts?: NetworkFacts } {
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

const pre = prerequisites();
if (pre.reasons.length > 0) {
  if (process.env.CI) {
    describe("host tier prerequisites", () => {
      it("are installed (CI must install them, see .ci/run)", () => {
        throw new Error(`host tier cannot run: ${pre.reasons.join("; ")}`);
      });
    });
  } else {
    console.warn(`skipping the host tier: ${pre.reasons.join("; ")}`);
  }
}

// ---------------------------------------------------------------------------
// Shared state

interface StepFigure {
  name: string;
  ms: number;
  result: string;
}
const figures: {
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
} = { steps: [], changes: [] };

let facts: NetworkFacts;
let dir: string;
let net: TestNetwork;
let services: FakeServices;
let host: TestHost;
let target: SshTarget;
let args: PlainDeploymentArgs;
let secrets: RenderSecrets;
let rendered: RenderedDeployment;
let deployKeyBody: string;
let provisioned = false;

function needles(): Record<string, string> {
  return {
    tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
    claudeSetupToken: SENTINELS.claudeSetupToken,
    telegramBotToken: SENTINELS.telegramBotToken,
    gatewayToken: secrets.gatewayToken,
    deployPrivateKey: deployKeyBody,
  };
}
function secretsIn(text: string): string[] {
  return Object.entries(needles())
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

function requireProvisioned(): void {
  if (!provisioned) throw new Error("the host was not provisioned (see the provisioning test)");
}

/** A command as `ubuntu` over SSH (the operator's way in); throws on failure. */
async function asAdmin(command: string, timeoutMs = 120_000): Promise<string> {
  const r = await ssh(target, command, { timeoutMs });
  if (r.status !== 0)
    throw new Error(`ssh ${ADMIN}: ${command}\nexit ${r.status}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`);
  return r.stdout;
}

/** OpenClaw's --json output from its first line that opens a document. */
function jsonOf(out: string): unknown {
  const lines = out.split("\n");
  const i = lines.findIndex((l) => /^[{[]/.test(l));
  if (i < 0) throw new Error(`no JSON in: ${out.slice(0, 500)}`);
  return JSON.parse(lines.slice(i).join("\n"));
}

async function gatewayUnit(): Promise<Record<string, string>> {
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
async function step(s: RemoteStep, opts: { dialRetryMs?: number } = {}): Promise<RunResult> {
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

function describeResult(s: RemoteStep, r: RunResult): string {
  // A secret step's output is never logged by the component either; the test
  // prints it only when the step fails, and only the tail. A failed step
  // usually means a failed unit: its status and journal say why.
  const units = r.status !== 0 ? host.failedUnits(ADMIN) : "";
  return `${s.name}: exit ${r.status} after ${seconds(r.ms)}\n--- stdout (tail)\n${r.stdout.split("\n").slice(-25).join("\n")}\n--- stderr (tail)\n${r.stderr.split("\n").slice(-25).join("\n")}${units ? `\n${units}` : ""}`;
}

function expectOk(s: RemoteStep, r: RunResult, want?: "changed" | "unchanged"): void {
  if (r.status !== 0) throw new Error(`step failed: ${describeResult(s, r)}`);
  if (want && lastLine(r.stdout) !== want)
    throw new Error(`step ${s.name} said "${lastLine(r.stdout)}", expected "${want}": ${describeResult(s, r)}`);
}

/** Hashes of what the steps put on the host, and the state of its units: compared around a change. */
async function snapshot(): Promise<Record<string, string>> {
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
function stepOf(r: RenderedDeployment, name: string): RemoteStep {
  const s = r.steps.find((x) => x.name === name);
  if (!s) throw new Error(`the rendering has no step ${name}`);
  return s;
}

/** The gateway's jobs as "<id> <declaration key>", sorted: what must survive upgrades and restores. */
async function jobIds(): Promise<string[]> {
  return (await cronJobs()).map((j) => `${j.id} ${j.declarationKey ?? ""}`).sort();
}

/** The image sandbox sessions run in, as the verify step checks it. */
function sandboxImage(): string {
  const image = stepOf(rendered, "verify").environment.OPENCLAW_VERIFY_SANDBOX_IMAGE;
  if (!image) throw new Error("the rendering has no sandbox image to verify");
  return image;
}

function diffKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** The admin's active systemd user timers (workspace sync, backups, ...). */
async function activeUserTimers(): Promise<string[]> {
  const out = await asAdmin("systemctl --user list-units --type=timer --state=active --no-legend --plain");
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter(Boolean)
    .sort();
}

async function cronJobs(): Promise<
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
let changeResults: Record<string, RunResult> = {};

/** Re-renders with changed arguments and runs only the steps whose inputs changed, as Pulumi would. */
async function applyChange(what: string, next: PlainDeploymentArgs): Promise<string[]> {
  const before = rendered;
  const after = renderDeployment(next, secrets);
  expect(after.steps.map((s) => s.name)).toEqual(before.steps.map((s) => s.name));
  const changed = after.steps.filter((s, i) => stepInputs(s) !== stepInputs(before.steps[i]!));
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
function secretFindings(): string[] {
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

describe.skipIf(pre.reasons.length > 0)(
  "host tier: a real host provisioned by the library's user-data and remote steps",
  () => {
    beforeAll(async () => {
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

      services = new FakeServices(net.pubGateway, dist.distDir, dir);
      await services.start();
      log(`fake services (Node archive, Bot API) on ${services.url}`);

      for (const k of ["admin", "deploy"]) {
        const r = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `host-tier-${k}`, "-f", join(dir, k)]);
        if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
      }
      const deployKey = readFileSync(join(dir, "deploy"), "utf8");
      // The 5th line of an OpenSSH ed25519 key holds its private seed (the first
      // lines are the same for every key, then comes the public key).
      deployKeyBody = deployKey.split("\n")[4]!;
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
        telegram: { botToken: SENTINELS.telegramBotToken, userId: "123456789", apiRoot: services.url },
        workspaceSync: { repoUrl: GIT_REMOTE, interval: "1h" },
      };
      rendered = renderDeployment(args, secrets);
      log(`steps: ${rendered.steps.map((s) => s.name).join(", ")}`);

      host = new TestHost(dir, net, SERVER_NAME);
      host.prepare(tarball, {
        hostname: SERVER_NAME,
        instanceId: `i-${randomBytes(6).toString("hex")}`,
        userData: rendered.userData,
        deployPublicKey: readFileSync(join(dir, "deploy.pub"), "utf8"),
        dockerBridgeNet: dockerNet,
      });
      target = { host: net.tsAddr, user: ADMIN, keyFile: join(dir, "admin") };
      host.boot();
      await host.waitForInit();
      host.startRecording();
      log(`host booted (nspawn PID ${host.nspawnPid}, tailscale0 ${net.tsAddr}, eth0 ${net.pubAddr})`);
    }, 25 * 60_000);

    afterAll(() => {
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
    }, 5 * 60_000);

    it(
      "boots: cloud-init runs the user-data, the host joins the (fake) tailnet, SSH answers on tailscale0 only",
      async () => {
        // The provider dials until the host answers: so does the test.
        const deadline = Date.now() + 5 * 60_000;
        for (;;) {
          const r = await ssh(target, "true", { timeoutMs: 20_000 });
          if (r.status === 0) break;
          if (Date.now() > deadline)
            throw new Error(`no SSH to ${net.tsAddr} within 5 min: ${r.stderr}\n${host.consoleTail()}`);
          await sleep(500);
        }
        figures.bootToSsh = Date.now() - host.bootedAt;
        const status = host.sh(
          "cloud-init status --wait >/dev/null; cloud-init status --long; echo; cloud-init query instance_id",
          { timeoutMs: 5 * 60_000 },
        );
        figures.bootToCloudInitDone = Date.now() - host.bootedAt;
        expect(status).toMatch(/status: done/);
        expect(status).not.toMatch(/errors: \[.+\]/);

        // tailscale up read the key from the file, never from its argv, and the file is gone.
        const calls = host.sh("cat /var/log/fake-tailscale/calls.log");
        expect(calls).toContain(
          `uid=0 up --auth-key=file:/run/openclaw-bootstrap/tailscale-authkey --hostname=${SERVER_NAME} --operator=${ADMIN}`,
        );
        expect(secretsIn(calls)).toEqual([]);
        expect(host.exec(["test", "-e", "/run/openclaw-bootstrap/tailscale-authkey"]).status).not.toBe(0);
        const state = JSON.parse(host.sh("cat /var/lib/fake-tailscale/state.json")) as { AuthKeySha256: string };
        expect(state.AuthKeySha256).toBe(createHash("sha256").update(SENTINELS.tailscaleAuthKey).digest("hex"));
        expect(await asAdmin("tailscale status --json")).toMatch(/"BackendState": "Running"/);

        // The public side is closed from the first boot on.
        expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
        expect(await tcpProbe(net.tsAddr, 22)).toBe("open");

        // As on a fresh server: forwarding off until Docker turns it on, and root
        // may turn it on (whatever this machine's own setting is).
        expect(host.sh("cat /proc/sys/net/ipv4/ip_forward").trim()).toBe("0");
        expect(host.sh("findmnt -rn -o OPTIONS /proc/sys/net")).toMatch(/^rw,/);
      },
      10 * 60_000,
    );

    it("a failed unit is reported with its status and journal tail from inside the host (what a failed step prints)", async () => {
      expect(host.failedUnits(ADMIN)).toBe("");
      host.sh(
        "systemd-run --quiet --unit=host-tier-probe --property=Restart=on-failure --property=RestartSec=1h sh -c 'echo probe-said-this; exit 3'",
      );
      const runAs = `runuser -u ${ADMIN} -- env XDG_RUNTIME_DIR=/run/user/$(id -u ${ADMIN})`;
      host.sh(
        `${runAs} systemd-run --user --quiet --unit=host-tier-user-probe sh -c 'echo user-probe-said-this; exit 4'`,
      );
      try {
        const deadline = Date.now() + 20_000;
        let report = "";
        while (!/user-probe-said-this/.test(report) && Date.now() < deadline) {
          await sleep(300);
          report = host.failedUnits(ADMIN);
        }
        expect(report).toMatch(
          /--- system unit host-tier-probe\.service failed\n[^]*auto-restart[^]*\n--- its journal \(tail\)\n[^]*probe-said-this/,
        );
        expect(report).toMatch(
          /--- user ubuntu unit host-tier-user-probe\.service failed\n[^]*status=4[^]*user-probe-said-this/,
        );
      } finally {
        host.sh(
          `systemctl stop host-tier-probe.service; systemctl reset-failed host-tier-probe.service 2>/dev/null; ${runAs} systemctl --user reset-failed host-tier-user-probe.service 2>/dev/null; true`,
        );
      }
      expect(host.failedUnits(ADMIN)).toBe("");
    });

    it(
      "provisions: every remote step in order over SSH; install-openclaw killed half-way re-runs and converges",
      async () => {
        // OpenSSH's client drops a variable sshd does not accept where the
        // provider fails the command: every name must be one AcceptEnv OPENCLAW_* lets in.
        const names = rendered.steps.flatMap((s) => Object.keys(s.environment));
        expect(names.filter((n) => !/^OPENCLAW_/.test(n))).toEqual([]);
        for (const s of rendered.steps) {
          if (s.name === "install-openclaw" && !figures.killedInstall) {
            // A run killed while npm installs OpenClaw (a crash, an OOM kill, a
            // lost session) must leave nothing a re-run trips over.
            const running = step(s);
            let settled = false;
            void running.then(() => (settled = true));
            const deadline = Date.now() + 10 * 60_000;
            let seenAt = 0;
            while (!seenAt) {
              if (settled)
                throw new Error(
                  `install-openclaw ended before npm install was seen: ${describeResult(s, await running)}`,
                );
              if (Date.now() > deadline) throw new Error("npm install did not start within 10 min");
              if (host.exec(["ps", "-eww", "-o", "args="]).stdout.includes(NPM_INSTALL)) seenAt = Date.now();
              else await sleep(300);
            }
            // Half-way: as soon as npm writes into the partial prefix (or 20 s in).
            const partial = `/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}.partial/lib/node_modules`;
            while (Date.now() - seenAt < 20_000 && host.exec(["test", "-d", partial]).status !== 0) await sleep(200);
            if (settled)
              throw new Error(`install-openclaw ended before it could be killed: ${describeResult(s, await running)}`);
            const killed = host.exec(["bash", "-s", "--", NPM_INSTALL], {
              input: readFileSync(join(HERE, "kill-step.sh"), "utf8"),
            });
            expect(killed.status, killed.stderr).toBe(0);
            const r = await running;
            figures.killedInstall = {
              afterMs: Date.now() - seenAt,
              killed: `${killed.stdout.trim()}; step exit ${r.status}`,
            };
            figures.steps.push({ name: `${s.name} (killed)`, ms: r.ms, result: `exit ${r.status}` });
            expect(r.status).not.toBe(0);
            const left = host.sh(
              `ls -d /opt/openclaw/openclaw-* 2>/dev/null || true; pgrep -af "[n]pm install --global" || true`,
            );
            log(`after the kill: ${left.trim().replace(/\n/g, "; ") || "nothing under /opt/openclaw"}`);
            expect(left).not.toMatch(new RegExp(`openclaw-${PREVIOUS_OPENCLAW_VERSION.replaceAll(".", "\\.")}$`, "m"));
            expect(left).not.toContain(NPM_INSTALL);
          }
          const r = await step(s, { dialRetryMs: s === rendered.steps[0] ? 5 * 60_000 : 0 });
          figures.steps.push({ name: s.name, ms: r.ms, result: lastLine(r.stdout) });
          log(`${s.name}: ${lastLine(r.stdout)} (${seconds(r.ms)})`);
          expectOk(s, r);
          if (s.name === "start-gateway") figures.bootToHealthy = Date.now() - host.bootedAt;
          if (s.name === "install-docker") {
            // Docker Hub's debian:bookworm-slim, which the base Dockerfile starts FROM, cannot be pulled here.
            const t = Date.now();
            const imported = host.importBaseImage("debian:bookworm-slim");
            expect(imported.status, imported.stderr).toBe(0);
            figures.baseImage = seconds(Date.now() - t);
            log(`${lastLine(imported.stdout)} (${figures.baseImage})`);
          }
          if (s.name === "install-openclaw") {
            // The re-run converges: a second run has nothing to do.
            const again = await step(s);
            expectOk(s, again, "unchanged");
          }
        }
        provisioned = true;
      },
      40 * 60_000,
    );

    it(
      "day two: an upgrade whose new release fails its checks after the switch is rolled back, and the old release gets back the state from before the switch",
      async () => {
        requireProvisioned();
        const jobsBefore = await jobIds();
        const pidBefore = (await gatewayUnit()).MainPID;
        const config = `/home/${ADMIN}/.openclaw/openclaw.json`;
        // The fault: a world-readable config. The new release starts (and
        // migrates the state database) but its security audit reports a critical
        // finding, so the step must roll back after the switch. The old release
        // then refuses the migrated database: only the pre-upgrade archive helps.
        host.sh(`chmod 0644 ${config}`);
        const change = stepOf(
          renderDeployment({ ...args, openclawVersion: DEFAULT_OPENCLAW_VERSION }, secrets),
          "install-openclaw",
        );
        const r = await step(change);
        figures.rollback = r.ms;
        log(`upgrade rolled back after the switch: ${seconds(r.ms)}; ${r.stderr.trim().split("\n").pop()}`);
        expect(r.status, describeResult(change, r)).not.toBe(0);
        expect(r.stdout).toContain(`restarting the gateway on ${DEFAULT_OPENCLAW_VERSION}`);
        expect(r.stdout).toContain(`rolling back to openclaw-${PREVIOUS_OPENCLAW_VERSION}`);
        const archive = /pre-upgrade archive: (\S+)/.exec(r.stdout)?.[1];
        expect(archive).toBeTruthy();
        expect(r.stdout).toContain(
          `openclaw-${PREVIOUS_OPENCLAW_VERSION} cannot open the state ${DEFAULT_OPENCLAW_VERSION} left; restoring ${archive}`,
        );
        expect(r.stdout).toContain(`openclaw-restore: restored from ${archive}`);
        expect(r.stderr).toContain(
          `error: openclaw ${DEFAULT_OPENCLAW_VERSION} was rolled back to openclaw-${PREVIOUS_OPENCLAW_VERSION}: the security audit reports 1 critical finding(s): fs.config.perms_world_readable`,
        );
        // The old release runs again, healthy, on the state from before the switch (the restore also put the config back at 0600).
        expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(
          `/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}`,
        );
        expect((await asAdmin("openclaw --version")).trim()).toContain(PREVIOUS_OPENCLAW_VERSION);
        const unit = await gatewayUnit();
        expect(unit.ActiveState).toBe("active");
        expect(unit.MainPID).not.toBe(pidBefore);
        expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
        expect(await jobIds()).toEqual(jobsBefore);
        expect(host.sh(`stat -c %a ${config}`).trim()).toBe("600");
        // The state the new release left is kept aside, not deleted.
        expect(host.sh(`ls -d /home/${ADMIN}/.openclaw.pre-restore-* | wc -l`).trim()).not.toBe("0");
        // And the deployment as declared still converges on the previous release.
        const declared = stepOf(rendered, "install-openclaw");
        expectOk(declared, await step(declared), "unchanged");
      },
      30 * 60_000,
    );

    it(
      "day two: an OpenClaw upgrade (previous release → pinned) backs up, keeps the old release beside, switches, and re-runs only the steps that use the version",
      async () => {
        requireProvisioned();
        expect((await asAdmin("openclaw --version")).trim()).toContain(PREVIOUS_OPENCLAW_VERSION);
        const jobsBefore = await jobIds();
        const archivesBefore = Number((await asAdmin("ls ~/backups | wc -l")).trim());
        const pidBefore = (await gatewayUnit()).MainPID;
        const imageBefore = (await asAdmin(`docker image inspect --format '{{.Id}}' ${sandboxImage()}`)).trim();
        const what = `openclawVersion ${PREVIOUS_OPENCLAW_VERSION} → ${DEFAULT_OPENCLAW_VERSION}`;
        const reran = await applyChange(what, { ...args, openclawVersion: DEFAULT_OPENCLAW_VERSION });
        // What the change-impact helper says for a version change (docs/architecture.md).
        expect(reran).toEqual(["install-openclaw", "build-sandbox-image", "verify"]);
        const install = changeResults["install-openclaw"]!;
        figures.upgrade = { installStepMs: install.ms, totalMs: figures.changes.at(-1)!.ms };
        log(
          `upgrade ${what}: install-openclaw ${seconds(install.ms)} (backup, npm install, validate, switch, restart, /readyz, audit); with the image rebuild and verify ${seconds(figures.upgrade.totalMs)}`,
        );
        expect(install.stdout).toContain("taking a verified backup first");
        expect(install.stdout).toContain(`restarting the gateway on ${DEFAULT_OPENCLAW_VERSION}`);
        expect(install.stdout).not.toContain("rolling back");
        // Switched, with the old release still runnable beside it.
        expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(
          `/opt/openclaw/openclaw-${DEFAULT_OPENCLAW_VERSION}`,
        );
        expect((await asAdmin("openclaw --version")).trim()).toContain(DEFAULT_OPENCLAW_VERSION);
        expect(host.sh(`/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}/bin/openclaw --version`)).toContain(
          PREVIOUS_OPENCLAW_VERSION,
        );
        // A verified archive taken by the previous release before anything moved.
        expect(Number((await asAdmin("ls ~/backups | wc -l")).trim())).toBeGreaterThan(archivesBefore);
        // The gateway restarted on the new release, healthy, with the same jobs; the sandbox image was rebuilt for it.
        const unit = await gatewayUnit();
        expect(unit.ActiveState).toBe("active");
        expect(unit.MainPID).not.toBe(pidBefore);
        expect(await jobIds()).toEqual(jobsBefore);
        expect((await asAdmin(`docker image inspect --format '{{.Id}}' ${sandboxImage()}`)).trim()).not.toBe(
          imageBefore,
        );
        // The replaced image went with the rebuild (about 1 GB each).
        expect((await asAdmin("docker image ls --quiet --filter dangling=true")).trim()).toBe("");
        expect(changeResults["build-sandbox-image"]!.stdout).toContain(
          `removed the replaced image ${imageBefore.slice(7, 19)}`,
        );
        const report = parseVerifyReport(changeResults.verify!.stdout);
        expect(report?.ok).toBe(true);
        expect(report?.checks.find((c) => c.name === "openclaw version")?.detail).toContain(DEFAULT_OPENCLAW_VERSION);
      },
      30 * 60_000,
    );

    it(
      "runs the gateway as a systemd user service with linger; /readyz answers on loopback; the audit is clean",
      async () => {
        requireProvisioned();
        const unit = await gatewayUnit();
        expect(unit).toMatchObject({ ActiveState: "active", SubState: "running", UnitFileState: "enabled" });
        expect(host.sh(`ps -o user= -p ${unit.MainPID}`).trim()).toBe(ADMIN);
        expect(host.sh(`loginctl show-user ${ADMIN} --property=Linger --value`).trim()).toBe("yes");
        expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
        const audit = jsonOf(await asAdmin("openclaw security audit --json")) as {
          summary: { critical: number; warn: number; info: number };
          findings?: Array<{ checkId: string; severity: string }>;
        };
        log(
          `security audit: ${JSON.stringify(audit.summary)} ${JSON.stringify((audit.findings ?? []).map((f) => `${f.severity}:${f.checkId}`))}`,
        );
        expect(audit.summary).toMatchObject({ critical: 0, warn: 0 });
        expect(await asAdmin("openclaw --version")).toContain(DEFAULT_OPENCLAW_VERSION);
        // Tailscale Serve was asked for by the gateway itself (fake: recorded).
        expect(host.sh("cat /var/log/fake-tailscale/calls.log")).toMatch(/^uid=1000 serve --yes --bg=false \d+$/m);
      },
      5 * 60_000,
    );

    it(
      "has the declared schedules, delivering to Telegram (the fake Bot API the gateway polls)",
      async () => {
        requireProvisioned();
        const jobs = await cronJobs();
        for (const j of rendered.schedules) {
          const job = jobs.find((x) => x.declarationKey === j.key);
          expect(job, j.key).toBeDefined();
          expect(job).toMatchObject({ name: j.name, schedule: { expr: j.cron, tz: j.tz } });
          expect(String(job!.delivery?.to)).toBe(j.to);
          expect(job!.delivery?.channel).toBe("telegram");
        }
        const bot = services
          .requests()
          .filter((r) => r.kind === "bot")
          .map((r) => r.method);
        log(`Bot API calls: ${[...new Set(bot)].join(", ")}`);
        expect(bot).toContain("getUpdates");
      },
      5 * 60_000,
    );

    it(
      "syncs the workspace: the timer is active and the first sync pushed to the git remote over SSH",
      async () => {
        requireProvisioned();
        expect((await asAdmin("systemctl --user is-active openclaw-workspace-sync.timer")).trim()).toBe("active");
        expect((await asAdmin("systemctl --user is-enabled openclaw-workspace-sync.timer")).trim()).toBe("enabled");
        const remote = host.sh("runuser -u git -- git --git-dir=/srv/git/workspace.git log --format=%s main");
        expect(remote).toMatch(/^Auto-sync: /m);
        // The remote's main is the workspace's HEAD.
        const remoteHead = host.sh("runuser -u git -- git --git-dir=/srv/git/workspace.git rev-parse main").trim();
        expect((await asAdmin("git -C ~/.openclaw/workspace rev-parse HEAD")).trim()).toBe(remoteHead);
      },
      5 * 60_000,
    );

    it(
      "builds the sandbox image in the host's Docker: it runs as a non-root user with the host's Node, Claude Code and git, on the configured network",
      async () => {
        requireProvisioned();
        const image = sandboxImage();
        // As the admin user (docker group), the way the gateway starts sandboxes.
        const out = await asAdmin(
          `docker run --rm --network bridge ${image} sh -c 'id -u; node --version; claude --version; git config --get user.name'`,
          300_000,
        );
        const [uid, node, claude, gitName] = out.trim().split("\n");
        expect(Number(uid)).not.toBe(0);
        // The host's dockerd turned forwarding on in the host's own namespace.
        expect(host.sh("cat /proc/sys/net/ipv4/ip_forward").trim()).toBe("1");
        expect(node).toBe(`v${DEFAULT_NODE_RUNTIME.version}`);
        expect(claude).toContain(DEFAULT_CLAUDE_CODE_VERSION);
        expect(gitName).toBeTruthy();
        // The gateway's config points at it, with the network the sandbox declares.
        const sandbox = JSON.parse(
          host.sh(`jq -c .agents.defaults.sandbox /home/${ADMIN}/.openclaw/openclaw.json`),
        ) as { docker?: { image?: string; network?: string } };
        expect(sandbox.docker).toMatchObject({ image, network: "bridge" });
        // The gateway runs with the docker group: the user manager keeps the groups it started with.
        const gid = host.sh("getent group docker | cut -d: -f3").trim();
        const pid = (await gatewayUnit()).MainPID!;
        expect(host.sh(`sed -n 's/^Groups:\\s*//p' /proc/${pid}/status`).trim().split(/\s+/)).toContain(gid);
        const images = (await asAdmin("docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}'")).trim();
        log(`sandbox images: ${images.replace(/\n/g, "; ")}`);
      },
      10 * 60_000,
    );

    it(
      "security: SSH only through tailscale0, the gateway only on loopback",
      async () => {
        requireProvisioned();
        expect(await tcpProbe(net.tsAddr, 22)).toBe("open");
        expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
        expect(await tcpProbe(net.pubAddr, PORT)).toBe("timeout");
        // Nothing listens on the tailnet address: the way in is Tailscale Serve (443, tailscaled).
        expect(await tcpProbe(net.tsAddr, PORT)).toBe("refused");
        const eth0 = await ssh({ ...target, host: net.pubAddr }, "true", { timeoutMs: 30_000 });
        expect(eth0.status).toBe(255);
        expect(eth0.stderr).toMatch(/timed out/);

        const listeners = host
          .sh("ss -H -ltnp")
          .trim()
          .split("\n")
          .map((l) => {
            const f = l.trim().split(/\s+/);
            return { local: f[3]!, process: f.slice(5).join(" ") };
          });
        log(
          `listeners: ${listeners.map((l) => `${l.local} ${/\(\("([^"]+)"/.exec(l.process)?.[1] ?? "?"}`).join(", ")}`,
        );
        const loopback = (a: string) => /^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(a);
        const gateway = listeners.filter((l) => /openclaw|node/.test(l.process));
        expect(gateway.map((l) => l.local)).toContain(`127.0.0.1:${PORT}`);
        expect(gateway.filter((l) => !loopback(l.local))).toEqual([]);
        expect(
          listeners.filter((l) => !loopback(l.local)).every((l) => /:22$/.test(l.local) && /"sshd"/.test(l.process)),
        ).toBe(true);
      },
      5 * 60_000,
    );

    it(
      "security: ~/.openclaw is 0700 and its config 0600; password and root logins are refused",
      async () => {
        requireProvisioned();
        expect(
          host.sh(`stat -c '%a %U' /home/${ADMIN}/.openclaw /home/${ADMIN}/.openclaw/openclaw.json`).trim().split("\n"),
        ).toEqual([`700 ${ADMIN}`, `600 ${ADMIN}`]);
        const sshd = host.sh(
          "sshd -T -C user=ubuntu,host=x,addr=127.0.0.1 2>/dev/null | grep -E '^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|pubkeyauthentication|allowusers) '",
        );
        expect(sshd).toMatch(/^passwordauthentication no$/m);
        expect(sshd).toMatch(/^kbdinteractiveauthentication no$/m);
        expect(sshd).toMatch(/^permitrootlogin no$/m);
        expect(sshd).toMatch(/^allowusers ubuntu$/m);
        // The server offers nothing but public keys.
        const pw = await ssh(target, "true", {
          timeoutMs: 30_000,
          extra: ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive"],
        });
        expect(pw.status).toBe(255);
        expect(pw.stderr).toMatch(/Permission denied \(publickey\)/);
        // Even with the admin key authorised for root, root may not log in.
        host.sh(
          "install -d -m 0700 /root/.ssh && cat >/root/.ssh/authorized_keys && chmod 0600 /root/.ssh/authorized_keys",
          { input: secrets.adminPublicKey },
        );
        try {
          const root = await ssh({ ...target, user: "root" }, "true", { timeoutMs: 30_000 });
          expect(root.status).toBe(255);
          expect(root.stderr).toMatch(/Permission denied/);
        } finally {
          host.sh("rm -f /root/.ssh/authorized_keys");
        }
      },
      5 * 60_000,
    );

    it(
      "security: no secret but the Tailscale key in cloud-init's data and logs, none in the journal or any argv",
      async () => {
        requireProvisioned();
        const argv = host.recordedArgv();
        log(`argv recorder: ${argv.length} distinct command lines`);
        // It saw the steps' long-running commands (so it was recording while they ran).
        expect(argv.some((l) => l.includes(NPM_INSTALL))).toBe(true);
        expect(argv.some((l) => /openclaw.* config patch --stdin/.test(l))).toBe(true);
        expect(secretFindings()).toEqual([]);
      },
      10 * 60_000,
    );

    it(
      "converges: re-running every step changes nothing and leaves the gateway running as it was",
      async () => {
        requireProvisioned();
        const before = await gatewayUnit();
        const started = Date.now();
        const steps: StepFigure[] = [];
        for (const s of rendered.steps) {
          const r = await step(s);
          steps.push({ name: s.name, ms: r.ms, result: lastLine(r.stdout) });
          expectOk(s, r, "unchanged");
        }
        figures.noop = { total: Date.now() - started, steps };
        const after = await gatewayUnit();
        expect(after.ActiveEnterTimestamp).toBe(before.ActiveEnterTimestamp);
        expect(after.MainPID).toBe(before.MainPID);
      },
      20 * 60_000,
    );

    it(
      "comes back after a reboot: gateway, timers and firewall, without any step re-run",
      async () => {
        requireProvisioned();
        const upCalls = (host.sh("cat /var/log/fake-tailscale/calls.log").match(/ up /g) ?? []).length;
        const timersBefore = await activeUserTimers();
        expect(timersBefore).toContain("openclaw-workspace-sync.timer");
        const code = await host.rebootInside();
        expect(code).toBe(133);
        // A real reboot starts with an empty packet filter: so does this one.
        log(script("reset-netns-firewall.sh", [net.ns]).stdout.trim());
        expect(await tcpProbe(net.pubAddr, 22, 2000)).not.toBe("open"); // nothing runs there now
        host.boot();
        await host.waitForInit();
        host.startRecording();
        const deadline = Date.now() + 5 * 60_000;
        while (
          host.exec(["curl", "-fsS", "-o", "/dev/null", "--max-time", "3", `http://127.0.0.1:${PORT}/readyz`])
            .status !== 0
        ) {
          if (Date.now() > deadline)
            throw new Error(`the gateway did not come back within 5 min of the reboot:\n${host.consoleTail()}`);
          await sleep(1000);
        }
        figures.rebootToHealthy = Date.now() - host.bootedAt;
        const unit = await gatewayUnit();
        expect(unit).toMatchObject({ ActiveState: "active", SubState: "running" });
        expect(await activeUserTimers()).toEqual(timersBefore);
        expect(host.sh("ufw status")).toMatch(/^Status: active/m);
        // Docker, and the metadata block re-asserted after Docker made its chains.
        expect(
          host.sh("systemctl is-active docker.service openclaw-metadata-block.service").trim().split("\n"),
        ).toEqual(["active", "active"]);
        expect(
          host.exec([
            "iptables",
            "-w",
            "-C",
            "DOCKER-USER",
            "-d",
            "169.254.169.254/32",
            "-j",
            "REJECT",
            "--reject-with",
            "icmp-port-unreachable",
          ]).status,
        ).toBe(0);
        expect(await tcpProbe(net.pubAddr, 22)).toBe("timeout");
        expect(await tcpProbe(net.tsAddr, 22)).toBe("open");
        expect(await asAdmin("tailscale status --json")).toMatch(/"BackendState": "Running"/);
        // First-boot user-data did not run again (same instance): no second `tailscale up`.
        expect((host.sh("cat /var/log/fake-tailscale/calls.log").match(/ up /g) ?? []).length).toBe(upCalls);
        expect((await cronJobs()).filter((j) => j.declarationKey?.startsWith("openclaw-infra:")).length).toBe(
          rendered.schedules.length,
        );
      },
      15 * 60_000,
    );

    it(
      "a changed schedule re-runs only the schedule sync (and the checks), which updates the job in place",
      async () => {
        requireProvisioned();
        const jobsBefore = await cronJobs();
        const snapBefore = await snapshot();
        const changedName = DEFAULT_SCHEDULES[1]!.name;
        const next: PlainDeploymentArgs = {
          ...args,
          telegram: {
            ...args.telegram!,
            schedules: DEFAULT_SCHEDULES.map((s) => (s.name === changedName ? { ...s, cron: "45 19 * * *" } : s)),
          },
        };
        const reran = await applyChange("one schedule's cron", next);
        expect(reran.filter((n) => n !== "verify")).toEqual(["sync-schedules"]);
        const jobsAfter = await cronJobs();
        const key = rendered.schedules.find((j) => j.name === changedName)!.key;
        const was = jobsBefore.find((j) => j.declarationKey === key)!;
        const is = jobsAfter.find((j) => j.declarationKey === key)!;
        expect(is.schedule.expr).toBe("45 19 * * *");
        expect(is.id).toBe(was.id);
        expect(jobsAfter.length).toBe(jobsBefore.length);
        expect(diffKeys(snapBefore, await snapshot())).toEqual([]);
      },
      10 * 60_000,
    );

    it(
      "a changed model re-runs only the gateway config step; the rest of the host is untouched",
      async () => {
        requireProvisioned();
        const snapBefore = await snapshot();
        const reran = await applyChange("model", { ...args, model: "anthropic/claude-sonnet-4-6" });
        expect(reran.filter((n) => n !== "verify")).toEqual(["configure-gateway"]);
        expect(host.sh(`jq -r .agents.defaults.model.primary /home/${ADMIN}/.openclaw/openclaw.json`).trim()).toBe(
          "anthropic/claude-sonnet-4-6",
        );
        // The config changed, so the gateway restarted; nothing else moved.
        expect(diffKeys(snapBefore, await snapshot())).toEqual(
          [
            "gateway.ActiveEnterTimestamp",
            "gateway.MainPID",
            "home/ubuntu/.openclaw/.infra/config-gateway.sha256",
            "home/ubuntu/.openclaw/openclaw.json",
          ].sort(),
        );
        expect((await gatewayUnit()).ActiveState).toBe("active");
        expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
      },
      10 * 60_000,
    );

    it(
      "verify: passes on the healthy host, and names each check that fails when its condition is broken on purpose",
      async () => {
        requireProvisioned();
        const verify = stepOf(rendered, "verify");
        const run = async () => {
          const r = await step(verify);
          return { r, report: parseVerifyReport(r.stdout) };
        };
        const healthy = await run();
        expect(healthy.r.status, describeResult(verify, healthy.r)).toBe(0);
        expect(healthy.report?.ok).toBe(true);
        const names = healthy.report!.checks.map((c) => c.name);
        log(`verify checks: ${names.join(", ")}`);
        const restartGateway = async () => {
          await asAdmin("systemctl --user start openclaw-gateway.service");
          await asAdmin(
            `for i in $(seq 1 90); do curl -fs -o /dev/null http://127.0.0.1:${PORT}/readyz && exit 0; sleep 2; done; exit 1`,
            240_000,
          );
        };
        const breakages: { check: string; breakIt: () => Promise<void>; repair: () => Promise<void> }[] = [
          {
            check: "service active",
            breakIt: async () => void (await asAdmin("systemctl --user stop openclaw-gateway.service")),
            repair: restartGateway,
          },
          {
            check: "firewall",
            breakIt: async () => void host.sh("ufw allow 8080/tcp"),
            repair: async () => void host.sh("ufw delete allow 8080/tcp"),
          },
          {
            check: "no public listener",
            breakIt: async () =>
              void host.sh(
                "setsid python3 -m http.server 9999 --bind 0.0.0.0 >/dev/null 2>&1 < /dev/null & echo $! > /run/tier-listener.pid; sleep 1",
              ),
            repair: async () => void host.sh('kill "$(cat /run/tier-listener.pid)"; rm -f /run/tier-listener.pid'),
          },
          {
            check: "linger",
            breakIt: async () => void host.sh(`loginctl disable-linger ${ADMIN}`),
            repair: async () => {
              host.sh(`loginctl enable-linger ${ADMIN}`);
              await restartGateway();
            },
          },
          {
            check: "config permissions",
            breakIt: async () => void host.sh(`chmod 0644 /home/${ADMIN}/.openclaw/openclaw.json`),
            repair: async () => void host.sh(`chmod 0600 /home/${ADMIN}/.openclaw/openclaw.json`),
          },
          {
            check: "sandbox image",
            breakIt: async () =>
              void (await asAdmin(
                `docker image tag ${sandboxImage()} tier-parked:1 && docker image rm ${sandboxImage()} >/dev/null`,
              )),
            repair: async () =>
              void (await asAdmin(
                `docker image tag tier-parked:1 ${sandboxImage()} && docker image rm tier-parked:1 >/dev/null`,
              )),
          },
          {
            check: "metadata blocked",
            breakIt: async () =>
              void host.sh(
                "iptables -w -D DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable",
              ),
            // What puts it back on a real host too: the unit that re-asserts it whenever Docker starts.
            repair: async () => void host.sh("systemctl restart openclaw-metadata-block.service"),
          },
          {
            check: "workspace sync timer",
            breakIt: async () => void (await asAdmin("systemctl --user stop openclaw-workspace-sync.timer")),
            repair: async () => void (await asAdmin("systemctl --user start openclaw-workspace-sync.timer")),
          },
        ];
        for (const b of breakages) {
          expect(names, `verify has a "${b.check}" check`).toContain(b.check);
          await b.breakIt();
          try {
            const broken = await run();
            expect(broken.r.status, `verify must fail with ${b.check} broken`).not.toBe(0);
            expect(broken.r.stderr).toMatch(/error: verification failed on /);
            expect(broken.r.stderr).toContain(b.check);
            expect(broken.report?.checks.find((c) => c.name === b.check)?.ok, `${b.check} is reported as failing`).toBe(
              false,
            );
            log(`broken ${b.check}: verify fails naming ${broken.r.stderr.trim().split("\n").pop()}`);
          } finally {
            await b.repair();
          }
        }
        const again = await run();
        expect(again.r.status, describeResult(verify, again.r)).toBe(0);
        expect(again.report?.ok).toBe(true);
      },
      20 * 60_000,
    );

    it(
      "day two: a verified backup, a wiped state, and a restore give back the same jobs, config and workspace files",
      async () => {
        requireProvisioned();
        await asAdmin("printf 'remember: the tier was here\\n' > ~/.openclaw/workspace/MEMO.md");
        const jobsBefore = await jobIds();
        const configBefore = (await asAdmin("sha256sum < ~/.openclaw/openclaw.json")).trim();
        let t = Date.now();
        const out = await asAdmin("~/.local/lib/openclaw-infra/openclaw-backup.sh", 600_000);
        const backupMs = Date.now() - t;
        const archive = /^openclaw-backup: (\S+) \(/m.exec(out)?.[1];
        expect(archive, out).toMatch(/-openclaw-backup\.tar\.gz$/);
        const bytes = (await asAdmin(`stat -c '%s %a' ~/backups/${archive}`)).trim();
        expect(bytes.split(" ")[1]).toBe("600");
        log(`backup: ${archive}, ${bytes.split(" ")[0]} bytes, ${seconds(backupMs)}`);

        // Wipe: the gateway's whole state directory is gone.
        await asAdmin("systemctl --user stop openclaw-gateway.service && rm -rf ~/.openclaw");
        t = Date.now();
        const restored = await asAdmin(
          `~/.local/lib/openclaw-infra/openclaw-restore.sh ~/backups/${archive} ${PORT}`,
          600_000,
        );
        log(`restore: ${seconds(Date.now() - t)}; ${restored.trim().split("\n").pop()}`);
        expect(restored).toMatch(/restored from .*gateway ready after/);
        expect((await asAdmin("cat ~/.openclaw/workspace/MEMO.md")).trim()).toBe("remember: the tier was here");
        expect((await asAdmin("sha256sum < ~/.openclaw/openclaw.json")).trim()).toBe(configBefore);
        expect(await jobIds()).toEqual(jobsBefore);
        expect(
          host.sh(`stat -c '%a' /home/${ADMIN}/.openclaw /home/${ADMIN}/.openclaw/openclaw.json`).trim().split("\n"),
        ).toEqual(["700", "600"]);
      },
      20 * 60_000,
    );

    it(
      "day two: a version change to a release that cannot use the live state is refused by that release, after a backup, and the running gateway is kept",
      async () => {
        requireProvisioned();
        const running = DEFAULT_OPENCLAW_VERSION;
        // The release the host ran before its upgrade: the pinned release has
        // migrated the state database since, which the older one refuses to open.
        const older = PREVIOUS_OPENCLAW_VERSION;
        const archivesBefore = Number((await asAdmin("ls ~/backups | wc -l")).trim());
        const pidBefore = (await gatewayUnit()).MainPID;
        const change = stepOf(renderDeployment({ ...args, openclawVersion: older }, secrets), "install-openclaw");
        const t = Date.now();
        const r = await step(change);
        log(
          `refused version change ${running} → ${older}: ${seconds(Date.now() - t)} (its install directory was still there)`,
        );
        expect(r.status, describeResult(change, r)).not.toBe(0);
        expect(r.stdout).toContain("taking a verified backup first");
        // The older release's own words, then the step's verdict.
        expect(r.stderr).toMatch(/cannot open your existing data|newer schema/);
        expect(r.stderr).toContain(`openclaw ${older} rejects the live config; still running openclaw-${running}`);
        expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(`/opt/openclaw/openclaw-${running}`);
        expect(host.sh(`test -x /opt/openclaw/openclaw-${older}/bin/openclaw && echo beside`).trim()).toBe("beside");
        expect(Number((await asAdmin("ls ~/backups | wc -l")).trim())).toBeGreaterThan(archivesBefore);
        const unit = await gatewayUnit();
        expect(unit.ActiveState).toBe("active");
        expect(unit.MainPID).toBe(pidBefore);
        expect((await asAdmin("openclaw --version")).trim()).toContain(running);
        // The pinned steps still converge: nothing else moved.
        const declared = stepOf(rendered, "install-openclaw");
        expectOk(declared, await step(declared), "unchanged");
      },
      30 * 60_000,
    );

    it(
      "after re-runs, a killed step, a reboot and changes: still no secret where it should not be",
      async () => {
        requireProvisioned();
        expect(secretFindings()).toEqual([]);
      },
      10 * 60_000,
    );
  },
);
