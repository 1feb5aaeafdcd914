/**
 * `OpenClawDeployment`'s arguments, and the one place they are checked: every
 * child's arguments are resolved here in one pass, so all problems are
 * reported at once and each once. Pure (no provider SDK): the component and
 * `renderDeployment` both start here.
 */
import * as pulumi from "@pulumi/pulumi";
import { agentWorkspaceRepos, resolveAgentsArgs, type AgentOptions, type AgentWorkspaceRepo } from "./agents/args.js";
import { BACKUP_DEFAULTS, resolveBackupArgs, type BackupOptions } from "./backup/args.js";
import { MAX_PATCH_BYTES, resolveOpenClawConfigArgs, type OpenClawConfigOptions } from "./config-patch/args.js";
import { resolveGatewayArgs, type ModelAuthOptions } from "./gateway/args.js";
import { mergeConfigPatches, type ConfigPatch } from "./gateway/openclaw-config.js";
import type { NodeRuntimeSettings } from "./gateway/steps.js";
import { resolveHostArgs } from "./host/args.js";
import { DEFAULT_LABELS } from "./network/args.js";
import { resolveSandboxArgs, type SandboxOptions } from "./sandbox/args.js";
import { resolveTelegramChannelArgs, type TelegramOptions } from "./telegram/args.js";
import { resolveScheduleArgs } from "./schedules/args.js";
import { DEFAULT_SCHEDULES, unconfiguredDeliveryIssues, type Schedule } from "./schedules/schedules.js";
import { DISCORD_KEYS, resolveDiscordArgs, type DiscordOptions } from "./discord/args.js";
import { SLACK_KEYS, resolveSlackArgs, type SlackOptions } from "./slack/args.js";
import { WHATSAPP_KEYS, resolveWhatsAppArgs, type WhatsAppOptions } from "./whatsapp/args.js";
import type { TailscaleOAuthClientOptions } from "./tailnet/args.js";
import { argKeys } from "./validate/known-keys.js";
import { ArgValidator, isInputLike } from "./validate/validator.js";
import { isRecord, recordAt } from "./validate/values.js";
import { resolveWorkspaceSyncArgs, type WorkspaceSyncOptions } from "./workspace/args.js";

export interface OpenClawDeploymentArgs {
  /**
   * Tailscale auth key the server joins your tailnet with at first boot
   * (secret). The only secret in user-data; later changes do not touch a
   * running server. Prefer a single-use, pre-authorised, tagged key. Set
   * this or `tailscaleOAuthClient`.
   * @default unset: `tailscaleOAuthClient` mints the key
   */
  tailscaleAuthKey?: pulumi.Input<string>;
  /**
   * A Tailscale OAuth client (scopes `auth_keys` and `devices:core`), instead
   * of `tailscaleAuthKey`: `{ clientId, clientSecret, tags: ["tag:openclaw"] }`.
   * The library mints a single-use, pre-authorised, tagged key for each
   * server it creates and keeps the server's tailnet name free (an offline
   * node left under it is removed before a new server joins; the server's
   * node is removed when the server is destroyed), so a rebuild needs nothing
   * by hand. Needs `@pulumi/tailscale`, and `npx` finding this package's
   * `openclaw-infra` in the stack's `node_modules`.
   * @default unset: `tailscaleAuthKey` is used
   */
  tailscaleOAuthClient?: TailscaleOAuthClientOptions;
  /**
   * Anthropic setup token from `claude setup-token` (secret, `sk-ant-oat01-…`):
   * a Claude subscription. Reaches the host on stdin only; changing it re-runs
   * one step. Needed unless `modelAuth` holds a key for the model's provider.
   * @default unset: then `modelAuth` must authenticate the model's provider
   */
  claudeSetupToken?: pulumi.Input<string>;
  /**
   * Model provider API keys (secret): `{ openai: { apiKey } }`, and likewise
   * `anthropic` (instead of the setup token) and `openrouter`. Stored with
   * OpenClaw's own `models auth paste-api-key`, from stdin; a provider
   * dropped from here is logged out. `model` must belong to a provider with
   * a credential.
   * @default unset: the Claude setup token only
   */
  modelAuth?: ModelAuthOptions;
  /**
   * MagicDNS suffix of your tailnet, e.g. `tail1234.ts.net` (Tailscale admin
   * console → DNS). Used for the connection host and the URLs.
   * @default unset: steps connect to the bare hostname and `tailscaleUrl` is a placeholder
   */
  tailnetDnsName?: pulumi.Input<string>;
  /**
   * Server name and Tailscale hostname (RFC 1123 label, at most 63 characters).
   * Fixed when the server is created: a later change is refused, since the
   * tailnet node keeps its first name; rebuild the server to rename it.
   * @default "openclaw-vps"
   */
  serverName?: pulumi.Input<string>;
  /**
   * Hetzner server type; resizes in place.
   * @default "cx33"
   */
  serverType?: pulumi.Input<string>;
  /**
   * Hetzner location (`fsn1`, `nbg1`, `hel1`, `ash`, `hil`, `sin`). Fixed once the server exists: another
   * value is refused at preview (a replacement would boot with the spent auth key); rebuild to move.
   * @default "fsn1"
   */
  location?: pulumi.Input<string>;
  /**
   * OS image. Fixed once the server exists, like `location`.
   * @default "ubuntu-24.04"
   */
  image?: pulumi.Input<string>;
  /**
   * Backups: on-host, verified backups of OpenClaw's state (`enabled`,
   * `schedule`, `keep`) and Hetzner's whole-disk backups (`hetzner`).
   * @default `{ enabled: true, schedule: "daily", keep: 7, hetzner: true }`
   */
  backups?: BackupOptions;
  /**
   * Extra labels on Hetzner resources, merged over `managed-by=openclaw-infra-components`.
   * @default {}
   */
  labels?: pulumi.Input<Record<string, string>>;
  /**
   * `openclaw` version on the host (calendar version); changing it re-runs the install step and restarts the gateway.
   * @default "2026.9.6"
   */
  openclawVersion?: pulumi.Input<string>;
  /**
   * Default model (`provider/model`; OpenRouter's are `openrouter/<vendor>/<model>`); changing it
   * rewrites the config and restarts the gateway. Its provider needs a credential: `claudeSetupToken`
   * or a key in `modelAuth`.
   * @default "anthropic/claude-opus-5"
   */
  model?: pulumi.Input<string>;
  /**
   * Default thinking level.
   * @default "high"
   */
  thinkingDefault?: pulumi.Input<string>;
  /**
   * Address remote steps connect to instead of `<serverName>.<tailnetDnsName>` (a tailnet name or 100.x address).
   * @default `<serverName>.<tailnetDnsName>`
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Loopback port of the gateway.
   * @default 18789
   */
  gatewayPort?: pulumi.Input<number>;
  /**
   * Change (to any new value) to re-roll the gateway token; only `configure-gateway` re-runs.
   * @default 1
   */
  gatewayTokenVersion?: pulumi.Input<number>;
  /**
   * Node runtime download source and checksums.
   * @default Node 24.21.0 from the official Node.js distribution, SHA-256 verified
   */
  nodeRuntime?: pulumi.Input<NodeRuntimeSettings>;
  /**
   * The Docker sandbox every session runs in (on unless `enabled: false`).
   * @default the sandbox on: mode "all", workspaceAccess "rw", network "bridge",
   *   image "openclaw-sandbox-custom:latest"
   */
  sandbox?: SandboxOptions;
  /**
   * The Telegram channel, and where jobs announce by default. Created only
   * when `botToken` is set (so `cfg.getSecret("telegramBotToken")` can switch
   * it off).
   * @default unset: no Telegram
   */
  telegram?: TelegramOptions;
  /**
   * The scheduled jobs, as the complete list: jobs the library created that
   * are not listed are removed; jobs created by hand are never touched. Each
   * announces on its `deliverTo` (a channel this deployment configures), or
   * without it to the Telegram user. Set this or `telegram.schedules` (its
   * older place), not both.
   * @default with Telegram: `telegram.schedules`, else the four jobs Morning
   *   Digest, Evening Review, Night Shift, Weekly Planning; without Telegram: none
   */
  schedules?: pulumi.Input<Schedule[]>;
  /**
   * IANA timezone of the jobs that name none, e.g. `America/New_York`. Set
   * this or `telegram.timezone` (its older place), not both.
   * @default `telegram.timezone`, else `"Europe/Berlin"`
   */
  schedulesTimezone?: pulumi.Input<string>;
  /**
   * The Discord channel: DMs from the listed users, and the guilds (and
   * channels) listed. Created only when `botToken` is set (so
   * `cfg.getSecret("discordBotToken")` can switch it off).
   * @default unset: no Discord
   */
  discord?: DiscordOptions;
  /**
   * The Slack channel, in Socket Mode: DMs from the listed users, and the
   * channels listed. Created only when `botToken` is set (so
   * `cfg.getSecret("slackBotToken")` can switch it off); `appToken` is then required.
   * @default unset: no Slack
   */
  slack?: SlackOptions;
  /**
   * The WhatsApp channel: direct chats from the listed phone numbers. Set up
   * when the block is given; the account is then linked once on the host, by
   * QR code (`openclaw channels login --channel whatsapp` over SSH), and
   * `verify` fails, naming that command, until it is.
   * @default unset: no WhatsApp
   */
  whatsapp?: WhatsAppOptions;
  /**
   * Git sync of the agent's workspace. The deploy key is always created
   * (output `workspaceDeployPublicKey`); the on-host sync only with `repoUrl`.
   * Other agents' workspaces sync too where `agents[i].workspaceSync` is set,
   * on this interval and with this identity.
   * @default unset: deploy key only
   */
  workspaceSync?: WorkspaceSyncOptions;
  /**
   * Any other OpenClaw setting: a config patch applied after everything
   * else with OpenClaw's own `config patch`, secrets on stdin. Keys the
   * library owns, and settings that would weaken the security model, are
   * refused. A key dropped from the patch is deleted on the next `pulumi up`.
   * @default unset: no patch (one set earlier is removed)
   */
  openclawConfig?: OpenClawConfigOptions;
  /**
   * Agents besides OpenClaw's default one (`main`), each with its own
   * workspace and, where set, model, sandbox settings and channel bindings.
   * Applied with `openclawConfig`'s patch; an agent dropped from the list is
   * deleted with `openclaw agents delete` (its files go to the trash).
   * Plain values, checked before anything is created.
   * @default unset: the default agent only
   */
  agents?: AgentOptions[];
  /**
   * Run the `verify` step last: it checks the host (tailnet, firewall,
   * listeners, service, linger, /readyz, security audit, sandbox image,
   * schedules, sync timer, OpenClaw version), prints a report and fails the
   * update naming the failing checks. It runs again whenever another step's
   * command or environment changes.
   * @default true
   */
  verify?: boolean;
}

const DEPLOYMENT = argKeys<OpenClawDeploymentArgs>({
  tailscaleAuthKey: true,
  tailscaleOAuthClient: true,
  claudeSetupToken: true,
  modelAuth: true,
  tailnetDnsName: true,
  serverName: true,
  serverType: true,
  location: true,
  image: true,
  backups: true,
  labels: true,
  openclawVersion: true,
  model: true,
  thinkingDefault: true,
  connectionHost: true,
  gatewayPort: true,
  gatewayTokenVersion: true,
  nodeRuntime: true,
  sandbox: true,
  telegram: true,
  schedules: true,
  schedulesTimezone: true,
  discord: true,
  slack: true,
  whatsapp: true,
  workspaceSync: true,
  openclawConfig: true,
  agents: true,
  verify: true,
});
const TELEGRAM = argKeys<TelegramOptions>({
  botToken: true,
  userId: true,
  timezone: true,
  schedules: true,
  apiRoot: true,
});
const SANDBOX = argKeys<SandboxOptions>({
  enabled: true,
  mode: true,
  workspaceAccess: true,
  network: true,
  image: true,
  dockerfile: true,
  dockerfileExtras: true,
  claudeCodeVersion: true,
});
const WORKSPACE_SYNC = argKeys<WorkspaceSyncOptions>({
  repoUrl: true,
  interval: true,
  gitUserName: true,
  gitUserEmail: true,
});
const OPENCLAW_CONFIG = argKeys<OpenClawConfigOptions>({ patch: true, secrets: true });
const BACKUPS = argKeys<BackupOptions>({ enabled: true, schedule: true, keep: true, hetzner: true, offServer: true });

/** Records every unknown key of a deployment's arguments and of its blocks. */
function checkDeploymentKeys(args: OpenClawDeploymentArgs, v: ArgValidator): void {
  v.knownKeys("", args, DEPLOYMENT);
  v.knownKeys("telegram", args.telegram, TELEGRAM);
  v.knownKeys("discord", args.discord, DISCORD_KEYS);
  v.knownKeys("slack", args.slack, SLACK_KEYS);
  v.knownKeys("whatsapp", args.whatsapp, WHATSAPP_KEYS);
  v.knownKeys("sandbox", args.sandbox, SANDBOX);
  v.knownKeys("workspaceSync", args.workspaceSync, WORKSPACE_SYNC);
  v.knownKeys("backups", args.backups, BACKUPS);
  v.knownKeys("openclawConfig", args.openclawConfig, OPENCLAW_CONFIG);
}

/**
 * `backups` with defaults. A boolean (or Output), the form typed before
 * `backups` became object-only, still sets `hetzner` only.
 */
function normalizeBackups(
  input: BackupOptions | pulumi.Input<boolean> | undefined,
): Required<Pick<BackupOptions, "enabled">> & BackupOptions & { hetzner: pulumi.Input<boolean> } {
  const isOptions = typeof input === "object" && input !== null && !isInputLike(input);
  const o: BackupOptions = isOptions
    ? (input as BackupOptions)
    : { hetzner: (input as pulumi.Input<boolean> | undefined) ?? BACKUP_DEFAULTS.hetzner };
  return { ...o, enabled: o.enabled ?? BACKUP_DEFAULTS.enabled, hetzner: o.hetzner ?? BACKUP_DEFAULTS.hetzner };
}

function pathIn(patch: ConfigPatch, dotted: string): boolean {
  const [first, ...rest] = dotted.split(".");
  return rest.length === 0
    ? patch[first!] !== undefined
    : pathIn(recordAt(patch, first!) as ConfigPatch, rest.join("."));
}

/**
 * The deployment's jobs: `schedules`, or with Telegram `telegram.schedules`
 * (its older place) or the four default jobs; jobs without `deliverTo`
 * announce to the Telegram user. Without Telegram, `telegram.schedules` is
 * Telegram's and goes with it, as before `schedules` existed.
 */
function resolveDeploymentSchedules(
  args: OpenClawDeploymentArgs,
  telegram: ReturnType<typeof resolveTelegramChannelArgs> | undefined,
  v: ArgValidator,
) {
  const older = telegram ? args.telegram?.schedules : undefined;
  if (args.schedules !== undefined && args.telegram?.schedules !== undefined)
    v.add({
      path: "schedules",
      problem: "is set together with telegram.schedules",
      expected: "one list of jobs: schedules (telegram.schedules is its older place)",
    });
  if (args.schedulesTimezone !== undefined && args.telegram?.timezone !== undefined)
    v.add({
      path: "schedulesTimezone",
      problem: "is set together with telegram.timezone",
      expected: "one default timezone for the jobs: schedulesTimezone (telegram.timezone is its older place)",
    });
  const path = args.schedules !== undefined || older === undefined ? "schedules" : "telegram.schedules";
  const list = args.schedules ?? older ?? (telegram ? [...DEFAULT_SCHEDULES] : []);
  const resolved = resolveScheduleArgs(
    {
      schedules: list,
      timezone: args.schedulesTimezone ?? args.telegram?.timezone,
      ...(telegram ? { defaultDelivery: { channel: "telegram", to: telegram.userId } } : {}),
    },
    v,
    { schedules: path, timezone: args.schedulesTimezone !== undefined ? "schedulesTimezone" : "telegram.timezone" },
  );
  return { resolved, path };
}

/** A deployment's arguments, checked and with defaults, per child. */
export interface ResolvedDeployment {
  readonly network: { readonly labels: pulumi.Input<Record<string, string>> };
  readonly host: ReturnType<typeof resolveHostArgs>;
  readonly gateway: ReturnType<typeof resolveGatewayArgs>;
  /** Absent with `sandbox.enabled: false`. */
  readonly sandbox?: ReturnType<typeof resolveSandboxArgs>;
  /** Absent without `telegram.botToken`. */
  readonly telegram?: ReturnType<typeof resolveTelegramChannelArgs>;
  /** The jobs (none: the sync removes the library's). */
  readonly schedules: ReturnType<typeof resolveScheduleArgs>;
  /** Absent without `discord.botToken`. */
  readonly discord?: ReturnType<typeof resolveDiscordArgs>;
  /** Absent without `slack.botToken`. */
  readonly slack?: ReturnType<typeof resolveSlackArgs>;
  /** Absent without `whatsapp`. */
  readonly whatsapp?: ReturnType<typeof resolveWhatsAppArgs>;
  readonly workspaceSync: ReturnType<typeof resolveWorkspaceSyncArgs> & { readonly agents: AgentWorkspaceRepo[] };
  /** On-host state backups; absent with `backups: { enabled: false }`. */
  readonly backups?: ReturnType<typeof resolveBackupArgs>;
  /**
   * The patch `apply-openclaw-config` applies: the `agents` part merged with
   * `openclawConfig`'s (`{}` when both are unset: the step then removes an earlier one).
   */
  readonly openclawConfig: ReturnType<typeof resolveOpenClawConfigArgs>;
  readonly verify: boolean;
}

/** Keys under `channels` in openclaw.json that are shared settings, not channels. */
const NOT_CHANNELS = ["defaults", "modelByChannel"];

/**
 * Checks a deployment's arguments and fills in defaults. Throws one
 * `OpenClawArgsError` listing every problem found in plain values; an
 * `Output` is checked when it resolves, and fails the step that reads it.
 */
export function resolveDeployment(args: OpenClawDeploymentArgs, name: string): ResolvedDeployment {
  const resource = `OpenClawDeployment "${name}"`;
  const v = new ArgValidator(resource);
  checkDeploymentKeys(args, v);
  const backups = normalizeBackups(args.backups);
  const host = resolveHostArgs({ ...args, backups: backups.hetzner }, v);
  const onHostBackups = backups.enabled ? resolveBackupArgs(backups, v, "backups.") : undefined;
  if (!backups.enabled && backups.offServer !== undefined)
    v.add({
      path: "backups.offServer",
      problem: "is set while backups.enabled is false",
      expected: "backups.enabled: true (off-server backups store the on-host backups' archives), or no offServer",
    });
  const gateway = resolveGatewayArgs({ ...args, port: args.gatewayPort }, v, { port: "gatewayPort" });
  const sandbox = (args.sandbox?.enabled ?? true) ? resolveSandboxArgs(args.sandbox ?? {}, v, "sandbox.") : undefined;
  const botToken = args.telegram?.botToken;
  const telegram =
    botToken !== undefined ? resolveTelegramChannelArgs({ ...args.telegram!, botToken }, v, "telegram.") : undefined;
  const discordToken = args.discord?.botToken;
  const discord =
    discordToken !== undefined
      ? resolveDiscordArgs({ ...args.discord!, botToken: discordToken }, v, "discord.")
      : undefined;
  const slackToken = args.slack?.botToken;
  const slack =
    slackToken !== undefined ? resolveSlackArgs({ ...args.slack!, botToken: slackToken }, v, "slack.") : undefined;
  const whatsapp = args.whatsapp !== undefined ? resolveWhatsAppArgs(args.whatsapp, v, "whatsapp.") : undefined;
  const workspaceSync = resolveWorkspaceSyncArgs(args.workspaceSync ?? {}, v, "workspaceSync.");
  const userConfig = resolveOpenClawConfigArgs(args.openclawConfig, v);
  // The chat channels this deployment configures: what agents' bindings and jobs' deliveries may name.
  const argumentChannels = [
    ...(telegram ? ["telegram"] : []),
    ...(discord ? ["discord"] : []),
    ...(slack ? ["slack"] : []),
    ...(whatsapp ? ["whatsapp"] : []),
  ];
  const patchChannels = Object.entries(recordAt(userConfig.patch, "channels"))
    // `defaults` and `modelByChannel` are settings shared by the channels, not channels.
    .filter(([k, c]) => !NOT_CHANNELS.includes(k) && !(isRecord(c) && c.enabled === false))
    .map(([k]) => k);
  const channels = [...argumentChannels, ...patchChannels];
  const mainRepoUrl = workspaceSync.repoUrl;
  const agents = resolveAgentsArgs(args.agents, v, {
    authenticated: gateway.modelAuthProviders,
    sandbox: sandbox !== undefined,
    channels,
    ...(mainRepoUrl !== undefined
      ? { workspaceSync: typeof mainRepoUrl === "string" ? { repoUrl: mainRepoUrl } : {} }
      : {}),
  });
  const { resolved: schedules, path: schedulesPath } = resolveDeploymentSchedules(args, telegram, v);
  // Jobs may announce only on a channel set up before the sync runs.
  schedules.schedules = v.checkAll(schedules.schedules, (list: Schedule[]) =>
    unconfiguredDeliveryIssues(list, argumentChannels, schedulesPath, patchChannels),
  );
  if (args.agents !== undefined)
    for (const key of ["agents.entries", "agents.list", "bindings"])
      if (pathIn(userConfig.patch, key))
        v.add({
          path: `openclawConfig.patch.${key}`,
          problem: "is set by the agents argument too",
          expected: `the agents in agents (with their bindings), or no agents argument and ${key} here`,
        });
  // One patch, applied last: the agents' part, then the user's.
  const openclawConfig = { ...userConfig, patch: mergeConfigPatches(agents, userConfig.patch) };
  const bytes = Buffer.byteLength(JSON.stringify(openclawConfig.patch));
  if (bytes > MAX_PATCH_BYTES)
    v.add({
      path: "agents",
      problem: `and openclawConfig.patch make a config patch of ${bytes} bytes as JSON`,
      expected: `at most ${MAX_PATCH_BYTES} bytes together`,
    });
  v.throwIfInvalid();
  return {
    // The firewall takes the user's labels as given (checked once, with the host's).
    network: { labels: args.labels !== undefined ? host.labels : DEFAULT_LABELS },
    host,
    // A new server restores its state from where the backups go.
    gateway: onHostBackups?.offServer ? { ...gateway, restore: onHostBackups.offServer } : gateway,
    ...(sandbox ? { sandbox } : {}),
    ...(telegram ? { telegram } : {}),
    schedules,
    ...(discord ? { discord } : {}),
    ...(slack ? { slack } : {}),
    ...(whatsapp ? { whatsapp } : {}),
    // The agents' repositories were checked where the user wrote them, under agents[i].workspaceSync.
    workspaceSync: { ...workspaceSync, agents: agentWorkspaceRepos(args.agents) },
    ...(onHostBackups ? { backups: onHostBackups } : {}),
    openclawConfig,
    verify: args.verify ?? true,
  };
}
