/**
 * What makes a free-text argument unsafe to carry to the host, or a step that
 * never converges. Values travel in the environment or on stdin, never in
 * command text; these are the limits of that transport and of what reads it.
 */

/** Linux's limit for one environment string (`NAME=value` and its NUL): MAX_ARG_STRLEN. */
export const MAX_ENV_STRING_BYTES = 128 * 1024;

/**
 * Longest text one argument may hold: half of one environment string, so it
 * still fits beside the other inputs its step carries in the same variable.
 */
export const MAX_ARG_TEXT_BYTES = 64 * 1024;

export interface TextOptions {
  /** A single line only. */
  readonly oneLine?: boolean;
  /** OpenClaw (or the shell's `$(…)`) trims it: surrounding whitespace would differ on every sync. */
  readonly trimmed?: boolean;
}

/** Why `v` cannot be carried or would never converge, or undefined. */
export function textProblem(v: string, opts: TextOptions = {}): string | undefined {
  if (v.includes("\0")) return "contains a NUL byte, which no environment variable or argument can carry";
  // Tab and line feed are text; a carriage return would be kept or dropped
  // differently by each reader, and every other C0 control and DEL is not text.
  if (v.includes("\r")) return "contains a carriage return (write line breaks as \\n)";
  if ([...v].some((c) => (c < " " && !"\t\n".includes(c)) || c === "\x7f")) return "contains a control character";
  if (opts.oneLine && /[\r\n]/.test(v)) return "spans lines";
  if (opts.trimmed && v !== v.trim())
    return "has leading or trailing whitespace, which the host trims, so every sync would see a change";
  return undefined;
}

/**
 * Why a value (a string, or the strings inside an array or object) cannot be
 * carried to the host at all, with where inside it (".version", "[2]"), or
 * undefined. Every argument gets this check before its own rule.
 */
export function carryProblem(v: unknown, at = "", depth = 0): { at: string; problem: string } | undefined {
  if (typeof v === "string") {
    if (v.includes("\0"))
      return { at, problem: "contains a NUL byte, which no environment variable or argument can carry" };
    const bytes = Buffer.byteLength(v);
    if (bytes > MAX_ARG_TEXT_BYTES)
      return {
        at,
        problem: `is ${bytes} bytes long, more than the ${MAX_ARG_TEXT_BYTES} a step's environment carries`,
      };
    return undefined;
  }
  // Outputs and resources are checked where they resolve, not walked.
  if (depth > 8 || v === null || typeof v !== "object" || typeof (v as { apply?: unknown }).apply === "function")
    return undefined;
  const entries: [string, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [`[${i}]`, x])
    : Object.entries(v).map(([k, x]) => [`.${k}`, x]);
  for (const [key, x] of entries) {
    const p = carryProblem(x, `${at}${key}`, depth + 1);
    if (p) return p;
  }
  return undefined;
}
