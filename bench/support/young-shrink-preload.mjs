// Runs agentkit run's quiet-time shrink of V8's young generation (packages/agent/src/
// young-generation-shrink.ts, from the build) in any bench process: `node --import
// ./bench/support/young-shrink-preload.mjs bench/ingest/ingest.mjs …` measures what it costs a
// busy process. At exit it writes its scavenges and shrinks on stderr.
import { startYoungGenerationShrink } from '../../packages/agent/dist/young-generation-shrink.js';

const shrink = startYoungGenerationShrink();
process.on('exit', () => process.stderr.write(`young-shrink: ${shrink.scavenges} scavenges, ${shrink.shrinks} shrinks\n`));
