/**
 * Pulumi mocks suited to this library, and a recorder of everything a program
 * registers: type, name, inputs (with which of them are secret), parent and
 * resource options. Works with any program that uses the library.
 *
 * Built on Pulumi's public mocks API (`setMocks` with a `Mocks`); what the
 * recorder needs beyond it comes from sdk-internals.ts.
 */
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { captureProgramErrors, programError, takeProgramErrors } from "./program-errors.js";
import { storedInputs } from "./providers.js";
import { observeRegistrations, waitForRegistrations, wrapSecret, type Registration } from "./sdk-internals.js";

/** One resource as the program registered it. */
export interface RecordedResource {
  /** Type token, e.g. `hcloud:index/server:Server`. */
  readonly type: string;
  /** Logical name, e.g. `openclaw-host-server`. */
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource ("" for the stack's direct children). */
  readonly parent: string;
  /** Whether a provider manages it (false for components). */
  readonly custom: boolean;
  /** Inputs as plain values (secrets unwrapped). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Dotted paths of the inputs that were marked secret, e.g. `stdin`, `connection.privateKey`. */
  readonly secretPaths: readonly string[];
  /** URN given as `deletedWith`, if any. */
  readonly deletedWith: string;
  /** Input names listed in `ignoreChanges`. */
  readonly ignoreChanges: readonly string[];
  /** URNs of its direct dependencies: `dependsOn`, and the resources whose outputs feed its inputs. */
  readonly dependsOn: readonly string[];
  /** The `deleteBeforeReplace` option. */
  readonly deleteBeforeReplace: boolean;
  /** Outputs listed in `additionalSecretOutputs` (stored encrypted in the state). */
  readonly additionalSecretOutputs: readonly string[];
  /** The id the mocks gave it. */
  readonly id: string;
}

/** A remote step as registered: the view tests and the plan need. */
export interface RecordedStep {
  readonly resourceName: string;
  readonly host: string;
  readonly user: string;
  readonly command: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly stdin: string | undefined;
  readonly logging: string | undefined;
  readonly triggers: readonly unknown[];
  readonly resource: RecordedResource;
}

export interface MockOptions {
  /** @default "openclaw" */
  project?: string;
  /** @default "test" */
  stack?: string;
  /** Run as a preview (unknowns stay unknown). @default false */
  preview?: boolean;
  /** Config values the program reads, keyed `project:key` or `key` (prefixed with the project). */
  config?: Record<string, string>;
  /** Keys of `config` (same form) whose values are secret: `config.get…` returns them as secret Outputs. */
  secretKeys?: string[];
  /**
   * What an earlier run of the same stack recorded (`recorder.resources`). The
   * mocks then answer as the engine does on that stack's next `pulumi up`: an
   * input the resource lists in `ignoreChanges` keeps its earlier value in the
   * resource's outputs.
   * @default none: every resource is new
   */
  priorState?: readonly RecordedResource[];
}

/** Records resources; create one with {@link installMocks}. */
export class MockRecorder {
  private readonly list: RecordedResource[] = [];

  /** Every resource, in registration order. */
  get resources(): readonly RecordedResource[] {
    return this.list;
  }

  /** Resources of one type token (`hcloud:index/server:Server`) or short name (`Server`). */
  byType(type: string): RecordedResource[] {
    return this.list.filter((r) => r.type === type || r.type.split(":").pop() === type);
  }

  /** The resource with this logical name; throws when absent. */
  byName(name: string): RecordedResource {
    const r = this.list.find((x) => x.name === name);
    if (!r) throw new Error(`no resource named "${name}"; have: ${this.list.map((x) => x.name).join(", ")}`);
    return r;
  }

  /** Children (direct) of a resource. */
  childrenOf(parent: RecordedResource): RecordedResource[] {
    return this.list.filter((r) => r.parent === parent.urn);
  }

  /** Secret input paths per resource name (only resources that have any). */
  secretInputs(): Record<string, readonly string[]> {
    return Object.fromEntries(this.list.filter((r) => r.secretPaths.length > 0).map((r) => [r.name, r.secretPaths]));
  }

  /** The user-data text of a server (the only server when `name` is omitted). */
  userData(name?: string): string {
    const servers = this.byType("hcloud:index/server:Server").filter((s) => !name || s.name === name);
    if (servers.length !== 1)
      throw new Error(`expected one server${name ? ` named ${name}` : ""}, found ${servers.length}`);
    return String(servers[0]!.inputs.userData ?? "");
  }

  /** Every remote step (`remote.Command`), in registration order. */
  steps(): RecordedStep[] {
    return this.byType("command:remote:Command").map((r) => {
      const conn = (r.inputs.connection ?? {}) as Record<string, unknown>;
      return {
        resourceName: r.name,
        host: String(conn.host ?? ""),
        user: String(conn.user ?? ""),
        command: String(r.inputs.create ?? ""),
        environment: (r.inputs.environment ?? {}) as Record<string, string>,
        stdin: r.inputs.stdin === undefined ? undefined : String(r.inputs.stdin),
        logging: r.inputs.logging === undefined ? undefined : String(r.inputs.logging),
        triggers: (r.inputs.triggers ?? []) as unknown[],
        resource: r,
      };
    });
  }

  /** One remote step by (a suffix of) its resource name, e.g. `configure-gateway`. */
  step(suffix: string): RecordedStep {
    const found = this.steps().filter((s) => s.resourceName === suffix || s.resourceName.endsWith(`-${suffix}`));
    if (found.length !== 1) throw new Error(`expected one step matching "${suffix}", found ${found.length}`);
    return found[0]!;
  }

  /**
   * Every input string that is *not* marked secret, with where it was found:
   * what a leak check searches for secret values.
   */
  plainStrings(): { resource: string; path: string; value: string }[] {
    const out: { resource: string; path: string; value: string }[] = [];
    for (const r of this.list) {
      walk(r.inputs, "", (path, value) => {
        if (typeof value === "string" && !r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`))) {
          out.push({ resource: r.name, path, value });
        }
      });
    }
    return out;
  }
}

function recordedResource(r: Registration): RecordedResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent,
    custom: r.custom,
    inputs: r.inputs,
    secretPaths: r.secretPaths,
    deletedWith: r.deletedWith,
    ignoreChanges: r.ignoreChanges,
    dependsOn: r.dependsOn,
    deleteBeforeReplace: r.deleteBeforeReplace,
    additionalSecretOutputs: r.additionalSecretOutputs,
    id: r.id,
  };
}

function walk(v: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  visit(path, v);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i), visit));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, visit);
  }
}

/**
 * Ids and keys are derived from the resource's type and name, so two runs of
 * the same program see the same values: the change-impact helper relies on it.
 */
function numericId(type: string, name: string): string {
  return String(1000 + (digest(type, name).readUInt32BE(0) % 9_000_000));
}

function digest(...parts: string[]): Buffer {
  return createHash("sha256").update(parts.join("\0")).digest();
}

/** A real OpenSSH ED25519 key pair, derived from the resource name. */
function ed25519Pair(name: string): { publicKeyOpenssh: string; privateKeyOpenssh: string; privateKeyPem: string } {
  // PKCS#8 wrapping of a raw 32-byte ED25519 seed.
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), digest("ed25519", name)]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const blob = Buffer.concat([lenPrefix(Buffer.from("ssh-ed25519")), Buffer.from("ssh-ed25519"), lenPrefix(raw), raw]);
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return {
    publicKeyOpenssh: `ssh-ed25519 ${blob.toString("base64")}\n`,
    // Shape-realistic stand-in: tests never use it to log in.
    privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${digest(pem).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    privateKeyPem: pem,
  };
}

function lenPrefix(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length, 0);
  return len;
}

/** Outputs the real providers would add, realistic enough for the library's code paths. */
function mockState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case "hcloud:index/firewall:Firewall":
    case "hcloud:index/sshKey:SshKey":
      // Numeric ids, as Hetzner's: `firewallIds` is a number list. The state
      // is what the provider stores (an SSH key trimmed).
      return { id: numericId(args.type, args.name), state: storedInputs(args.type, inputs) };
    case "hcloud:index/server:Server": {
      const id = numericId(args.type, args.name);
      const n = Number(id) % 250;
      return {
        id,
        state: {
          ...inputs,
          ipv4Address: `203.0.113.${n}`,
          ipv6Address: `2001:db8:${n.toString(16)}::1`,
          ipv6Network: `2001:db8:${n.toString(16)}::/64`,
          status: "running",
        },
      };
    }
    case "tls:index/privateKey:PrivateKey": {
      const pair = ed25519Pair(args.name);
      return {
        id: `${args.name}-id`,
        state: {
          ...inputs,
          publicKeyOpenssh: pair.publicKeyOpenssh,
          privateKeyOpenssh: pair.privateKeyOpenssh,
          privateKeyPem: pair.privateKeyPem,
        },
      };
    }
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 16);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      // Same name and keepers, same value (two runs compare); new keepers, a new value.
      const seed = `${args.name}\0${JSON.stringify(inputs.keepers ?? {})}`;
      const bytes = digest(seed, "a").toString("hex") + digest(seed, "b").toString("hex");
      const result = Array.from(
        { length },
        (_, i) => alphabet[parseInt(bytes.slice(i * 2, i * 2 + 2), 16) % alphabet.length],
      ).join("");
      return { id: `${args.name}-id`, state: { ...inputs, result } };
    }
    case "tailscale:index/tailnetKey:TailnetKey": {
      // A new key per name and inputs, as a replacement mints one; its shape as Tailscale's.
      const id = `k${digest(`${args.name}\0${JSON.stringify(inputs)}`)
        .toString("hex")
        .slice(0, 12)}CNTRL`;
      return {
        id,
        state: {
          ...inputs,
          key: `tskey-auth-${id}-${digest(id, "key").toString("hex").slice(0, 32)}`,
          invalid: false,
          userId: "",
          createdAt: "2026-01-01T00:00:00Z",
          expiresAt: "2026-01-08T00:00:00Z",
        },
      };
    }
    case "command:local:Command":
    case "command:remote:Command":
      return {
        id: `${args.name}-${digest(JSON.stringify(inputs)).toString("hex").slice(0, 8)}`,
        state: { ...inputs, stdout: "changed\n", stderr: "" },
      };
    default:
      return { id: `${args.name}-id`, state: { ...inputs } };
  }
}

/**
 * Resources the mocks have answered (registered or read) since loading: {@link settle} waits for it to stop growing.
 */
let answered = 0;

/**
 * Installs this library's Pulumi mocks and returns the recorder. Call before
 * constructing any resource (vitest runs each test file in its own process,
 * so once per file is the usual pattern).
 */
export async function installMocks(options: MockOptions = {}): Promise<MockRecorder> {
  const project = options.project ?? "openclaw";
  const stack = options.stack ?? "test";
  const qualify = (k: string) => (k.includes(":") ? k : `${project}:${k}`);
  const recorder = new MockRecorder();
  captureProgramErrors();
  const prior = new Map((options.priorState ?? []).map((r) => [`${r.type}::${r.name}`, r]));
  const ignored = new Map<string, readonly string[]>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        answered++;
        const key = `${args.type}::${args.name}`;
        const { id, state } = mockState({ ...args, inputs: keptInputs(args.inputs, prior.get(key), ignored.get(key)) });
        return { id, state };
      },
      call(args) {
        return args.inputs as Record<string, unknown>;
      },
    },
    project,
    stack,
    options.preview ?? false,
  );
  if (options.config) {
    pulumi.runtime.setAllConfig(
      Object.fromEntries(Object.entries(options.config).map(([k, v]) => [qualify(k), v])),
      (options.secretKeys ?? []).map(qualify),
    );
  }
  // The mocks above see neither URNs, parents nor resource options, and see
  // inputs with secretness moved up to the top-level input: the registrations
  // as sent carry all of it.
  const list = recorder.resources as RecordedResource[]; // read-only to users, filled here
  observeRegistrations(
    (r) => list.push(recordedResource(r)),
    (sent) => ignored.set(`${sent.type}::${sent.name}`, sent.ignoreChanges),
  );
  return recorder;
}

/**
 * The inputs as the engine hands them to the provider: for each top-level
 * input in `ignoreChanges`, the value the earlier run stored (a secret stays
 * one), when there was an earlier run.
 */
function keptInputs(
  inputs: Record<string, unknown>,
  earlier: RecordedResource | undefined,
  ignoreChanges: readonly string[] = [],
): Record<string, unknown> {
  if (!earlier) return inputs;
  const kept = { ...inputs };
  for (const k of ignoreChanges) {
    if (!(k in earlier.inputs)) continue;
    kept[k] = earlier.secretPaths.includes(k) ? wrapSecret(earlier.inputs[k]) : earlier.inputs[k];
  }
  return kept;
}

/** Resolves an Output's value (or `undefined` when unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/**
 * Waits until the program has registered everything it will (all pending
 * applies have run), so the recorder is complete. Rejects, as `pulumi up`
 * would fail, with the error the program raised inside an Output (a bad
 * argument that came as an Output, say), each error once however many
 * Outputs it rejected; several become one `AggregateError`.
 */
export async function settle(): Promise<void> {
  let last = -1;
  let stable = 0;
  // Wait for the SDK's own registrations in flight, then for the number of
  // resources the mocks have answered to stop growing: an apply may start new
  // ones. The SDK's mock path has no timers, only promise chains, so a turn of
  // the event loop (which also delivers unhandled rejections) is enough to
  // see any such registration start.
  while (stable < 3) {
    await waitForRegistrations();
    await new Promise((r) => setImmediate(r));
    const count = answered;
    stable = count === last ? stable + 1 : 0;
    last = count;
  }
  const error = programError(takeProgramErrors());
  if (error) throw error;
}
