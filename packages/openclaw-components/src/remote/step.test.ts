import { describe, expect, it } from "vitest";
import { renderStep, renderSteps, STEP_HEADER, STEP_PRELUDE, stepHeader, type StepSpec } from "./step.js";

describe("renderStep", () => {
  const step = renderStep({
    name: "demo",
    description: "do a thing",
    script: "#!/usr/bin/env bash\n# shellcheck source=../../remote/scripts/lib.sh\n. /dev/null\necho hi\n",
    environment: { OPENCLAW_X: "1" },
  });

  it("puts the shared prelude first, then a header line, then the script without its shebang or lint-only source", () => {
    expect(step.command.startsWith(STEP_PRELUDE.trimEnd())).toBe(true);
    expect(step.command).toContain(`\n${STEP_HEADER} demo: do a thing\necho hi\n`);
    const own = step.command.slice(step.command.indexOf(STEP_HEADER));
    expect(own).not.toContain("#!/usr/bin/env bash");
    expect(own).not.toContain(". /dev/null");
    expect(stepHeader(step.command)).toEqual({ name: "demo", description: "do a thing" });
    expect(step.secret).toBe(false);
    expect(step).not.toHaveProperty("stdin");
  });

  it("refuses a name or description that is not one printable line", () => {
    expect(() => renderStep({ name: "x", description: "a\nrm -rf /", script: "" })).toThrow(
      /description must be one line/,
    );
    expect(() => renderStep({ name: "x\u0000", description: "d", script: "" })).toThrow(/name must be one line/);
  });
});

describe("renderSteps", () => {
  it("returns a spec's steps in its declared order, not the renderer's key order", () => {
    const spec: StepSpec<string, Record<string, never>, "b" | "a"> = {
      render: (s) => ({
        a: renderStep({ name: "a", description: s, script: "" }),
        b: renderStep({ name: "b", description: s, script: "" }),
      }),
      order: ["b", "a"],
      placeholders: {},
    };
    expect(renderSteps(spec, "x", {}).map((s) => s.name)).toEqual(["b", "a"]);
  });
});
