/**
 * An agent's workspace synced to a repository of its own: the shipped
 * setup-workspace and install-sync-timer steps with an extra agent (REAL git
 * and the real sync program against a local bare repository; systemd is the
 * fake), then with the agent dropped, then with workspace sync switched off.
 * Each agent has its own deploy key, SSH alias and timer; the main
 * workspace's are left as they are, and a dropped agent's workspace stays.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { base, full, RENDER_SECRETS } from "../fixtures.js";
import type { RenderSecrets } from "../../src/render.js";
import { renderDeployment, type PlainDeploymentArgs } from "../../src/render.js";
import { argvOf, put, REAL_GIT, Sandbox, shellTierAvailable, stepNamed, unitEnvironment } from "./harness.js";
import { hostFor } from "./hosts.js";

const available = shellTierAvailable();
const RESEARCH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nRESEARCHKEYSENTINEL\n-----END OPENSSH PRIVATE KEY-----\n";
const NOTES_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nNOTESKEYSENTINEL\n-----END OPENSSH PRIVATE KEY-----\n";
const secrets: RenderSecrets = {
  ...RENDER_SECRETS,
  agentDeployPrivateKeys: { research: RESEARCH_KEY, notes: NOTES_KEY },
};
const render = (args: PlainDeploymentArgs) => renderDeployment(args, secrets);
const research = { id: "research", workspaceSync: { repoUrl: "git@github.com:someone/research-workspace.git" } };
const notes = {
  id: "notes",
  workspace: "~/agents/notes",
  workspaceSync: { repoUrl: "ssh://git@git.example.com:2222/srv/notes.git" },
};
const both = render({ ...full, agents: [research, notes] });
const researchOnly = render({ ...full, agents: [research, { id: "notes", workspace: "~/agents/notes" }] });
const off = render({ ...base, sandbox: { enabled: false }, backups: { enabled: false } });

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const git = (cwd: string, ...args: string[]) => {
  const res = spawnSync(REAL_GIT ?? "git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1" },
  });
  if (res.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${res.stderr}`);
  return res.stdout.trim();
};

describe.skipIf(!available)("shell tier: an agent's workspace synced to a repository of its own", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  /** Runs the named steps of a rendering in order; each must succeed. */
  function apply(r: typeof both, ...names: string[]): string[] {
    return names.map((name) => {
      const res = sb.run(stepNamed(r.steps, name), { name });
      expect(res.status, `${name}: ${res.stderr}`).toBe(0);
      return res.last;
    });
  }
  const home = (...p: string[]) => join(sb.home, ...p);
  /** A workspace's repository: outside the workspace, where the sandbox cannot write. */
  const repo = (id: string) => home(".openclaw", ".infra", "git", id === "main" ? "workspace.git" : `agent-${id}.git`);
  const repoGit = (id: string, ...args: string[]) => git(sb.home, "--git-dir", repo(id), ...args);

  it("setup-workspace: each agent gets its own key (0600, never in argv), alias and repository; a dropped agent's key and alias go, its workspace stays", () => {
    sb = hostFor(both, "setup-workspace");
    const step = stepNamed(both.steps, "setup-workspace");
    const first = sb.run(step, { name: step.name });
    expect(first.status, first.stderr).toBe(0);
    // The main workspace as before.
    expect(readFileSync(home(".ssh", "openclaw_workspace_ed25519"), "utf8")).toBe(RENDER_SECRETS.deployPrivateKey);
    expect(repoGit("main", "remote", "get-url", "origin")).toBe("openclaw-workspace:someone/openclaw-workspace.git");
    // Each agent: its own key, alias and remote through that alias.
    for (const [id, key, ws, remote, hostLine] of [
      [
        "research",
        RESEARCH_KEY,
        home(".openclaw", "workspace-research"),
        "openclaw-agent-workspace-research:someone/research-workspace.git",
        "  HostName github.com",
      ],
      [
        "notes",
        NOTES_KEY,
        home("agents", "notes"),
        "ssh://openclaw-agent-workspace-notes/srv/notes.git",
        "  Port 2222",
      ],
    ] as const) {
      const keyFile = home(".ssh", `openclaw_agent_workspace_${id}_ed25519`);
      expect(readFileSync(keyFile, "utf8")).toBe(key);
      expect(mode(keyFile)).toBe("600");
      const alias = readFileSync(home(".ssh", "config.d", `openclaw-agent-workspace-${id}.conf`), "utf8");
      expect(alias).toContain(`Host openclaw-agent-workspace-${id}\n`);
      expect(alias).toContain(`  IdentityFile ~/.ssh/openclaw_agent_workspace_${id}_ed25519\n`);
      expect(alias).toContain(`${hostLine}\n`);
      expect(repoGit(id, "remote", "get-url", "origin")).toBe(remote);
      expect(repoGit(id, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
      expect(repoGit(id, "config", "user.name")).toBe("OpenClaw Agent");
      expect(repoGit(id, "config", "core.worktree")).toBe(ws);
      expect(existsSync(join(ws, ".git"))).toBe(false);
      expect(readFileSync(join(repo(id), "info", "exclude"), "utf8")).toBe(
        `${step.environment.OPENCLAW_WORKSPACE_EXCLUDE}\n`,
      );
    }
    for (const sentinel of ["DEPLOYKEYSENTINEL", "RESEARCHKEYSENTINEL", "NOTESKEYSENTINEL"])
      expect(
        first.calls.some((c) => c.argv.some((a) => a.includes(sentinel))),
        sentinel,
      ).toBe(false);
    expect(sb.run(step, { name: step.name }).last).toBe("unchanged");

    // notes no longer synced: its key and alias go; its workspace and research's stay.
    put(home("agents", "notes", "ideas.md"), "the agent's\n");
    expect(apply(researchOnly, "setup-workspace")).toEqual(["changed"]);
    expect(existsSync(home(".ssh", "openclaw_agent_workspace_notes_ed25519"))).toBe(false);
    expect(existsSync(home(".ssh", "config.d", "openclaw-agent-workspace-notes.conf"))).toBe(false);
    expect(readFileSync(home("agents", "notes", "ideas.md"), "utf8")).toBe("the agent's\n");
    expect(readFileSync(home(".ssh", "openclaw_agent_workspace_research_ed25519"), "utf8")).toBe(RESEARCH_KEY);
    expect(readFileSync(home(".ssh", "openclaw_workspace_ed25519"), "utf8")).toBe(RENDER_SECRETS.deployPrivateKey);
    expect(apply(researchOnly, "setup-workspace")).toEqual(["unchanged"]);
  });

  it("setup-workspace: an agent's key missing from stdin fails the step before its files are written", () => {
    sb = hostFor(both, "setup-workspace");
    const step = stepNamed(both.steps, "setup-workspace");
    const stdin = JSON.parse(step.stdin!) as { main: string; agents: Record<string, string> };
    const res = sb.run({ ...step, stdin: JSON.stringify({ ...stdin, agents: { research: RESEARCH_KEY } }) });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('error: no deploy key on stdin for .agents["notes"]');
    expect(existsSync(home(".ssh", "config.d", "openclaw-agent-workspace-notes.conf"))).toBe(false);
  });

  it("install-sync-timer: a service and timer per agent, on its workspace; a dropped agent's timer stops and its units go", () => {
    sb = hostFor(both, "install-sync-timer");
    const step = stepNamed(both.steps, "install-sync-timer");
    const first = sb.run(step, { name: step.name });
    expect(first.status, first.stderr).toBe(0);
    const units = home(".config", "systemd", "user");
    expect(readFileSync(join(units, "openclaw-agent-workspace-sync-notes.service"), "utf8")).toContain(
      "\nEnvironment=OPENCLAW_WORKSPACE=%h/agents/notes\nEnvironment=OPENCLAW_WORKSPACE_GIT_DIR=%h/.openclaw/.infra/git/agent-notes.git\nExecStart=%h/.local/lib/openclaw-infra/workspace-sync.sh\n",
    );
    expect(readFileSync(join(units, "openclaw-agent-workspace-sync-research.timer"), "utf8")).toBe(
      readFileSync(join(units, "openclaw-workspace-sync.timer"), "utf8"),
    );
    expect(argvOf(first.calls, "systemctl", "--user", "enable")).toEqual([
      ["systemctl", "--user", "enable", "--now", "openclaw-workspace-sync.timer"],
      ["systemctl", "--user", "enable", "--now", "openclaw-agent-workspace-sync-research.timer"],
      ["systemctl", "--user", "enable", "--now", "openclaw-agent-workspace-sync-notes.timer"],
    ]);
    // No repositories on a fresh HOME: each first sync fails and the step says which key to add.
    expect(first.stdout).toContain(
      "the first sync did not push agent notes's workspace; add its deploy key (pulumi stack output agentWorkspaceDeployPublicKeys, key notes)",
    );
    const again = sb.run(step, { name: step.name });
    expect(again.last).toBe("unchanged");
    expect(argvOf(again.calls, "systemctl", "--user", "enable")).toEqual([]);

    const dropped = sb.run(stepNamed(researchOnly.steps, "install-sync-timer"), { name: step.name });
    expect(dropped.last).toBe("changed");
    expect(argvOf(dropped.calls, "systemctl", "--user", "disable")).toEqual([
      ["systemctl", "--user", "disable", "--now", "openclaw-agent-workspace-sync-notes.timer"],
      ["systemctl", "--user", "disable", "--now", "openclaw-agent-workspace-sync-notes.service"],
    ]);
    expect(
      readdirSync(units)
        .filter((f) => f.includes("agent-workspace"))
        .sort(),
    ).toEqual(["openclaw-agent-workspace-sync-research.service", "openclaw-agent-workspace-sync-research.timer"]);
    expect(sb.run(stepNamed(researchOnly.steps, "install-sync-timer"), { name: step.name }).last).toBe("unchanged");
  });

  it("the sync program, as an agent's service runs it, pushes that agent's workspace to its own repository only", () => {
    sb = hostFor(both, "setup-workspace");
    apply(both, "setup-workspace");
    const program = stepNamed(both.steps, "install-sync-timer").environment.OPENCLAW_SYNC_SCRIPT!;
    put(home(".local", "lib", "openclaw-infra", "workspace-sync.sh"), `${program}\n`, 0o755);
    const repos = { main: join(sb.root, "main.git"), notes: join(sb.root, "notes.git") };
    for (const repo of Object.values(repos)) {
      mkdirSync(repo);
      git(repo, "init", "--quiet", "--bare", "--initial-branch=main");
    }
    repoGit("main", "remote", "set-url", "origin", repos.main);
    repoGit("notes", "remote", "set-url", "origin", repos.notes);
    put(home("agents", "notes", "ideas.md"), "notes of the notes agent\n");
    put(home(".openclaw", "workspace", "MEMORY.md"), "the main agent's\n");
    // What the agent's unit sets (its OPENCLAW_WORKSPACE and OPENCLAW_WORKSPACE_GIT_DIR lines).
    const unit = JSON.parse(stepNamed(both.steps, "install-sync-timer").environment.OPENCLAW_SYNC_AGENTS!) as {
      id: string;
      serviceText: string;
    }[];
    const env = unitEnvironment(unit.find((u) => u.id === "notes")!.serviceText, sb.home);
    expect(Object.keys(env).sort()).toEqual(["OPENCLAW_WORKSPACE", "OPENCLAW_WORKSPACE_GIT_DIR"]);
    const res = sb.run(
      { command: 'exec "$HOME/.local/lib/openclaw-infra/workspace-sync.sh"' },
      { name: "workspace-sync", env },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(git(repos.notes, "show", "main:ideas.md")).toBe("notes of the notes agent");
    expect(git(repos.notes, "ls-tree", "-r", "--name-only", "main")).not.toContain("MEMORY.md");
    expect(
      spawnSync(REAL_GIT ?? "git", ["rev-parse", "--verify", "refs/heads/main"], { cwd: repos.main }).status,
    ).not.toBe(0);
  });

  it("verify checks each agent's timer, and names the one that is not active", () => {
    sb = hostFor(both, "verify");
    const verify = stepNamed(both.steps, "verify");
    const checkOf = (out: string) =>
      (
        JSON.parse(out.split("\n").find((l) => l.startsWith('{"host":'))!) as {
          checks: { name: string; ok: boolean; detail: string }[];
        }
      ).checks.find((c) => c.name === "agent sync timers");
    const healthy = sb.run(verify, { name: verify.name });
    expect(healthy.status, healthy.stdout).toBe(0);
    expect(checkOf(healthy.stdout)).toEqual({ name: "agent sync timers", ok: true, detail: "2 active" });
    sb.run({ command: "systemctl --user stop openclaw-agent-workspace-sync-notes.timer" });
    const broken = sb.run(verify, { name: verify.name });
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain("agent sync timers");
    expect(checkOf(broken.stdout)).toEqual({
      name: "agent sync timers",
      ok: false,
      detail: "1 active; inactive: openclaw-agent-workspace-sync-notes.timer",
    });
  });

  it("workspace sync switched off: the agents' timers, units, keys and aliases go too; their workspaces stay", () => {
    sb = hostFor(both, "setup-workspace");
    apply(both, "setup-workspace", "install-sync-timer");
    put(home("agents", "notes", "ideas.md"), "the agent's\n");
    const before = sb.calls().length;
    expect(apply(off, "remove-workspace-sync")).toEqual(["changed"]);
    const left = [
      ...readdirSync(home(".config", "systemd", "user")).filter((f) => f.includes("workspace")),
      ...readdirSync(home(".ssh")).filter((f) => f.includes("workspace")),
      ...readdirSync(home(".ssh", "config.d")),
    ];
    expect(left).toEqual([]);
    expect(readFileSync(home("agents", "notes", "ideas.md"), "utf8")).toBe("the agent's\n");
    expect(existsSync(join(repo("research"), "HEAD"))).toBe(true);
    const disabled = argvOf(sb.calls().slice(before), "systemctl", "--user", "disable").map((a) => a.at(-1));
    expect(disabled).toEqual(
      expect.arrayContaining([
        "openclaw-agent-workspace-sync-notes.timer",
        "openclaw-agent-workspace-sync-research.timer",
        "openclaw-agent-workspace-sync-notes.service",
      ]),
    );
    expect(apply(off, "remove-workspace-sync")).toEqual(["unchanged"]);
  });
});
