/**
 * A chat service's plain list of ids (users, channels), checked one by one.
 * Ids shape an allowlist, so they must be plain values: a list that cannot be
 * read now must never render as "nobody" or "everybody".
 */
import type { Rule } from "./rules.js";
import { isInputLike, type ArgValidator } from "./validator.js";
import { isPlainObject } from "./values.js";

export interface IdListOptions {
  /** The list may not be empty (the allowlist would then admit nobody). */
  readonly required?: boolean;
  /** At most this many ids: they travel in a step's stdin. */
  readonly max: number;
  /** An example of the list, for the expected form. */
  readonly example: string;
}

/** Whether `list` is a plain list (not an Output); otherwise records why not into `v` under `path`. */
export function isPlainList(list: unknown, path: string, v: ArgValidator, expected: string): list is unknown[] {
  if (Array.isArray(list)) return true;
  v.add({ path, problem: isInputLike(list) ? "is an Output or a promise" : "is not a list", expected });
  return false;
}

/** A plain list of distinct ids, each checked by `rule`; problems recorded into `v` under `path`. */
export function plainIdList(list: unknown, path: string, rule: Rule<unknown>, v: ArgValidator, o: IdListOptions) {
  if (!Array.isArray(list)) {
    v.add({
      path,
      problem: isInputLike(list) ? "is an Output or a promise" : list === undefined ? "is missing" : "is not a list",
      expected: `a plain list of ids as strings, e.g. ${o.example}`,
    });
    return [];
  }
  if (o.required && list.length === 0)
    v.add({ path, problem: "is empty", expected: "at least one id: the bot then answers nobody" });
  if (list.length > o.max) v.add({ path, problem: `lists ${list.length} ids`, expected: `at most ${o.max}` });
  list.forEach((id, i) => {
    v.check(`${path}[${i}]`, id, rule);
    if (list.indexOf(id) !== i)
      v.add({ path: `${path}[${i}]`, problem: "repeats an id listed before it", expected: "each id once" });
  });
  return list.map(String);
}

export interface EntryListOptions<T> {
  /** What one entry is, in messages: `guild`, `channel`. */
  readonly what: string;
  /** At most this many entries. */
  readonly max: number;
  /** An example of one entry, for the expected form. */
  readonly example: string;
  /** Every key an entry may have. */
  readonly keys: readonly string[];
  /** The rule for an entry's `id`. */
  readonly id: Rule<unknown>;
  /** Checks the rest of one plain entry (problems into `v`, paths under `path`) and returns it resolved. */
  readonly entry: (e: Record<string, unknown>, path: string) => T;
}

/**
 * A plain list of entries, each a plain object with a distinct `id` (the
 * guilds or channels a bot answers in), checked one by one; problems recorded
 * into `v` under `path`. Entries that are not objects are left out.
 */
export function plainEntryList<T>(list: unknown, path: string, v: ArgValidator, o: EntryListOptions<T>): T[] {
  if (!isPlainList(list, path, v, `a plain list, e.g. [${o.example}]`)) return [];
  if (list.length > o.max) v.add({ path, problem: `lists ${list.length} ${o.what}s`, expected: `at most ${o.max}` });
  const seen = new Set<string>();
  return list.flatMap((e: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isPlainObject(e)) {
      v.add({
        path: p,
        problem: isInputLike(e) ? "is an Output or a promise" : "is not an object",
        expected: o.example,
      });
      return [];
    }
    v.knownKeys(p, e, o.keys);
    v.check(`${p}.id`, e.id, o.id);
    if (typeof e.id === "string" && seen.has(e.id))
      v.add({ path: `${p}.id`, problem: `is the id of a ${o.what} listed before it`, expected: `each ${o.what} once` });
    seen.add(String(e.id));
    return [o.entry(e, p)];
  });
}

/** An optional plain boolean (`default` when absent); a problem recorded into `v` otherwise. */
export function plainBoolean(value: unknown, fallback: boolean, path: string, v: ArgValidator): boolean {
  const b = value ?? fallback;
  if (typeof b !== "boolean") v.add({ path, problem: "is not a boolean", expected: "true or false (plain)" });
  return b === true;
}
