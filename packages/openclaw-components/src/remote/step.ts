/**
 * The remote step as a value: what runs on the host, with what environment and
 * stdin. Pure: the components turn it into a `remote.Command`, the tests run
 * it through shellcheck and over SSH, the plan prints it.
 */
import lib from "./scripts/lib.sh";

export interface RemoteStep {
  /** Short name, unique within a deployment, e.g. `install-openclaw`. */
  readonly name: string;
  /** One line for humans: what the step does, in the library's words (no argument's value). */
  readonly description: string;
  /** The full command text (shared helpers + the step's script). Never holds a secret. */
  readonly command: string;
  /** Non-secret inputs, passed as SSH environment (sshd accepts `OPENCLAW_*`). */
  readonly environment: Readonly<Record<string, string>>;
  /** Text piped to the command; the only way secrets reach a host. */
  readonly stdin?: string;
  /** True when `stdin` holds secrets: the step's output is then never logged. */
  readonly secret: boolean;
}

export interface StepSource {
  readonly name: string;
  readonly description: string;
  /** The step's own `.sh` file text. */
  readonly script: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly secret?: boolean;
}

const LINT_ONLY_SOURCE = /^# shellcheck source=\S*lib\.sh\n\. \/dev\/null\n/m;

/** Marks where a step's own script starts in its command (the plan reads name and description from it). */
export const STEP_HEADER = "# ---- step";

/** Name and description of a rendered command, read back from its header line. */
export function stepHeader(command: string): { name: string; description: string } | undefined {
  const m = new RegExp(`^${STEP_HEADER} ([a-z0-9-]+): (.*)$`, "m").exec(command);
  return m ? { name: m[1]!, description: m[2]! } : undefined;
}

/**
 * Steps that only check the host and change nothing. A change report lists
 * them apart from the steps that change the host.
 */
export const CHECK_STEPS: readonly string[] = ["verify"];

/** The shared helpers every step runs first. */
export const STEP_PRELUDE = lib;

/** Joins the shared helpers and a step's script into the command text a host runs. */
export function renderStep(src: StepSource): RemoteStep {
  // The name and description become a comment line in the command text: they
  // are the library's own words, never an argument's value (values reach the
  // script through the environment or stdin). One printable line, or a
  // newline would end the comment and run the rest.
  for (const [what, text] of [
    ["name", src.name],
    ["description", src.description],
  ] as const) {
    if (!/^[\x20-\x7e]+$/.test(text))
      throw new Error(`step ${JSON.stringify(src.name)}: its ${what} must be one line of printable ASCII`);
  }
  // The helpers are inlined here, so drop the shebang and the no-op source
  // line that exists only to point shellcheck at lib.sh.
  const body = src.script.replace(/^#!.*\n/, "").replace(LINT_ONLY_SOURCE, "");
  const command = `${STEP_PRELUDE.trimEnd()}\n\n${STEP_HEADER} ${src.name}: ${src.description}\n${body}`;
  return {
    name: src.name,
    description: src.description,
    command,
    environment: { ...(src.environment ?? {}) },
    ...(src.stdin !== undefined ? { stdin: src.stdin } : {}),
    secret: src.secret ?? false,
  };
}

/**
 * How one component's steps are rendered: the same object drives the
 * component's resources, `renderDeployment` and so the plan and the tiers.
 */
export interface StepSpec<S, Sec, K extends string> {
  /** The component's pure renderer: settings and secrets to its steps, by key. */
  readonly render: (settings: S, secrets: Sec) => Readonly<Record<K, RemoteStep>>;
  /** The order the steps run in (a key becomes the resource-name suffix in kebab case). */
  readonly order: readonly K[];
  /** Shown in place of secrets in everything but stdin. */
  readonly placeholders: Sec;
  /** Steps whose stdin carries secrets. */
  readonly secretSteps?: readonly K[];
}

/** A spec's steps, rendered, in the order they run. */
export function renderSteps<S, Sec, K extends string>(
  spec: StepSpec<S, Sec, K>,
  settings: S,
  secrets: Sec,
): RemoteStep[] {
  const steps = spec.render(settings, secrets);
  return spec.order.map((key) => steps[key]);
}
