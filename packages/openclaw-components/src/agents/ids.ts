/**
 * What names an agent on the host: its id and its workspace directory. Shared
 * by the `agents` argument and WorkspaceSync's agent repositories, since both
 * put them in file names, unit names and paths. Pure.
 */
import type { Rule } from "../validate/rules.js";

/** OpenClaw's agent id rule (lowercase only, so an id never reads as an option). */
export const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An agent id, as a rule. */
export const agentId: Rule<unknown> = (v) =>
  typeof v === "string" && AGENT_ID.test(v)
    ? undefined
    : { problem: "is not an OpenClaw agent id", expected: "lowercase letters, digits, _ and -, at most 64 characters" };

/** Where an agent's workspace is when none is given: OpenClaw's own form. */
export const defaultAgentWorkspace = (id: string): string => `~/.openclaw/workspace-${id}`;

const HOME_PATH = /^~\/[A-Za-z0-9._/-]{1,200}$/;
const OPENCLAW_WORKSPACE = /^~\/\.openclaw\/workspace-[A-Za-z0-9_-]+$/;

/**
 * An agent's own workspace: `~/.openclaw/workspace-<name>` (OpenClaw's own
 * form), or a path under home in no hidden directory and not the backups'.
 * Dropping an agent moves its workspace to the trash, and a sandbox with
 * workspaceAccess "rw" mounts it: neither may reach OpenClaw's state, keys or
 * another agent's files.
 */
export const agentWorkspace: Rule<unknown> = (v) => {
  const expected =
    '"~/.openclaw/workspace-<name>", or "~/…" with letters, digits, ., _, - and /, no part starting with "." and not ~/backups';
  if (typeof v !== "string" || !HOME_PATH.test(v))
    return { problem: "is not a path under the home directory", expected };
  if (OPENCLAW_WORKSPACE.test(v)) return undefined;
  const parts = v.slice(2).split("/");
  if (parts.some((seg) => seg === "" || seg.startsWith(".")))
    return { problem: "is not a directory of the agent's own (an empty or hidden part)", expected };
  if (parts[0] === "backups") return { problem: "is in the on-host backups' directory", expected };
  return undefined;
};

/**
 * Whether two workspaces (`~/…`, checked) are one, or one holds the other:
 * the outer one's sync would push the inner one's files.
 */
export function workspacesOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
