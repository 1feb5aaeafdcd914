/**
 * What a switched-off feature must not leave behind, as the inputs of one
 * `remove-<feature>` step (scripts/remove-feature.sh). Pure.
 */
import removeFeatureScript from "./scripts/remove-feature.sh";
import { renderStep, type RemoteStep, type StepSpec } from "./step.js";

export interface Removal {
  /** The step's name: `remove-<feature>`. */
  readonly name: string;
  /** The feature, as messages name it. */
  readonly feature: string;
  /** One line: what the step makes sure of. */
  readonly description: string;
  /** systemd user units to stop, disable and delete (timers before their services). */
  readonly units?: readonly string[];
  /** Files under the admin user's home. */
  readonly files?: readonly string[];
  /** Docker images by tag, dependents first. */
  readonly images?: readonly string[];
  /** Docker images carrying this label, whatever their tag. */
  readonly imageLabel?: string;
  /** Docker containers whose names start with this. */
  readonly containerPrefix?: string;
  /** Dot paths of `openclaw.json` the feature owns. */
  readonly configPaths?: readonly string[];
  /** Ids of the OpenClaw plugins it installed, uninstalled after its config part is gone. */
  readonly plugins?: readonly string[];
  /**
   * Paths under the admin user's home that the running feature writes (a
   * channel's link state), removed last, once the gateway no longer runs it.
   */
  readonly state?: readonly string[];
  /** The feature's "already applied" markers, cleared so that switching it back on applies again. */
  readonly markers?: readonly string[];
}

/** `{"a":{"b":null}}` for `a.b`: what `openclaw config patch` deletes. */
export function deletionPatch(paths: readonly string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split(".");
    let node = patch;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = null;
  }
  return patch;
}

export function renderRemovalStep(r: Removal, port: number): RemoteStep {
  const json = (v: readonly string[] | undefined) => JSON.stringify(v ?? []);
  return renderStep({
    name: r.name,
    description: r.description,
    script: removeFeatureScript,
    environment: {
      OPENCLAW_REMOVE_FEATURE: r.feature,
      OPENCLAW_GATEWAY_PORT: String(port),
      OPENCLAW_REMOVE_UNITS: json(r.units),
      OPENCLAW_REMOVE_FILES: json(r.files),
      OPENCLAW_REMOVE_IMAGES: json(r.images),
      OPENCLAW_REMOVE_IMAGE_LABEL: r.imageLabel ?? "",
      OPENCLAW_REMOVE_CONTAINER_PREFIX: r.containerPrefix ?? "",
      OPENCLAW_REMOVE_CONFIG_PATHS: json(r.configPaths),
      OPENCLAW_REMOVE_CONFIG: r.configPaths?.length ? JSON.stringify(deletionPatch(r.configPaths)) : "",
      OPENCLAW_REMOVE_MARKERS: json(r.markers),
      // Only where there are any: the other removals' environments stay as they were.
      ...(r.plugins?.length ? { OPENCLAW_REMOVE_PLUGINS: json(r.plugins) } : {}),
      ...(r.state?.length ? { OPENCLAW_REMOVE_STATE: json(r.state) } : {}),
    },
  });
}

/** The settings a removal needs: the gateway's port, for its restart. */
export interface RemovalSettings {
  readonly port: number;
}

/** A feature's removal as the one step of a spec, under `key` (its resource-name suffix in kebab case). */
export function removalSpec<K extends string>(
  key: K,
  removal: Removal,
): StepSpec<RemovalSettings, Record<string, never>, K> {
  return {
    render: (s) => ({ [key]: renderRemovalStep(removal, s.port) }) as Record<K, RemoteStep>,
    order: [key],
    placeholders: {},
  };
}
