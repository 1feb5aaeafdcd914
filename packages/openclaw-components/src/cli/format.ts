/**
 * The plan as text for a terminal. Colour comes from Node's own
 * `util.styleText` (no dependency), only on a TTY and never with NO_COLOR.
 */
import { styleText } from "node:util";
import { docsUrl } from "../docs-url.js";
import type { ChangeImpact } from "../testing/compare-recordings.js";
import type { Plan, PlanResource } from "./plan.js";

type Style = Parameters<typeof styleText>[0];

export function formatPlan(plan: Plan, opts: { color: boolean; scripts?: boolean }): string {
  const c = (style: Style, text: string) => (opts.color ? styleText(style, text, { validateStream: false }) : text);
  const h = (text: string) => `\n${c(["bold", "cyan"], `== ${text}`)}\n`;
  const out: string[] = [];
  out.push(
    c("bold", `Plan for ${plan.project} (stack ${plan.stack})`) +
      (plan.configFile ? ` from ${plan.configFile}` : " (no stack config file)"),
  );
  out.push(
    c("dim", "Offline, under mocks: ids and generated keys are stand-ins; secrets are <secret:…> placeholders."),
  );
  // The answer to --compare first: the plan it was asked against follows.
  if (plan.compare) out.push(formatImpact(plan.compare.impact, plan.compare.against, opts));

  out.push(h("Resources"));
  const walk = (r: PlanResource, depth: number) => {
    const lock = r.secretInputs.length > 0 ? c("yellow", `  [secret: ${r.secretInputs.join(", ")}]`) : "";
    out.push(`${"  ".repeat(depth)}${depth ? "└─ " : ""}${r.name} ${c("dim", r.type)}${lock}`);
    for (const child of r.children) walk(child, depth + 1);
  };
  for (const r of plan.resources) walk(r, 0);

  out.push(h("Resources holding secrets"));
  for (const [name, paths] of Object.entries(plan.secrets)) out.push(`  ${name}: ${paths.join(", ")}`);

  for (const [server, userData] of Object.entries(plan.userData)) {
    out.push(h(`User-data of ${server} (${Buffer.byteLength(userData)} bytes; first boot only)`));
    out.push(userData.trimEnd());
  }

  out.push(h(`Remote steps (${plan.steps.length}, in order)`));
  plan.steps.forEach((s, i) => {
    out.push(`${c("bold", `${i + 1}. ${s.name}`)}  ${c("dim", s.resource)}`);
    out.push(`   ${s.description}`);
    out.push(`   re-run by: ${s.rerunBy.join(", ")}`);
    for (const [k, v] of Object.entries(s.environment)) {
      const shown = v.includes("\n") ? `(${v.split("\n").length} lines)` : v.length > 100 ? `${v.slice(0, 97)}…` : v;
      out.push(`   ${c("dim", `${k}=`)}${shown}`);
    }
    if (opts.scripts) out.push(s.script.replace(/^/gm, "   │ "));
  });
  if (!opts.scripts) out.push(c("dim", "(scripts: run with --scripts to print each step's full script)"));

  const a = plan.assistant;
  out.push(h("The assistant"));
  out.push(`  model credentials: ${a.modelCredentials.join(", ") || "none"}`);
  out.push(`  channels: ${a.channels.join(", ") || "none (the Control UI only)"}`);
  out.push("  agents:");
  for (const agent of a.agents) {
    const routes = agent.bindings.length ? `  ← ${agent.bindings.join(", ")}` : "";
    const rest = agent.default ? c("dim", agent.bindings.length ? "  (and everything unbound)" : "  (everything)") : "";
    out.push(`    ${c("bold", agent.id)}${agent.default ? " (default)" : ""}  ${agent.model ?? ""}${routes}${rest}`);
  }

  out.push(h("openclaw.json (secrets redacted)"));
  out.push(JSON.stringify(plan.openclawConfig, null, 2));

  if (plan.schedules.length > 0) {
    out.push(h("Schedules"));
    for (const j of plan.schedules) {
      out.push(`  ${c("bold", j.name)}  ${j.cron}  ${j.tz}  (${j.session})  → ${j.channel} ${j.to}`);
      out.push(`    next: ${j.nextRuns.join(", ")}`);
      out.push(`    "${j.message}"`);
    }
  }

  out.push(h("Estimated monthly cost"));
  for (const e of plan.cost) {
    if (e.total === undefined) out.push(`  ${e.serverType}: ${e.note}`);
    else
      out.push(
        `  ${e.serverType} €${e.server!.toFixed(2)}${e.backups ? ` + backups €${e.backupsCost!.toFixed(2)}` : ""} = ${c("bold", `€${e.total.toFixed(2)}/month`)} (excl. VAT; prices of ${e.pricesDate})`,
      );
  }

  if (Object.keys(plan.outputs).length > 0) {
    out.push(h("Stack outputs"));
    for (const [k, v] of Object.entries(plan.outputs))
      out.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return `${out.join("\n")}\n`;
}

export function formatImpact(impact: ChangeImpact, against: string, opts: { color: boolean }): string {
  const c = (style: Style, text: string) => (opts.color ? styleText(style, text, { validateStream: false }) : text);
  const out: string[] = [`\n${c(["bold", "cyan"], `== Changing to ${against}`)}\n`];
  if (impact.changes.length === 0) {
    out.push("  nothing would change");
    return out.join("\n");
  }
  for (const r of impact.refused) {
    out.push(c(["bold", "red"], `  !! refused: ${r.name}: ${r.reason}`));
  }
  if (impact.serverReplaced) {
    out.push(
      c(
        ["bold", "red"],
        "  !! the server would be REPLACED: a new machine, a new Tailscale node, every step again, and downtime",
      ),
    );
    out.push(
      c("red", "     it would boot with the user-data recorded at first creation (its auth key is likely spent):"),
    );
    out.push(c("red", "     rebuild with `pulumi destroy --target <server urn> --target-dependents` and a fresh key:"));
    out.push(c("red", `     ${docsUrl("operations.md", "rebuilding-the-server")}`));
  }
  for (const ch of impact.changes) {
    const inputs = ch.changedInputs.length
      ? ` (${ch.changedInputs.join(", ")}${ch.secret ? "; secret values not shown" : ""})`
      : "";
    const line = `  ${ch.action.padEnd(7)} ${ch.name}${inputs}`;
    if (ch.action === "replace") {
      const reason = ` because ${ch.replaceReasons.join(", ")} changed`;
      out.push(
        ch.type === "hcloud:index/server:Server" ? c(["bold", "red"], line + reason) : c("yellow", line + reason),
      );
    } else out.push(ch.action === "rerun" ? c("yellow", line) : line);
  }
  out.push(
    `\n  steps that would run again: ${impact.stepsRun.length}${impact.checksRun.length ? ` (and the check ${impact.checksRun.join(", ")})` : ""}; replaced: ${impact.replaced.length ? impact.replaced.join(", ") : "none"}`,
  );
  return out.join("\n");
}
