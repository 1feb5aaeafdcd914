/**
 * Renders the `apply-openclaw-config` step. Pure.
 */
import { configText } from "../gateway/openclaw-config.js";
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { OWNED_CONFIG_KEYS, substituteSecrets, type OpenClawConfigPatchSettings } from "./args.js";
import applyScript from "./scripts/apply-openclaw-config.sh";

/** The secrets' values by name; empty: placeholders stand in for them. */
export type OpenClawConfigSecrets = Readonly<Record<string, string>>;

/** What the plan and state show where a secret of the patch goes. */
export function secretPlaceholder(name: string): string {
  return `<secret:openclawConfig.secrets.${name}>`;
}

/** The patch as the host receives it: each `{ $secret: name }` replaced by its value (or its placeholder). */
export function renderConfigPatch(s: OpenClawConfigPatchSettings, secrets: OpenClawConfigSecrets) {
  return substituteSecrets(s.patch, (name) => secrets[name] ?? secretPlaceholder(name));
}

export function renderApplyConfigStep(s: OpenClawConfigPatchSettings, secrets: OpenClawConfigSecrets): RemoteStep {
  return renderStep({
    name: "apply-openclaw-config",
    description:
      "merge the openclawConfig patch into the config last (openclaw config patch) and delete the keys an earlier patch set that it no longer holds",
    script: applyScript,
    environment: {
      OPENCLAW_GATEWAY_PORT: String(s.port),
      // What the plan and change reports show; the host applies stdin.
      OPENCLAW_CONFIG_PATCH_SHOWN: JSON.stringify(renderConfigPatch(s, {})),
      // Keys a patch once set that the library now owns (channels.discord
      // before the discord argument) are its parts' to keep: never deleted here.
      OPENCLAW_CONFIG_OWNED: JSON.stringify(OWNED_CONFIG_KEYS.map((k) => k.path.split("."))),
    },
    stdin: configText(renderConfigPatch(s, secrets)),
    secret: true,
  });
}

/** One step; its stdin carries the patch with the secrets in place. */
export const CONFIG_PATCH_STEPS: StepSpec<OpenClawConfigPatchSettings, OpenClawConfigSecrets, "applyOpenclawConfig"> = {
  render: (s, secrets) => ({ applyOpenclawConfig: renderApplyConfigStep(s, secrets) }),
  order: ["applyOpenclawConfig"],
  placeholders: {},
  secretSteps: ["applyOpenclawConfig"],
};
