/** The rule for a workspace repository's URL, shared by `workspaceSync` and the agents' repositories. Pure. */
import type { Rule } from "../validate/rules.js";
import { parseGitSshUrl } from "./workspace-config.js";

/**
 * Whether two SSH git URLs name one repository: host (any case), port and
 * path, with or without `.git` and in either form (`git@host:a/b.git`,
 * `ssh://git@host/a/b`). Two workspaces pushing to one repository's main
 * branch would overwrite each other.
 */
export function sameRepository(a: string, b: string): boolean {
  const key = (url: string) => {
    const u = parseGitSshUrl(url);
    return u ? `${u.host.toLowerCase()}:${u.port ?? 22}/${u.path.replace(/^\/+/, "").replace(/\.git$/, "")}` : url;
  };
  return key(a) === key(b);
}

/** An SSH git URL the host's git can push to through a deploy-key alias. */
export const SSH_GIT_URL: Rule<unknown> = (v) =>
  typeof v === "string" && parseGitSshUrl(v)
    ? undefined
    : {
        problem: "is not an SSH git URL",
        expected: '"git@github.com:owner/repo.git" or "ssh://git@host[:port]/path.git"',
      };
