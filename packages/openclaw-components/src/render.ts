/**
 * The rendering seam: everything a deployment puts on a host, for plain
 * arguments, without Pulumi. It resolves the arguments with the deployment's
 * own `resolveDeployment` and loops over the same parts with the same
 * renderers, so what the tests, the plan and the real-host tier see is what
 * the components create. No provider SDK is reachable from here.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_PATCH_STEPS, renderConfigPatch } from "./config-patch/steps.js";
import { resolveDeployment, type OpenClawDeploymentArgs } from "./deployment-args.js";
import { gatewayFacts, gatewaySettings, modelAuthShape } from "./gateway/args.js";
import { configText, mergeConfigPatches, renderGatewayConfig, type ConfigPatch } from "./gateway/openclaw-config.js";
import { gatewayStepSpec, renderGatewayUnit } from "./gateway/steps.js";
import { offServerSettings, withoutOffServerSecrets, type OffServerPlain } from "./backup/off-server.js";
import { BACKUP_SECRET_PLACEHOLDERS, offServerSecrets } from "./backup/steps.js";
import { HOST_DEFAULTS } from "./host/args.js";
import { renderCloudConfig } from "./host/cloud-config.js";
import { DEPLOYMENT_PARTS, verifySettings, type VerifyFacts } from "./parts.js";
import { renderSteps, type RemoteStep } from "./remote/step.js";
import type { DeclaredJob } from "./schedules/schedules.js";
import { renderVerifyStep } from "./verify/verify-step.js";

/** Plain (non-Output) deployment arguments. */
export type PlainDeploymentArgs = {
  [K in keyof OpenClawDeploymentArgs]: Plain<OpenClawDeploymentArgs[K]>;
};
/** `T` with every `pulumi.Input` narrowed to its plain value. */
export type Plain<T> =
  T extends PromiseLike<unknown>
    ? never
    : T extends { apply: unknown }
      ? never
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> }
        : T;

/** Values that only exist once resources do: keys and generated tokens. */
export interface RenderSecrets {
  /** OpenSSH public key of the admin user (not secret, but generated). */
  readonly adminPublicKey: string;
  readonly gatewayToken: string;
  /** Workspace deploy key (private, OpenSSH). */
  readonly deployPrivateKey: string;
  /** Each synced agent's deploy key (private, OpenSSH), by agent id; placeholders where absent. */
  readonly agentDeployPrivateKeys?: Readonly<Record<string, string>>;
  /** The off-server backups' SFTP login key (private, OpenSSH); a placeholder when absent. */
  readonly offServerPrivateKey?: string;
}

export interface RenderedDeployment {
  /** The server's first-boot `#cloud-config` (holds the Tailscale auth key). */
  readonly userData: string;
  /** Every remote step, in the order they run. */
  readonly steps: readonly RemoteStep[];
  /** The whole `openclaw.json` the config patches add up to. */
  readonly openclawConfig: ConfigPatch;
  /** Declared scheduled jobs (empty without Telegram). */
  readonly schedules: readonly DeclaredJob[];
  /** systemd units the steps install, by file name. */
  readonly units: Readonly<Record<string, string>>;
  /** Dockerfiles of the sandbox images (absent when the sandbox is off). */
  readonly dockerfiles?: { readonly base: string; readonly custom: string };
}

/** What user-data shows for a key `tailscaleOAuthClient` mints. */
export const MINTED_KEY_PLACEHOLDER = "<secret:minted-tailscale-auth-key>";

/**
 * Renders a deployment. Throws `OpenClawArgsError` for invalid arguments,
 * exactly as the component would.
 */
export function renderDeployment(
  args: PlainDeploymentArgs,
  secrets: RenderSecrets,
  name = "openclaw",
): RenderedDeployment {
  const d = plainOf(resolveDeployment(args as OpenClawDeploymentArgs, name));
  const gateway = gatewaySettings({
    ...d.gateway,
    ...modelAuthShape(d.gateway),
    restore: d.gateway.restore
      ? offServerSettings(withoutOffServerSecrets(d.gateway.restore) as OffServerPlain)
      : undefined,
  });
  const gw = gatewayFacts(gateway);
  const userData = renderCloudConfig(
    { hostname: d.host.serverName, adminUser: HOST_DEFAULTS.adminUser, adminPublicKey: secrets.adminPublicKey },
    // A key the OAuth client mints exists only once the stack runs.
    { tailscaleAuthKey: d.host.tailscaleAuthKey ?? MINTED_KEY_PLACEHOLDER },
  );
  const steps: RemoteStep[] = renderSteps(gatewayStepSpec(gateway.restore !== undefined), gateway, {
    gatewayToken: secrets.gatewayToken,
    claudeSetupToken: d.gateway.claudeSetupToken ?? "",
    modelApiKeys: d.gateway.modelApiKeys,
    ...(d.gateway.restore
      ? {
          restore: offServerSecrets(
            d.gateway.restore,
            secrets.offServerPrivateKey ?? BACKUP_SECRET_PLACEHOLDERS.offServerPrivateKey,
          ),
        }
      : {}),
  });
  const patches: ConfigPatch[] = [renderGatewayConfig(gateway, secrets)];
  let units: Record<string, string> = { "openclaw-gateway.service": renderGatewayUnit(gateway.port) };
  let schedules: readonly DeclaredJob[] = [];
  let dockerfiles: RenderedDeployment["dockerfiles"];
  const facts: Partial<VerifyFacts>[] = [];

  for (const part of DEPLOYMENT_PARTS) {
    const resolved = d[part.key];
    if (part.isOff(resolved)) steps.push(...renderSteps(part.removal, { port: gw.port }, {}));
    if (resolved === undefined) continue;
    const settings = part.settings(resolved, gw);
    facts.push(part.verify(settings));
    if (settings === undefined) continue;
    const partSecrets = part.secrets(resolved, secrets);
    steps.push(...renderSteps(part.steps, settings, partSecrets));
    const out = part.artefacts(settings, partSecrets);
    if (out.config) patches.push(out.config);
    if (out.units) units = { ...units, ...out.units };
    if (out.schedules) schedules = out.schedules;
    if (out.dockerfiles) dockerfiles = out.dockerfiles;
  }

  // The openclawConfig patch, last; the plain rendering holds its secrets as given.
  const configPatch = { patch: d.openclawConfig.patch, port: gw.port };
  const patchSecrets = d.openclawConfig.secrets as Readonly<Record<string, string>>;
  steps.push(...renderSteps(CONFIG_PATCH_STEPS, configPatch, patchSecrets));
  patches.push(renderConfigPatch(configPatch, patchSecrets));

  const node = { serverName: d.host.serverName, tailnetDnsName: d.gateway.tailnetDnsName };
  if (d.verify) steps.push(renderVerifyStep(verifySettings(gw, node, facts, [...steps])));
  return {
    userData,
    steps,
    openclawConfig: mergeConfigPatches(...patches),
    schedules: [...schedules],
    units,
    ...(dockerfiles ? { dockerfiles } : {}),
  };
}

/**
 * The resolved arguments as plain values. `renderDeployment` takes plain
 * arguments only, and resolving plain arguments leaves them plain; an
 * `Output` or a promise here is a caller's mistake, reported by its path.
 */
function plainOf<T>(value: T, path = "args"): pulumi.Unwrap<T> {
  if (
    pulumi.Output.isInstance(value) ||
    (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function")
  ) {
    throw new Error(`renderDeployment takes plain arguments: ${path} is an Output or a promise`);
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) plainOf(v, `${path}.${k}`);
  }
  return value as pulumi.Unwrap<T>;
}

/** `openclawConfig` as file text. */
export function renderedConfigText(r: RenderedDeployment): string {
  return configText(r.openclawConfig);
}
