import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveSandboxArgs, sandboxSettings, type SandboxArgs } from "./args.js";
import { SANDBOX_STEPS, type SandboxSettings, type SandboxSteps } from "./steps.js";

export { SANDBOX_DEFAULTS, type SandboxArgs, type SandboxOptions } from "./args.js";

/**
 * Every session in a Docker sandbox: Docker on the host (containers cannot
 * reach the metadata service), OpenClaw's base image and a custom image with
 * Claude Code running as UID 1000, and the gateway config that uses it. The
 * image is rebuilt only when its Dockerfiles or versions change.
 */
export class Sandbox extends pulumi.ComponentResource {
  /** The image sessions run in. */
  readonly image: pulumi.Output<string>;
  /** Everything the sandbox's steps are rendered from. */
  readonly settings: pulumi.Output<SandboxSettings>;
  /** The rendered Dockerfile of the custom image. */
  readonly dockerfile: pulumi.Output<string>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof SandboxSteps, command.remote.Command>>;
  /** The last step: the gateway runs with the sandbox configured once it is done. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: SandboxArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, ...c } = resolveArgs(`Sandbox "${name}"`, args, (a, v) => ({
      ...resolveSandboxArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:Sandbox", name, {}, opts);

    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => sandboxSettings(r, gw));
    this.image = this.settings.apply((s) => s.image);
    this.dockerfile = this.settings.apply((s) => s.dockerfile);
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: SANDBOX_STEPS,
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureSandbox;
    this.registerOutputs({ image: this.image });
  }
}
