/**
 * Turns a recording into the plan document: what the stack creates, what
 * holds secrets, what lands on the host, the schedules and the cost. The
 * shape is documented in https://github.com/openclaw/infra-components/blob/main/docs/plan.md and is the `--json` output.
 */
import { mergeConfigPatches, type ConfigPatch } from "../gateway/openclaw-config.js";
import { TAILSCALE_KEY_PATH } from "../host/cloud-config.js";
import { stepHeader } from "../remote/step.js";
import { recordAt } from "../validate/values.js";
import { nextRuns, type DeclaredJob } from "../schedules/schedules.js";
import type { ChangeImpact } from "../testing/compare-recordings.js";
import type { RecordedResource } from "../testing/mocks.js";
import { estimateCost, type CostEstimate } from "./prices.js";
import type { Recording } from "./run-program.js";

export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** Names of the secret inputs (values never shown). */
  readonly secretInputs: readonly string[];
  readonly children: readonly PlanResource[];
}

export interface PlanStep {
  /** Resource name, e.g. `openclaw-gateway-configure-gateway`. */
  readonly resource: string;
  readonly name: string;
  readonly description: string;
  /** The inputs whose change re-runs the step. */
  readonly rerunBy: readonly string[];
  /** Whether stdin carries secrets (shown as redacted). */
  readonly secretStdin: boolean;
  readonly environment: Readonly<Record<string, string>>;
  /** The full script the host runs. */
  readonly script: string;
}

export interface PlanSchedule extends DeclaredJob {
  /** The next three runs, in the job's timezone. */
  readonly nextRuns: readonly string[];
}

/** One agent as the plan shows it. */
export interface PlanAgent {
  readonly id: string;
  readonly default: boolean;
  /** Its model: its own, or the deployment's. */
  readonly model?: string;
  /** What routes to it: `telegram`, `discord direct 42`, …; main also takes everything unbound. */
  readonly bindings: readonly string[];
}

/** What the assistant is made of: who it answers on, as which agents, with which model credentials. */
export interface PlanAssistant {
  /** The model credentials the host gets: `anthropic (setup token)`, `openai (API key)`. */
  readonly modelCredentials: readonly string[];
  /** The channels the config enables. */
  readonly channels: readonly string[];
  readonly agents: readonly PlanAgent[];
}

export interface Plan {
  /** Version of this document's shape. */
  readonly planVersion: 1;
  readonly project: string;
  readonly stack: string;
  readonly configFile?: string;
  readonly resources: readonly PlanResource[];
  /** Resource name → secret input names, for every resource that holds a secret. */
  readonly secrets: Readonly<Record<string, readonly string[]>>;
  /** Per server: its user-data with secrets as placeholders. */
  readonly userData: Readonly<Record<string, string>>;
  readonly steps: readonly PlanStep[];
  /** The merged openclaw.json with secret values replaced by "<redacted>". */
  readonly openclawConfig: ConfigPatch;
  /** Channels, agents and model credentials, read from the steps and the config. */
  readonly assistant: PlanAssistant;
  readonly schedules: readonly PlanSchedule[];
  readonly cost: readonly CostEstimate[];
  /**
   * Stack outputs: "[secret]" for secret ones, "[known after pulumi up]" for one only the host can tell (such as
   * verifyReport).
   */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Present with --compare. */
  readonly compare?: { readonly against: string; readonly impact: ChangeImpact };
}

const SECRET_KEY = /token|secret|password|apikey|privatekey/i;

/** Replaces every value under a secret-looking key with "<redacted>". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && (typeof v === "string" || typeof v === "number") ? "<redacted>" : redact(v),
      ]),
    );
  }
  return value;
}

/**
 * The auth key in user-data is a placeholder when it came from secret config;
 * a key passed as a plain string in the program is redacted here.
 */
export function redactUserData(text: string): string {
  return text.replace(
    new RegExp(
      `(- path: ${TAILSCALE_KEY_PATH.replace(/\//g, "\\/")}\n(?:[ \t]+[a-z_]+: .*\n)*?[ \t]+content: )(.*)$`,
      "m",
    ),
    (_m, head: string, value: string) => `${head}${/^"?<secret:[^>]+>"?$/.test(value) ? value : "<redacted>"}`,
  );
}

function tree(resources: readonly RecordedResource[]): PlanResource[] {
  const byParent = new Map<string, RecordedResource[]>();
  for (const r of resources) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
  const build = (r: RecordedResource): PlanResource => ({
    type: r.type,
    name: r.name,
    secretInputs: r.secretPaths,
    children: (byParent.get(r.urn) ?? []).map(build),
  });
  const urns = new Set(resources.map((r) => r.urn));
  return resources.filter((r) => !r.parent || !urns.has(r.parent)).map(build);
}

/** The config patches the steps apply, in order (stdin ones are secret: parsed, then redacted). */
function configPatches(resources: readonly RecordedResource[]): ConfigPatch[] {
  const patches: ConfigPatch[] = [];
  for (const r of resources.filter((x) => x.type === "command:remote:Command")) {
    const header = stepHeader(String(r.inputs.create ?? ""));
    const env = (r.inputs.environment ?? {}) as Record<string, string>;
    const stdin = typeof r.inputs.stdin === "string" ? r.inputs.stdin : undefined;
    try {
      // configure-gateway's stdin: the setup token, the API keys, then its patch.
      if (header?.name === "configure-gateway" && stdin)
        patches.push(JSON.parse(stdin.split("\n").slice(2).join("\n")));
      // A channel's step (configure-telegram, configure-discord): its part, token as a placeholder.
      else if (env.OPENCLAW_CHANNEL && stdin) patches.push(JSON.parse(stdin));
      else if (env.OPENCLAW_CONFIG_PATCH) patches.push(JSON.parse(env.OPENCLAW_CONFIG_PATCH));
      // openclawConfig: its secrets as placeholders (its stdin holds them).
      else if (env.OPENCLAW_CONFIG_PATCH_SHOWN) patches.push(JSON.parse(env.OPENCLAW_CONFIG_PATCH_SHOWN));
    } catch {
      // A step whose stdin is not a config patch contributes nothing.
    }
  }
  return patches;
}

/** The assistant's make-up, from configure-gateway's environment and the merged config. */
function assistantOf(steps: readonly PlanStep[], config: ConfigPatch): PlanAssistant {
  const words = steps.find((s) => s.name === "configure-gateway")?.environment.OPENCLAW_MODEL_AUTH ?? "";
  const modelCredentials = words
    .split(" ")
    .filter(Boolean)
    .map((w) => {
      const [provider, kind] = w.split(":");
      return `${provider} (${kind === "setup-token" ? "setup token" : "API key"})`;
    });
  const channels = Object.entries(recordAt(config, "channels"))
    .filter(([, v]) => (v as { enabled?: unknown } | null)?.enabled !== false)
    .map(([k]) => k);
  const agentsConfig = recordAt(config, "agents");
  const defaultModel = recordAt(recordAt(agentsConfig, "defaults"), "model").primary;
  const bindings = (Array.isArray(config.bindings) ? config.bindings : []) as Array<{
    agentId?: string;
    match?: { channel?: string; peer?: { kind?: string; id?: string } };
  }>;
  const bound = (id: string) =>
    bindings
      .filter((b) => b.agentId === id)
      .map((b) => [b.match?.channel, b.match?.peer?.kind, b.match?.peer?.id].filter(Boolean).join(" "));
  const ids = ["main", ...Object.keys(recordAt(agentsConfig, "entries")).filter((id) => id !== "main")];
  const agents = ids.map((id) => {
    const model = recordAt(recordAt(recordAt(agentsConfig, "entries"), id), "model").primary ?? defaultModel;
    return {
      id,
      default: id === "main",
      ...(typeof model === "string" ? { model } : {}),
      bindings: bound(id),
    };
  });
  return { modelCredentials, channels, agents };
}

export function buildPlan(rec: Recording, now = new Date()): Plan {
  const { resources } = rec;
  const steps: PlanStep[] = resources
    .filter((r) => r.type === "command:remote:Command")
    .map((r) => {
      const script = String(r.inputs.create ?? "");
      const header = stepHeader(script) ?? { name: r.name, description: "" };
      const environment = (r.inputs.environment ?? {}) as Record<string, string>;
      const secretStdin = r.secretPaths.includes("stdin");
      return {
        resource: r.name,
        name: header.name,
        description: header.description,
        rerunBy: [
          ...Object.keys(environment).sort(),
          ...(r.inputs.stdin !== undefined ? [secretStdin ? "stdin (secret)" : "stdin"] : []),
          "a new server (triggers)",
        ],
        secretStdin,
        environment,
        script,
      };
    });
  const schedules: PlanSchedule[] = resources
    .filter((r) => r.type === "command:remote:Command")
    .flatMap((r) => {
      const raw = ((r.inputs.environment ?? {}) as Record<string, string>).OPENCLAW_SCHEDULES;
      return raw ? (JSON.parse(raw) as DeclaredJob[]) : [];
    })
    .map((j) => ({ ...j, nextRuns: nextRuns(j.cron, j.tz, 3, now) }));
  const servers = resources.filter((r) => r.type === "hcloud:index/server:Server");
  const config = mergeConfigPatches(...configPatches(resources));
  return {
    planVersion: 1,
    project: rec.project,
    stack: rec.stack,
    ...(rec.configFile ? { configFile: rec.configFile } : {}),
    resources: tree(resources),
    secrets: Object.fromEntries(resources.filter((r) => r.secretPaths.length > 0).map((r) => [r.name, r.secretPaths])),
    userData: Object.fromEntries(servers.map((s) => [s.name, redactUserData(String(s.inputs.userData ?? ""))])),
    steps,
    openclawConfig: redact(config) as ConfigPatch,
    assistant: assistantOf(steps, config),
    schedules,
    cost: servers.map((s) => estimateCost(String(s.inputs.serverType), s.inputs.backups === true)),
    outputs: rec.outputs,
  };
}
