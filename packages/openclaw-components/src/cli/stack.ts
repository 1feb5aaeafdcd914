/**
 * Finds a Pulumi project and reads a stack's configuration the way `pulumi`
 * would hand it to the program, without the Pulumi CLI: plain values as they
 * are, secrets as `<secret:key>` placeholders (they cannot be decrypted here).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parse } from "yaml";

export interface StackConfig {
  /** The project directory. */
  readonly dir: string;
  /** `name:` from Pulumi.yaml. */
  readonly project: string;
  /** The program file to import. */
  readonly program: string;
  /** Which file the config came from (undefined when none). */
  readonly configFile?: string;
  /** Config as `project:key` → string (structured values as JSON), as Pulumi passes it. */
  readonly config: Record<string, string>;
  /** Keys (fully qualified) whose values are secret. */
  readonly secretKeys: readonly string[];
}

export class StackError extends Error {
  override name = "StackError";
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackError(`${file}: cannot read it as YAML (${(e as Error).message})`);
  }
}

/** The stack config file to use: `--config-file`, else `Pulumi.<stack>.yaml`, else the only stack file or template. */
export function findConfigFile(dir: string, stack?: string): string | undefined {
  if (stack) {
    for (const f of [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yaml.template`])
      if (existsSync(join(dir, f))) return join(dir, f);
    throw new StackError(`no Pulumi.${stack}.yaml (or .template) in ${dir}`);
  }
  const files = readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
  if (files.length === 1) return join(dir, files[0]!);
  if (files.length > 1) throw new StackError(`several stacks in ${dir} (${files.join(", ")}): choose one with --stack`);
  const templates = readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml\.template$/.test(f));
  if (templates.length === 1) return join(dir, templates[0]!);
  return undefined;
}

export function readStack(dirArg: string, opts: { stack?: string; configFile?: string } = {}): StackConfig {
  const dir = resolve(dirArg);
  const projectFile = join(dir, "Pulumi.yaml");
  if (!existsSync(projectFile)) throw new StackError(`${dir} is not a Pulumi project (no Pulumi.yaml)`);
  const projectDoc = readYaml(projectFile) as { name?: string; main?: string };
  if (!projectDoc?.name) throw new StackError(`${projectFile} has no name`);
  const project = projectDoc.name;

  const main = projectDoc.main ? join(dir, projectDoc.main) : dir;
  const candidates =
    existsSync(main) && !main.endsWith(".ts") && !main.endsWith(".js")
      ? ["index.ts", "index.js", "index.mts", "index.mjs"].map((f) => join(main, f))
      : [main];
  const program = candidates.find((f) => existsSync(f));
  if (!program)
    throw new StackError(
      `no program in ${dir} (looked for ${candidates.map((c) => c.slice(dir.length + 1)).join(", ")})`,
    );

  const configFile = opts.configFile ? resolve(opts.configFile) : findConfigFile(dir, opts.stack);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (configFile) {
    const doc = readYaml(configFile) as { config?: Record<string, unknown> } | null;
    for (const [rawKey, value] of Object.entries(doc?.config ?? {})) {
      const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
      if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
        config[key] = `<secret:${key.split(":").slice(1).join(":")}>`;
        secretKeys.push(key);
      } else {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
      }
    }
  }
  return { dir, project, program, ...(configFile ? { configFile } : {}), config, secretKeys };
}

/** The stack name a config file stands for: `Pulumi.prod.yaml` → `prod` (`dev` without a file). */
export function stackNameOf(file: string | undefined): string {
  return file
    ? basename(file)
        .replace(/^Pulumi\./, "")
        .replace(/\.yaml(\.template)?$/, "")
    : "dev";
}
