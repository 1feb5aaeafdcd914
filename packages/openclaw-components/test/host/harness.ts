/**
 * Host tier: the machinery around the test host. Every process, namespace,
 * address and packet-filter rule it starts or adds is remembered and removed
 * by PID or name in `cleanup()` (also from a process "exit" hook), never by a
 * broad pattern.
 *
 *  - `prerequisites()` says why the tier cannot run here (not root, tools
 *    missing, no usable network facts);
 *  - `buildRootfs()` / `buildNodeDist()`: cached artefacts under
 *    <repo>/.cache/host/ (build-rootfs.sh, make-node-dist.sh);
 *  - `TestNetwork`: netns-up.sh / netns-down.sh with address ranges this
 *    machine does not route, picked at run time;
 *  - `FakeServices`: fake-services.mjs as a child process on the public side;
 *  - `TestHost`: prepare-host.sh, boot-host.sh (systemd-nspawn), stop-host.sh,
 *    root commands inside through nsenter, an argv recorder (`ps` in a loop
 *    inside the host);
 *  - `ssh()` / `runStep()`: OpenSSH as the remote.Command provider does it:
 *    the command text as the exec request, the environment as SSH "env"
 *    requests (SendEnv, accepted by the host's AcceptEnv OPENCLAW_*), secrets
 *    on stdin only, no terminal.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RemoteStep } from "../../src/remote/step.js";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "../../../..");
export const CACHE = join(REPO, ".cache", "host");
export const NODE_PACKAGE = join(REPO, "node_modules", `node-linux-${process.arch}`);
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function log(message: string): void {
  console.log(`[host tier] ${message}`);
}

// ---------------------------------------------------------------------------
// Cleanup registry

const cleanups: Array<{ name: string; fn: () => void }> = [];
let cleaning = false;

/** Registers an undo action; `cleanup()` runs them newest first. */
export function onCleanup(name: string, fn: () => void): void {
  cleanups.push({ name, fn });
}

/** Runs every registered undo action once, newest first; returns the errors. */
export function cleanup(): string[] {
  if (cleaning) return [];
  cleaning = true;
  const errors: string[] = [];
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      c.fn();
    } catch (e) {
      errors.push(`${c.name}: ${(e as Error).message}`);
    }
  }
  cleaning = false;
  return errors;
}
/** OPENCLAW_HOST_TIER_KEEP=1 (never under CI): leave the host running after the run, to look into it. */
export const KEEP = process.env.OPENCLAW_HOST_TIER_KEEP === "1" && !process.env.CI;
process.once("exit", () => {
  if (!KEEP) cleanup();
});

/** What `cleanup()` would undo, newest first (printed instead when KEEP is set). */
export function pendingCleanups(): string[] {
  return cleanups.map((c) => c.name).reverse();
}

// ---------------------------------------------------------------------------
// Running things

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to completion (blocking). */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunResult {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    input: opts.input,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    maxBuffer: 256 << 20,
  });
  const status = r.status ?? (r.error ? -1 : 128);
  return {
    status,
    stdout: r.stdout ?? "",
    stderr: `${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}`,
    ms: Date.now() - started,
  };
}

/** Runs one of this folder's scripts with bash; throws with its output on failure. */
export function script(
  name: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): RunResult {
  const r = run("bash", [join(HERE, name), ...args], opts);
  if (r.status !== 0) {
    throw new Error(
      `${name} ${args.join(" ")} failed (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-30).join("\n")}`,
    );
  }
  return r;
}

/** Last non-empty line of a step's stdout. */
export function lastLine(s: string): string {
  return s.trimEnd().split("\n").pop() ?? "";
}

// ---------------------------------------------------------------------------
// Prerequisites and network facts

export interface NetworkFacts {
  uplink: string;
  resolvers: string[];
  /** IPv4 addresses of the package registries (npm, and Debian's mirror as apt uses it). */
  registryAddresses: string[];
  /** Every IPv4 network this machine routes or holds an address in. */
  taken: Array<[number, number]>;
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}
function cidrRange(cidr: string): [number, number] {
  const [ip, len] = cidr.split("/");
  const bits = len === undefined ? 32 : Number(len);
  const start = ipToInt(ip!) - (ipToInt(ip!) % 2 ** (32 - bits));
  return [start, start + 2 ** (32 - bits) - 1];
}

/** The URIs of this machine's apt sources (deb822 and one-line formats). */
function aptSourceHosts(): string[] {
  const hosts = new Set<string>();
  const files = ["/etc/apt/sources.list"];
  if (existsSync("/etc/apt/sources.list.d"))
    for (const f of readdirSync("/etc/apt/sources.list.d")) files.push(join("/etc/apt/sources.list.d", f));
  for (const f of files) {
    if (!existsSync(f) || !/\.(sources|list)$/.test(f)) continue;
    for (const line of readFileSync(f, "utf8").split("\n")) {
      const uris =
        /^URIs:\s*(.*)$/.exec(line)?.[1]?.split(/\s+/) ??
        (/^deb\s/.test(line) ? line.split(/\s+/).filter((w) => /^[a-z]+:\/\//.test(w)) : []);
      for (const u of uris) {
        try {
          hosts.add(new URL(u).hostname);
        } catch {
          // not a URL
        }
      }
    }
  }
  return [...hosts];
}

function resolve4(host: string): string[] {
  const r = run("getent", ["ahostsv4", host], { timeoutMs: 15_000 });
  return [
    ...new Set(
      r.stdout
        .split("\n")
        .map((l) => l.split(/\s+/)[0]!)
        .filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)),
    ),
  ];
}

/** Reads what the test network needs from this machine; a string says why it cannot. */
export function networkFacts(): NetworkFacts | string {
  const routes = run("ip", ["-j", "-4", "route", "show", "table", "all"]);
  const addrs = run("ip", ["-j", "-4", "addr"]);
  if (routes.status !== 0 || addrs.status !== 0) return "cannot read this machine's routes (ip -j route)";
  const taken: Array<[number, number]> = [];
  let uplink = "";
  for (const r of JSON.parse(routes.stdout) as Array<{ dst: string; dev?: string; type?: string; table?: string }>) {
    if (r.dst === "default") {
      if (!uplink && r.dev && (r.table === undefined || r.table === "main")) uplink = r.dev;
      continue;
    }
    if (/^\d/.test(r.dst)) taken.push(cidrRange(r.dst));
  }
  for (const link of JSON.parse(addrs.stdout) as Array<{ addr_info?: Array<{ local: string; prefixlen: number }> }>) {
    for (const a of link.addr_info ?? []) taken.push(cidrRange(`${a.local}/${a.prefixlen}`));
  }
  if (!uplink) return "this machine has no default route";
  const resolvers = readFileSync("/etc/resolv.conf", "utf8")
    .split("\n")
    .map((l) => /^nameserver\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
  if (resolvers.length === 0) return "no IPv4 nameserver in /etc/resolv.conf";
  if (resolvers.some((r) => r.startsWith("127.")))
    return `the nameserver ${resolvers.join(", ")} is on loopback: the test host cannot use it`;
  const npm = run("npm", ["config", "get", "registry"], { timeoutMs: 30_000 });
  const hosts = new Set<string>(aptSourceHosts());
  try {
    hosts.add(new URL(npm.stdout.trim()).hostname);
  } catch {
    return "npm config get registry gave no URL";
  }
  const registryAddresses = [...new Set([...hosts].flatMap(resolve4))];
  if (registryAddresses.length === 0) return `cannot resolve the package registries (${[...hosts].join(", ")})`;
  for (const ip of [...registryAddresses, ...resolvers]) taken.push(cidrRange(`${ip}/32`));
  return { uplink, resolvers, registryAddresses, taken };
}

/** First /24 among the candidates that overlaps nothing this machine uses. */
export function freeSlash24(taken: Array<[number, number]>, candidates: string[]): string | undefined {
  return candidates.find((net) => {
    const [a, b] = cidrRange(`${net}.0/24`);
    return taken.every(([x, y]) => b < x || a > y);
  });
}

// ---------------------------------------------------------------------------
// Cached artefacts

export function buildRootfs(): string {
  const r = script("build-rootfs.sh", [CACHE], { timeoutMs: 15 * 60_000 });
  return lastLine(r.stdout);
}

export function buildNodeDist(version: string, npmVersion: string): { distDir: string; sha256: string } {
  const distDir = join(CACHE, "node-dist");
  const r = script("make-node-dist.sh", [NODE_PACKAGE, version, npmVersion, distDir], { timeoutMs: 5 * 60_000 });
  return { distDir, sha256: lastLine(r.stdout) };
}

// ---------------------------------------------------------------------------
// The test network

export class TestNetwork {
  readonly tag: string;
  readonly ns: string;
  readonly tsIf: string;
  readonly pubIf: string;
  /** The host's tailnet address (tailscale0). */
  readonly tsAddr: string;
  /** This machine's end on the tailnet side. */
  readonly tsGateway: string;
  /** The host's public address (eth0). */
  readonly pubAddr: string;
  /** This machine's end on the public side (where the fake services listen). */
  readonly pubGateway: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(facts: NetworkFacts, tsNet: string, pubNet: string, stateDir: string) {
    this.tag = String(process.pid);
    this.ns = `och-${this.tag}`;
    this.tsIf = `ochT${this.tag}`.slice(0, 15);
    this.pubIf = `ochP${this.tag}`.slice(0, 15);
    this.tsAddr = `${tsNet}.2`;
    this.tsGateway = `${tsNet}.1`;
    this.pubAddr = `${pubNet}.2`;
    this.pubGateway = `${pubNet}.1`;
    this.env = {
      ...process.env,
      TAG: this.tag,
      NS: this.ns,
      TS_IF: this.tsIf,
      PUB_IF: this.pubIf,
      TS_NET: tsNet,
      PUB_NET: pubNet,
      UPLINK: facts.uplink,
      ALLOW_DNS: facts.resolvers.join(" "),
      ALLOW_WEB: facts.registryAddresses.join(" "),
      STATE_DIR: stateDir,
    };
  }

  up(): void {
    onCleanup(`network ${this.ns}`, () => this.down());
    log(script("netns-up.sh", [], { env: this.env }).stdout.trim());
  }

  down(): void {
    script("netns-down.sh", [], { env: this.env });
  }

  /** Runs a command in the host's network namespace (from this machine's side of it). */
  inNetns(args: string[]): RunResult {
    return run("ip", ["netns", "exec", this.ns, ...args]);
  }
}

/** Whether a TCP connect from this machine succeeds, is refused, or times out. */
export function tcpProbe(
  host: string,
  port: number,
  timeoutMs = 4000,
): Promise<"open" | "refused" | "timeout" | string> {
  return new Promise((done) => {
    const s = connect({ host, port });
    const t = setTimeout(() => {
      s.destroy();
      done("timeout");
    }, timeoutMs);
    s.once("connect", () => {
      clearTimeout(t);
      s.destroy();
      done("open");
    });
    s.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      done(e.code === "ECONNREFUSED" ? "refused" : (e.code ?? e.message));
    });
  });
}

// ---------------------------------------------------------------------------
// Fake services on the public side

export interface FakeRequest {
  t: number;
  kind: "dist" | "bot" | "other";
  method: string;
  path: string;
  status?: number;
}

export class FakeServices {
  private child?: ChildProcess;
  readonly logFile: string;
  port = 0;

  constructor(
    readonly address: string,
    readonly distDir: string,
    workDir: string,
  ) {
    this.logFile = join(workDir, "fake-services.jsonl");
  }

  async start(): Promise<void> {
    writeFileSync(this.logFile, "");
    const child = spawn(process.execPath, [join(HERE, "fake-services.mjs"), this.address, this.distDir, this.logFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    onCleanup("fake services", () => this.stop());
    this.port = await new Promise<number>((ok, fail) => {
      let out = "";
      const t = setTimeout(() => fail(new Error("fake-services.mjs did not start within 20s")), 20_000);
      child.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /listening (\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          ok(Number(m[1]));
        }
      });
      child.once("exit", (code) => fail(new Error(`fake-services.mjs exited (${code})`)));
    });
  }

  get url(): string {
    return `http://${this.address}:${this.port}`;
  }

  requests(): FakeRequest[] {
    return readFileSync(this.logFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FakeRequest);
  }

  stop(): void {
    if (this.child?.pid && this.child.exitCode === null) this.child.kill("SIGTERM");
  }
}

// ---------------------------------------------------------------------------
// The test host

export interface HostConfig {
  hostname: string;
  instanceId: string;
  userData: string;
  deployPublicKey: string;
  /** A /24 (e.g. "10.231.7") free on this machine, for Docker's default bridge inside the host. */
  dockerBridgeNet: string;
}

export class TestHost {
  readonly root: string;
  readonly consoleLog: string;
  private nspawn?: ChildProcess;
  private nspawnExit?: Promise<number | null>;
  private recorder?: ChildProcess;
  private recorderFiles: string[] = [];
  private stopRegistered = false;
  bootedAt = 0;

  constructor(
    readonly workDir: string,
    readonly net: TestNetwork,
    readonly machine: string,
  ) {
    this.root = join(workDir, "root");
    this.consoleLog = join(workDir, "console.log");
  }

  /** A fresh disk from the cached root filesystem, with the seed and the stand-ins. */
  prepare(tarball: string, cfg: HostConfig): void {
    const dir = join(this.workDir, "seed");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "user-data"), cfg.userData, { mode: 0o600 });
    writeFileSync(join(dir, "meta-data"), `instance-id: ${cfg.instanceId}\nlocal-hostname: ${cfg.hostname}\n`);
    writeFileSync(join(dir, "hostname"), `${cfg.hostname}\n`);
    writeFileSync(join(dir, "deploy-key.pub"), cfg.deployPublicKey);
    // One /24 for the default bridge, and user-defined networks carved from the same one.
    const daemon = {
      bip: `${cfg.dockerBridgeNet}.1/25`,
      "default-address-pools": [{ base: `${cfg.dockerBridgeNet}.128/25`, size: 28 }],
    };
    writeFileSync(join(dir, "docker-daemon.json"), `${JSON.stringify(daemon, null, 2)}\n`);
    log(script("prepare-host.sh", [tarball, this.root, dir], { timeoutMs: 5 * 60_000 }).stdout.trim());
    // The seed held the Tailscale key: nothing of it stays outside the host.
    rmSync(join(dir, "user-data"));
  }

  /** Boots the host (systemd-nspawn in the background, console to console.log). */
  boot(): void {
    const fd = openSync(this.consoleLog, "a");
    const child = spawn("bash", [join(HERE, "boot-host.sh"), this.root, this.net.ns, this.machine], {
      stdio: ["ignore", fd, fd],
      detached: true,
    });
    closeSync(fd);
    this.nspawn = child;
    this.bootedAt = Date.now();
    this.nspawnExit = new Promise((ok) => child.once("exit", (code) => ok(code)));
    if (!this.stopRegistered) onCleanup(`host ${this.machine}`, () => this.stop());
    this.stopRegistered = true;
  }

  get nspawnPid(): number | undefined {
    return this.nspawn?.exitCode === null ? this.nspawn.pid : undefined;
  }

  /** PID (on this machine) of the host's systemd, once it runs. */
  initPid(): number | undefined {
    const pid = this.nspawnPid;
    if (!pid) return undefined;
    try {
      const child = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)[0];
      return child ? Number(child) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Runs a command as root inside the host (nsenter into its namespaces). */
  exec(args: string[], opts: { input?: string; timeoutMs?: number } = {}): RunResult {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    return run(
      "nsenter",
      [
        "-t",
        String(init),
        "-m",
        "-u",
        "-i",
        "-n",
        "-p",
        "--",
        "env",
        "-i",
        `PATH=${SYSTEM_PATH}`,
        "LANG=C.UTF-8",
        "HOME=/root",
        ...args,
      ],
      { input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 },
    );
  }

  /** `exec(["bash", "-c", script])`, throwing on failure. */
  sh(command: string, opts: { input?: string; timeoutMs?: number } = {}): string {
    const r = this.exec(["bash", "-c", command], opts);
    if (r.status !== 0)
      throw new Error(`in the host: ${command}\nexit ${r.status}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`);
    return r.stdout;
  }

  /**
   * Waits until the host's systemd runs (its init PID is known), then makes
   * the host's cgroup controllers writable as a VM's are (writable-cgroups.sh),
   * so that Docker can run containers inside it.
   */
  async waitForInit(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.initPid();
      if (pid && this.exec(["findmnt", "-rn", "-t", "cgroup"]).stdout.trim() !== "") {
        const r = this.exec(["bash", "-s"], { input: readFileSync(join(HERE, "writable-cgroups.sh"), "utf8") });
        if (r.status !== 0) throw new Error(`writable-cgroups.sh in the host failed: ${r.stderr}`);
        log(r.stdout.trim());
        return pid;
      }
      if (Date.now() > deadline)
        throw new Error(`the host did not start within ${seconds(timeoutMs)}; console:\n${this.consoleTail()}`);
      await sleep(200);
    }
  }

  /**
   * What a person needs when an on-host step failed: every system unit and
   * every unit of `user`'s manager that failed or is waiting to be restarted
   * after a failure (a unit with Restart= is not "failed" until its start
   * limit is hit), each with its status and the tail of its journal, read
   * from inside the host. Empty when none failed.
   */
  failedUnits(user: string, lines = 25): string {
    if (!this.initPid()) return "";
    const uid = this.exec(["id", "-u", user]).stdout.trim();
    // The user manager answers on its own bus, reached as the user.
    const userBus = ["runuser", "-u", user, "--", "env", `XDG_RUNTIME_DIR=/run/user/${uid}`, "systemctl", "--user"];
    const parts: string[] = [];
    for (const [scope, systemctl] of [
      ["system", ["systemctl"]],
      [`user ${user}`, userBus],
    ] as const) {
      if (scope !== "system" && !uid) continue;
      const units = this.exec([
        ...systemctl,
        "list-units",
        "--state=failed,auto-restart",
        "--plain",
        "--no-legend",
        "--no-pager",
      ])
        .stdout.split("\n")
        .map((l) => l.trim().split(/\s+/)[0]!)
        .filter(Boolean);
      for (const unit of units) {
        const status = this.exec([...systemctl, "status", "--no-pager", "--lines=0", unit]).stdout.trim();
        // A user unit's lines: its processes' output, and its manager's words about it.
        const matches = scope === "system" ? ["-u", unit] : [`_SYSTEMD_USER_UNIT=${unit}`, "+", `USER_UNIT=${unit}`];
        const journal = this.exec(["journalctl", "--no-pager", "-n", String(lines), ...matches]).stdout.trim();
        parts.push(`--- ${scope} unit ${unit} failed\n${status}\n--- its journal (tail)\n${journal}`);
      }
    }
    return parts.join("\n");
  }

  consoleTail(lines = 40): string {
    return existsSync(this.consoleLog)
      ? readFileSync(this.consoleLog, "utf8").split("\n").slice(-lines).join("\n")
      : "";
  }

  /**
   * Starts recording every command line seen inside the host: `ps` in a loop
   * (every 0.1 s) inside it, each new line written once. `stopRecording()`
   * returns them.
   */
  startRecording(): void {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    const file = join(this.workDir, `argv-${this.recorderFiles.length}.txt`);
    this.recorderFiles.push(file);
    const fd = openSync(file, "w");
    const loop = "while :; do ps -eww -o args=; sleep 0.1; done | awk '!seen[$0]++ { print; fflush() }'";
    this.recorder = spawn("nsenter", ["-t", String(init), "-m", "-p", "--", "sh", "-c", loop], {
      stdio: ["ignore", fd, "ignore"],
      detached: true,
    });
    closeSync(fd);
    if (this.recorderFiles.length === 1) onCleanup("argv recorder", () => this.stopRecording());
  }

  stopRecording(): void {
    if (this.recorder) killGroup(this.recorder);
    this.recorder = undefined;
  }

  /** Every distinct command line recorded so far, over all boots. */
  recordedArgv(): string[] {
    return [
      ...new Set(
        this.recorderFiles.flatMap((f) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean) : [])),
      ),
    ];
  }

  /**
   * Loads the stand-in for Docker Hub's debian:bookworm-slim (the Docker
   * tier's cached debootstrap, build-base-image.sh) into the host's own Docker
   * engine as `tag`: the host has no image registry to pull from.
   */
  importBaseImage(tag: string): RunResult {
    const init = this.initPid();
    if (!init) throw new Error("the test host is not running");
    const tmp = mkdtempSync(join(this.workDir, "base-image-"));
    try {
      return run(
        "bash",
        [join(HERE, "..", "docker", "build-base-image.sh"), join(REPO, ".cache", "docker"), tmp, tag],
        {
          env: { ...process.env, DOCKER: join(HERE, "in-host-docker.sh"), HOST_INIT_PID: String(init) },
          timeoutMs: 10 * 60_000,
        },
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Reboots from inside (systemctl reboot), as a host's own reboot does; resolves when systemd-nspawn has exited. */
  async rebootInside(timeoutMs = 120_000): Promise<number | null> {
    this.stopRecording();
    this.exec(["systemctl", "reboot"]);
    return this.waitForExit(timeoutMs);
  }

  async waitForExit(timeoutMs: number): Promise<number | null> {
    if (!this.nspawnExit) return null;
    const timeout = sleep(timeoutMs).then(() => "timeout" as const);
    const r = await Promise.race([this.nspawnExit, timeout]);
    if (r === "timeout") throw new Error(`the host did not go down within ${seconds(timeoutMs)}`);
    return r;
  }

  stop(): void {
    this.stopRecording();
    const pid = this.nspawnPid;
    if (pid) log(script("stop-host.sh", [String(pid), "90"], { timeoutMs: 150_000 }).stdout.trim());
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** A temporary directory under the system's, removed at cleanup. */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-host-tier-"));
  onCleanup(`work dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------
// SSH, as the remote.Command provider uses it

export interface SshTarget {
  host: string;
  user: string;
  keyFile: string;
}

export function sshArgs(t: SshTarget, extra: string[] = []): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    t.keyFile,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=5",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "SendEnv=OPENCLAW_*",
    ...extra,
    `${t.user}@${t.host}`,
  ];
}

/**
 * Runs a command over SSH without blocking this process. `env` reaches the
 * host as SSH environment (SendEnv): nothing else of this process's
 * environment is passed.
 */
export function ssh(
  t: SshTarget,
  command: string,
  opts: { env?: Record<string, string>; stdin?: string; timeoutMs?: number; extra?: string[] } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn("ssh", [...sshArgs(t, opts.extra), "--", command], {
      env: { PATH: process.env.PATH ?? SYSTEM_PATH, HOME: process.env.HOME ?? "/root", ...(opts.env ?? {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(
      () => {
        stderr += `\n[host tier] timed out after ${seconds(opts.timeoutMs ?? 0)}: killed ssh`;
        child.kill("SIGKILL");
      },
      opts.timeoutMs ?? 20 * 60_000,
    );
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.stdin ?? "");
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      done({ status: code ?? (signal ? 128 : -1), stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs one rendered step exactly as its remote.Command would: command text, environment, stdin. */
export function runStep(t: SshTarget, step: RemoteStep, timeoutMs = 20 * 60_000): Promise<RunResult> {
  return ssh(t, step.command, {
    env: { ...step.environment },
    ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
    timeoutMs,
  });
}

/** The step's command, environment and stdin: what makes its remote.Command re-run when it changes. */
export function stepInputs(step: RemoteStep): string {
  return JSON.stringify([step.command, step.environment, step.stdin ?? null]);
}
