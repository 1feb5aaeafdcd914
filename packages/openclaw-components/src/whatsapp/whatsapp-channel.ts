import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { WHATSAPP_CHANNEL_KEYS, resolveWhatsAppArgs, whatsAppSettings, type WhatsAppChannelArgs } from "./args.js";
import { WHATSAPP_STEPS, type WhatsAppSettings, type WhatsAppSteps } from "./steps.js";

export type { WhatsAppChannelArgs, WhatsAppOptions } from "./args.js";

/**
 * The WhatsApp channel: only the declared phone numbers may talk to the agent,
 * in direct chats. Two steps: `install-whatsapp-plugin` installs OpenClaw's
 * own WhatsApp plugin at the gateway's OpenClaw version, then
 * `configure-whatsapp` applies the channel with OpenClaw's own `config patch`.
 * The account is linked once, on the host, by QR code
 * (`openclaw channels login --channel whatsapp` over SSH); the link lives in
 * OpenClaw's state, so re-runs keep it and the backups carry it.
 */
export class WhatsAppChannel extends pulumi.ComponentResource {
  /** Everything the steps are rendered from. */
  readonly settings: pulumi.Output<WhatsAppSettings>;
  /** The rendered steps (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof WhatsAppSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: WhatsAppChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resource = `WhatsAppChannel "${name}"`;
    const { connectionHost, ...c } = resolveArgs(resource, args, (a, v) => {
      v.knownKeys("", a, WHATSAPP_CHANNEL_KEYS);
      return { ...resolveWhatsAppArgs(a, v), connectionHost: checkConnectionHost(a.connectionHost, v) };
    });
    super("openclaw:index:WhatsAppChannel", name, {}, opts);

    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => whatsAppSettings(r, gw));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: WHATSAPP_STEPS,
      secrets: pulumi.output({}),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureWhatsapp;
    this.registerOutputs({ settings: this.settings });
  }
}
