/**
 * The Pulumi SDK internals the testing entry cannot do without, all of them
 * here. Everything else goes through the public mocks API: `setMocks` with a
 * `Mocks` whose `newResource` answers each registration with an id and
 * outputs, and whose `call` answers each function call.
 *
 * The recorder needs more than `newResource` is given. Its `MockResourceArgs`
 * (type, name, inputs, provider, custom, import id, transforms) has no URN, no
 * parent and no resource options, and its inputs are not as they were sent: a
 * secret anywhere inside an input marks the whole top-level input secret
 * (`connection`, not `connection.privateKey`); resource references arrive as
 * ids or live resources, assets as Asset objects, and unknowns (in a preview)
 * as `Unknown` objects. So the recorder reads each registration request as
 * the SDK sent it to the mock monitor.
 *
 * Each internal is an assumption below; when the installed SDK breaks one,
 * the recorder throws an error naming it, and sdk-internals.test.ts fails on
 * it.
 */
import * as pulumi from "@pulumi/pulumi";

export const ASSUMPTIONS = {
  /**
   * Where the recorder sees registrations. `setMocks` stores its mock monitor
   * where `pulumi.runtime.getMonitor()` returns it, and the SDK hands each
   * resource registration to that object's `registerResource(request,
   * callback)`, looked up per call, so replacing the method sees them all.
   * Public API has no hook that sees a registration with its URN and options.
   */
  monitor:
    "after pulumi.runtime.setMocks, pulumi.runtime.getMonitor() returns the mock monitor, and the SDK sends every resource registration to its registerResource(request, callback)",
  /**
   * What the recorder reads from a registration: the engine's
   * RegisterResourceRequest message (generated protobuf code), whose getters
   * return the parent, the dependencies, `ignoreChanges`,
   * `deleteBeforeReplace`, `additionalSecretOutputs` and `deletedWith` the SDK
   * filled from the resource options, and the inputs as sent; the response's
   * getters the URN and id. `MockResourceArgs` carries none of these but the
   * (reshaped) inputs.
   */
  request:
    "a registration request has getType, getName, getCustom, getParent, getObject, getDependenciesList, getIgnorechangesList, getDeletebeforereplace, getAdditionalsecretoutputsList and getDeletedwith; its response has getUrn and getId",
  /**
   * Which inputs are secret: a secret is sent as `{ [specialSigKey]:
   * specialSecretSig, value }` exactly where it occurs. The SDK exports both
   * constants (`4dabf18193072939515e22adb298388d`,
   * `1b47061264138c4ac30d75fd1eb44270` in 3.x), read from it here, not copied.
   * Public API cannot tell: `MockResourceArgs` marks only the top-level input
   * (with this same wrapper), and `pulumi.isSecret` needs the Outputs, which
   * the mocks never see.
   */
  secret:
    "a secret input is sent as { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value } where it occurs, and the SDK exports both constants",
  /**
   * When the program has finished registering. The SDK holds an RPC
   * keep-alive from a resource's constructor until its inputs have resolved
   * and the registration answered, or failed (runtime/resource.ts), and
   * `waitForRPCs()` (runtime/settings.ts, not in the typings) resolves once
   * none is held. Public API has no such wait: a timer-based guess returns
   * early on a loaded machine, before a registration whose input fails.
   */
  rpcs: "pulumi.runtime.waitForRPCs() resolves once every resource registration the SDK has started has finished or failed",
} as const;

export type Assumption = keyof typeof ASSUMPTIONS;

/** The error for an SDK that breaks `assumption`. */
function sdkChanged(assumption: Assumption, detail: string): Error {
  return new Error(
    `The installed @pulumi/pulumi breaks an assumption of @openclaw/infra-components/testing (${assumption}: ${ASSUMPTIONS[assumption]}): ${detail}`,
  );
}

/** One resource registration as the program sent it, with the URN and id the mock monitor answered. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent: string;
  readonly custom: boolean;
  /** Inputs as sent, with the secret wrappers removed. */
  readonly inputs: Record<string, unknown>;
  /** Dotted paths of the inputs sent as secrets. */
  readonly secretPaths: string[];
  readonly deletedWith: string;
  readonly ignoreChanges: string[];
  /** Every direct dependency's URN: `dependsOn` and the resources whose outputs feed the inputs. */
  readonly dependsOn: string[];
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: string[];
  readonly id: string;
}

type Callback = (err: Error | null, response?: unknown) => void;
interface MockMonitorLike {
  registerResource(request: unknown, callback: Callback): unknown;
}

/**
 * Calls `onRegistered` for every resource registration that the mock monitor
 * installed by the last `setMocks` completes, and `onSent` with each request
 * before the mocks answer it. Call right after `setMocks`.
 */
export function observeRegistrations(
  onRegistered: (registration: Registration) => void,
  onSent: (request: Omit<Registration, "urn" | "id">) => void = () => {},
): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as Partial<MockMonitorLike> | undefined;
  if (typeof monitor?.registerResource !== "function")
    throw sdkChanged("monitor", "getMonitor() has no registerResource method");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    // Read before the call, so a missing getter fails the registration with the reason.
    const sent = readRequest(request);
    onSent(sent);
    return register(request, (err, response) => {
      if (!err && response) onRegistered({ ...sent, ...readResponse(response) });
      callback(err, response);
    });
  };
}

/** The fields of a registration request that the recorder reports. */
export function readRequest(request: unknown): Omit<Registration, "urn" | "id"> {
  const get = getter(request);
  const object = get("getObject") as { toJavaScript(): Record<string, unknown> } | undefined;
  const wire = object?.toJavaScript() ?? {};
  return {
    type: get("getType") as string,
    name: get("getName") as string,
    parent: get("getParent") as string,
    custom: get("getCustom") as boolean,
    inputs: plainInputs(wire),
    secretPaths: secretPaths(wire),
    deletedWith: get("getDeletedwith") as string,
    ignoreChanges: get("getIgnorechangesList") as string[],
    dependsOn: get("getDependenciesList") as string[],
    deleteBeforeReplace: get("getDeletebeforereplace") as boolean,
    additionalSecretOutputs: get("getAdditionalsecretoutputsList") as string[],
  };
}

function readResponse(response: unknown): { urn: string; id: string } {
  const get = getter(response);
  return { urn: get("getUrn") as string, id: get("getId") as string };
}

function getter(message: unknown): (name: string) => unknown {
  return (name) => {
    const fn = (message as Record<string, unknown> | null | undefined)?.[name];
    if (typeof fn !== "function") throw sdkChanged("request", `the message has no ${name}()`);
    return (fn as () => unknown).call(message);
  };
}

function signature(): { key: string; secret: string } {
  const { specialSigKey: key, specialSecretSig: secret } = pulumi.runtime as {
    specialSigKey?: unknown;
    specialSecretSig?: unknown;
  };
  if (typeof key !== "string" || typeof secret !== "string")
    throw sdkChanged("secret", "pulumi.runtime.specialSigKey or specialSecretSig is missing");
  return { key, secret };
}

/** `value` as the SDK sends a secret. */
export function wrapSecret(value: unknown): Record<string, unknown> {
  const sig = signature();
  return { [sig.key]: sig.secret, value };
}

function isWrappedSecret(v: unknown, sig: { key: string; secret: string }): v is { value: unknown } {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[sig.key] === sig.secret
  );
}

/** Dotted paths of the secrets in sent inputs (`stdin`, `connection.privateKey`, `list.1`). */
function secretPaths(wire: unknown, path = "", sig = signature()): string[] {
  if (Array.isArray(wire)) return wire.flatMap((x, i) => secretPaths(x, path ? `${path}.${i}` : String(i), sig));
  if (wire && typeof wire === "object") {
    if (isWrappedSecret(wire, sig)) return [path];
    return Object.entries(wire).flatMap(([k, x]) => secretPaths(x, path ? `${path}.${k}` : k, sig));
  }
  return [];
}

/** Sent inputs with their secret wrappers removed. */
function plainInputs(wire: unknown, sig = signature()): Record<string, unknown> {
  const unwrap = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(unwrap);
    if (x && typeof x === "object") {
      if (isWrappedSecret(x, sig)) return unwrap(x.value);
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, unwrap(y)]));
    }
    return x;
  };
  return unwrap(wire) as Record<string, unknown>;
}

/** Resolves once every registration the SDK has started has finished or failed. */
export function waitForRegistrations(): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof wait !== "function") throw sdkChanged("rpcs", "pulumi.runtime.waitForRPCs is missing");
  return wait();
}
