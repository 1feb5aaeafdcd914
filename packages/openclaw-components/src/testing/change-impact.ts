/**
 * What a change of arguments would do to a stack: run a program twice under
 * mocks and compare what it registers, per resource. The rules are the
 * providers' own (providers.ts): which inputs force a replacement, which only
 * update (for a remote step, re-run its script), and which the provider stores
 * in another form than it was sent.
 */
import { compareRecordings, type ChangeImpact } from "./compare-recordings.js";
import { installMocks, settle, type MockOptions, type RecordedResource } from "./mocks.js";

export { REPLACING_INPUTS } from "./providers.js";
export { compareRecordings } from "./compare-recordings.js";
export type { ChangeImpact, ImpactAction, ResourceImpact } from "./compare-recordings.js";

/** Records one run of `program(args)` under fresh mocks. */
export async function recordRun<A>(
  program: (args: A) => unknown,
  args: A,
  options: MockOptions = {},
): Promise<RecordedResource[]> {
  const mocks = await installMocks(options);
  await program(args);
  await settle();
  return [...mocks.resources];
}

/**
 * Runs `program` with `before`, then with `after` against the first run's
 * state (each under fresh mocks), and reports what the change would do.
 * Rejects, as `pulumi preview` would fail, when the program refuses the
 * change (a renamed server, say).
 *
 * ```ts
 * const next = { ...base, model: "anthropic/claude-sonnet-4-6" };
 * const impact = await changeImpact((a) => new OpenClawDeployment("oc", a), base, next);
 * impact.stepsRun; // ["oc-gateway-configure-gateway"]
 * ```
 */
export async function changeImpact<A>(
  program: (args: A) => unknown,
  before: A,
  after: A,
  options: MockOptions = {},
): Promise<ChangeImpact> {
  const first = await recordRun(program, before, options);
  // The second run sees the first one's state, as a second `pulumi up` does.
  const second = await recordRun(program, after, { ...options, priorState: first });
  return compareRecordings(first, second);
}
