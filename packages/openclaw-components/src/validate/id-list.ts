/**
 * A chat service's plain list of ids (users, channels), checked one by one.
 * Ids shape an allowlist, so they must be plain values: a list that cannot be
 * read now must never render as "nobody" or "everybody".
 */
import type { Rule } from "./rules.js";
import { isInputLike, type ArgValidator } from "./validator.js";

export interface IdListOptions {
  /** The list may not be empty (the allowlist would then admit nobody). */
  readonly required?: boolean;
  /** At most this many ids: they travel in a step's stdin. */
  readonly max: number;
  /** An example of the list, for the expected form. */
  readonly example: string;
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
