// Checks each SDK internal that sdk-internals.ts relies on against the
// installed @pulumi/pulumi. A failure names the assumption that no longer
// holds: the testing entry needs adapting to that SDK before it is used.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ASSUMPTIONS,
  observeRegistrations,
  readRequest,
  waitForRegistrations,
  type Assumption,
  type Registration,
} from "./sdk-internals.js";

const broken = (assumption: Assumption) => `SDK assumption "${assumption}" no longer holds: ${ASSUMPTIONS[assumption]}`;

class Thing extends pulumi.CustomResource {
  declare readonly out: pulumi.Output<string | undefined>;
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { ...props, out: undefined }, opts);
  }
}

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Group", name, {});
  }
}

const seen: Registration[] = [];
const answered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        answered.push(args);
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "proj",
    "stk",
  );
  observeRegistrations((r) => seen.push(r));
});

/** The registration of `resource` once the SDK has it, as the observer saw it. */
async function registration(resource: pulumi.Resource, name: string): Promise<Registration> {
  await new Promise((resolve) => resource.urn.apply(resolve));
  const found = seen.find((r) => r.name === name);
  expect(found, `${broken("monitor")}; the registration of "${name}" was not seen`).toBeDefined();
  return found!;
}

describe("the mock monitor", () => {
  it("hands every registration to the patched registerResource, and the public mocks still answer it", async () => {
    const r = await registration(new Thing("plain", { a: "1" }), "plain");
    expect(
      answered.map((a) => a.name),
      "setMocks' newResource is not called",
    ).toContain("plain");
    expect(r.type, broken("request")).toBe("test:index:Thing");
    expect(r.custom, broken("request")).toBe(true);
    expect(r.inputs, broken("request")).toEqual({ a: "1" });
  });

  it("answers with the URN and the id the mocks gave", async () => {
    const r = await registration(new Thing("answered", {}), "answered");
    expect(r.urn, broken("request")).toBe("urn:pulumi:stk::proj::test:index:Thing::answered");
    expect(r.id, broken("request")).toBe("answered-id");
  });
});

describe("registrations in flight", () => {
  it("waitForRPCs resolves only once a registration whose input resolves late has been answered", async () => {
    const late = new Promise<string>((resolve) => setTimeout(() => resolve("late"), 300));
    new Thing("late", { a: pulumi.output(late) });
    await waitForRegistrations();
    expect(
      answered.map((a) => a.name),
      broken("rpcs"),
    ).toContain("late");
  });
});

describe("secret inputs", () => {
  it("the SDK exports the secret signature", () => {
    expect(typeof pulumi.runtime.specialSigKey, broken("secret")).toBe("string");
    expect(typeof pulumi.runtime.specialSecretSig, broken("secret")).toBe("string");
  });

  it("arrive wrapped in the signature exactly where they occur", async () => {
    const r = await registration(
      new Thing("secrets", {
        plain: "p",
        top: pulumi.secret("t"),
        nested: { inner: pulumi.secret("i"), keep: "k" },
        list: ["a", pulumi.secret("b")],
      }),
      "secrets",
    );
    expect([...r.secretPaths].sort(), broken("secret")).toEqual(["list.1", "nested.inner", "top"]);
    expect(r.inputs, broken("secret")).toEqual({
      plain: "p",
      top: "t",
      nested: { inner: "i", keep: "k" },
      list: ["a", "b"],
    });
  });
});

describe("resource options in the request", () => {
  let group: Group;
  let other: Thing;
  let child: Registration;
  beforeAll(async () => {
    group = new Group("group");
    other = new Thing("other", {});
    child = await registration(
      new Thing(
        "child",
        { fromOther: other.id },
        {
          parent: group,
          dependsOn: [other],
          ignoreChanges: ["fromOther"],
          deleteBeforeReplace: true,
          additionalSecretOutputs: ["out"],
          deletedWith: other,
        },
      ),
      "child",
    );
  });
  const urnOf = (r: pulumi.Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));

  it("parent", async () => {
    expect(child.parent, broken("request")).toBe(await urnOf(group));
    expect(seen.find((r) => r.name === "group")?.custom, broken("request")).toBe(false);
  });
  it("dependsOn", async () => {
    expect(child.dependsOn, broken("request")).toContain(await urnOf(other));
  });
  it("ignoreChanges", () => {
    expect(child.ignoreChanges, broken("request")).toEqual(["fromOther"]);
  });
  it("deleteBeforeReplace", () => {
    expect(child.deleteBeforeReplace, broken("request")).toBe(true);
  });
  it("additionalSecretOutputs", () => {
    expect(child.additionalSecretOutputs, broken("request")).toEqual(["out"]);
  });
  it("deletedWith", async () => {
    expect(child.deletedWith, broken("request")).toBe(await urnOf(other));
  });
});

describe("an SDK that breaks an assumption", () => {
  it("fails the registration with an error naming it", () => {
    expect(() => readRequest({ getType: () => "t" })).toThrow(
      /breaks an assumption of @openclaw\/infra-components\/testing \(request: .*\): the message has no get\w+\(\)/,
    );
  });
});
