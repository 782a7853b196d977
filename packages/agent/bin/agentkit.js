#!/usr/bin/env node
// The `agentkit` command. Kept as a committed JavaScript file (not in dist/) so npm can link
// it before the workspace is built; the real work lives in the compiled dist/cli.js, or in its
// bundle (dist/bundle/cli.js, see scripts/bundle-cli.mjs), which starts much faster (the
// figures are in docs/benchmarks.md, "Cold start"). The bundle is used only when no package was built after
// it (`tsc -b` run alone must not leave the CLI running stale code).
import { readdirSync, statSync } from 'node:fs';

const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const { main } = await import(isFresh(bundle) ? bundle.href : '../dist/cli.js');

process.exitCode = await main(process.argv.slice(2));

/** True when `file` exists and is newer than every sibling package's last build (a dozen stat calls). */
function isFresh(file) {
  let builtAtMs;
  try {
    builtAtMs = statSync(file).mtimeMs;
  } catch {
    return false;
  }
  // The siblings: packages/* in this repository, node_modules/@agentkit/* once installed.
  const packages = new URL('../../', import.meta.url);
  for (const name of readdirSync(packages)) {
    try {
      if (statSync(new URL(`${name}/dist/.tsbuildinfo`, packages)).mtimeMs > builtAtMs) return false;
    } catch {
      // not a built package
    }
  }
  return true;
}
