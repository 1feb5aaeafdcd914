/**
 * What makes a free-text argument unsafe to carry to the host, or a step that
 * never converges. Values travel in the environment or on stdin, never in
 * command text; these are the limits of that transport and of what reads it.
 */

/** Linux's limit for one environment string (`NAME=value` and its NUL): MAX_ARG_STRLEN. */
export const MAX_ENV_STRING_BYTES = 128 * 1024;

/** Flags the pinned OpenClaw picks out of its whole argv, even inside another option's value. */
const OPENCLAW_GLOBAL_FLAG = /(?:^|\s)(--(?:dev|profile|container))(?=[=\s]|$)/;

export interface TextOptions {
  /** A single line only. */
  readonly oneLine?: boolean;
  /** The value becomes an argument of an `openclaw` command on the host. */
  readonly openclawArgv?: boolean;
  /** OpenClaw (or the shell's `$(…)`) trims it: surrounding whitespace would differ on every sync. */
  readonly trimmed?: boolean;
}

/** Why `v` cannot be carried or would never converge, or undefined. */
export function textProblem(v: string, opts: TextOptions = {}): string | undefined {
  if (v.includes("\0")) return "contains a NUL byte, which no environment variable or argument can carry";
  // Tab, line feed and carriage return are text; every other C0 control and DEL is not.
  if ([...v].some((c) => (c < " " && !"\t\n\r".includes(c)) || c === "\x7f")) return "contains a control character";
  if (opts.oneLine && /[\r\n]/.test(v)) return "spans lines";
  if (opts.trimmed && v !== v.trim())
    return "has leading or trailing whitespace, which the host trims, so every sync would see a change";
  const flag = opts.openclawArgv ? OPENCLAW_GLOBAL_FLAG.exec(v) : null;
  if (flag) return `contains ${flag[1]}, which OpenClaw reads as its own option wherever it appears in its arguments`;
  return undefined;
}
