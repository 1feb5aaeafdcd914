import * as pulumi from "@pulumi/pulumi";
import { OpenClawArgsError, type ArgIssue } from "./errors.js";
import { unknownKeyIssues } from "./known-keys.js";
import type { Rule } from "./rules.js";
import { carryProblem, MAX_ARG_TEXT_BYTES } from "./text.js";
import { isPromiseLike } from "./values.js";

/**
 * Collects argument problems for one component. Plain values are checked at
 * once, so `throwIfInvalid()` fails construction before any resource is
 * registered; an `Output` cannot be read yet, so it is checked when it
 * resolves and the step that consumes it fails with the same message.
 */
export class ArgValidator {
  private readonly issues: ArgIssue[] = [];

  constructor(private readonly resource: string) {}

  /**
   * Checks `value` against `rule` and returns the value to use downstream:
   * the plain value itself, or an `Output` that fails when the resolved value
   * is invalid. Secret values are never written into a message.
   */
  check<T>(path: string, value: pulumi.Input<T>, rule: Rule<T>, opts: { secret?: boolean } = {}): pulumi.Input<T> {
    if (pulumi.Output.isInstance(value)) {
      return value.apply((resolved) => {
        const issue = this.toIssue(path, resolved, rule, opts.secret);
        if (issue) throw new OpenClawArgsError(this.resource, [issue]);
        return resolved;
      });
    }
    if (isPromiseLike(value)) {
      return pulumi.output(value).apply((resolved) => {
        const issue = this.toIssue(path, resolved as T, rule, opts.secret);
        if (issue) throw new OpenClawArgsError(this.resource, [issue]);
        return resolved as T;
      }) as pulumi.Input<T>;
    }
    const issue = this.toIssue(path, value as T, rule, opts.secret);
    if (issue) this.issues.push(issue);
    return value;
  }

  /**
   * Checks `value` with `issuesOf`, which finds every problem at once (as in
   * a list of jobs), like `check`: recorded now for a plain value, thrown
   * together when an `Output` or a promise resolves.
   */
  checkAll<T>(value: pulumi.Input<T>, issuesOf: (value: T) => ArgIssue[]): pulumi.Input<T> {
    if (pulumi.Output.isInstance(value) || isPromiseLike(value)) {
      return pulumi.output(value).apply((resolved) => {
        const issues = issuesOf(resolved as T);
        if (issues.length > 0) throw new OpenClawArgsError(this.resource, issues);
        return resolved as T;
      }) as pulumi.Input<T>;
    }
    this.issues.push(...issuesOf(value as T));
    return value;
  }

  /**
   * Checks a secret argument like `check`, never writing its value into a
   * message, and warns once if it came as a plain string.
   */
  checkSecret(path: string, value: pulumi.Input<string>, rule: Rule<string>): pulumi.Input<string> {
    warnIfPlain(path, value);
    return this.check(path, value, rule, { secret: true });
  }

  /** Records every key of a plain `value` that is not in `known` (`path` "" for the top level). */
  knownKeys(path: string, value: unknown, known: readonly string[]): void {
    this.issues.push(...unknownKeyIssues(path, value, known));
  }

  /** Records a problem found by the caller (e.g. a cross-field rule). */
  add(issue: ArgIssue): void {
    this.issues.push(issue);
  }

  /** Throws one error that lists every problem found so far. */
  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new OpenClawArgsError(this.resource, [...this.issues]);
  }

  private toIssue<T>(path: string, value: T, rule: Rule<T>, secret = false): ArgIssue | undefined {
    // The offline plan stands in for secrets it cannot know; their format is
    // checked when the real value is there (pulumi up).
    if (secret && typeof value === "string" && isSecretPlaceholder(value)) return undefined;
    const carried = carryProblem(value);
    if (carried)
      return {
        path: `${path}${carried.at}`,
        problem: carried.problem,
        expected: `text without NUL bytes, at most ${MAX_ARG_TEXT_BYTES} bytes`,
      };
    const failure = rule(value);
    if (!failure) return undefined;
    return { path, problem: `${secret ? "the value" : shown(value)} ${failure.problem}`, expected: failure.expected };
  }
}

/** A value as an error message shows it: JSON, cut short when long. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 100)}… (${text.length} characters)` : text;
}

/** `<secret:name>`: what the offline plan passes instead of a secret it cannot read. */
export function isSecretPlaceholder(v: string): boolean {
  return /^<secret:[A-Za-z0-9_.:-]+>$/.test(v);
}

/** An Output or a promise: a value that cannot be read at construction. */
export function isInputLike(v: unknown): boolean {
  return pulumi.Output.isInstance(v) || isPromiseLike(v);
}

const warnedPlainSecrets = new Set<string>();

/**
 * Warns, once per argument, that a secret came as a plain string: it is
 * still handled as a secret (the one place it becomes a resource input wraps
 * it with `pulumi.secret`), but it should come from `config.requireSecret` so
 * it is encrypted in the stack's config too.
 */
function warnIfPlain(path: string, value: pulumi.Input<string>): void {
  if (typeof value !== "string" || warnedPlainSecrets.has(path)) return;
  warnedPlainSecrets.add(path);
  void pulumi.log.warn(
    `${path} was passed as a plain string; it is treated as a secret, but read it with config.requireSecret("…") so it is also encrypted in your stack configuration.`,
  );
}
