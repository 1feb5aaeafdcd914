/**
 * What WorkspaceSync puts on the host, rendered from typed settings. Pure.
 */
import gitignore from "./workspace.gitignore";
import neverCommit from "./never-commit.gitignore";
import serviceUnit from "./openclaw-workspace-sync.service";
import agentServiceTemplate from "./openclaw-agent-workspace-sync.service";
import timerTemplate from "./openclaw-workspace-sync.timer";

/** The SSH host alias the workspace remote uses, so only the deploy key is offered. */
export const SSH_ALIAS = "openclaw-workspace";
export const DEPLOY_KEY_PATH = "~/.ssh/openclaw_workspace_ed25519";

/** A `~/…` path (checked) as a path relative to the home directory, the form units (`%h/…`) and the steps use. */
export const underHome = (path: string): string => path.replace(/^~\//, "");
export const WORKSPACE_GITIGNORE: string = gitignore;
/** What the sync never commits: the workspace's `.git/info/exclude`, rewritten on every setup. */
export const WORKSPACE_EXCLUDE: string = neverCommit;

/** The parts of an SSH git URL. */
export interface GitSshUrl {
  readonly user: string;
  readonly host: string;
  readonly port?: number;
  /** Repository path as written after the host (`owner/repo.git` or `/srv/git/repo.git`). */
  readonly path: string;
  /** Whether the URL was `ssh://…` (absolute path) rather than scp-like `user@host:path`. */
  readonly sshScheme: boolean;
}

/** Parses `git@host:owner/repo.git` or `ssh://[user@]host[:port]/path`; undefined when neither. */
export function parseGitSshUrl(url: string): GitSshUrl | undefined {
  const scheme = /^ssh:\/\/(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?(\/\S+)$/.exec(url);
  if (scheme) {
    const port = scheme[3] ? Number(scheme[3]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) return undefined;
    return { user: scheme[1] ?? "git", host: scheme[2]!, ...(port ? { port } : {}), path: scheme[4]!, sshScheme: true };
  }
  const scp = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(\S+)$/.exec(url);
  if (scp) return { user: scp[1]!, host: scp[2]!, path: scp[3]!, sshScheme: false };
  return undefined;
}

/** Where the workspaces' repositories live, under the home directory. */
const GIT_DIRS = ".openclaw/.infra/git";
/**
 * The main workspace's repository, under the home directory: outside the
 * workspace, which the sandbox can write, since git runs the hooks and
 * settings it finds in its repository. Inside OpenClaw's state directory, so
 * OpenClaw's own backups carry the history to a replacement server.
 */
export const WORKSPACE_GIT_DIR = `${GIT_DIRS}/workspace.git`;
/** The main workspace's sync service: it names the repository for the sync program. */
export const SYNC_SERVICE_UNIT: string = serviceUnit.replace("@GIT_DIR@", `%h/${WORKSPACE_GIT_DIR}`);

/**
 * What one agent's workspace sync puts on the host, by agent id: its deploy
 * key, SSH alias and units. Distinct from the main workspace's names, so the
 * globs below never match those.
 */
export const agentSyncNames = (id: string) => ({
  alias: `openclaw-agent-workspace-${id}`,
  /** The workspace's repository, under the home directory (see {@link WORKSPACE_GIT_DIR}). */
  gitDir: `${GIT_DIRS}/agent-${id}.git`,
  /** Under the home directory. */
  keyFile: `.ssh/openclaw_agent_workspace_${id}_ed25519`,
  sshConfigFile: `.ssh/config.d/openclaw-agent-workspace-${id}.conf`,
  service: `openclaw-agent-workspace-sync-${id}.service`,
  timer: `openclaw-agent-workspace-sync-${id}.timer`,
});
/** Every agent's deploy key and SSH alias file, as globs under the home directory. */
export const AGENT_SYNC_FILE_GLOBS = [
  ".ssh/openclaw_agent_workspace_*_ed25519",
  ".ssh/config.d/openclaw-agent-workspace-*.conf",
] as const;
/** Every agent's sync units, as globs (timers first). */
export const AGENT_SYNC_UNIT_GLOBS = [
  "openclaw-agent-workspace-sync-*.timer",
  "openclaw-agent-workspace-sync-*.service",
] as const;

/** The remote URL as the host's git uses it: through the alias. */
export function aliasRemote(url: GitSshUrl, alias = SSH_ALIAS): string {
  return url.sshScheme ? `ssh://${alias}${url.path}` : `${alias}:${url.path}`;
}

export function renderSshAlias(url: GitSshUrl, alias = SSH_ALIAS, keyPath = DEPLOY_KEY_PATH): string {
  return [
    "# Managed by @openclaw/infra-components: the workspace remote, with the deploy key only.",
    `Host ${alias}`,
    `  HostName ${url.host.replace(/^\[|\]$/g, "")}`,
    `  User ${url.user}`,
    ...(url.port ? [`  Port ${url.port}`] : []),
    `  IdentityFile ${keyPath}`,
    "  IdentitiesOnly yes",
    // First contact records the server's key; a later change is refused.
    "  StrictHostKeyChecking accept-new",
  ].join("\n");
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
};

/** Seconds in a systemd time span such as `1h`, `30min`, `1h 30min`, `2d`; undefined when not one. */
export function timeSpanSeconds(span: string): number | undefined {
  const parts = span.trim().match(/\d+\s*[a-z]*/g);
  if (!parts || parts.join("").replace(/\s/g, "") !== span.replace(/\s/g, "")) return undefined;
  let total = 0;
  for (const p of parts) {
    const m = /^(\d+)\s*([a-z]*)$/.exec(p)!;
    const unit = m[2] === "" ? "s" : m[2]!;
    const factor = UNIT_SECONDS[unit];
    if (factor === undefined) return undefined;
    total += Number(m[1]) * factor;
  }
  return total > 0 ? total : undefined;
}

/**
 * The timer's `OnCalendar=` for an interval. Calendar timers are what make
 * `Persistent=true` work (a run missed while the host was off happens at
 * boot), so the interval must divide an hour or a day evenly; undefined otherwise.
 */
export function calendarFor(seconds: number): string | undefined {
  if (seconds % 60 !== 0) return undefined;
  const minutes = seconds / 60;
  if (minutes < 60) return 60 % minutes === 0 ? `*-*-* *:00/${minutes}:00` : undefined;
  if (minutes % 60 !== 0) return undefined;
  const hours = minutes / 60;
  if (hours === 1) return "hourly";
  if (hours < 24) return 24 % hours === 0 ? `*-*-* 00/${hours}:00:00` : undefined;
  if (hours === 24) return "daily";
  if (hours === 168) return "weekly";
  return undefined;
}

/** The timer unit for an interval (seconds), with a random delay of up to a sixth of it (at most 5 minutes). */
export function renderSyncTimer(seconds: number): string {
  const calendar = calendarFor(seconds);
  if (!calendar) throw new Error(`interval of ${seconds}s does not divide an hour or a day`);
  const delay = Math.min(300, Math.floor(seconds / 6));
  return timerTemplate.replace("@ON_CALENDAR@", calendar).replace("@RANDOMIZED_DELAY@", `${delay}s`);
}

/** An agent's sync service: the same program, on the agent's workspace (`~/…`, checked: no `%` or space). */
export function renderAgentSyncService(id: string, workspace: string): string {
  return agentServiceTemplate
    .replace("@AGENT@", id)
    .replace("@WORKSPACE@", `%h/${underHome(workspace)}`)
    .replace("@GIT_DIR@", `%h/${agentSyncNames(id).gitDir}`);
}
