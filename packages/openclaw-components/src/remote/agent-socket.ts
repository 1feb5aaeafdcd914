import { statSync } from "node:fs";

/**
 * Why the SSH agent socket in the environment would fail every remote step, or
 * undefined. The command provider dials the agent named by `SSH_AUTH_SOCK`
 * (when a connection sets no `agentSocketPath`) while it builds the SSH client
 * configuration, before its first dial attempt, and a failure there fails the
 * step at once, with no retry (pulumi/pulumi-command,
 * provider/pkg/provider/remote/connection.go: `SSHConfig`, `Dial`). The steps
 * sign in with the deployment's own key; an agent adds nothing to them.
 */
export function agentSocketProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.SSH_AUTH_SOCK;
  if (!path) return undefined;
  let what: string | undefined;
  try {
    if (!statSync(path).isSocket()) what = "is not a socket";
  } catch {
    what = "does not exist";
  }
  if (!what) return undefined;
  return (
    `SSH_AUTH_SOCK is set to ${JSON.stringify(path)}, which ${what}: the command provider dials it before every ` +
    "remote step and would fail them all at once. Run `unset SSH_AUTH_SOCK` (or start your SSH agent) before " +
    "`pulumi up`; the steps use the deployment's own key."
  );
}
