/**
 * Real-OpenClaw tier: the pieces every test of the tier shares.
 *
 *  - `prepareOpenclaw()` installs (or reuses) the pinned `openclaw` with the
 *    Node runtime it needs under <repo>/.cache/ (install-openclaw.sh);
 *  - `isolate()` makes a fresh HOME / state dir / config / TMPDIR for one
 *    OpenClaw process tree, so nothing here reads or writes ~/.openclaw;
 *  - `openclaw()` runs the CLI there (async: the fake Bot API lives in this
 *    process and must keep answering while a CLI call is in flight);
 *  - `startGateway()` runs `openclaw gateway run --tailscale off` in the
 *    foreground, waits for /readyz and stops it by its PID.
 *
 * Every child is started here, remembered by PID and stopped by that PID
 * (SIGTERM, then SIGKILL of its process group after a timeout), also when the
 * worker exits early.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RemoteStep } from "../../src/remote/step.js";
import { DEFAULT_NODE_RUNTIME, DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "../../../..");
export const INSTALL_DIR = join(REPO, ".cache", `openclaw-${DEFAULT_OPENCLAW_VERSION}`);
const INSTALL_SCRIPT = join(HERE, "install-openclaw.sh");
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Prints one phase's wall time in a form that is easy to grep from the run's output. */
export function phase(name: string, ms: number, extra = ""): void {
  console.log(`[openclaw tier] ${name}: ${seconds(ms)}${extra ? ` (${extra})` : ""}`);
}

export type Prepared = { ok: true; binDir: string; version: string } | { ok: false; reason: string };

let prepared: Prepared | undefined;

/**
 * Installs or reuses the pinned OpenClaw. Never throws: a failure is returned
 * as the reason the tier cannot run (the caller fails under CI, else skips).
 */
export function prepareOpenclaw(): Prepared {
  if (prepared) return prepared;
  const started = Date.now();
  // npm needs the user's environment (HOME/.npmrc, CA settings), but not
  // vitest's: VITEST=true changes how OpenClaw's own scripts behave.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS" && !k.startsWith("OPENCLAW_"),
    ),
  );
  const r = spawnSync("bash", [INSTALL_SCRIPT, DEFAULT_OPENCLAW_VERSION, INSTALL_DIR, DEFAULT_NODE_RUNTIME.version], {
    encoding: "utf8",
    env,
    timeout: INSTALL_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    prepared = {
      ok: false,
      reason: `install-openclaw.sh failed (${why}); needs the npm registry: ${output.split("\n").slice(-8).join(" | ")}`,
    };
    return prepared;
  }
  const reused = /reusing/.test(output);
  phase(reused ? "install (reused cache)" : "install (fresh)", Date.now() - started, INSTALL_DIR);
  const binDir = join(INSTALL_DIR, "node_modules", ".bin");
  const v = spawnSync(join(binDir, "openclaw"), ["--version"], {
    encoding: "utf8",
    env: { ...env, PATH: `${binDir}:${process.env.PATH ?? ""}` },
  });
  prepared = { ok: true, binDir, version: (v.stdout ?? "").trim() };
  return prepared;
}

const PLUGIN_SCRIPT = join(HERE, "install-plugin.sh");
const preparedPlugins = new Map<string, Prepared & { stateDir?: string }>();

/**
 * Installs (or reuses) one of OpenClaw's official external plugins at an exact
 * version into an OpenClaw state directory under <repo>/.cache/, with the
 * pinned OpenClaw's own `plugins install` (install-plugin.sh). A test copies
 * that directory's contents into its own state directory, and must not write
 * to it. Never throws: a failure is returned as the reason.
 */
export function preparePlugin(
  binDir: string,
  npmPackage: string,
  version: string,
): { ok: true; stateDir: string } | { ok: false; reason: string } {
  const spec = `npm:${npmPackage}@${version}`;
  const cached = preparedPlugins.get(spec);
  if (cached?.ok && cached.stateDir) return { ok: true, stateDir: cached.stateDir };
  const dir = join(REPO, ".cache", `openclaw-plugin-${npmPackage.replace(/[@/]/g, "_")}-${version}`);
  const started = Date.now();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS" && !k.startsWith("OPENCLAW_"),
    ),
  );
  const r = spawnSync("bash", [PLUGIN_SCRIPT, binDir, spec, dir], {
    encoding: "utf8",
    env,
    timeout: INSTALL_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    return {
      ok: false,
      reason: `install-plugin.sh ${spec} failed (${why}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    };
  }
  phase(`plugin ${spec}`, Date.now() - started, (r.stdout ?? "").trim().split("\n").at(-1) ?? "");
  const stateDir = join(dir, "state");
  preparedPlugins.set(spec, { ok: true, binDir, version, stateDir });
  return { ok: true, stateDir };
}

/**
 * `prepareOpenclaw()` for a test file: when the install cannot be made, fails
 * the file under CI (a failing test naming the reason) and otherwise prints
 * why the tier is skipped. Use the result with `describe.skipIf(!p.ok)`.
 */
export function requireOpenclaw(tier: string): Prepared {
  const p = prepareOpenclaw();
  if (!p.ok) {
    if (process.env.CI) {
      describe(`${tier}: prerequisites`, () => {
        it("the pinned OpenClaw can be installed (CI needs the npm registry, bash, npm and flock)", () => {
          throw new Error(`${tier} cannot run: ${p.reason}`);
        });
      });
    } else {
      console.warn(`skipping ${tier}: ${p.reason}`);
    }
  }
  return p;
}

// ---------------------------------------------------------------------------
// Isolation

/** Keys only the tests add to a config: a log file in the temp dir, no network catalog refresh. */
export function testOnlyConfig(root: string): Record<string, unknown> {
  return { logging: { file: join(root, "gateway.log") }, models: { catalogRefresh: { enabled: false } } };
}

export interface Isolation {
  readonly root: string;
  readonly stateDir: string;
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  /** Writes the config file (0600), `config` plus the test-only keys unless `raw`. */
  writeConfig(config: Record<string, unknown>, opts?: { raw?: boolean }): void;
  readConfig(): Record<string, unknown>;
  cleanup(): void;
}

const isolations = new Set<string>();
const COMPILE_CACHE = join(REPO, ".cache", "openclaw-compile-cache");

/**
 * OpenClaw keeps 0-byte lock files for each state database in
 * /tmp/openclaw-state-locks-<uid>/<family>.<sha256(db path)[0..8]>.lock.sqlite,
 * whatever TMPDIR says. Removes the ones of the databases under `root`.
 */
function removeStateLocks(root: string): void {
  const lockDir = join("/tmp", process.getuid ? `openclaw-state-locks-${process.getuid()}` : "openclaw-state-locks");
  if (!existsSync(lockDir)) return;
  const hashes = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".sqlite"))
        hashes.add(createHash("sha256").update(realpathSync(p)).digest("hex").slice(0, 8));
    }
  };
  walk(root);
  for (const name of readdirSync(lockDir)) {
    const m = /\.([0-9a-f]{8})\.lock\.sqlite$/.exec(name);
    if (m && hashes.has(m[1]!)) rmSync(join(lockDir, name), { force: true });
  }
}

/** A fresh HOME, state dir (0700), config path (0600) and TMPDIR for OpenClaw processes. */
export function isolate(binDir: string, label = "run"): Isolation {
  const root = mkdtempSync(join(tmpdir(), `openclaw-tier-${label}-`));
  isolations.add(root);
  const home = join(root, "home");
  const stateDir = join(root, "state");
  const tmp = join(root, "tmp");
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const configPath = join(stateDir, "openclaw.json");
  // An allowlist, not the worker's environment: under vitest it holds
  // VITEST=true, which silences OpenClaw's CLI output (it takes itself for
  // its own test suite), and proxy or NODE_* settings have no place offline.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => ["LANG", "LC_ALL", "LC_CTYPE", "USER", "LOGNAME", "SHELL"].includes(k)),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    TMPDIR: tmp,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_SUPERVISOR_MODE: "external",
    OPENCLAW_NO_AUTO_UPDATE: "1",
    CI: "true",
    // V8's code cache only (no state): shared, or every call in a fresh
    // TMPDIR would compile OpenClaw from scratch (about 2x slower).
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    // No npm call of OpenClaw's goes to the network: a config write that
    // names an OpenAI model has it look up its Codex plugin (`npm view`, with
    // a 60 s timeout), which with this fresh HOME has no registry settings
    // and waited out the whole minute, twice in one test. Offline, npm fails
    // at once and OpenClaw goes on as it does when the lookup fails.
    npm_config_offline: "true",
  };
  return {
    root,
    stateDir,
    configPath,
    env,
    writeConfig(config, opts = {}) {
      const whole = opts.raw ? config : deepMerge(config, testOnlyConfig(root));
      writeFileSync(configPath, `${JSON.stringify(whole, null, 2)}\n`, { mode: 0o600 });
      chmodSync(configPath, 0o600);
    },
    readConfig() {
      return JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    },
    cleanup() {
      removeStateLocks(root);
      rmSync(root, { recursive: true, force: true });
      isolations.delete(root);
    },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/** Every leaf of `obj` as [dot path, value]; arrays are leaves. */
export function leaves(obj: Record<string, unknown>, prefix = ""): Array<[string, unknown]> {
  return Object.entries(obj).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return isPlainObject(v) ? leaves(v, path) : [[path, v] as [string, unknown]];
  });
}

export function at(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), obj);
}

// ---------------------------------------------------------------------------
// Processes

const children = new Map<number, ChildProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// Last resort if the worker exits with children still running: kill their groups.
process.on("exit", () => {
  for (const pid of children.keys()) killGroup(pid, "SIGKILL");
});

/**
 * Stops a child started here: SIGTERM to its PID, then SIGKILL to its process
 * group after `graceMs`. Afterwards any leftover of its group (helpers it
 * spawned) is killed too. Resolves with the wall time until it exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<number> {
  const pid = child.pid;
  const started = Date.now();
  if (pid === undefined) return 0;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((res) => child.once("exit", () => res()));
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
  const ms = Date.now() - started;
  killGroup(pid, "SIGKILL");
  children.delete(pid);
  return ms;
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a program in its own process group; kills it by PID after `timeoutMs`. */
export async function runProcess(
  file: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string },
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(file, args, {
    env: opts.env,
    cwd: opts.cwd ?? tmpdir(),
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (child.pid !== undefined) children.set(child.pid, child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.on("error", () => undefined);
  child.stdin!.end(opts.input ?? "");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopChild(child, 5_000);
  }, opts.timeoutMs ?? 60_000);
  const status = await new Promise<number>((res, rej) => {
    child.once("error", rej);
    child.once("close", (code, signal) => res(code ?? (signal ? 128 : -1)));
  });
  clearTimeout(timer);
  if (child.pid !== undefined) {
    killGroup(child.pid, "SIGKILL");
    children.delete(child.pid);
  }
  if (timedOut) stderr += `\n[harness] killed after ${opts.timeoutMs ?? 60_000} ms`;
  return { status, stdout, stderr, ms: Date.now() - started };
}

/** Runs `openclaw <args>` in an isolation. */
export function openclaw(
  iso: Isolation,
  args: readonly string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return runProcess("openclaw", args, { env: iso.env, ...opts });
}

/**
 * Parses a command's JSON output. Some OpenClaw versions print "[tag] ..."
 * log lines before the document: parse from the first line that opens it.
 */
export function parseJson<T = Record<string, unknown>>(text: string | RunResult): T {
  const run = typeof text === "string" ? undefined : text;
  const stdout = run ? run.stdout : (text as string);
  const lines = stdout.split("\n");
  const first = lines.findIndex((l) => /^[{[]/.test(l));
  if (first < 0) {
    const detail = run
      ? `exit ${run.status}, stdout: ${run.stdout.slice(0, 1000)}\nstderr: ${run.stderr.slice(0, 2000)}`
      : stdout.slice(0, 1000);
    throw new Error(`no JSON in output: ${detail}`);
  }
  return JSON.parse(lines.slice(first).join("\n")) as T;
}

/** Runs `fn` over `items` with at most `limit` in flight (2 cores here). */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A loopback TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

// ---------------------------------------------------------------------------
// Gateway

export interface RunningGateway {
  readonly port: number;
  readonly pid: number;
  readonly readyMs: number;
  readonly outputPath: string;
  /** Stops it by PID; resolves with the shutdown wall time. */
  stop(): Promise<number>;
}

function tail(path: string, lines = 40): string {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-lines).join("\n") : "(no output)";
}

/** `openclaw gateway run --tailscale off` in the foreground of a child; waits for /readyz. */
export async function startGateway(iso: Isolation, port: number, timeoutMs = 120_000): Promise<RunningGateway> {
  const outputPath = join(iso.root, "gateway.out");
  const fd = openSync(outputPath, "a");
  const started = Date.now();
  const child = spawn("openclaw", ["gateway", "run", "--tailscale", "off"], {
    env: iso.env,
    cwd: iso.root,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error("could not start openclaw gateway run");
  const pid = child.pid;
  children.set(pid, child);
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exited (${code ?? signal})`));
  const stop = () => stopChild(child, 30_000);
  try {
    for (;;) {
      if (exited) throw new Error(`the gateway ${exited} before it was ready:\n${tail(outputPath)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`the gateway was not ready within ${timeoutMs} ms:\n${tail(outputPath)}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, pid, readyMs: Date.now() - started, outputPath, stop };
}

export function gatewayOutputTail(gw: RunningGateway, lines = 40): string {
  return tail(gw.outputPath, lines);
}

/** No network at all: a new namespace whose only link (lo) is down. */
export const OFFLINE = process.getuid?.() === 0 ? ["--net"] : ["--map-root-user", "--net"];

/**
 * Runs a shipped step (its command, environment and stdin) as a host runs it,
 * with `iso`'s state directory as the step's ~/.openclaw, in a network
 * namespace of its own with no link up.
 */
export async function runStepOffline(
  iso: Isolation,
  step: {
    readonly name: string;
    readonly command: string;
    readonly environment: Record<string, string>;
    readonly stdin?: string;
  },
  label: string,
  timeoutMs = 180_000,
): Promise<RunResult> {
  const home = join(iso.root, "step-home");
  mkdirSync(home, { recursive: true });
  if (!existsSync(join(home, ".openclaw"))) symlinkSync(iso.stateDir, join(home, ".openclaw"));
  const run = await runProcess("unshare", [...OFFLINE, "--", "bash", "-c", step.command], {
    env: { ...iso.env, ...step.environment, HOME: home },
    input: step.stdin ?? "",
    timeoutMs,
  });
  phase(`${step.name}: ${label}`, run.ms);
  return run;
}

/**
 * A test CA, and a certificate from it for `names` (subjectAltName entries,
 * e.g. `DNS:slack.com`, `IP:127.0.0.1`): what a stand-in for a chat service
 * serves, trusted by the gateway through NODE_EXTRA_CA_CERTS.
 */
export function testCertificates(dir: string, names: readonly string[]): { ca: string; cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  };
  const key = ["-newkey", "rsa:2048", "-nodes"];
  openssl("req", "-x509", ...key, "-days", "2", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-subj", "/CN=tier CA");
  openssl("req", ...key, "-keyout", f("key.pem"), "-out", f("leaf.csr"), "-subj", "/CN=stand-in");
  writeFileSync(
    f("leaf.ext"),
    `subjectAltName=${names.join(",")}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    ...["x509", "-req", "-in", f("leaf.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial"],
    ...["-out", f("cert.pem"), "-days", "2", "-extfile", f("leaf.ext")],
  );
  return { ca: f("ca.pem"), cert: f("cert.pem"), key: f("key.pem") };
}

export interface ChannelGatewayRun {
  readonly run: RunResult;
  /** `openclaw health --json`'s last answer, as channel-gateway.sh printed it. */
  readonly health: { channels?: Record<string, Record<string, unknown>> } | null;
  /** What the stand-in logged, one JSON object per line. */
  readonly events: Record<string, unknown>[];
  /** The gateway's own output. */
  readonly gatewayOut: string;
  /** Run, health and the gateway's output tail, for an assertion's message. */
  readonly why: string;
  /** The pinned plugin as `openclaw plugins list --json` shows it afterwards. */
  readonly plugin: { id: string; version: string; origin: string } | undefined;
  /** With `then`: the step's exit status and output, and the gateway's jobs right after it. */
  readonly then?: { readonly status: number; readonly out: string; readonly jobs: unknown };
}

/**
 * A real gateway with one of OpenClaw's channel plugins, as its install step
 * leaves it (the prepared state copied in: its files, install record and
 * config entry), `config` merged over it, started by channel-gateway.sh in a
 * loopback-only network namespace beside the channel's stand-in
 * (test/lib/<fake>, with `fakeArgs`). The gateway listens on `port`.
 */
export async function runChannelGateway(o: {
  readonly iso: Isolation;
  readonly channel: string;
  readonly pluginStateDir: string;
  readonly config: Record<string, unknown>;
  readonly port: number;
  /** The stand-in in test/lib, or `-` for none (a channel that dials nothing). */
  readonly fake: string;
  readonly fakeArgs: readonly string[];
  readonly env: Record<string, string>;
  /** A step to run as a host runs it once the channel is connected, the gateway still up. */
  readonly then?: RemoteStep;
}): Promise<ChannelGatewayRun> {
  const { iso, channel } = o;
  const thenEnv: Record<string, string> = {};
  if (o.then) {
    writeFileSync(join(iso.root, "then-step.sh"), o.then.command);
    writeFileSync(
      join(iso.root, "then.sh"),
      [
        "status=0",
        `bash ${JSON.stringify(join(iso.root, "then-step.sh"))} || status=$?`,
        `openclaw cron list --all --json --port ${o.port} >${JSON.stringify(join(iso.root, "cron.json"))}`,
        'exit "$status"',
        "",
      ].join("\n"),
    );
    Object.assign(thenEnv, o.then.environment, { CHANNEL_GATEWAY_THEN: join(iso.root, "then.sh") });
  }
  cpSync(o.pluginStateDir, iso.stateDir, { recursive: true });
  const installed = JSON.parse(readFileSync(join(o.pluginStateDir, "openclaw.json"), "utf8")) as Record<
    string,
    unknown
  >;
  iso.writeConfig(deepMerge(installed, o.config));
  const run = await runProcess(
    "unshare",
    [
      ...OFFLINE,
      "--",
      "bash",
      join(HERE, "channel-gateway.sh"),
      channel,
      String(o.port),
      iso.root,
      o.fake === "-" ? "-" : join(HERE, "..", "lib", o.fake),
      ...o.fakeArgs,
    ],
    { env: { ...iso.env, ...o.env, ...thenEnv }, timeoutMs: 300_000 },
  );
  const gatewayOut = readFileSync(join(iso.root, "gateway.out"), "utf8");
  const events = readFileSync(join(iso.root, `fake-${channel}.log`), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const [label, re] of [
    ["gateway ready", /^READY (\d+)$/m],
    ["channel connected", /^CONNECTED (\d+)$/m],
  ] as const)
    phase(`${channel}: ${label}`, Number(re.exec(run.stdout)?.[1] ?? NaN) * 1000);
  const health = JSON.parse(/^HEALTH (.*)$/m.exec(run.stdout)?.[1] ?? "null") as ChannelGatewayRun["health"];
  const list = await runProcess("unshare", [...OFFLINE, "--", "openclaw", "plugins", "list", "--json"], {
    env: iso.env,
    timeoutMs: 120_000,
  });
  const plugin = parseJson<{ plugins: Array<{ id: string; version: string; origin: string }> }>(list).plugins.find(
    (p) => p.id === channel,
  );
  const why = `exit ${run.status}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}\ngateway: ${gatewayOut.slice(-3000)}`;
  const thenStatus = /^THEN (\d+)$/m.exec(run.stdout)?.[1];
  const then =
    thenStatus === undefined
      ? undefined
      : {
          status: Number(thenStatus),
          out: readFileSync(join(iso.root, "then.out"), "utf8"),
          jobs: JSON.parse(
            readFileSync(join(iso.root, "cron.json"), "utf8").replace(/^[^{]*/, "") || "null",
          ) as unknown,
        };
  return { run, health, events, gatewayOut, why, plugin, ...(then ? { then } : {}) };
}

/** A run's exit and output heads, for an assertion's message. */
export function describeRun(r: RunResult): string {
  return `exit ${r.status}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
}

/** A step's verdict: the last line it printed (`changed` or `unchanged`). */
export function lastLine(r: RunResult): string | undefined {
  return r.stdout.trimEnd().split("\n").at(-1);
}

/** Expects the pinned OpenClaw's `config validate --json` to find the isolation's config valid, with no warning. */
export async function expectConfigValid(iso: Isolation): Promise<void> {
  const v = await runProcess("unshare", [...OFFLINE, "--", "openclaw", "config", "validate", "--json"], {
    env: iso.env,
    timeoutMs: 120_000,
  });
  expect(v.status, describeRun(v)).toBe(0);
  const json = parseJson<{ valid: boolean; warnings?: unknown[] }>(v);
  expect(json.valid).toBe(true);
  expect(json.warnings ?? []).toEqual([]);
}
