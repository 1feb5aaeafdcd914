/**
 * Argument order and quoting: what the steps hand to the host's tools, read
 * from the recording fakes' argv (values with spaces, quotes, `$`, backticks
 * must arrive as exactly one, unexpanded argument).
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { full, MODEL_AUTH, RENDER_SECRETS, SENTINELS } from "../fixtures.js";
import { argvOf, put, Sandbox, sandboxUid, seedUnit, shellTierAvailable, stepNamed, type Call } from "./harness.js";
import { hostFor, render, withNodeArchive } from "./hosts.js";

const available = shellTierAvailable();

const TRICKY = `Say "hi" & it's $HOME, \`whoami\`, $(id -u), 'single' "double" \\ back; 100% *.md ~ !x`;

describe.skipIf(!available)("shell tier: argument order and quoting", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  it("sync-schedules: cron add gets each value as one unexpanded argument, paired with its flag; only stale owned jobs are removed", () => {
    const r = render({
      ...full,
      telegram: {
        botToken: SENTINELS.telegramBotToken,
        userId: "123456789",
        timezone: "Europe/Berlin",
        schedules: [
          { name: `Bob's "daily" review`, cron: "15 7 * * 1-5", message: TRICKY, timezone: "America/New_York" },
          { name: "Evening Review", cron: "30 19 * * *", message: "Evening review." },
          { name: "Night Shift", cron: "0 23 * * *", message: "New night text" },
        ],
      },
    });
    const [tricky, evening, night] = r.schedules;
    const job = (id: string, key: string | undefined, name: string, message: string, session = "isolated") => ({
      id,
      ...(key !== undefined ? { declarationKey: key } : {}),
      name,
      schedule: { kind: "cron", expr: "30 19 * * *", tz: "Europe/Berlin" },
      sessionTarget: session,
      payload: { kind: "agentTurn", message },
      delivery: { mode: "announce", channel: "telegram", to: "123456789" },
    });
    sb = hostFor(r, "sync-schedules");
    put(
      join(sb.state, "openclaw", "cron.json"),
      JSON.stringify({
        jobs: [
          job("kept-1", evening!.key, "Evening Review", "Evening review."),
          {
            ...job("upd-1", night!.key, "Night Shift", "Old night text", "main"),
            schedule: { kind: "cron", expr: "0 23 * * *", tz: "Europe/Berlin" },
          },
          job("stale-1", "openclaw-infra:old-job", "Old job", "bye"),
          job("mine-1", "my-own:thing", "Mine", "keep me"),
          job("manual-1", undefined, "Manual", "keep me too"),
          job("sneaky-1", "x-openclaw-infra:foo", "Sneaky", "prefix not at the start"),
        ],
        hasMore: false,
      }),
    );
    // A banner line before the JSON document, as some OpenClaw versions print.
    put(join(sb.state, "openclaw", "cron-list-preamble"), "Gateway: ws://127.0.0.1:18789 (local loopback)\n");
    const step = stepNamed(r.steps, "sync-schedules");
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);

    expect(argvOf(res.calls, "openclaw", "cron", "list")).toEqual([
      ["openclaw", "cron", "list", "--all", "--json", "--port", "18789"],
    ]);
    const adds = argvOf(res.calls, "openclaw", "cron", "add");
    expect(adds).toEqual([
      [
        "openclaw",
        "cron",
        "add",
        "--json",
        "--port",
        "18789",
        "--declaration-key",
        tricky!.key,
        `--name=Bob's "daily" review`,
        "--cron",
        "15 7 * * 1-5",
        "--tz",
        "America/New_York",
        "--session",
        "isolated",
        "--agent",
        "main",
        `--message=${TRICKY}`,
        "--announce",
        "--channel=telegram",
        "--to=123456789",
      ],
      [
        "openclaw",
        "cron",
        "add",
        "--json",
        "--port",
        "18789",
        "--declaration-key",
        night!.key,
        "--name=Night Shift",
        "--cron",
        "0 23 * * *",
        "--tz",
        "Europe/Berlin",
        "--session",
        "isolated",
        "--agent",
        "main",
        "--message=New night text",
        "--announce",
        "--channel=telegram",
        "--to=123456789",
      ],
    ]);
    expect(tricky!.key.startsWith("openclaw-infra:")).toBe(true);
    expect(argvOf(res.calls, "openclaw", "cron", "rm")).toEqual([
      ["openclaw", "cron", "rm", "--json", "--port", "18789", "stale-1"],
    ]);
    expect(res.stdout).toContain("schedules: 1 added, 1 updated, 1 removed, 1 unchanged");
    expect(res.last).toBe("changed");

    const store = JSON.parse(readFileSync(join(sb.state, "openclaw", "cron.json"), "utf8")) as {
      jobs: { id: string; payload: { message: string } }[];
    };
    expect(store.jobs.map((j) => j.id).sort()).toEqual(
      expect.arrayContaining(["kept-1", "upd-1", "mine-1", "manual-1", "sneaky-1"]),
    );
    expect(store.jobs.some((j) => j.id === "stale-1")).toBe(false);
    expect(store.jobs.find((j) => j.payload.message === TRICKY)).toBeDefined();

    const again = sb.run(step, { name: step.name });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("schedules: 0 added, 0 updated, 0 removed, 3 unchanged");
    expect(again.calls.filter((c) => c.argv[1] === "cron" && c.argv[2] !== "list")).toEqual([]);
    expect(again.last).toBe("unchanged");
  });

  it("install-openclaw: downloads the pinned Node for this CPU, then npm installs openclaw@<version> into a .partial prefix, in order", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "install-openclaw");
    sb = hostFor(r, step.name);
    const env = withNodeArchive(sb, step);
    const res = sb.run(step, { env, name: step.name });
    expect(res.status, res.stderr).toBe(0);
    const v = step.environment.OPENCLAW_VERSION!;
    const nv = step.environment.OPENCLAW_NODE_VERSION!;
    const arch = process.arch === "arm64" ? "arm64" : "x64";
    const root = "/opt/openclaw";
    const nodeDir = `${root}/node-v${nv}`;
    const npmInstall = [
      "npm",
      "install",
      "--global",
      "--prefix",
      `${root}/openclaw-${v}.partial`,
      "--no-fund",
      "--no-audit",
      "--no-update-notifier",
      "--loglevel=error",
      `openclaw@${v}`,
    ];
    const curl = argvOf(res.calls, "curl");
    expect(curl).toEqual([
      [
        "curl",
        "-fsSL",
        "--retry",
        "3",
        "-o",
        expect.stringMatching(/\/node\.tar\.gz$/),
        `https://nodejs.org/dist/v${nv}/node-v${nv}-linux-${arch}.tar.gz`,
      ],
    ]);
    const work = curl[0]![5]!.replace(/\/node\.tar\.gz$/, "");
    const sudo = argvOf(res.calls, "sudo").map((a) => a.slice(1));
    expect(sudo).toEqual([
      ["install", "-d", "-m", "0755", root],
      ["rm", "-rf", `${nodeDir}.partial`],
      ["install", "-d", "-m", "0755", `${nodeDir}.partial`],
      ["tar", "-xzf", `${work}/node.tar.gz`, "-C", `${nodeDir}.partial`, "--strip-components=1", "--no-same-owner"],
      ["mv", "-T", `${nodeDir}.partial`, nodeDir],
      ["ln", "-sfn", `${nodeDir}/bin/node`, "/usr/local/bin/node"],
      ["ln", "-sfn", `${nodeDir}/bin/npm`, "/usr/local/bin/npm"],
      ["ln", "-sfn", `${nodeDir}/bin/npx`, "/usr/local/bin/npx"],
      ["rm", "-rf", `${root}/openclaw-${v}.partial`],
      ["env", expect.stringMatching(new RegExp(`^PATH=${nodeDir}/bin:/usr/local/bin:`)), ...npmInstall],
      ["mv", "-T", `${root}/openclaw-${v}.partial`, `${root}/openclaw-${v}`],
      ["ln", "-sfn", `${root}/openclaw-${v}`, `${root}/current`],
      ["ln", "-sfn", `${root}/current/bin/openclaw`, "/usr/local/bin/openclaw"],
    ]);
    // The npm it ran is the one from the verified archive, not some other on PATH.
    expect(res.calls.find((c) => c.tool === "npm")!.argv).toEqual(npmInstall);
    // The new binary is asked for its version before the switch, the linked one after.
    expect(argvOf(res.calls, "openclaw")).toEqual([
      ["openclaw", "--version"],
      ["openclaw", "--version"],
    ]);
    expect(readlinkSync(sb.hostPath("/usr/local/bin/openclaw"))).toBe(`${root}/current/bin/openclaw`);
    expect(res.stdout).toContain(`openclaw ${v} on v${nv}`);
  });

  it("install-openclaw: upgrading a running gateway backs up, validates the live config with the new binary, switches, restarts, audits", () => {
    const r = render({ ...full, openclawVersion: "2026.10.1" });
    const step = stepNamed(r.steps, "install-openclaw");
    // A host with the previous release installed, the gateway running and state in ~/.openclaw.
    sb = hostFor(render(full), "configure-sandbox");
    put(join(sb.home, ".openclaw", "openclaw.json"), "{}\n", 0o600);
    sb.env.FAKE_OPENCLAW_VERSION = "2026.10.1";
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    expect(argvOf(res.calls, "curl", "-fsSL")).toEqual([]);
    expect(argvOf(res.calls, "npm").map((a) => a[a.length - 1])).toEqual(["openclaw@2026.10.1"]);
    const seqOf = (pred: (c: Call) => boolean) => res.calls.find(pred)?.seq ?? -1;
    const backup = seqOf((c) => c.argv.join(" ").startsWith("openclaw backup create --verify --output"));
    const validate = res.calls.find((c) => c.argv.join(" ") === "openclaw config validate --json");
    const switched = seqOf(
      (c) => c.argv.join(" ") === "sudo ln -sfn /opt/openclaw/openclaw-2026.10.1 /opt/openclaw/current",
    );
    const restart = seqOf((c) => c.argv.join(" ") === "systemctl --user restart openclaw-gateway.service");
    const audit = seqOf((c) => c.argv.join(" ") === "openclaw security audit --json");
    // The new version's own binary checks the config before anything switches.
    expect(validate?.path).toBe("/opt/openclaw/openclaw-2026.10.1/bin/openclaw");
    expect(
      [backup, validate!.seq, switched, restart, audit].every((s, i, a) => s > 0 && (i === 0 || s > a[i - 1]!)),
    ).toBe(true);
    const archives = readdirSync(join(sb.home, "backups")).filter((f) => f.endsWith("-openclaw-backup.tar.gz"));
    expect(archives).toHaveLength(1);
    // The archive holds every secret OpenClaw keeps: readable by its owner only, whatever the caller's umask.
    expect(statSync(join(sb.home, "backups", archives[0]!)).mode & 0o777).toBe(0o600);
    expect(readlinkSync(sb.hostPath("/opt/openclaw/current"))).toBe("/opt/openclaw/openclaw-2026.10.1");
    expect(existsSync(sb.hostPath("/opt/openclaw/openclaw-2026.9.6/bin/openclaw"))).toBe(true);
    expect(res.last).toBe("changed");
  });

  it("build-sandbox-image: builds both images, checks the new image's user before tagging it, removes stale sandboxes, restarts the gateway", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "build-sandbox-image");
    sb = hostFor(r, step.name);
    const image = step.environment.OPENCLAW_SANDBOX_IMAGE!;
    const imageDir = join(sb.state, "docker", "images", image.replace(/[/:]/g, "_"));
    seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
    put(join(sb.state, "docker", "containers"), "1f2e3d\n4c5b6a\n");
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    const e = step.environment;
    const docker = argvOf(res.calls, "docker");
    const builds = argvOf(res.calls, "docker", "build");
    expect(builds).toHaveLength(2);
    const work = builds[0]![builds[0]!.length - 1]!;
    expect(builds[0]).toEqual([
      "docker",
      "build",
      "--progress=plain",
      "--tag",
      e.OPENCLAW_SANDBOX_BASE_IMAGE,
      "--file",
      `${work}/base.Dockerfile`,
      work,
    ]);
    expect(builds[1]).toEqual([
      "docker",
      "build",
      "--progress=plain",
      "--build-arg",
      `BASE_IMAGE=${e.OPENCLAW_SANDBOX_BASE_IMAGE}`,
      "--build-arg",
      `CLAUDE_CODE_VERSION=${e.OPENCLAW_CLAUDE_CODE_VERSION}`,
      "--label",
      expect.stringMatching(/^org\.openclaw\.infra\.build-hash=[0-9a-f]{64}$/),
      "--iidfile",
      `${work}/image-id`,
      `${work}/context`,
    ]);
    // The new image's user is checked by id, and only then does it get the tag sessions use.
    const tag = docker.findIndex((a) => a[1] === "tag");
    const id = docker[tag]![2]!;
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(docker[tag]).toEqual(["docker", "tag", id, image]);
    expect(
      docker.slice(0, tag).some((a) => a.join(" ") === `docker image inspect --format {{ .Config.User }} ${id}`),
    ).toBe(true);
    expect(readFileSync(join(imageDir, "Dockerfile"), "utf8")).toBe(`${e.OPENCLAW_SANDBOX_DOCKERFILE}\n`);
    const context = readFileSync(join(imageDir, "context.txt"), "utf8").split("\n");
    expect(context).toEqual(
      expect.arrayContaining(["./Dockerfile", "./node/bin/node", "./node/bin/npm", "./node/lib/node_modules/npm"]),
    );
    expect(context.filter((f) => /README|CHANGELOG|LICENSE/.test(f))).toEqual([]);
    expect(argvOf(res.calls, "docker", "ps")).toEqual([
      ["docker", "ps", "--all", "--quiet", "--filter", "name=openclaw-sbx-"],
    ]);
    expect(argvOf(res.calls, "docker", "rm")).toEqual([["docker", "rm", "--force", "1f2e3d", "4c5b6a"]]);
    expect(argvOf(res.calls, "systemctl", "--user", "restart")).toEqual([
      ["systemctl", "--user", "restart", "openclaw-gateway.service"],
    ]);

    // Same inputs: nothing is built. Another Claude Code version: both images are rebuilt, with another hash.
    const same = sb.run(step, { name: step.name });
    expect(argvOf(same.calls, "docker", "build")).toEqual([]);
    const idOf = (ref: string) =>
      readFileSync(join(sb.state, "docker", "images", ref.replace(/[/:]/g, "_"), "id"), "utf8").trim();
    const replaced = [idOf(image), idOf(e.OPENCLAW_SANDBOX_BASE_IMAGE!)];
    const bumped = sb.run(step, { name: step.name, env: { OPENCLAW_CLAUDE_CODE_VERSION: "2.1.400" } });
    const rebuilt = argvOf(bumped.calls, "docker", "build");
    expect(rebuilt).toHaveLength(2);
    expect(rebuilt[1]).toContain("CLAUDE_CODE_VERSION=2.1.400");
    expect(rebuilt[1]!.find((a) => a.startsWith("org.openclaw"))).not.toBe(
      builds[1]!.find((a) => a.startsWith("org.openclaw")),
    );
    // The images the rebuild replaced go (custom first: the base is its parent); the new ones stay.
    expect(argvOf(bumped.calls, "docker", "image", "rm")).toEqual(replaced.map((id) => ["docker", "image", "rm", id]));
    expect(replaced).not.toContain(idOf(image));
    expect(bumped.stdout).toContain(`removed the replaced image ${replaced[0]!.slice(7, 19)}`);
    // A rebuild restarts the gateway even with no sandbox container left to remove.
    expect(argvOf(bumped.calls, "docker", "rm")).toEqual([]);
    expect(argvOf(bumped.calls, "systemctl", "--user", "restart")).toEqual([
      ["systemctl", "--user", "restart", "openclaw-gateway.service"],
    ]);
  });

  it("build-sandbox-image: a first build, with no image to replace and no sandbox container, leaves the running gateway alone", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "build-sandbox-image");
    sb = hostFor(r, step.name);
    seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    expect(argvOf(res.calls, "docker", "build")).toHaveLength(2);
    expect(argvOf(res.calls, "docker", "image", "rm")).toEqual([]);
    expect(argvOf(res.calls, "systemctl", "--user", "restart")).toEqual([]);
    expect(res.last).toBe("changed");
  });

  it("configure-gateway: a changed config on a running gateway is applied, then the gateway restarts and is waited for", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "configure-gateway");
    sb = hostFor(r, "configure-sandbox");
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    const order = res.calls
      .filter((c) => ["openclaw", "systemctl", "curl"].includes(c.tool))
      .map((c) => c.argv.slice(0, 4).join(" "));
    expect(order).toEqual([
      "openclaw config patch --stdin",
      "openclaw models auth paste-token",
      "systemctl --user is-active --quiet",
      "systemctl --user restart openclaw-gateway.service",
      "curl -fs -o /dev/null",
    ]);
    // A new setup token alone (same config) is stored again, and only it.
    const rotated = render({ ...full, claudeSetupToken: `sk-ant-oat01-ROTATED${"y".repeat(80)}` });
    const res2 = sb.run(stepNamed(rotated.steps, step.name), { name: step.name });
    expect(res2.status, res2.stderr).toBe(0);
    expect(argvOf(res2.calls, "openclaw").map((a) => a.slice(1, 4).join(" "))).toEqual(["models auth paste-token"]);
    expect(res2.calls.find((c) => c.argv[2] === "auth")!.stdinText).toBe(`sk-ant-oat01-ROTATED${"y".repeat(80)}\n`);
    expect(res2.last).toBe("changed");
  });

  it("configure-gateway: API keys go to paste-api-key on stdin, converge, and each dropped credential is logged out", () => {
    const anthropicKey = `sk-ant-api03-SHELLTIER${"a".repeat(80)}`;
    const keys = [SENTINELS.openaiApiKey, SENTINELS.openrouterApiKey, anthropicKey, SENTINELS.claudeSetupToken];
    const run = (args: typeof full) => {
      const step = stepNamed(render(args).steps, "configure-gateway");
      const res = sb.run(step, { name: step.name });
      expect(res.status, res.stderr).toBe(0);
      for (const c of res.calls) for (const k of keys) expect(c.argv.join(" ")).not.toContain(k);
      for (const k of keys) expect(res.stdout + res.stderr).not.toContain(k);
      return { res, auth: res.calls.filter((c) => c.argv[1] === "models").map((c) => c.argv.slice(1).join(" ")) };
    };
    sb = hostFor(render(full), "configure-sandbox");
    const profiles = () =>
      JSON.parse(readFileSync(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), "utf8")) as Record<
        string,
        { type: string; secret: string }
      >;

    // The setup token and two keys, each from stdin.
    const first = run({ ...full, modelAuth: MODEL_AUTH });
    expect(first.auth).toEqual([
      "models auth paste-token --provider anthropic",
      "models auth paste-api-key --provider openai",
      "models auth paste-api-key --provider openrouter",
    ]);
    const openai = first.res.calls.find((c) => c.argv.includes("openai"))!;
    expect(openai.stdinText).toBe(`${SENTINELS.openaiApiKey}\n`);
    expect(first.res.last).toBe("changed");
    // The same credentials again: nothing stored, nothing logged out.
    const again = run({ ...full, modelAuth: MODEL_AUTH });
    expect(again.auth).toEqual([]);
    expect(again.res.last).toBe("unchanged");
    // OpenRouter dropped: its profile is logged out, the others stay.
    const dropped = run({ ...full, modelAuth: { openai: MODEL_AUTH.openai } });
    expect(dropped.auth).toEqual([
      "models auth list --provider openrouter --json",
      "models auth logout openrouter:manual --yes",
    ]);
    expect(Object.keys(profiles()).sort()).toEqual(["anthropic:manual", "openai:manual"]);
    // The subscription swapped for an Anthropic API key: OpenClaw refuses a key over a
    // token profile, so the token is logged out first.
    const swapped = run({
      ...full,
      claudeSetupToken: undefined,
      modelAuth: { anthropic: { apiKey: anthropicKey }, openai: MODEL_AUTH.openai },
    });
    expect(swapped.auth).toEqual([
      "models auth list --provider anthropic --json",
      "models auth logout anthropic:manual --yes",
      "models auth paste-api-key --provider anthropic",
    ]);
    expect(profiles()["anthropic:manual"]).toEqual({ provider: "anthropic", type: "api_key", secret: anthropicKey });
    expect(
      run({
        ...full,
        claudeSetupToken: undefined,
        modelAuth: { anthropic: { apiKey: anthropicKey }, openai: MODEL_AUTH.openai },
      }).res.last,
    ).toBe("unchanged");
    expect(statSync(join(sb.home, ".openclaw", "state", "openclaw.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("configure-gateway: a credential is forgotten only once OpenClaw no longer holds it", () => {
    const run = (args: typeof full) => {
      const step = stepNamed(render(args).steps, "configure-gateway");
      return sb.run(step, { name: step.name });
    };
    sb = hostFor(render(full), "configure-sandbox");
    const marker = (p: string) => join(sb.home, ".openclaw", ".infra", `model-api-key-${p}.sha256`);
    const profiles = () =>
      Object.keys(JSON.parse(readFileSync(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), "utf8"))).sort();
    expect(run({ ...full, modelAuth: MODEL_AUTH }).status).toBe(0);
    // Log lines before the JSON (as OpenClaw prints for its plugins) do not hide the profile.
    put(join(sb.state, "openclaw", "auth-list-preamble"), "[plugins] loaded 3 plugins\n");
    const dropped = run({ ...full, modelAuth: { openai: MODEL_AUTH.openai } });
    expect(dropped.status, dropped.stderr).toBe(0);
    expect(argvOf(dropped.calls, "openclaw", "models", "auth", "logout")).toEqual([
      ["openclaw", "models", "auth", "logout", "openrouter:manual", "--yes"],
    ]);
    expect(profiles()).toEqual(["anthropic:manual", "openai:manual"]);
    // A list that fails: the step fails, and the key stays recorded so the next run logs it out.
    put(join(sb.state, "openclaw", "auth-list-fails"), "");
    const failed = run({ ...full });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("error: openclaw models auth list --provider openai failed");
    expect(existsSync(marker("openai"))).toBe(true);
    expect(profiles()).toEqual(["anthropic:manual", "openai:manual"]);
    rmSync(join(sb.state, "openclaw", "auth-list-fails"));
    const retried = run({ ...full });
    expect(retried.status, retried.stderr).toBe(0);
    expect(existsSync(marker("openai"))).toBe(false);
    expect(profiles()).toEqual(["anthropic:manual"]);
  });

  it("configure-telegram: the bot token reaches openclaw only inside the patch on stdin", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "configure-telegram");
    sb = hostFor(r, step.name);
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    const patch = res.calls.filter((c) => c.tool === "openclaw");
    expect(patch.map((c) => c.argv)).toEqual([["openclaw", "config", "patch", "--stdin"]]);
    expect(patch[0]!.stdinText).toBe(`${step.stdin!.replace(/\n+$/, "")}\n`);
    expect(JSON.parse(patch[0]!.stdinText).channels.telegram.botToken).toBe(SENTINELS.telegramBotToken);
  });

  it("start-gateway: enables linger with sudo for the login user when it is off", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "start-gateway");
    sb = hostFor(r, step.name);
    sb.override({ argv: ["loginctl", "show-user"], stdout: "no\n" });
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    const user = res.calls.find((c) => c.tool === "loginctl")!.argv[2]!;
    expect(argvOf(res.calls, "loginctl")).toEqual([
      ["loginctl", "show-user", user, "--property=Linger", "--value"],
      ["loginctl", "enable-linger", user],
    ]);
    expect(argvOf(res.calls, "sudo")).toEqual([["sudo", "loginctl", "enable-linger", user]]);
  });

  it("install-docker: a user manager that predates the docker group is restarted, and the gateway waited for", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "install-docker");
    sb = hostFor(r, "configure-sandbox");
    // PID 1's groups do not include the fake docker GID.
    put(join(sb.state, "systemd", "system", `user@${sandboxUid()}.service.mainpid`), "1\n");
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    expect(argvOf(res.calls, "sudo", "systemctl", "restart")).toEqual([
      ["sudo", "systemctl", "restart", `user@${sandboxUid()}.service`],
      ["sudo", "systemctl", "restart", "openclaw-metadata-block.service"],
    ]);
    expect(argvOf(res.calls, "curl", "-fs")).toHaveLength(1);
    // The root files go through `install` from stdin: the content is never an argument.
    const installs = res.calls.filter((c) => c.argv[0] === "sudo" && c.argv[1] === "install");
    expect(installs.map((c) => [c.argv.slice(1), c.stdinText])).toEqual([
      [
        ["install", "-m", "0755", "/dev/stdin", "/usr/local/lib/openclaw-infra/block-metadata.sh"],
        `${step.environment.OPENCLAW_BLOCK_SCRIPT}\n`,
      ],
      [
        ["install", "-m", "0644", "/dev/stdin", "/etc/systemd/system/openclaw-metadata-block.service"],
        `${step.environment.OPENCLAW_BLOCK_UNIT}\n`,
      ],
    ]);
  });

  it("block-metadata.sh: inserts the REJECT rule for the metadata address once, at the top of DOCKER-USER", () => {
    const r = render(full);
    const script = stepNamed(r.steps, "install-docker").environment.OPENCLAW_BLOCK_SCRIPT!;
    sb = new Sandbox();
    const rule = ["-d", "169.254.169.254/32", "-j", "REJECT", "--reject-with", "icmp-port-unreachable"];
    sb.rule({ argv: ["iptables", "-w", "-C"], run: '[ -e "$FAKE_STATE/rule" ]' });
    sb.rule({ argv: ["iptables", "-w", "-I"], run: 'touch "$FAKE_STATE/rule"' });
    sb.rule({ argv: ["iptables", "-w", "-N"], exit: 1, stderr: "iptables: Chain already exists.\n" });
    const first = sb.run({ command: script });
    expect(first.status, first.stderr).toBe(0);
    expect(first.calls.map((c) => c.argv)).toEqual([
      ["iptables", "-w", "-N", "DOCKER-USER"],
      ["iptables", "-w", "-C", "DOCKER-USER", ...rule],
      ["iptables", "-w", "-I", "DOCKER-USER", "1", ...rule],
    ]);
    expect(first.stdout).toBe("metadata block: rule inserted\n");
    const second = sb.run({ command: script });
    expect(second.calls.map((c) => c.argv[2])).toEqual(["-N", "-C"]);
    expect(second.stdout).toBe("metadata block: rule present\n");
  });

  it("setup-workspace: keeps an existing ~/.ssh/config below one Include line; the key never appears in argv", () => {
    const r = render(full);
    const step = stepNamed(r.steps, "setup-workspace");
    sb = hostFor(r, step.name);
    put(join(sb.home, ".ssh", "config"), "Host laptop\n  User me\n", 0o600);
    const res = sb.run(step, { name: step.name });
    expect(res.status, res.stderr).toBe(0);
    expect(readFileSync(join(sb.home, ".ssh", "config"), "utf8")).toBe(
      "Include config.d/*.conf\nHost laptop\n  User me\n",
    );
    expect(readFileSync(join(sb.home, ".ssh", "config.d", "openclaw-workspace.conf"), "utf8")).toBe(
      `${step.environment.OPENCLAW_WORKSPACE_SSH_CONFIG}\n`,
    );
    expect(res.calls.some((c) => c.argv.some((a) => a.includes("DEPLOYKEYSENTINEL")))).toBe(false);
    expect(readFileSync(join(sb.home, ".ssh", "openclaw_workspace_ed25519"), "utf8")).toBe(
      RENDER_SECRETS.deployPrivateKey,
    );
    const again = sb.run(step, { name: step.name });
    expect(again.last).toBe("unchanged");
    expect(readFileSync(join(sb.home, ".ssh", "config"), "utf8")).toBe(
      "Include config.d/*.conf\nHost laptop\n  User me\n",
    );
  });
});
