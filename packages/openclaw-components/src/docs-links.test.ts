/**
 * The npm tarball ships no docs/: every reference to a docs page in shipped
 * text (the package README, the CLI's help and output, doc comments that
 * become .d.ts) is a repository URL, and each points at a page and heading
 * that exist in this checkout.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { formatImpact } from "./cli/format.js";
import { USAGE } from "./cli/usage.js";
import { DOCS_BASE_URL } from "./docs-url.js";

const pkg = resolve(__dirname, "..");
const repo = resolve(pkg, "../..");
const BLOB = DOCS_BASE_URL.replace(/\/docs$/, "");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|sh)$/.test(n) && !n.includes(".test.") ? [p] : [];
  });
}

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

const shipped: [string, string][] = [
  ["README.md", readFileSync(join(pkg, "README.md"), "utf8")],
  ...sources(join(pkg, "src")).map((f): [string, string] => [relative(pkg, f), readFileSync(f, "utf8")]),
  ["openclaw-infra --help", USAGE],
  [
    "the compare view of a server replacement",
    formatImpact(
      {
        changes: [
          {
            name: "openclaw-host-server",
            type: "hcloud:index/server:Server",
            action: "replace",
            changedInputs: ["location"],
            replaceReasons: ["location changed"],
            secret: false,
          },
        ],
        replaced: ["openclaw-host-server"],
        serverReplaced: true,
        stepsRun: [],
        checksRun: [],
        refused: [],
      },
      "Pulumi.next.yaml",
      { color: false },
    ),
  ],
];

describe("links from shipped text to the docs", () => {
  it.each(shipped.map(([where, text]) => [where, text] as const))(
    "%s names no docs page by a bare path",
    (_w, text) => {
      const bare = [...text.matchAll(/(\S*)\bdocs\/[\w-]+\.md/g)].filter((m) => !m[1]!.endsWith("blob/main/"));
      expect(bare.map((m) => m[0])).toEqual([]);
    },
  );

  it.each(shipped.map(([where, text]) => [where, text] as const))(
    "%s: every repository link points at a file and heading that exist",
    (_w, text) => {
      for (const m of text.matchAll(
        new RegExp(`${BLOB.replace(/[.]/g, "\\.")}/([\\w./-]+?)(?:#([\\w-]+))?(?=[)\\s\`'",]|$)`, "gm"),
      )) {
        const [url, path, anchor] = m;
        const file = join(repo, path!.replace(/\.$/, ""));
        expect(() => statSync(file), `${url}: no such file in the repository`).not.toThrow();
        if (anchor) expect([...anchorsOf(file)], `${url}: no such heading`).toContain(anchor);
      }
    },
  );

  it("the compare view of a replacement links to the rebuild procedure", () => {
    expect(shipped.at(-1)![1]).toContain(`${DOCS_BASE_URL}/operations.md#rebuilding-the-server`);
  });
});
