// Cost of the lifecycle container itself: plan + validation (createApp), construction +
// start, and stop, for apps of N components in layers (each component injects up to 3 of
// the previous layer), hooks that do nothing. Medians of repeated runs.
// Usage: npm run build && node bench/lifecycle.mjs [components] [runs]
import { bundle, createApp, provide, token } from '@agentkit/core';

const size = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 15);

function makeItems(n) {
  const tokens = Array.from({ length: n }, (_, i) => token(`C${i}`));
  const width = 10;
  const providers = tokens.map((tok, i) => {
    const layer = Math.floor(i / width);
    const deps = layer === 0 ? [] : [0, 1, 2].map((k) => tokens[(layer - 1) * width + ((i + k) % width)]);
    return provide(tok, { deps, useFactory: () => ({ onStart() {}, onStop() {} }) });
  });
  return [bundle('all', providers)];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const parallelStart of [false, true]) {
  const plan = [];
  const start = [];
  const stop = [];
  for (let r = 0; r < runs; r++) {
    const items = makeItems(size);
    let t = performance.now();
    const app = createApp(items, { parallelStart });
    plan.push(performance.now() - t);
    t = performance.now();
    await app.start();
    start.push(performance.now() - t);
    t = performance.now();
    await app.stop();
    stop.push(performance.now() - t);
  }
  console.log(
    `components=${size} parallelStart=${parallelStart} plan=${median(plan).toFixed(1)}ms ` +
      `construct+start=${median(start).toFixed(1)}ms stop=${median(stop).toFixed(1)}ms (median of ${runs})`,
  );
}
