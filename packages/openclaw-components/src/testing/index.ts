/**
 * `@openclaw/infra-components/testing`: unit-test stacks that use the library
 * with Pulumi mocks, no cloud account and no CLI.
 *
 * ```ts
 * const mocks = await installMocks();
 * const { OpenClawDeployment } = await import("@openclaw/infra-components");
 * new OpenClawDeployment("openclaw", { ... });
 * await settle();
 * expect(mocks.byType("Firewall")[0].inputs.rules).toHaveLength(3);
 * ```
 */
export { installMocks, isSecret, MockRecorder, settle, valueOf } from "./mocks.js";
export type { MockOptions, RecordedResource, RecordedStep } from "./mocks.js";
export { changeImpact, compareRecordings, recordRun, REPLACING_INPUTS } from "./change-impact.js";
export type { ChangeImpact, ImpactAction, ResourceImpact } from "./change-impact.js";
export { stackImpact } from "./stack-impact.js";

// What a deployment puts on a host, for plain arguments, without Pulumi.
export { renderDeployment, renderedConfigText } from "../render.js";
export type { PlainDeploymentArgs, Plain, RenderSecrets, RenderedDeployment } from "../render.js";
export type { ConfigPatch } from "../gateway/openclaw-config.js";
export type { DeclaredJob } from "../schedules/schedules.js";
