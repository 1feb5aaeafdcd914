/**
 * What WorkspaceSync puts on the host, rendered from typed settings. Pure.
 */
import gitignore from "./workspace.gitignore";
import neverCommit from "./never-commit.gitignore";
import serviceUnit from "./openclaw-workspace-sync.service";
import timerTemplate from "./openclaw-workspace-sync.timer";

/** The SSH host alias the workspace remote uses, so only the deploy key is offered. */
export const SSH_ALIAS = "openclaw-workspace";
export const DEPLOY_KEY_PATH = "~/.ssh/openclaw_workspace_ed25519";
export const WORKSPACE_GITIGNORE: string = gitignore;
/** What the sync never commits: the workspace's `.git/info/exclude`, rewritten on every setup. */
export const WORKSPACE_EXCLUDE: string = neverCommit;
export const SYNC_SERVICE_UNIT: string = serviceUnit;

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

/** The remote URL as the host's git uses it: through the alias. */
export function aliasRemote(url: GitSshUrl): string {
  return url.sshScheme ? `ssh://${SSH_ALIAS}${url.path}` : `${SSH_ALIAS}:${url.path}`;
}

export function renderSshAlias(url: GitSshUrl): string {
  return [
    "# Managed by @openclaw/infra-components: the workspace remote, with the deploy key only.",
    `Host ${SSH_ALIAS}`,
    `  HostName ${url.host.replace(/^\[|\]$/g, "")}`,
    `  User ${url.user}`,
    ...(url.port ? [`  Port ${url.port}`] : []),
    `  IdentityFile ${DEPLOY_KEY_PATH}`,
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
