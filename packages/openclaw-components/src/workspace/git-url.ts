/** The rule for a workspace repository's URL, shared by `workspaceSync` and the agents' repositories. Pure. */
import type { Rule } from "../validate/rules.js";
import { parseGitSshUrl } from "./workspace-config.js";

/** An SSH git URL the host's git can push to through a deploy-key alias. */
export const SSH_GIT_URL: Rule<unknown> = (v) =>
  typeof v === "string" && parseGitSshUrl(v)
    ? undefined
    : {
        problem: "is not an SSH git URL",
        expected: '"git@github.com:owner/repo.git" or "ssh://git@host[:port]/path.git"',
      };
