/**
 * Comparing two recordings of a program, without running anything: what the
 * change-impact helper reports, and what `openclaw-infra plan --compare`
 * shows. Apart from the mocks (which load the Pulumi SDK), so that the CLI
 * can compare without loading it. The rules are the providers' own
 * (providers.ts): which inputs force a replacement, which only update (for a
 * remote step, re-run its script), and which the provider stores in another
 * form than it was sent.
 */
import { CHECK_STEPS, stepHeader } from "../remote/step.js";
import type { RecordedResource } from "./mocks.js";
import { refusedChange, REPLACING_INPUTS, storedInputs } from "./providers.js";

export type ImpactAction =
  /** New in the second run. */
  | "create"
  /** Gone in the second run. */
  | "delete"
  /** Destroyed and created again (a remote step: its script runs again on create). */
  | "replace"
  /** Updated in place. */
  | "update"
  /** A remote step whose inputs changed: its script runs again. */
  | "rerun";

export interface ResourceImpact {
  readonly name: string;
  readonly type: string;
  readonly action: ImpactAction;
  /** Changed inputs, as dotted paths (`environment.OPENCLAW_VERSION`, `stdin`, `serverType`). */
  readonly changedInputs: readonly string[];
  /** The changed inputs that force the replacement (empty unless `replace`). */
  readonly replaceReasons: readonly string[];
  /** Whether the changed inputs are secret (their values must not be shown). */
  readonly secret: boolean;
  /** Why the provider would refuse this change (the update fails), if it would. */
  readonly refused?: string;
}

export interface ChangeImpact {
  /** Every resource that would change, in registration order. */
  readonly changes: readonly ResourceImpact[];
  /** Names of remote steps that change the host and would run again (re-run or replaced). */
  readonly stepsRun: readonly string[];
  /** Names of check-only steps (`verify`) that would run again: they change nothing. */
  readonly checksRun: readonly string[];
  /** Names of resources that would be replaced. */
  readonly replaced: readonly string[];
  /** Whether a server would be replaced. */
  readonly serverReplaced: boolean;
  /** Changes the provider would refuse: `pulumi up` would fail on them. */
  readonly refused: readonly { readonly name: string; readonly reason: string }[];
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

/** Dotted paths (down to the second level for objects such as `environment`) whose values differ. */
function changedPaths(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[key];
    const y = b[key];
    if (stable(x) === stable(y)) continue;
    const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isObj(x) && isObj(y)) {
      const xo = x as Record<string, unknown>;
      const yo = y as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(xo), ...Object.keys(yo)])].sort()) {
        if (stable(xo[k]) !== stable(yo[k])) out.push(`${key}.${k}`);
      }
    } else out.push(key);
  }
  return out;
}

/** Input paths (as in `changedPaths`) whose value is, or contains, `id`. */
function pathsReferencing(inputs: Record<string, unknown>, id: string): string[] {
  const hits = new Set<string>();
  const visit = (v: unknown, path: string[]): void => {
    if ((typeof v === "string" || typeof v === "number") && String(v) === id) {
      hits.add(path.slice(0, path.length > 1 && !/^\d+$/.test(path[1]!) ? 2 : 1).join("."));
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, String(i)]));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(inputs, []);
  return [...hits];
}

/**
 * Compares two recordings of the same program. A replaced resource gets a
 * new id, so whatever takes its id as an input changes too (mocks derive ids
 * from names, so this is followed explicitly): a replaced server re-creates
 * every step keyed on it.
 */
export function compareRecordings(
  before: readonly RecordedResource[],
  after: readonly RecordedResource[],
): ChangeImpact {
  const key = (r: RecordedResource) => `${r.type}::${r.name}`;
  const old = new Map(before.filter((r) => r.custom).map((r) => [key(r), r]));
  const current = after.filter((r) => r.custom);
  const changed = new Map<string, Set<string>>();
  for (const r of current) {
    const prev = old.get(key(r));
    if (!prev) continue;
    const ignored = new Set(r.ignoreChanges);
    // Pulumi diffs the new inputs against what the provider stored the last time.
    const paths = changedPaths(storedInputs(prev.type, prev.inputs), r.inputs).filter(
      (p) => !ignored.has(p.split(".")[0]!),
    );
    if (paths.length > 0) changed.set(key(r), new Set(paths));
  }
  const replacingOf = (r: RecordedResource) => REPLACING_INPUTS[r.type] ?? [];
  const isReplaced = (r: RecordedResource) =>
    [...(changed.get(key(r)) ?? [])].some((p) => replacingOf(r).includes(p.split(".")[0]!));
  // Follow replacements to the resources that take the replaced ids as inputs.
  const followed = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const r of current) {
      if (followed.has(key(r)) || !isReplaced(r)) continue;
      followed.add(key(r));
      const oldId = old.get(key(r))?.id;
      if (!oldId) continue;
      for (const other of current) {
        if (other === r) continue;
        for (const p of pathsReferencing(other.inputs, oldId)) {
          if (new Set(other.ignoreChanges).has(p.split(".")[0]!)) continue;
          const set = changed.get(key(other)) ?? new Set<string>();
          if (!set.has(p)) {
            set.add(p);
            changed.set(key(other), set);
            grew = true;
          }
        }
      }
    }
  }

  const changes: ResourceImpact[] = [];
  for (const r of current) {
    const prev = old.get(key(r));
    old.delete(key(r));
    if (!prev) {
      changes.push({
        name: r.name,
        type: r.type,
        action: "create",
        changedInputs: [],
        replaceReasons: [],
        secret: false,
      });
      continue;
    }
    const paths = [...(changed.get(key(r)) ?? [])].sort();
    if (paths.length === 0) continue;
    const replaceReasons = paths.filter((p) => replacingOf(r).includes(p.split(".")[0]!));
    const action: ImpactAction =
      replaceReasons.length > 0 ? "replace" : r.type === "command:remote:Command" ? "rerun" : "update";
    const secretPaths = [...prev.secretPaths, ...r.secretPaths];
    const secret = paths.some((p) =>
      secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || s.startsWith(`${p}.`)),
    );
    const refused = action === "update" ? refusedChange(r.type, prev.inputs, r.inputs) : undefined;
    changes.push({
      name: r.name,
      type: r.type,
      action,
      changedInputs: paths,
      replaceReasons,
      secret,
      ...(refused ? { refused } : {}),
    });
  }
  for (const r of old.values()) {
    changes.push({
      name: r.name,
      type: r.type,
      action: "delete",
      changedInputs: [],
      replaceReasons: [],
      secret: false,
    });
  }
  const isStep = (c: ResourceImpact) => c.type === "command:remote:Command";
  const checks = new Set(
    current
      .filter((r) => CHECK_STEPS.includes(stepHeader(String(r.inputs.create ?? ""))?.name ?? ""))
      .map((r) => r.name),
  );
  const run = changes.filter((c) => isStep(c) && c.action !== "delete");
  return {
    changes,
    stepsRun: run.filter((c) => !checks.has(c.name)).map((c) => c.name),
    checksRun: run.filter((c) => checks.has(c.name)).map((c) => c.name),
    replaced: changes.filter((c) => c.action === "replace").map((c) => c.name),
    serverReplaced: changes.some((c) => c.type === "hcloud:index/server:Server" && c.action === "replace"),
    refused: changes.flatMap((c) => (c.refused ? [{ name: c.name, reason: c.refused }] : [])),
  };
}
