/**
 * What a config change would do to a stack as users have it: a program
 * directory and two stack config files, with no function to write. The same
 * program loading and mocks as `openclaw-infra plan --compare`.
 */
import { runProgram } from "../cli/run-program.js";
import { readStack, stackNameOf } from "../cli/stack.js";
import { compareRecordings, type ChangeImpact } from "./change-impact.js";
import type { RecordedResource } from "./mocks.js";

/**
 * Runs the Pulumi program in `dir` with the config in `before`, then with the
 * config in `after` (paths of stack config files such as
 * `Pulumi.prod.yaml`), each under fresh mocks, the second against the first's
 * state, and reports what the change would do (or rejects, as `pulumi
 * preview` fails, when the program refuses it). Secrets in the files stay
 * placeholders, as in the plan.
 *
 * ```ts
 * const impact = await stackImpact("infra", "infra/Pulumi.prod.yaml", "infra/Pulumi.prod-next.yaml");
 * impact.serverReplaced; // false
 * ```
 */
export async function stackImpact(dir: string, before: string, after: string): Promise<ChangeImpact> {
  const record = async (configFile: string, prior?: readonly RecordedResource[]) =>
    (await runProgram(readStack(dir, { configFile }), stackNameOf(configFile), prior)).resources;
  const first = await record(before);
  // Against the first run's state, as a second `pulumi up` runs.
  const second = await record(after, first);
  return compareRecordings(first, second);
}
