/**
 * One of OpenClaw's official external plugins, installed at an exact version
 * by the `install-<id>-plugin` step (scripts/install-plugin.sh). OpenClaw
 * ships some channels (Discord, Slack and WhatsApp among them) as npm packages of their own,
 * released with the same calendar version as OpenClaw. Pure.
 */
import installPluginScript from "./scripts/install-plugin.sh";
import { renderStep, type RemoteStep } from "./step.js";

export interface OfficialPlugin {
  /** The plugin's id, as `openclaw plugins list` shows it, e.g. `discord`. */
  readonly id: string;
  /** Its npm package, e.g. `@openclaw/discord`. */
  readonly npmPackage: string;
}

/** The official plugins the library installs. */
export const OFFICIAL_PLUGINS = {
  discord: { id: "discord", npmPackage: "@openclaw/discord" },
  slack: { id: "slack", npmPackage: "@openclaw/slack" },
  whatsapp: { id: "whatsapp", npmPackage: "@openclaw/whatsapp" },
} as const satisfies Record<string, OfficialPlugin>;

export function renderPluginStep(
  plugin: OfficialPlugin,
  s: { readonly version: string; readonly port: number; readonly description: string },
): RemoteStep {
  return renderStep({
    name: `install-${plugin.id}-plugin`,
    description: s.description,
    script: installPluginScript,
    environment: {
      OPENCLAW_PLUGIN_ID: plugin.id,
      OPENCLAW_PLUGIN_PACKAGE: plugin.npmPackage,
      OPENCLAW_PLUGIN_VERSION: s.version,
      OPENCLAW_GATEWAY_PORT: String(s.port),
    },
  });
}
