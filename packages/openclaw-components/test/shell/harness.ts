/**
 * The shell tier's sandbox: runs a rendered remote step (or any bash text) for
 * real on this machine, inside a private mount namespace without network
 * (`unshare --mount --net`), with the host commands it calls replaced by the
 * recording fake `fakes/record.sh` on PATH.
 *
 * Each sandbox has its own temp root holding a fresh HOME, the fakes' bin
 * directory, the call log and rules, and directories bound over the host paths
 * the steps write with sudo (/opt, /usr/local/bin, /usr/local/lib,
 * /etc/systemd/system), so nothing of this machine is read, written or
 * shadows a fake (e.g. a real /usr/local/bin/docker, which lib.sh puts first
 * on PATH).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RemoteStep } from "../../src/remote/step.js";

export const SHELL_DIR = dirname(fileURLToPath(import.meta.url));
export const FAKES = join(SHELL_DIR, "fakes");
export const RECORDER = join(FAKES, "record.sh");
export const WRAPPER = join(FAKES, "wrapper.sh");
export const PACKAGE_DIR = resolve(SHELL_DIR, "../..");
export const SRC_DIR = join(PACKAGE_DIR, "src");

/** Tools every sandbox fakes (git and ssh too: git passes through to the real one, recorded). */
export const DEFAULT_TOOLS = [
  "systemctl",
  "openclaw",
  "docker",
  "git",
  "tailscale",
  "loginctl",
  "sudo",
  "curl",
  "apt-get",
  "journalctl",
  "usermod",
  "iptables",
  "cloud-init",
  "ufw",
  "shred",
  "ssh",
  "getent",
  "sleep",
  "ss",
  "systemd-analyze",
  "restic",
] as const;

/** Host paths the sandbox binds a test directory over. */
const HOST_BINDS = {
  opt: "/opt",
  "usr-local-bin": "/usr/local/bin",
  "usr-local-lib": "/usr/local/lib",
  "etc-systemd-system": "/etc/systemd/system",
} as const;

/** The system directories on the sandbox's PATH after the fakes. */
const SYSTEM_PATH = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

function which(tool: string): string | undefined {
  const r = spawnSync("bash", ["-c", `PATH=/usr/bin:/bin:/usr/sbin:/sbin command -v ${tool}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
export const REAL_GIT = which("git");
export const REAL_ID = which("id") ?? "/usr/bin/id";
export const REAL_INSTALL = which("install") ?? "/usr/bin/install";
/** The real restic: the shell tier's off-server repository is a local one it really writes. */
export const REAL_RESTIC = which("restic");

let nsPrefix: string[] | null | undefined;
/** The `unshare` invocation that works here (plain as root, else in a user namespace), or null. */
export function namespacePrefix(): string[] | null {
  if (nsPrefix !== undefined) return nsPrefix;
  nsPrefix = null;
  for (const p of [
    ["unshare", "--mount", "--net", "--propagation", "private"],
    ["unshare", "--map-root-user", "--mount", "--net", "--propagation", "private"],
  ]) {
    const r = spawnSync(p[0]!, [...p.slice(1), "--", "bash", "-c", `mount --bind ${tmpdir()} /opt`], {
      stdio: "ignore",
    });
    if (r.status === 0) {
      nsPrefix = p;
      break;
    }
  }
  return nsPrefix;
}

/** Whether the shell tier can run; prints (locally) or throws (CI) why not. */
export function shellTierAvailable(): boolean {
  const missing: string[] = [];
  if (namespacePrefix() === null) missing.push("unshare --mount --net (root or unprivileged user namespaces)");
  for (const t of ["jq", "git", "tar", "sha256sum", "unshare", "restic"]) if (!which(t)) missing.push(t);
  // record.sh is run through links: it must stay executable (git keeps the bit).
  if (existsSync(RECORDER) && (statSync(RECORDER).mode & 0o111) === 0) chmodSync(RECORDER, 0o755);
  if (missing.length === 0) return true;
  const message = `shell tier needs ${missing.join(", ")}`;
  if (process.env.CI) throw new Error(`${message}: CI must provide it (see .ci/run)`);
  console.warn(`skipping: ${message}`);
  return false;
}

export interface Rule {
  /** Bash glob patterns for the tool name and its leading arguments (prefix match). */
  readonly argv: readonly string[];
  readonly exit?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** Bash run with "$@" = the arguments; its status is the fake's unless `exit` is set. */
  readonly run?: string;
  /** A behaviour script in fakes/ (e.g. "systemd.sh") sourced by the fake; its exit is the fake's. */
  readonly source?: string;
  readonly stdin?: "capture" | "ignore";
}

export interface Call {
  /** 1-based position in the call log. */
  readonly seq: number;
  readonly tool: string;
  /**
   * The path the fake was invoked as (a bin-dir link, or a wrapper copy such as
   * /opt/openclaw/openclaw-<v>/bin/openclaw).
   */
  readonly path: string;
  /** Tool name first, then the arguments, exactly as received. */
  readonly argv: string[];
  readonly cwd: string;
  /** Whether something non-empty was piped or redirected to this call. */
  readonly stdin: boolean;
  readonly stdinFile: string | null;
  /** The captured stdin text (empty when none). */
  readonly stdinText: string;
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Last non-empty stdout line: `changed`/`unchanged` for steps. */
  readonly last: string;
  /** The calls this run recorded. */
  readonly calls: Call[];
}

export interface Runnable {
  readonly command: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly stdin?: string;
}

/** Total runs and recorded calls of every sandbox in this process, for the summaries. */
export const stats = { runs: 0, calls: 0, steps: new Set<string>() };

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
export const shellQuote = q;

export class Sandbox {
  readonly root: string;
  readonly home: string;
  readonly bin: string;
  readonly state: string;
  readonly log: string;
  readonly rules: string;
  readonly tmp: string;
  /** Test directory standing in for each bound host path, by host path. */
  readonly host: Record<string, string> = {};
  private front = 500_000;
  private back = 500_000;
  private readonly extraBinds: [string, string][] = [];
  private readonly hidden = new Set<string>();
  readonly env: Record<string, string> = {};

  constructor(tools: readonly string[] = DEFAULT_TOOLS) {
    this.root = mkdtempSync(join(tmpdir(), "openclaw-shell-"));
    this.home = join(this.root, "home");
    this.bin = join(this.root, "bin");
    this.state = join(this.root, "state");
    this.rules = join(this.root, "rules");
    this.tmp = join(this.root, "tmp");
    this.log = join(this.root, "calls.jsonl");
    for (const d of [this.home, this.bin, this.state, this.rules, this.tmp]) mkdirSync(d, { recursive: true });
    for (const [dir, hostPath] of Object.entries(HOST_BINDS)) {
      this.host[hostPath] = join(this.root, dir);
      mkdirSync(this.host[hostPath]!, { recursive: true });
    }
    writeFileSync(this.log, "");
    for (const t of tools) this.addTool(t);
    // git passes through to the real one, with its stdin untouched.
    if (REAL_GIT) this.rule({ argv: ["git"], stdin: "ignore", run: `exec ${q(REAL_GIT)} "$@"` });
  }

  addTool(name: string): this {
    this.hidden.delete(name);
    const link = join(this.bin, name);
    if (!existsSync(link)) symlinkSync(RECORDER, link);
    return this;
  }

  /** Takes a tool away: its fake, and (inside the sandbox) any real copy on the system PATH. */
  removeTool(name: string): this {
    const link = join(this.bin, name);
    if (existsSync(link)) unlinkSync(link);
    this.hidden.add(name);
    return this;
  }

  /**
   * The system part of PATH: the real directories, or, once a tool was taken
   * away, one directory of links to everything in them but the removed tools
   * (bash's `command -v` finds even a non-executable file, so real copies
   * cannot simply be masked).
   */
  private systemPath(): string[] {
    if (this.hidden.size === 0) return SYSTEM_PATH;
    const farm = join(this.root, `system-bin-${[...this.hidden].sort().join("-")}`);
    if (!existsSync(farm)) {
      mkdirSync(farm);
      for (const dir of SYSTEM_PATH) {
        if (!existsSync(dir)) continue;
        for (const entry of readdirSync(dir)) {
          const link = join(farm, entry);
          if (!this.hidden.has(entry) && !existsSync(link)) symlinkSync(join(dir, entry), link);
        }
      }
    }
    return [farm];
  }

  /** Binds a test directory over a host path (which must exist) for every run. */
  bind(testDir: string, hostPath: string): this {
    this.extraBinds.push([testDir, hostPath]);
    return this;
  }

  /** Adds a rule after the existing ones (defaults). */
  rule(r: Rule): this {
    return this.writeRule(r, this.back++);
  }

  /** Adds a rule before every existing one (overrides). */
  override(r: Rule): this {
    return this.writeRule(r, --this.front);
  }

  private writeRule(r: Rule, order: number): this {
    const dir = join(this.rules, String(order).padStart(7, "0"));
    mkdirSync(dir);
    writeFileSync(join(dir, "argv"), r.argv.map((a) => `${a}\0`).join(""));
    if (r.exit !== undefined) writeFileSync(join(dir, "exit"), String(r.exit));
    if (r.stdout !== undefined) writeFileSync(join(dir, "stdout"), r.stdout);
    if (r.stderr !== undefined) writeFileSync(join(dir, "stderr"), r.stderr);
    if (r.run !== undefined) writeFileSync(join(dir, "run"), r.run);
    if (r.source !== undefined) writeFileSync(join(dir, "source"), r.source);
    if (r.stdin !== undefined) writeFileSync(join(dir, "stdin"), r.stdin);
    return this;
  }

  /** A path inside the sandbox's view of the host (`/opt/x` → its test directory). */
  hostPath(p: string): string {
    for (const [hostPath, dir] of Object.entries(this.host)) {
      if (p === hostPath || p.startsWith(`${hostPath}/`)) return dir + p.slice(hostPath.length);
    }
    return p;
  }

  calls(tool?: string): Call[] {
    const text = readFileSync(this.log, "utf8");
    const all = text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l, i) => {
        const c = JSON.parse(l) as Omit<Call, "stdinText" | "seq">;
        return {
          seq: i + 1,
          ...c,
          stdinText: c.stdinFile && existsSync(c.stdinFile) ? readFileSync(c.stdinFile, "utf8") : "",
        };
      });
    return tool ? all.filter((c) => c.tool === tool) : all;
  }

  /** Runs bash text (a rendered step, or any script text) the way sshd does: `bash -c`. */
  run(
    what: Runnable,
    opts: { env?: Record<string, string>; name?: string; timeoutMs?: number; args?: string[] } = {},
  ): RunResult {
    const prefix = namespacePrefix();
    if (!prefix) throw new Error("no mount/network namespace available");
    const before = this.calls().length;
    const binds = [
      ...Object.entries(this.host).map(([hostPath, dir]) => [dir, hostPath] as [string, string]),
      ...this.extraBinds,
    ];
    const env: Record<string, string> = {
      HOME: this.home,
      USER: userInfo().username,
      LOGNAME: userInfo().username,
      SHELL: "/bin/bash",
      PATH: [this.bin, ...this.systemPath()].join(":"),
      TMPDIR: this.tmp,
      FAKE_LOG: this.log,
      FAKE_RULES: this.rules,
      FAKE_STATE: this.state,
      FAKE_BIN: this.bin,
      FAKE_FAKES: FAKES,
      FAKE_RECORDER: RECORDER,
      FAKE_SUDO_ALLOW: [...binds.map(([, h]) => h), this.root, "/dev/stdin"].join(":"),
      ...this.env,
      ...(what.environment ?? {}),
      ...(opts.env ?? {}),
    };
    const r = spawnSync(
      prefix[0]!,
      [
        ...prefix.slice(1),
        "--",
        "bash",
        join(FAKES, "sandbox.sh"),
        ...binds.flatMap(([d, h]) => ["--bind", d, h]),
        "--",
        what.command,
        ...(opts.args ?? []),
      ],
      { env, cwd: this.home, input: what.stdin ?? "", encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 },
    );
    const calls = this.calls().slice(before);
    stats.runs++;
    stats.calls += calls.length;
    if (opts.name) stats.steps.add(opts.name);
    const stdout = r.stdout ?? "";
    const lines = stdout.split("\n").filter((l) => l.trim() !== "");
    return {
      status: r.status ?? -1,
      stdout,
      stderr: (r.stderr ?? "") + (r.error ? `\n${r.error.message}` : ""),
      last: lines[lines.length - 1] ?? "",
      calls,
    };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Writes a file under the sandbox root (creating directories); returns its path. */
/** The argv of every recorded call whose tool and leading arguments are `prefix`. */
export function argvOf(calls: Call[], ...prefix: string[]): string[][] {
  return calls.filter((c) => prefix.every((p, i) => c.argv[i] === p)).map((c) => c.argv);
}

/** A unit's `Environment=NAME=%h/…` lines, with `%h` as `home`: what systemd hands the unit's program. */
export function unitEnvironment(unitText: string, home: string): Record<string, string> {
  return Object.fromEntries(
    [...unitText.matchAll(/^Environment=(\w+)=%h\/(.+)$/gm)].map((m) => [m[1]!, join(home, m[2]!)]),
  );
}

/** Writes a file under the sandbox root (creating directories); returns its path. */
export function put(path: string, content: string, mode = 0o644): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

/** A copy of wrapper.sh at `path`: a regular-file stand-in for a tool, recorded under its basename. */
export function fakeExecutable(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(WRAPPER, path);
  chmodSync(path, 0o755);
}

export const NODE_ARCH = process.arch === "arm64" ? "arm64" : "x64";

/** A Node release archive as install-openclaw downloads it, with fake binaries; returns its path and SHA-256. */
export function fakeNodeTarball(sb: Sandbox, version: string): { path: string; sha256: string } {
  const name = `node-v${version}-linux-${NODE_ARCH}`;
  const stage = join(sb.root, "node-stage");
  for (const b of ["node", "npm", "npx"]) fakeExecutable(join(stage, name, "bin", b));
  for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) put(join(stage, name, f), `${f} of the fake Node\n`);
  put(join(stage, name, "lib", "node_modules", "npm", "package.json"), '{"name":"npm"}\n');
  const path = join(sb.root, `${name}.tar.gz`);
  const t = spawnSync("tar", ["-czf", path, "-C", stage, name]);
  if (t.status !== 0) throw new Error(`tar failed: ${t.stderr}`);
  return { path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

/** The host as install-openclaw leaves it: Node and openclaw under /opt/openclaw, linked into /usr/local/bin. */
export function seedInstalledOpenclaw(sb: Sandbox, openclawVersion: string, nodeVersion: string): void {
  const opt = sb.host["/opt"]!;
  const nodeDir = join(opt, "openclaw", `node-v${nodeVersion}`);
  for (const b of ["node", "npm", "npx"]) fakeExecutable(join(nodeDir, "bin", b));
  for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) put(join(nodeDir, f), `${f}\n`);
  put(join(nodeDir, "lib", "node_modules", "npm", "package.json"), '{"name":"npm"}\n');
  fakeExecutable(join(opt, "openclaw", `openclaw-${openclawVersion}`, "bin", "openclaw"));
  symlinkSync(`/opt/openclaw/openclaw-${openclawVersion}`, join(opt, "openclaw", "current"));
  const bin = sb.host["/usr/local/bin"]!;
  for (const b of ["node", "npm", "npx"]) symlinkSync(`/opt/openclaw/node-v${nodeVersion}/bin/${b}`, join(bin, b));
  symlinkSync("/opt/openclaw/current/bin/openclaw", join(bin, "openclaw"));
}

/** Marks units enabled/active in the fake systemd (scope "system" or "user"). */
export function seedUnit(sb: Sandbox, scope: "system" | "user", unit: string, what: ("enabled" | "active")[]): void {
  for (const w of what) put(join(sb.state, "systemd", scope, `${unit}.${w}`), "");
}

export function stepNamed(steps: readonly RemoteStep[], name: string): RemoteStep {
  const s = steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name} in ${steps.map((x) => x.name).join(", ")}`);
  return s;
}

let nsUid: number | undefined;
/** `id -u` inside the sandbox (0 when the namespace maps this user to root). */
export function sandboxUid(): number {
  if (nsUid === undefined) {
    const p = namespacePrefix();
    const r = p ? spawnSync(p[0]!, [...p.slice(1), "--", "id", "-u"], { encoding: "utf8" }) : undefined;
    nsUid = r && r.status === 0 ? Number(r.stdout.trim()) : (process.getuid?.() ?? 0);
  }
  return nsUid;
}
