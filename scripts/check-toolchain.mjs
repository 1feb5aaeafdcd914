// Fails fast, with the fix, when npm scripts do not run on the repo's own Node
// (the optional `node-linux-<arch>` dependency puts it first on PATH).
const [major, minor] = process.versions.node.split(".").map(Number);
const ok = (major === 24 && minor >= 16) || (major === 26 && minor >= 1) || major > 26;
if (!ok) {
  console.error(
    `Node ${process.versions.node} is running the scripts; this repo needs Node >=24.16 <25 or >=26.1.\n` +
      "On Linux x64/arm64, `npm ci` installs one into node_modules/.bin; elsewhere install Node 24 yourself (see docs/development.md).",
  );
  process.exit(1);
}
console.log(`toolchain: node ${process.versions.node} (${process.execPath})`);
