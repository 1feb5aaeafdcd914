/** One problem with one argument: where it is, what is wrong, and what is expected. */
export interface ArgIssue {
  /** Path of the argument, e.g. `serverName` or `telegram.schedules[2].cron`. */
  readonly path: string;
  /** What is wrong with the value. Never contains a secret's value. */
  readonly problem: string;
  /** The expected form, with an example where one helps. */
  readonly expected: string;
}

/**
 * Thrown at construction (or, for an `Output`, when it resolves) when arguments
 * are invalid. Lists every bad argument at once, so one run shows all of them.
 */
export class OpenClawArgsError extends Error {
  readonly issues: readonly ArgIssue[];
  readonly resource: string;

  constructor(resource: string, issues: readonly ArgIssue[]) {
    const message = formatIssues(resource, issues);
    super(message);
    this.name = "OpenClawArgsError";
    this.resource = resource;
    this.issues = issues;
    // Thrown inside an apply, the same error object rejects every input built
    // on that Output, and Pulumi's SDK prepends `error serializing property
    // "<key>": ` to its message at each one (runtime/rpc.ts): a dozen
    // prefixes before the reader gets to the argument. The message stays as
    // written.
    Object.defineProperty(this, "message", { get: () => message, set: () => undefined, enumerable: false });
  }
}

function formatIssues(resource: string, issues: readonly ArgIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path}: ${i.problem}; expected ${i.expected}.`);
  const noun = issues.length === 1 ? "argument" : "arguments";
  return `${resource}: invalid ${noun}:\n${lines.join("\n")}`;
}
