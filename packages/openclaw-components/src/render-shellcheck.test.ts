/**
 * Every distinct step command the combinations render, through the real
 * shellcheck: every component's steps, as the deployment renders them (a
 * component's own renderer gives the same text, values being in the
 * environment). Its own file: the slowest check of the unit tier, so vitest
 * can run it beside the others rather than after them.
 */
import { describe, expect, it } from "vitest";
import { COMBINATIONS, RENDER_SECRETS as secrets } from "../test/fixtures.js";
import { haveTool, run } from "../test/tools.js";
import { renderDeployment } from "./render.js";

describe.skipIf(!haveTool("shellcheck", ["--version"], "Debian package shellcheck"))(
  "every rendered step passes shellcheck",
  () => {
    const steps = COMBINATIONS.flatMap(([label, args]) =>
      renderDeployment(args, secrets).steps.map((s) => [`${label}: ${s.name}`, s.command] as const),
    );
    const unique = [...new Map(steps.map(([l, c]) => [c, l])).entries()].map(([c, l]) => [l, c] as const);
    it.each(unique)("%s", (_label, command) => {
      const r = run("shellcheck", ["--shell=bash", "--severity=style", "-"], command);
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  },
);
