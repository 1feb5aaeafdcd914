/**
 * Docker tier: the package's sandbox images and metadata-block rule against a
 * real Docker engine (Debian's docker.io, an isolated dockerd of our own).
 *
 * What is real: the remote steps as `renderDeployment` renders them for
 * sandbox arguments (the shipped base and custom Dockerfiles, lib.sh plus
 * build-sandbox-image.sh with its inputs, block-metadata.sh as install-docker
 * installs it), run as a host runs them; Debian's mirror for apt inside the
 * builds and the npm registry for `npm install -g @anthropic-ai/claude-code`
 * (containers trust this machine's egress CA). Docker's default bridge: no
 * --network host was needed, containers resolve and reach both.
 * What stands in for the internet beyond those two:
 *  - Docker Hub's debian:bookworm-slim: a debootstrap'd bookworm minbase,
 *    imported under that tag (build-base-image.sh; rootfs cached in
 *    <repo>/.cache/docker/);
 *  - nodejs.org's Node archive, which a host unpacks under /opt/openclaw: the
 *    repo's own Node binary (npm package node-linux-<arch>) plus the npm
 *    release that Node bundles, from the npm registry (../lib/make-node-tree.sh).
 *
 * Needs root, dockerd (docker.io), debootstrap, iptables and unshare: missing
 * ones skip this tier locally and fail it under CI. No packet is ever sent to
 * 169.254.169.254: the block rule is checked with iptables-save only.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteStep } from "../../src/remote/step.js";
import { renderDeployment, type PlainDeploymentArgs } from "../../src/render.js";
import { BASE_IMAGE_TAG } from "../../src/sandbox/sandbox-config.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/args.js";
import { DEFAULT_CLAUDE_CODE_VERSION } from "../../src/versions.js";
import { base, RENDER_SECRETS } from "../fixtures.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../../../..");
const CACHE = join(REPO, ".cache", "docker");
/** The npm release Node 24.21.0 bundles (its changelog: 24.20.0 "upgrade npm to 11.19.0"). */
const NPM_BUNDLED_WITH_NODE = "11.19.0";
const NODE_PACKAGE = join(REPO, "node_modules", `node-linux-${process.arch}`);
/** The engine package's own CLI (a host has docker.io's); any other `docker` on PATH may differ in version. */
const DOCKER_CLI = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

const CUSTOM_IMAGE = SANDBOX_DEFAULTS.image;
const METADATA_RULE = "-A DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable";
const METADATA_RULE_SPEC = ["-d", "169.254.169.254/32", "-j", "REJECT", "--reject-with", "icmp-port-unreachable"];
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function prerequisites(): string[] {
  const reasons: string[] = [];
  if (process.platform !== "linux") return [`needs Linux (running on ${process.platform})`];
  if (process.getuid?.() !== 0) reasons.push("needs root (dockerd, debootstrap, iptables, mount namespaces)");
  const tools: Array<[string, string[], string]> = [
    ["dockerd", ["--version"], "docker.io"],
    [DOCKER_CLI, ["--version"], "docker.io"],
    ["debootstrap", ["--version"], "debootstrap"],
    ["iptables-save", ["--version"], "iptables"],
    ["unshare", ["--version"], "util-linux"],
    ["npm", ["--version"], "npm"],
  ];
  for (const [tool, args, pkg] of tools) {
    if (spawnSync(tool, args, { stdio: "ignore" }).status !== 0)
      reasons.push(`${tool} is not installed (Debian package ${pkg})`);
  }
  if (!existsSync(join(NODE_PACKAGE, "bin", "node"))) reasons.push(`${NODE_PACKAGE} is missing (npm ci installs it)`);
  return reasons;
}

const missing = prerequisites();
if (missing.length > 0) {
  if (process.env.CI) {
    describe("Docker tier prerequisites", () => {
      it("are installed (CI must install them, see .ci/run)", () => {
        throw new Error(`Docker tier cannot run: ${missing.join("; ")}`);
      });
    });
  } else {
    console.warn(`skipping the Docker tier: ${missing.join("; ")}`);
  }
}

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

/** Async so that minutes-long builds never block the vitest worker's event loop. */
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolvePromise({
        status: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

const tail = (text: string, lines = 40): string => text.trimEnd().split("\n").slice(-lines).join("\n");
const lastLine = (text: string): string => text.trimEnd().split("\n").pop() ?? "";
const describeResult = (what: string, r: Result): string =>
  `${what} exited ${r.status}\n--- stdout (tail) ---\n${tail(r.stdout)}\n--- stderr (tail) ---\n${tail(r.stderr)}`;

const timings: Array<[string, number]> = [];
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    timings.push([label, seconds]);
    console.log(`[docker tier] ${label}: ${seconds.toFixed(1)} s`);
  }
}

describe.skipIf(missing.length > 0)("Docker tier: sandbox images and metadata block on a real Docker engine", () => {
  let work = "";
  let state = "";
  let dockerHost = "";
  let nodeTree = "";
  let metadataRuleBefore = false;
  let networkBefore: string[] = [];
  let firstImageId = "";

  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DOCKER: DOCKER_CLI,
    DOCKER_HOST: dockerHost,
    TMPDIR: work,
    // The forwarding hold's owner: a hold outliving this process is dropped (test/lib/forwarding.sh).
    OPENCLAW_TEST_OWNER_PID: String(process.pid),
  });
  const script = (name: string, args: string[]): Promise<Result> => exec("bash", [join(HERE, name), ...args], env());
  async function mustScript(name: string, args: string[]): Promise<Result> {
    const r = await script(name, args);
    if (r.status !== 0) throw new Error(describeResult(name, r));
    return r;
  }
  const docker = (args: string[]): Result => {
    const r = spawnSync(DOCKER_CLI, args, { env: env(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
  const mustDocker = (args: string[]): string => {
    const r = docker(args);
    if (r.status !== 0) throw new Error(describeResult(`docker ${args.join(" ")}`, r));
    return r.stdout.trim();
  };
  /** `docker run --rm` as OpenClaw runs sessions: all capabilities dropped, no privilege gain. */
  const runInImage = (image: string, cmd: string, opts: string[] = []): Result =>
    docker([
      "run",
      "--rm",
      "--cap-drop",
      "ALL",
      "--security-opt",
      "no-new-privileges",
      "--network",
      "none",
      ...opts,
      image,
      "bash",
      "-c",
      cmd,
    ]);
  const imageId = (image: string): string => mustDocker(["image", "inspect", "--format", "{{.Id}}", image]);
  const filterRules = (): string[] => {
    const r = spawnSync("iptables-save", ["-t", "filter"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`iptables-save failed: ${r.stderr}`);
    return r.stdout.split("\n");
  };
  /**
   * What of this machine's network is dockerd's: its bridge, the chains and
   * rules that name it or its chains, and the FORWARD policy it sets. Only
   * these: a host tier running at the same time adds links and rules of its
   * own, which are not this tier's to judge.
   */
  const machineNetwork = (): string[] => {
    const links = spawnSync("ip", ["-o", "link", "show"], { encoding: "utf8" })
      .stdout.split("\n")
      .map((l) => `link ${l.split(":")[1]?.trim().split("@")[0] ?? ""}`);
    const rules = ["filter", "nat"].flatMap((t) =>
      spawnSync("iptables", ["-w", "-t", t, "-S"], { encoding: "utf8" })
        .stdout.split("\n")
        .map((r) => `${t} ${r}`),
    );
    return [...links, ...rules].filter((l) => /\bdocker0\b|DOCKER|^filter -P FORWARD /.test(l)).sort();
  };
  const metadataRulePresent = (): boolean =>
    spawnSync("iptables", ["-w", "-C", "DOCKER-USER", ...METADATA_RULE_SPEC], { stdio: "ignore" }).status === 0;

  type SandboxArgs = NonNullable<PlainDeploymentArgs["sandbox"]>;
  /** A remote step exactly as a deployment with these sandbox arguments renders it. */
  const renderedStep = (name: string, sandbox: SandboxArgs = {}): RemoteStep => {
    const step = renderDeployment({ ...base, sandbox }, RENDER_SECRETS).steps.find((s) => s.name === name);
    if (!step) throw new Error(`the deployment renders no ${name} step`);
    return step;
  };

  /** The shipped build script (lib.sh + build-sandbox-image.sh, with its inputs), run as a host runs it. */
  async function runBuildStep(sandbox: SandboxArgs = {}): Promise<Result & { last: string }> {
    const step = renderedStep("build-sandbox-image", sandbox);
    const commandFile = join(work, "step-command.sh");
    writeFileSync(commandFile, step.command);
    const home = join(work, "home");
    mkdirSync(home, { recursive: true });
    // A non-login SSH session's environment: the step's inputs, HOME, and the
    // test's dockerd. The step sets PATH itself.
    const r = await exec("bash", [join(HERE, "run-step.sh"), nodeTree, commandFile], {
      ...step.environment,
      HOME: home,
      PATH: SYSTEM_PATH,
      LANG: "C.UTF-8",
      TMPDIR: work,
      DOCKER_HOST: dockerHost,
    });
    return { ...r, last: lastLine(r.stdout) };
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "ocdt-")); // short: dockerd's sockets live under it
    state = join(work, "dockerd");
    dockerHost = `unix://${join(state, "docker.sock")}`;
    mkdirSync(CACHE, { recursive: true });
    // What a killed run left is not this machine's network as found.
    const stale = (await mustScript("clear-stale-network.sh", [])).stdout.trim();
    if (stale) console.log(`[docker tier] ${stale}`);
    metadataRuleBefore = metadataRulePresent();
    networkBefore = machineNetwork();

    const started = await timed("dockerd start", () => mustScript("start-dockerd.sh", [state]));
    console.log(`[docker tier] dockerd PID ${lastLine(started.stdout)}, ${dockerHost}`);

    const cached = existsSync(
      join(
        CACHE,
        `debian-bookworm-minbase-${spawnSync("dpkg", ["--print-architecture"], { encoding: "utf8" }).stdout.trim()}.tar`,
      ),
    );
    const base = await timed(
      cached ? "base image: import of the cached rootfs" : "base image: debootstrap + import",
      () => mustScript("build-base-image.sh", [CACHE, work, "debian:bookworm-slim"]),
    );
    console.log(base.stdout.trimEnd());

    const nodeVersion = (JSON.parse(readFileSync(join(NODE_PACKAGE, "package.json"), "utf8")) as { version: string })
      .version;
    nodeTree = join(CACHE, `node-v${nodeVersion}-linux-${process.arch}-npm-${NPM_BUNDLED_WITH_NODE}`);
    const tree = await timed("node tree", () =>
      mustScript("../lib/make-node-tree.sh", [NODE_PACKAGE, NPM_BUNDLED_WITH_NODE, nodeTree]),
    );
    console.log(tree.stdout.trimEnd());
  }, 20 * 60_000);

  afterAll(async () => {
    try {
      if (state) {
        const stopped = await script("stop-dockerd.sh", [state]);
        console.log(stopped.stdout.trimEnd());
        if (stopped.status !== 0) console.error(describeResult("stop-dockerd.sh", stopped));
      }
    } finally {
      // Leave iptables as found: the rule goes only if this run added it.
      if (!metadataRuleBefore) {
        for (let i = 0; i < 10 && metadataRulePresent(); i++) {
          spawnSync("iptables", ["-w", "-D", "DOCKER-USER", ...METADATA_RULE_SPEC], { stdio: "ignore" });
        }
      }
      if (work) rmSync(work, { recursive: true, force: true });
      console.log(`[docker tier] timings (s): ${timings.map(([l, s]) => `${l} ${s.toFixed(1)}`).join("; ")}`);
    }
  }, 5 * 60_000);

  it(
    "blocks the metadata service in DOCKER-USER, keeps the rule over a dockerd restart, and re-applies it idempotently",
    async () => {
      // The file install-docker.sh installs as /usr/local/lib/openclaw-infra/block-metadata.sh.
      const blockScript = join(work, "block-metadata.sh");
      const shipped = renderedStep("install-docker").environment.OPENCLAW_BLOCK_SCRIPT;
      expect(shipped).toMatch(/^#!\/usr\/bin\/env bash\n/);
      writeFileSync(blockScript, `${shipped}\n`);
      chmodSync(blockScript, 0o755);

      const first = await exec(blockScript, [], env());
      expect(first.status, describeResult("block-metadata.sh", first)).toBe(0);
      expect(first.stdout.trim()).toMatch(/^metadata block: rule (inserted|present)$/);

      const assertRule = (when: string) => {
        const lines = filterRules();
        expect(
          lines.filter((l) => l === METADATA_RULE),
          `${when}: exactly one metadata rule`,
        ).toHaveLength(1);
        // First in DOCKER-USER (ahead of Docker's RETURN), and FORWARD enters DOCKER-USER first.
        expect(
          lines.find((l) => l.startsWith("-A DOCKER-USER ")),
          when,
        ).toBe(METADATA_RULE);
        expect(
          lines.find((l) => l.startsWith("-A FORWARD ")),
          when,
        ).toBe("-A FORWARD -j DOCKER-USER");
      };
      assertRule("after block-metadata.sh");

      const oldPid = readFileSync(join(state, "dockerd.started.pid"), "utf8").trim();
      await timed("dockerd restart", async () => {
        await mustScript("stop-dockerd.sh", [state, "--restart"]);
        await mustScript("start-dockerd.sh", [state]);
      });
      const newPid = readFileSync(join(state, "dockerd.started.pid"), "utf8").trim();
      expect(newPid).not.toBe(oldPid);
      expect(mustDocker(["info", "--format", "{{.ServerVersion}}"])).not.toBe("");
      assertRule("after a dockerd restart");

      // What openclaw-metadata-block.service does after every Docker start.
      const again = await exec(blockScript, [], env());
      expect(again.status, describeResult("block-metadata.sh (again)", again)).toBe(0);
      expect(again.stdout.trim()).toBe("metadata block: rule present");
      assertRule("after re-running block-metadata.sh");
    },
    5 * 60_000,
  );

  it(
    "builds OpenClaw's base image and the custom image with the shipped on-host script",
    async () => {
      const r = await timed("build script, first run (base + custom build)", () => runBuildStep());
      expect(r.status, describeResult("build-sandbox-image", r)).toBe(0);
      expect(r.last).toBe("changed");
      expect(r.stdout).toContain(`==> building ${BASE_IMAGE_TAG}`);
      expect(mustDocker(["image", "inspect", "--format", "{{.Config.User}}", BASE_IMAGE_TAG])).toBe("sandbox");
      expect(
        mustDocker([
          "image",
          "inspect",
          "--format",
          '{{ index .Config.Labels "org.openclaw.infra.build-hash" }}',
          CUSTOM_IMAGE,
        ]),
      ).toMatch(/^[0-9a-f]{64}$/);
      firstImageId = imageId(CUSTOM_IMAGE);
    },
    40 * 60_000,
  );

  it("runs as UID 1000 with the host's Node and the pinned Claude Code", () => {
    expect(firstImageId, "the image was built").not.toBe("");
    expect(mustDocker(["image", "inspect", "--format", "{{.Config.User}}", CUSTOM_IMAGE])).toBe("1000:1000");
    const ids = runInImage(CUSTOM_IMAGE, "id -u; id -g");
    expect(ids.status, describeResult("id", ids)).toBe(0);
    expect(ids.stdout.trim().split("\n")).toEqual(["1000", "1000"]);

    const claude = runInImage(CUSTOM_IMAGE, 'printf "%s\\n" "$(id -u)"; claude --version');
    expect(claude.status, describeResult("claude --version", claude)).toBe(0);
    const [uid, version] = claude.stdout.trim().split("\n");
    expect(uid).toBe("1000");
    expect(version).toContain(DEFAULT_CLAUDE_CODE_VERSION);

    const node = runInImage(CUSTOM_IMAGE, "node --version");
    const hostNode = spawnSync(join(nodeTree, "bin", "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
    expect(node.stdout.trim()).toBe(hostNode);
  });

  it("has the system git identity and trusts /workspace", () => {
    const git = runInImage(
      CUSTOM_IMAGE,
      "git config --system user.name; git config --system user.email; git config --system init.defaultBranch; git config --system --get-all safe.directory",
    );
    expect(git.status, describeResult("git config", git)).toBe(0);
    expect(git.stdout.trim().split("\n")).toEqual(["OpenClaw Agent", "openclaw-agent@localhost", "main", "/workspace"]);
  });

  it("writes and commits to a bind-mounted workspace owned by UID 1000 (which root without capabilities cannot)", () => {
    const ws = join(work, "workspace");
    mkdirSync(ws, { mode: 0o700 });
    chownSync(ws, 1000, 1000);
    chmodSync(ws, 0o700);
    const mount = ["--volume", `${ws}:/workspace`];

    const r = runInImage(
      CUSTOM_IMAGE,
      "set -e; cd /workspace; printf 'hello from the sandbox\\n' >note.txt; git init -q; git add note.txt; " +
        "git commit -q -m 'sandbox commit'; git log -1 --format='%an <%ae>'; git symbolic-ref --short HEAD",
      mount,
    );
    expect(r.status, describeResult("workspace write", r)).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(["OpenClaw Agent <openclaw-agent@localhost>", "main"]);
    // Observed on the host side.
    const note = join(ws, "note.txt");
    expect(readFileSync(note, "utf8")).toBe("hello from the sandbox\n");
    expect(statSync(note).uid).toBe(1000);
    expect(statSync(join(ws, ".git")).uid).toBe(1000);

    // Control: the same mount refuses root once capabilities are dropped, so
    // the write above proves the UID, not a permissive directory.
    const asRoot = runInImage(CUSTOM_IMAGE, "touch /workspace/by-root", ["--user", "0:0", ...mount]);
    expect(asRoot.status).not.toBe(0);
    expect(asRoot.stderr).toMatch(/Permission denied/);
    expect(existsSync(join(ws, "by-root"))).toBe(false);
  });

  it(
    "does not rebuild when run again with the same inputs",
    async () => {
      expect(firstImageId, "the image was built").not.toBe("");
      // A stale session container: kept when nothing changed.
      mustDocker(["create", "--name", "openclaw-sbx-docker-tier", CUSTOM_IMAGE]);
      const r = await timed("build script, unchanged re-run", () => runBuildStep());
      expect(r.status, describeResult("build-sandbox-image (again)", r)).toBe(0);
      expect(r.last).toBe("unchanged");
      expect(r.stdout).not.toContain("==> building");
      expect(imageId(CUSTOM_IMAGE)).toBe(firstImageId);
      expect(mustDocker(["ps", "--all", "--quiet", "--filter", "name=openclaw-sbx-docker-tier"])).not.toBe("");
    },
    10 * 60_000,
  );

  it(
    "rebuilds when the extra lines change, and the extra lines take effect (as root, before USER 1000)",
    async () => {
      expect(firstImageId, "the image was built").not.toBe("");
      const dockerfileExtras = [
        "RUN printf '%s\\n' docker-tier-extra >/etc/openclaw-docker-tier",
        "ENV OPENCLAW_DOCKER_TIER=extra",
      ];
      const r = await timed("build script, rebuild after extra lines changed", () =>
        runBuildStep({ dockerfileExtras }),
      );
      expect(r.status, describeResult("build-sandbox-image (extra lines)", r)).toBe(0);
      expect(r.last).toBe("changed");
      expect(imageId(CUSTOM_IMAGE)).not.toBe(firstImageId);

      const seen = runInImage(
        CUSTOM_IMAGE,
        'cat /etc/openclaw-docker-tier; stat -c %u /etc/openclaw-docker-tier; printf "%s\\n" "$OPENCLAW_DOCKER_TIER"; id -u',
      );
      expect(seen.status, describeResult("extra lines", seen)).toBe(0);
      expect(seen.stdout.trim().split("\n")).toEqual(["docker-tier-extra", "0", "extra", "1000"]);
      // After a rebuild the script removes stale session containers.
      expect(mustDocker(["ps", "--all", "--quiet", "--filter", "name=openclaw-sbx-docker-tier"])).toBe("");
    },
    20 * 60_000,
  );

  it.each([
    ["USER root", `ARG BASE_IMAGE=${BASE_IMAGE_TAG}\nFROM \${BASE_IMAGE}\nUSER root\n`, "root"],
    ["USER 0:0", `ARG BASE_IMAGE=${BASE_IMAGE_TAG}\nFROM \${BASE_IMAGE}\nUSER 0:0\n`, "0:0"],
    ["no USER (Debian's default)", 'FROM debian:bookworm-slim\nCMD ["sleep", "infinity"]\n', "root"],
  ])(
    "refuses a Dockerfile whose final user is root: %s",
    async (name, text, shown) => {
      // A user's own Dockerfile (sandbox.dockerfile), built for the tag the
      // gateway uses: the refused image must not take that tag over.
      const dockerfile = join(work, "root-user.Dockerfile");
      writeFileSync(dockerfile, text);
      const before = imageId(CUSTOM_IMAGE);
      expect(before, "a good image carries the tag").not.toBe("");
      const r = await timed(`build script, refusal (${name})`, () => runBuildStep({ dockerfile }));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`error: the sandbox image runs as '${shown}'; sandboxes must not run as root`);
      expect(r.last).not.toMatch(/^(un)?changed$/);
      expect(imageId(CUSTOM_IMAGE), "the tag still names the good image").toBe(before);
    },
    10 * 60_000,
  );

  it(
    "stops, and leaves this machine's network as it found it: no bridge, chain, rule or FORWARD policy of dockerd's",
    async () => {
      await mustScript("stop-dockerd.sh", [state]);
      if (!metadataRuleBefore) expect(metadataRulePresent()).toBe(false);
      expect(machineNetwork()).toEqual(networkBefore);
    },
    5 * 60_000,
  );
});
