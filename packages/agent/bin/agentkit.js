#!/usr/bin/env node
// The `agentkit` command. Kept as a committed JavaScript file (not in dist/) so npm can link
// it before the workspace is built; the real work lives in the compiled dist/cli.js.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
