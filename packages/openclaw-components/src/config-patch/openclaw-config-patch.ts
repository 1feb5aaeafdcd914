import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../gateway/gateway.js";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { argKeys } from "../validate/known-keys.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveOpenClawConfigArgs, type OpenClawConfigOptions, type OpenClawConfigPatchSettings } from "./args.js";
import { CONFIG_PATCH_STEPS, type OpenClawConfigSecrets } from "./steps.js";

export { OWNED_CONFIG_KEYS, SECRET_REF_KEY, type OpenClawConfigOptions } from "./args.js";

export interface OpenClawConfigPatchArgs extends Partial<OpenClawConfigOptions> {
  /** The gateway whose config the patch goes into. */
  gateway: Gateway;
  /**
   * Overrides the address this component's step connects to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources the step waits for: the last step of every other component
   * that writes the config, so the patch is applied last.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
}

const ARGS = argKeys<OpenClawConfigPatchArgs>({
  patch: true,
  secrets: true,
  gateway: true,
  connectionHost: true,
  runAfter: true,
});

/**
 * Any OpenClaw setting the library has no argument for: a config patch merged
 * into `openclaw.json` after everything else, validated by the host's own
 * OpenClaw, with secrets on stdin. A key dropped from the patch is deleted on
 * the next `pulumi up`; with no patch, the step deletes what an earlier one set.
 */
export class OpenClawConfigPatch extends pulumi.ComponentResource {
  /** Everything the step is rendered from; secrets are `{ $secret: name }` references. */
  readonly settings: pulumi.Output<OpenClawConfigPatchSettings>;
  /** The step (its only one). */
  readonly step: command.remote.Command;
  /** Depend on it to run after the patch is applied. */
  readonly ready: command.remote.Command;
  /** The rendered step, with secrets as placeholders. */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;

  constructor(name: string, args: OpenClawConfigPatchArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, patch, secrets } = resolveArgs(`OpenClawConfigPatch "${name}"`, args, (a, v) => {
      v.knownKeys("", a, ARGS);
      return {
        ...resolveOpenClawConfigArgs({ patch: a.patch ?? {}, ...(a.secrets ? { secrets: a.secrets } : {}) }, v, ""),
        connectionHost: checkConnectionHost(a.connectionHost, v),
      };
    });
    super("openclaw:index:OpenClawConfigPatch", name, {}, opts);

    const gateway = args.gateway;
    this.settings = gateway.facts.apply((gw) => ({ patch, port: gw.port }));
    const values: pulumi.Output<OpenClawConfigSecrets> = pulumi.output(secrets) as pulumi.Output<OpenClawConfigSecrets>;
    const { steps, rendered } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: CONFIG_PATCH_STEPS,
      secrets: values,
      after: args.runAfter ?? [gateway.ready],
    });
    this.step = steps.applyOpenclawConfig;
    this.ready = this.step;
    this.renderedSteps = rendered;
    this.registerOutputs({});
  }
}
