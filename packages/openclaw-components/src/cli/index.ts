#!/usr/bin/env node
/**
 * `openclaw-infra`: offline tools for stacks that use @openclaw/infra-components.
 *
 *   openclaw-infra plan [dir] [--stack <name>] [--config-file <file>] [--json]
 *                        [--compare <Pulumi.<stack>.yaml>] [--scripts] [--no-color]
 *   openclaw-infra tailnet-nodes <remove-offline|remove-when-offline|keep>   (a stack's own step)
 *
 * Arguments are parsed with Node's own util.parseArgs: no dependency for a
 * handful of flags.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compareRecordings } from "../testing/compare-recordings.js";
import { OpenClawArgsError } from "../validate/errors.js";
import { formatPlan } from "./format.js";
import { buildPlan, type Plan } from "./plan.js";
import type { Recording } from "./run-program.js";
import { readStack, StackError, stackNameOf } from "./stack.js";
import { USAGE } from "./usage.js";

/** Raised by a child run: its message is already what the user should read. */
class ChildError extends Error {}

/**
 * Runs the program in a child process, once per config file (the compare
 * view needs two runs, the second against the first's state, as a second
 * `pulumi up` runs). One child for both: each run installs fresh mocks and
 * imports the program afresh, and loading the Pulumi SDK is most of a run's
 * cost. The child keeps the Pulumi runtime out of this process and silences
 * Node's "typeless package.json" warning for a CommonJS-style TypeScript
 * program. The recordings come back in a file of their own, so whatever the
 * program prints (a `console.log`, a warning) can never corrupt them; that
 * output is passed on to stderr as the program's, so `--json` stays one JSON
 * document on stdout.
 */
function recordInChild(dir: string, configArgs: string[]): Recording[] {
  const self = fileURLToPath(import.meta.url);
  const out = mkdtempSync(join(tmpdir(), "openclaw-infra-plan-"));
  try {
    const file = join(out, "recordings.json");
    const child = spawnSync(
      process.execPath,
      ["--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", self, "record", dir, ...configArgs, "--output", file],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    const programOutput = `${child.stdout ?? ""}${child.stderr ?? ""}`.trimEnd();
    if (child.status !== 0) throw new ChildError((programOutput || `exit ${child.status}`).replace(/^error: /, ""));
    if (programOutput) process.stderr.write(`${programOutput.replace(/^/gm, "program: ")}\n`);
    return JSON.parse(readFileSync(file, "utf8")) as Recording[];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      compare: { type: "string" },
      json: { type: "boolean", default: false },
      scripts: { type: "boolean", default: false },
      "no-color": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      // `record` only (internal): where to write the recordings.
      output: { type: "string" },
    },
  });
  const [command, dirArg = "."] = positionals;
  if (values.help || !command) {
    await writeOut(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === "tailnet-nodes") {
    const { tailnetNodes, TailnetNodesUsageError } = await import("./tailnet-nodes.js");
    return tailnetNodes(positionals[1]).catch((e: unknown) => {
      if (!(e instanceof TailnetNodesUsageError)) throw e;
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    });
  }
  if (command !== "plan" && command !== "record") {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const stack = readStack(dirArg, {
    ...(values.stack ? { stack: values.stack } : {}),
    ...(values["config-file"] ? { configFile: values["config-file"] } : {}),
  });
  if (command === "record") {
    // Only here: the Pulumi SDK and jiti take most of a second to load, which
    // `plan` itself (it runs the program in a child) does not need.
    const { runProgram } = await import("./run-program.js");
    const recordings = [await runProgram(stack, stackNameOf(stack.configFile))];
    if (values.compare) {
      const other = readStack(dirArg, { configFile: values.compare });
      recordings.push(await runProgram(other, stackNameOf(values.compare), recordings[0]!.resources));
    }
    const text = JSON.stringify(recordings);
    if (values.output) writeFileSync(values.output, text);
    else await writeOut(text);
    return 0;
  }
  const configArgs = [
    ...(stack.configFile ? ["--config-file", stack.configFile] : []),
    ...(values.compare ? ["--compare", values.compare] : []),
  ];
  const [recording, other] = recordInChild(stack.dir, configArgs) as [Recording, Recording?];
  let plan: Plan = buildPlan(recording);
  if (values.compare) {
    if (!other) throw new ChildError("the compare run returned no recording");
    plan = {
      ...plan,
      compare: { against: values.compare, impact: compareRecordings(recording.resources, other.resources) },
    };
  }
  if (values.json) await writeOut(`${JSON.stringify(plan, null, 2)}\n`);
  else {
    const color = !values["no-color"] && !!process.stdout.isTTY && !process.env.NO_COLOR;
    await writeOut(formatPlan(plan, { color, scripts: values.scripts }));
  }
  return 0;
}

/**
 * Writes to stdout and resolves once the text is handed to the OS. A pipe
 * whose reader is slower than this process takes what fits and queues the
 * rest; `process.exit` would drop that rest (a plan cut off mid-JSON).
 */
function writeOut(text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Validation errors read exactly as `pulumi up` would print them.
    const message =
      e instanceof OpenClawArgsError || e instanceof StackError || e instanceof ChildError
        ? e.message
        : e instanceof Error
          ? e.message
          : String(e);
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  },
);
