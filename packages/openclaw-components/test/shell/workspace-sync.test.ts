/**
 * workspace-sync.sh (the host program the sync timer runs) with REAL git
 * against local bare repositories: the workspace is made by the real
 * setup-workspace step, then pointed at a file-path remote. Every git call the
 * program makes is recorded (the fake passes through to the real git), so the
 * tests also see that nothing is ever force-pushed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { full } from "../fixtures.js";
import {
  put,
  REAL_GIT,
  Sandbox,
  shellTierAvailable,
  stats,
  stepNamed,
  unitEnvironment,
  type Call,
  type RunResult,
} from "./harness.js";
import { render } from "./hosts.js";

const available = shellTierAvailable();
const r = render(full);
const SETUP = stepNamed(r.steps, "setup-workspace");
const PROGRAM = stepNamed(r.steps, "install-sync-timer").environment.OPENCLAW_SYNC_SCRIPT!;
const SERVICE = stepNamed(r.steps, "install-sync-timer").environment.OPENCLAW_SYNC_SERVICE!;

/** git outside the sandbox, as another machine (a laptop, an old host) would run it. */
function git(cwd: string, ...args: string[]): string {
  const res = spawnSync(
    REAL_GIT ?? "git",
    ["-c", "user.name=Laptop", "-c", "user.email=laptop@example.com", "-c", "init.defaultBranch=main", ...args],
    {
      cwd,
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1" },
    },
  );
  if (res.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${res.stderr}`);
  return res.stdout.trim();
}

const FORCE = /^(-f|--force|--force-with-lease(=.*)?|--force-if-includes|--mirror|\+.*)$/;
function expectNoForcePush(calls: Call[]): void {
  const pushes = calls.filter((c) => c.tool === "git" && c.argv.includes("push"));
  for (const p of pushes)
    expect(
      p.argv.filter((a) => FORCE.test(a)),
      p.argv.join(" "),
    ).toEqual([]);
}
const gitSub = (calls: Call[]) => calls.filter((c) => c.tool === "git").map((c) => c.argv[1]);

describe.skipIf(!available)("shell tier: workspace-sync.sh with real git and local bare repositories", () => {
  let sb: Sandbox;
  /** The sandbox to clean up after the current test. */
  let active: Sandbox | undefined;
  let remote: string;
  let ws: string;
  /** The workspace's repository, outside it. */
  let repo: string;
  const allCalls: Call[] = [];
  afterEach(() => {
    if (active) {
      allCalls.push(...active.calls());
      active.cleanup();
      active = undefined;
    }
    expectNoForcePush(allCalls);
  });

  /** A host whose workspace was set up by the real step and points at a fresh bare repository. */
  function host(): void {
    sb = new Sandbox();
    active = sb;
    const setup = sb.run(SETUP, { name: SETUP.name });
    expect(setup.status, setup.stderr).toBe(0);
    remote = join(sb.root, "remote.git");
    mkdirSync(remote);
    git(remote, "init", "--quiet", "--bare", "--initial-branch=main");
    ws = join(sb.home, ".openclaw", "workspace");
    repo = join(sb.home, ".openclaw", ".infra", "git", "workspace.git");
    wsGit("remote", "set-url", "origin", remote);
    put(join(sb.home, ".local", "lib", "openclaw-infra", "workspace-sync.sh"), `${PROGRAM}\n`, 0o755);
  }
  // As its unit runs it: with the unit's environment (the repository's path).
  const sync = (): RunResult =>
    sb.run(
      { command: 'exec "$HOME/.local/lib/openclaw-infra/workspace-sync.sh"' },
      { name: "workspace-sync", env: unitEnvironment(SERVICE, sb.home) },
    );
  const remoteHead = () => git(remote, "rev-parse", "refs/heads/main");
  /** git on the host's workspace, as a person there runs it. */
  const wsGit = (...args: string[]) => git(ws, "--git-dir", repo, "--work-tree", ws, ...args);
  const remoteFile = (path: string) => git(remote, "show", `main:${path}`);
  /** A second clone of the remote (another machine). */
  function laptop(): string {
    const dir = join(sb.root, `laptop-${Math.random().toString(36).slice(2)}`);
    git(sb.root, "clone", "--quiet", remote, dir);
    return dir;
  }
  function commitOn(dir: string, files: Record<string, string>, message: string): string {
    for (const [f, text] of Object.entries(files)) put(join(dir, f), text);
    git(dir, "add", "--all");
    git(dir, "commit", "--quiet", "-m", message);
    return git(dir, "rev-parse", "HEAD");
  }

  it("commits and pushes only when something changed", () => {
    host();
    writeFileSync(join(ws, "notes.md"), "hello\n");
    const first = sync();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("workspace-sync: committed local changes");
    expect(first.stdout).toMatch(/workspace-sync: pushed [0-9a-f]{7,}/);
    expect(remoteHead()).toBe(wsGit("rev-parse", "HEAD"));
    expect(remoteFile("notes.md")).toBe("hello");
    expect(remoteFile(".gitignore")).toBe(SETUP.environment.OPENCLAW_WORKSPACE_GITIGNORE!.trim());
    const author = git(remote, "log", "-1", "--format=%an <%ae>");
    expect(author).toBe(`${SETUP.environment.OPENCLAW_GIT_USER_NAME} <${SETUP.environment.OPENCLAW_GIT_USER_EMAIL}>`);

    const clean = sync();
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toBe("workspace-sync: up to date\n");
    expect(gitSub(clean.calls)).not.toContain("commit");
    expect(gitSub(clean.calls)).not.toContain("push");
    // An ignored file is not a change either.
    writeFileSync(join(ws, "debug.log"), "noise\n");
    expect(sync().stdout).toBe("workspace-sync: up to date\n");
    expect(git(remote, "rev-list", "--count", "main")).toBe("1");

    writeFileSync(join(ws, "notes.md"), "hello again\n");
    const changed = sync();
    expect(changed.status, changed.stderr).toBe(0);
    expect(git(remote, "rev-list", "--count", "main")).toBe("2");
    expect(remoteFile("notes.md")).toBe("hello again");
    expect(changed.calls.filter((c) => c.argv[1] === "push").map((c) => c.argv)).toEqual([
      ["git", "push", "--quiet", "origin", "HEAD:refs/heads/main"],
    ]);
  });

  it("never commits OpenClaw's state or secret files, whatever .gitignore says; state committed earlier leaves the index", () => {
    host();
    const tracked = () => git(remote, "ls-tree", "-r", "--name-only", "main").split("\n").sort();
    // The user's .gitignore may be anything: the exclude is git's own file, which the step owns.
    writeFileSync(join(ws, ".gitignore"), "# mine\n");
    put(join(ws, "notes.md"), "hello\n");
    put(join(ws, ".openclaw", "trajectory-exports", "openclaw-trajectory-1.json"), '{"transcript":"raw"}\n');
    put(join(ws, "deploy.key"), "key\n");
    put(join(ws, "certs", "host.pem"), "pem\n");
    put(join(ws, "config", "secrets.yaml"), "token: x\n");
    put(join(ws, ".env.local"), "TOKEN=x\n");
    const first = sync();
    expect(first.status, first.stderr).toBe(0);
    expect(tracked()).toEqual([".gitignore", "notes.md"]);

    // A workspace from before the exclude: OpenClaw's state was committed and pushed.
    const exclude = SETUP.environment.OPENCLAW_WORKSPACE_EXCLUDE!;
    writeFileSync(join(repo, "info", "exclude"), exclude.replace("/.openclaw/\n", ""));
    put(join(ws, ".openclaw", "workspace-state.json"), "{}\n");
    expect(sync().status).toBe(0);
    expect(tracked()).toContain(".openclaw/workspace-state.json");
    // The step again, as a later `pulumi up` runs it (with the test's file remote, as the workspace has it).
    const setupAgain = () => sb.run(SETUP, { name: SETUP.name, env: { OPENCLAW_WORKSPACE_REMOTE: remote } });
    const again = setupAgain();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("untracking .openclaw/ in the workspace");
    expect(readFileSync(join(repo, "info", "exclude"), "utf8").trim()).toBe(exclude.trim());
    const after = sync();
    expect(after.status, after.stderr).toBe(0);
    expect(tracked()).toEqual([".gitignore", "notes.md"]);
    // The files stay on the host, and the step has nothing more to do.
    expect(existsSync(join(ws, ".openclaw", "workspace-state.json"))).toBe(true);
    expect(existsSync(join(ws, "deploy.key"))).toBe(true);
    const third = setupAgain();
    expect(third.stdout.trim().split("\n").pop()).toBe("unchanged");
  });

  /** A program that leaves a mark when it runs: what a planted hook or setting would run. */
  function plantedProgram(): { marker: string; path: string } {
    const marker = join(sb.root, "RAN-ON-THE-HOST");
    const path = join(ws, "tools", "run-me.sh");
    put(path, `#!/bin/sh\ntouch ${marker}\n`, 0o755);
    return { marker, path };
  }
  /** What a sandboxed agent can write into its workspace's .git: hooks, and settings that run programs. */
  function plantInWorkspaceGit(program: string): void {
    for (const hook of ["pre-commit", "post-commit", "pre-push", "post-merge"])
      put(join(ws, ".git", "hooks", hook), `#!/bin/sh\nexec ${program}\n`, 0o755);
    const config = join(ws, ".git", "config");
    const before = existsSync(config) ? readFileSync(config, "utf8") : "";
    put(config, `${before}[core]\n\tfsmonitor = ${program}\n[gpg]\n\tprogram = ${program}\n`);
  }

  it("a repository the sandbox makes at the workspace's root, with hooks and settings, is never used: its programs never run", () => {
    host();
    expect(existsSync(join(ws, ".git"))).toBe(false);
    const { marker, path } = plantedProgram();
    git(ws, "init", "--quiet");
    commitOn(ws, { "planted.md": "made in the sandbox\n" }, "the sandbox's own");
    plantInWorkspaceGit(path);
    writeFileSync(join(ws, "notes.md"), "hello\n");
    for (const run of [sync(), sync()]) expect(run.status, run.stderr).toBe(0);
    expect(existsSync(marker), "a planted program ran").toBe(false);
    expect(remoteFile("notes.md")).toBe("hello");
    // Its files are workspace files like any other; git never takes a .git path into a commit.
    expect(remoteFile("planted.md")).toBe("made in the sandbox");
    expect(git(remote, "ls-tree", "-r", "--name-only", "main")).not.toMatch(/(^|\/)\.git\//m);
  });

  it("a repository inside the workspace (a clone, or one written from the sandbox) stays out of the sync, and git never looks into it", () => {
    host();
    const { marker, path } = plantedProgram();
    const tool = join(ws, "projects", "tool");
    mkdirSync(tool, { recursive: true });
    git(tool, "init", "--quiet");
    commitOn(tool, { "README.md": "tool\n" }, "the tool's history");
    // Committed by an earlier sync as a gitlink.
    wsGit("add", "projects/tool");
    wsGit("commit", "--quiet", "-m", "a sync before this one");
    // Then settings that would run a program when git looks into it.
    const config = join(tool, ".git", "config");
    writeFileSync(config, `${readFileSync(config, "utf8")}[core]\n\tfsmonitor = ${path}\n`);
    writeFileSync(join(ws, "notes.md"), "hello\n");

    const first = sync();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("workspace-sync: leaving projects/tool out: it is a repository of its own");
    expect(existsSync(marker), "a planted program ran").toBe(false);
    const tree = git(remote, "ls-tree", "-r", "--name-only", "main").split("\n");
    expect(tree).toContain("notes.md");
    expect(tree.filter((f) => f.startsWith("projects/tool"))).toEqual([]);
    writeFileSync(join(tool, "README.md"), "changed in the clone\n");
    const second = sync();
    expect(second.stdout).toBe("workspace-sync: up to date\n");
    expect(existsSync(marker), "a planted program ran").toBe(false);
    expect(readFileSync(join(tool, "README.md"), "utf8")).toBe("changed in the clone\n");
  });

  it("a workspace set up before, with its .git inside: the history moves out once, the planted hooks and settings stay behind", () => {
    sb = new Sandbox();
    active = sb;
    remote = join(sb.root, "remote.git");
    mkdirSync(remote);
    git(remote, "init", "--quiet", "--bare", "--initial-branch=main");
    ws = join(sb.home, ".openclaw", "workspace");
    repo = join(sb.home, ".openclaw", ".infra", "git", "workspace.git");
    // The earlier step made the workspace its own repository, and pushed from it.
    mkdirSync(ws, { recursive: true });
    git(ws, "init", "--quiet", "--initial-branch=main");
    git(ws, "remote", "add", "origin", remote);
    const old = commitOn(ws, { "notes.md": "before\n" }, "synced before the move");
    git(ws, "push", "--quiet", "origin", "main");
    const { marker, path } = plantedProgram();
    plantInWorkspaceGit(path);
    // Links planted inside the history's own directories: the host's git must not follow them.
    const victim = join(sb.root, "victim");
    writeFileSync(victim, "not git's\n");
    symlinkSync(victim, join(ws, ".git", "refs", "tags", "planted"));
    symlinkSync(victim, join(ws, ".git", "logs", "HEAD.planted"));
    put(join(sb.home, ".local", "lib", "openclaw-infra", "workspace-sync.sh"), `${PROGRAM}\n`, 0o755);
    const setupHere = () => sb.run(SETUP, { name: SETUP.name, env: { OPENCLAW_WORKSPACE_REMOTE: remote } });

    const moved = setupHere();
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toContain(`moving the repository ${ws}/.git to ${repo}, out of the sandbox's reach`);
    expect(existsSync(join(ws, ".git"))).toBe(false);
    expect(wsGit("rev-parse", "HEAD")).toBe(old);
    expect(wsGit("status", "--porcelain")).toBe("?? .gitignore\n?? tools/");
    expect(readFileSync(join(repo, "config"), "utf8")).not.toMatch(/fsmonitor|gpg/);
    expect(readdirSync(join(repo, "hooks")).filter((f) => !f.endsWith(".sample"))).toEqual([]);
    expect(existsSync(marker), "a planted program ran").toBe(false);
    expect(readdirSync(join(repo, "refs", "tags"))).toEqual([]);
    expect(existsSync(join(repo, "logs", "HEAD.planted"))).toBe(false);
    expect(existsSync(`${repo}.partial`)).toBe(false);

    writeFileSync(join(ws, "notes.md"), "after\n");
    const res = sync();
    expect(res.status, res.stderr).toBe(0);
    expect(existsSync(marker), "a planted program ran").toBe(false);
    expect(remoteFile("notes.md")).toBe("after");
    expect(git(remote, "rev-parse", "main^")).toBe(old);
    expect(readFileSync(victim, "utf8")).toBe("not git's\n");
    expect(setupHere().stdout.trim().split("\n").pop()).toBe("unchanged");
  });

  it("OpenClaw's own .git of a brand-new workspace (git's default branch, no commit) moves out and starts on main", () => {
    sb = new Sandbox();
    active = sb;
    ws = join(sb.home, ".openclaw", "workspace");
    repo = join(sb.home, ".openclaw", ".infra", "git", "workspace.git");
    mkdirSync(ws, { recursive: true });
    spawnSync(REAL_GIT ?? "git", ["-c", "init.defaultBranch=master", "init", "--quiet"], { cwd: ws });
    writeFileSync(join(ws, "AGENTS.md"), "# agents\n");
    const res = sb.run(SETUP, { name: SETUP.name });
    expect(res.status, res.stderr).toBe(0);
    expect(existsSync(join(ws, ".git"))).toBe(false);
    expect(wsGit("symbolic-ref", "HEAD")).toBe("refs/heads/main");
    expect(wsGit("status", "--porcelain")).toBe("?? .gitignore\n?? AGENTS.md");
  });

  it("diverged from another machine: fetches, rebases the local commit on top, pushes without force", () => {
    host();
    writeFileSync(join(ws, "notes.md"), "one\ntwo\n");
    expect(sync().status).toBe(0);
    const other = laptop();
    const theirs = commitOn(other, { "laptop.md": "from the laptop\n" }, "laptop edit");
    git(other, "push", "--quiet", "origin", "main");
    writeFileSync(join(ws, "notes.md"), "one\ntwo\nthree\n");

    const res = sync();
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain("workspace-sync: integrated remote changes");
    const subs = gitSub(res.calls);
    expect(subs.indexOf("fetch")).toBeLessThan(subs.indexOf("rebase"));
    expect(subs.indexOf("rebase")).toBeLessThan(subs.indexOf("push"));
    const head = remoteHead();
    expect(git(remote, "rev-parse", `${head}^`)).toBe(theirs);
    expect(git(remote, "rev-list", "--merges", "--count", "main")).toBe("0");
    expect(remoteFile("laptop.md")).toBe("from the laptop");
    expect(remoteFile("notes.md")).toBe("one\ntwo\nthree");
    expect(readFileSync(join(ws, "laptop.md"), "utf8")).toBe("from the laptop\n");
  });

  it("conflicting edits: stops with a message, pushes nothing, leaves no rebase or merge in progress", () => {
    host();
    writeFileSync(join(ws, "notes.md"), "line\n");
    expect(sync().status).toBe(0);
    const other = laptop();
    const theirs = commitOn(other, { "notes.md": "laptop line\n" }, "laptop edit");
    git(other, "push", "--quiet", "origin", "main");
    writeFileSync(join(ws, "notes.md"), "host line\n");

    const res = sync();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      `workspace-sync: error: local and remote changes conflict; resolve by hand: git --git-dir=${repo} --work-tree=${ws} status`,
    );
    expect(gitSub(res.calls)).not.toContain("push");
    expect(remoteHead()).toBe(theirs);
    for (const p of ["rebase-merge", "rebase-apply", "MERGE_HEAD"]) expect(existsSync(join(repo, p)), p).toBe(false);
    expect(wsGit("status", "--porcelain")).toBe("");
    expect(readFileSync(join(ws, "notes.md"), "utf8")).toBe("host line\n");
  });

  it("a never-committed workspace and a non-empty remote: adopts the remote, then adds local files on top", () => {
    host();
    // The remote already has history (pushed from a laptop, without the library's .gitignore).
    const seed = join(sb.root, "seed");
    mkdirSync(seed);
    git(seed, "init", "--quiet");
    const old = commitOn(seed, { "notes.md": "remote notes\n", "memory/day1.md": "remembered\n" }, "history");
    git(seed, "push", "--quiet", remote, "main");
    writeFileSync(join(ws, "new.md"), "written on the new host\n");

    const res = sync();
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain("workspace-sync: adopting origin/main into a workspace that has never been committed");
    const head = remoteHead();
    expect(git(remote, "rev-parse", `${head}^`)).toBe(old);
    expect(remoteFile("notes.md")).toBe("remote notes");
    expect(remoteFile("memory/day1.md")).toBe("remembered");
    expect(remoteFile("new.md")).toBe("written on the new host");
    expect(readFileSync(join(ws, "notes.md"), "utf8")).toBe("remote notes\n");
  });

  it("adopting: an untracked local file that differs from the remote's stops the sync; neither side is overwritten", () => {
    host();
    const seed = join(sb.root, "seed");
    mkdirSync(seed);
    git(seed, "init", "--quiet");
    const old = commitOn(seed, { "notes.md": "remote notes\n" }, "history");
    git(seed, "push", "--quiet", remote, "main");
    writeFileSync(join(ws, "notes.md"), "local notes\n");

    const res = sync();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      "workspace-sync: error: local files clash with origin/main; move them aside and run again",
    );
    expect(remoteHead()).toBe(old);
    expect(readFileSync(join(ws, "notes.md"), "utf8")).toBe("local notes\n");
    expect(gitSub(res.calls)).not.toContain("push");
  });

  it("adopting: a replacement host's .gitignore (identical to the one the old host pushed) is not a clash", () => {
    host();
    // The old host, set up and synced by the library, pushed its .gitignore with the notes.
    const seed = join(sb.root, "seed");
    mkdirSync(seed);
    git(seed, "init", "--quiet");
    commitOn(
      seed,
      { ".gitignore": `${SETUP.environment.OPENCLAW_WORKSPACE_GITIGNORE}\n`, "notes.md": "remote notes\n" },
      "old host",
    );
    git(seed, "push", "--quiet", remote, "main");
    // The new host's setup-workspace wrote the very same .gitignore.
    expect(readFileSync(join(ws, ".gitignore"), "utf8")).toBe(`${SETUP.environment.OPENCLAW_WORKSPACE_GITIGNORE}\n`);

    const res = sync();
    // Today: exit 1, "local files clash with origin/main" on every timer run.
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
  });

  it("unrelated histories: refuses with exit 1 and a message, pushes nothing", () => {
    host();
    writeFileSync(join(ws, "notes.md"), "host history\n");
    wsGit("add", "--all");
    wsGit("commit", "--quiet", "-m", "host's own root commit");
    const seed = join(sb.root, "seed");
    mkdirSync(seed);
    git(seed, "init", "--quiet");
    const theirs = commitOn(seed, { "other.md": "another history\n" }, "unrelated root");
    git(seed, "push", "--quiet", remote, "main");

    const res = sync();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("workspace-sync: error: local and remote histories are unrelated; refusing to push");
    expect(gitSub(res.calls)).not.toContain("push");
    expect(gitSub(res.calls)).not.toContain("rebase");
    expect(remoteHead()).toBe(theirs);
  });

  it("an unreachable remote: exits 1 pointing at the deploy key, commits nothing", () => {
    host();
    wsGit("remote", "set-url", "origin", join(sb.root, "missing.git"));
    writeFileSync(join(ws, "notes.md"), "x\n");
    const res = sync();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      "workspace-sync: error: cannot fetch from origin: is the deploy key added to the repository with write access?",
    );
    expect(gitSub(res.calls)).toEqual(["fetch"]);
  });

  it("never force-pushed in any of the above", () => {
    // Checked after every test (afterEach); this one makes the count visible.
    expect(allCalls.filter((c) => c.tool === "git" && c.argv[1] === "push").length).toBeGreaterThan(0);
    console.log(
      `shell tier (workspace-sync): ${stats.runs} runs, ${allCalls.filter((c) => c.tool === "git").length} git calls recorded, none forced`,
    );
  });
});
