/**
 * Host tier: Prerequisites and network facts: the address ranges this machine
 * already routes or needs (apt sources), so the tier picks ranges it does not.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.js";

export interface NetworkFacts {
  uplink: string;
  resolvers: string[];
  /** IPv4 addresses of the package registries (npm, and Debian's mirror as apt uses it). */
  registryAddresses: string[];
  /** Every IPv4 network this machine routes or holds an address in. */
  taken: Array<[number, number]>;
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}
function cidrRange(cidr: string): [number, number] {
  const [ip, len] = cidr.split("/");
  const bits = len === undefined ? 32 : Number(len);
  const start = ipToInt(ip!) - (ipToInt(ip!) % 2 ** (32 - bits));
  return [start, start + 2 ** (32 - bits) - 1];
}

/** The URIs of this machine's apt sources (deb822 and one-line formats). */
function aptSourceHosts(): string[] {
  const hosts = new Set<string>();
  const files = ["/etc/apt/sources.list"];
  if (existsSync("/etc/apt/sources.list.d"))
    for (const f of readdirSync("/etc/apt/sources.list.d")) files.push(join("/etc/apt/sources.list.d", f));
  for (const f of files) {
    if (!existsSync(f) || !/\.(sources|list)$/.test(f)) continue;
    for (const line of readFileSync(f, "utf8").split("\n")) {
      const uris =
        /^URIs:\s*(.*)$/.exec(line)?.[1]?.split(/\s+/) ??
        (/^deb\s/.test(line) ? line.split(/\s+/).filter((w) => /^[a-z]+:\/\//.test(w)) : []);
      for (const u of uris) {
        try {
          hosts.add(new URL(u).hostname);
        } catch {
          // not a URL
        }
      }
    }
  }
  return [...hosts];
}

function resolve4(host: string): string[] {
  const r = run("getent", ["ahostsv4", host], { timeoutMs: 15_000 });
  return [
    ...new Set(
      r.stdout
        .split("\n")
        .map((l) => l.split(/\s+/)[0]!)
        .filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)),
    ),
  ];
}

/** Reads what the test network needs from this machine; a string says why it cannot. */
export function networkFacts(): NetworkFacts | string {
  const routes = run("ip", ["-j", "-4", "route", "show", "table", "all"]);
  const addrs = run("ip", ["-j", "-4", "addr"]);
  if (routes.status !== 0 || addrs.status !== 0) return "cannot read this machine's routes (ip -j route)";
  const taken: Array<[number, number]> = [];
  let uplink = "";
  for (const r of JSON.parse(routes.stdout) as Array<{ dst: string; dev?: string; type?: string; table?: string }>) {
    if (r.dst === "default") {
      if (!uplink && r.dev && (r.table === undefined || r.table === "main")) uplink = r.dev;
      continue;
    }
    if (/^\d/.test(r.dst)) taken.push(cidrRange(r.dst));
  }
  for (const link of JSON.parse(addrs.stdout) as Array<{ addr_info?: Array<{ local: string; prefixlen: number }> }>) {
    for (const a of link.addr_info ?? []) taken.push(cidrRange(`${a.local}/${a.prefixlen}`));
  }
  if (!uplink) return "this machine has no default route";
  const resolvers = readFileSync("/etc/resolv.conf", "utf8")
    .split("\n")
    .map((l) => /^nameserver\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
  if (resolvers.length === 0) return "no IPv4 nameserver in /etc/resolv.conf";
  if (resolvers.some((r) => r.startsWith("127.")))
    return `the nameserver ${resolvers.join(", ")} is on loopback: the test host cannot use it`;
  const npm = run("npm", ["config", "get", "registry"], { timeoutMs: 30_000 });
  const hosts = new Set<string>(aptSourceHosts());
  try {
    hosts.add(new URL(npm.stdout.trim()).hostname);
  } catch {
    return "npm config get registry gave no URL";
  }
  const registryAddresses = [...new Set([...hosts].flatMap(resolve4))];
  if (registryAddresses.length === 0) return `cannot resolve the package registries (${[...hosts].join(", ")})`;
  for (const ip of [...registryAddresses, ...resolvers]) taken.push(cidrRange(`${ip}/32`));
  return { uplink, resolvers, registryAddresses, taken };
}

/** First /24 among the candidates that overlaps nothing this machine uses. */
export function freeSlash24(taken: Array<[number, number]>, candidates: string[]): string | undefined {
  return candidates.find((net) => {
    const [a, b] = cidrRange(`${net}.0/24`);
    return taken.every(([x, y]) => b < x || a > y);
  });
}
