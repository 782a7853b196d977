// What a V8 heap snapshot holds, by owner: `node bench/memory/heap-owners.mjs <file.heapsnapshot>
// [Owner,Owner,…]`. Builds the snapshot's dominator tree (weak edges ignored, as DevTools does)
// and gives each object's own size to the nearest dominating object whose class is one of the
// owners (default: the aggregator's and the parser's structures); per owner, the classes that
// make it up (count, bytes, bytes each), then the largest single objects with their dominators
// (grown arrays and Map tables in V8's large-object space show there). Every context is its own
// owner `Context (each)`, so what a Context dominates alone (its key string) is counted with it.
// Reads the whole file into memory (~1 GB of heap for a 100 MB snapshot).
// `node bench/memory/heap-owners.mjs <file.heapsnapshot> --modules <bundle.cjs>` groups by the
// module of the CLI's one-file bundle instead (bench/memory/idle-heap.mjs): each object goes to
// the nearest dominating function of the bundle (by the line its code starts at) or top-level
// variable of it (by the line it is declared at), shown by package; what no such owner
// dominates is Node's and V8's, or shared. Each owner's bytes by kind: bytecode, the other
// code objects (scope infos, feedback, constant pools, source positions), strings, closures,
// objects, arrays, hidden classes.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: node bench/memory/heap-owners.mjs <file.heapsnapshot> [Owner,Owner,… | --modules <bundle.cjs>]');
const BUNDLE = process.argv[3] === '--modules' ? process.argv[4] : undefined;
const OWNERS = (BUNDLE === undefined ? (process.argv[3] ?? 'ContextResolver,TimeSampler,ContextSlots,GenerationCache,TagCache,NameCache,PacketParser,TimeSamplingDemultiplexer,Context,BufferPool') : '').split(',');
const snap = JSON.parse(readFileSync(file, 'utf8'));
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const { nodes, edges, strings } = snap;
const N = nodes.length / NF;
const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
const [eType, eTo] = ['type', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
const WEAK = meta.edge_types[0].indexOf('weak');
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + iEdges] * EF;
  firstEdge[i + 1] = e;
}
const typeOf = (i) => nodeTypes[nodes[i * NF + iType]];
const nameOf = (i) => strings[nodes[i * NF + iName]];
const sizeOf = (i) => nodes[i * NF + iSize];
const strong = (e) => edges[e + eType] !== WEAK;

// Post order from the root (node 0), iteratively.
const order = new Int32Array(N).fill(-1);
const post = new Uint32Array(N);
let count = 0;
const visited = new Uint8Array(N);
const cursor = new Uint32Array(N);
const stack = [0];
visited[0] = 1;
cursor[0] = firstEdge[0];
while (stack.length > 0) {
  const v = stack[stack.length - 1];
  if (cursor[v] < firstEdge[v + 1]) {
    const e = cursor[v];
    cursor[v] += EF;
    if (!strong(e)) continue;
    const w = edges[e + eTo] / NF;
    if (visited[w] === 0) {
      visited[w] = 1;
      cursor[w] = firstEdge[w];
      stack.push(w);
    }
  } else {
    stack.pop();
    order[v] = count;
    post[count++] = v;
  }
}
// Predecessors, then dominators (Cooper, Harvey and Kennedy's iterative algorithm).
const predStart = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) if (visited[v]) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strong(e)) predStart[edges[e + eTo] / NF + 1]++;
for (let i = 0; i < N; i++) predStart[i + 1] += predStart[i];
const preds = new Uint32Array(predStart[N]);
const fill = predStart.slice(0, N);
for (let v = 0; v < N; v++) if (visited[v]) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strong(e)) preds[fill[edges[e + eTo] / NF]++] = v;
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (order[a] < order[b]) a = idom[a];
    while (order[b] < order[a]) b = idom[b];
  }
  return a;
};
for (let changed = true; changed; ) {
  changed = false;
  for (let k = count - 2; k >= 0; k--) {
    const v = post[k];
    let dom = -1;
    for (let p = predStart[v]; p < predStart[v + 1]; p++) {
      const u = preds[p];
      if (idom[u] !== -1) dom = dom === -1 ? u : intersect(u, dom);
    }
    if (dom !== idom[v]) {
      idom[v] = dom;
      changed = true;
    }
  }
}

if (BUNDLE !== undefined) {
  byModule();
  process.exit(0);
}

const label = (i) => {
  const t = typeOf(i);
  return t.includes('string') ? t : `${t}:${nameOf(i).slice(0, 40)}`;
};
const isOwner = (i) => typeOf(i) === 'object' && OWNERS.includes(nameOf(i));
const ownerOf = new Int32Array(N).fill(-2);
const findOwner = (v) => {
  const path = [];
  let u = v;
  while (u > 0 && ownerOf[u] === -2 && !isOwner(u)) {
    path.push(u);
    u = idom[u];
  }
  const owner = u <= 0 ? -1 : isOwner(u) ? u : ownerOf[u];
  for (const p of path) ownerOf[p] = owner;
  return owner;
};
let total = 0;
const byOwner = new Map();
for (let k = 0; k < count; k++) {
  const v = post[k];
  const size = sizeOf(v);
  total += size;
  const o = findOwner(v);
  const key = o < 0 ? '(other)' : nameOf(o) === 'Context' ? 'Context (each)' : `${nameOf(o)}#${o}`;
  let entry = byOwner.get(key);
  if (entry === undefined) byOwner.set(key, (entry = { bytes: 0, count: 0, classes: new Map() }));
  entry.bytes += size;
  entry.count++;
  const c = entry.classes.get(label(v)) ?? { bytes: 0, count: 0 };
  c.bytes += size;
  c.count++;
  entry.classes.set(label(v), c);
}
const mib = (x) => (x / 1048576).toFixed(2);
console.log(`${file}: ${mib(total)} MiB reachable, ${count} objects`);
for (const [key, e] of [...byOwner].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20)) {
  console.log(`\n${key}: ${mib(e.bytes)} MiB (${e.count} objects)`);
  for (const [l, c] of [...e.classes].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 10)) {
    console.log(`  ${mib(c.bytes).padStart(7)} MiB ${String(c.count).padStart(8)} × ${(c.bytes / c.count).toFixed(0).padStart(7)} B  ${l}`);
  }
}
console.log('\nlargest objects (own size) ← their dominators');
const largest = Array.from(post.subarray(0, count)).sort((a, b) => sizeOf(b) - sizeOf(a)).slice(0, 15);
for (const v of largest) {
  const chain = [];
  for (let u = idom[v], d = 0; u > 0 && d < 5; u = idom[u], d++) chain.push(label(u));
  console.log(`${mib(sizeOf(v)).padStart(7)} MiB ${label(v)} ← ${chain.join(' ← ')}`);
}

/** Prints the reachable heap by the bundle's module that owns it (see the usage above). */
function byModule() {
  const [eName] = ['name_or_index'].map((f) => meta.edge_fields.indexOf(f));
  const edgeTypes = meta.edge_types[0];
  // The bundle: esbuild's `// <path>` comment opens each module; top-level declarations name its variables.
  const lines = readFileSync(BUNDLE, 'latin1').split('\n');
  const moduleAt = new Array(lines.length + 1);
  const moduleOfVar = new Map();
  let current = '(the bundle\'s runtime)';
  for (let i = 0; i < lines.length; i++) {
    const opens = /^\/\/ ((?:packages|node_modules)\/\S+|agentkit-one-file-entry\.js)$/.exec(lines[i]);
    if (opens !== null) current = opens[1];
    moduleAt[i] = current;
    const declares = /^(?:var|let|const|function|async function|class) ([^=(;{]+)/.exec(lines[i]);
    if (declares !== null) for (const name of declares[1].split(',').map((n) => n.trim().split(/\s/)[0])) if (name && !moduleOfVar.has(name)) moduleOfVar.set(name, current);
  }
  const packageOf = (path) => /^packages\/([^/]+)\//.exec(path)?.[1].replace(/^/, '@agentkit/') ?? /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;
  // The bundle's Script, and its functions' SharedFunctionInfos (`script_or_debug_info`): code
  // that no single owner above dominates (its function shared by closures of several) is
  // still the bundle's.
  const bundleName = BUNDLE.split('/').pop();
  let scriptNode = -1;
  for (let v = 0; v < N && scriptNode < 0; v++) if (typeOf(v) === 'code' && nameOf(v).endsWith(`/${bundleName}`)) scriptNode = v;
  const bundleCode = new Uint8Array(N);
  for (let v = 0; v < N; v++) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (edges[e + eTo] / NF === scriptNode && strings[edges[e + eName]] === 'script_or_debug_info') bundleCode[v] = 1;
  // Closures' source positions (the snapshot's locations): the script holding most is the bundle.
  const LF = meta.location_fields.length;
  const lineOf = new Map();
  const perScript = new Map();
  for (let i = 0; i < snap.locations.length; i += LF) {
    const [node, script, line] = [snap.locations[i] / NF, snap.locations[i + 1], snap.locations[i + 2]];
    lineOf.set(node, [script, line]);
    perScript.set(script, (perScript.get(script) ?? 0) + 1);
  }
  // (None when the snapshot has no bundle: a bare Node's.)
  const bundleScript = scriptNode >= 0 ? [...perScript].sort((a, b) => b[1] - a[1])[0][0] : -1;
  // The bundle's top-level context: the function context with the most variables.
  let top = -1;
  let most = 0;
  for (let v = 0; v < N; v++) {
    if (typeOf(v) !== 'object' || nameOf(v) !== 'system / Context') continue;
    let vars = 0;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (edgeTypes[edges[e + eType]] === 'context') vars++;
    if (vars > most) [most, top] = [vars, v];
  }
  if (scriptNode < 0) top = -1;
  const varOf = new Map();
  if (top >= 0) for (let e = firstEdge[top]; e < firstEdge[top + 1]; e += EF) {
    const w = edges[e + eTo] / NF;
    if (idom[w] === top && edgeTypes[edges[e + eType]] === 'context') varOf.set(w, strings[edges[e + eName]]);
  }
  const NODE = "(not the bundle's: Node's, V8's)";
  const cache = new Map();
  const ownerOf = (v) => {
    const path = [];
    let owner = NODE;
    for (let u = v; u > 0; u = idom[u]) {
      if (cache.has(u)) {
        owner = cache.get(u);
        break;
      }
      path.push(u);
      if (bundleCode[u] === 1) {
        owner = "(the bundle's code, shared by owners)";
        break;
      }
      if (u === top) {
        owner = "(the bundle's top-level context)";
        break;
      }
      const at = lineOf.get(u);
      if (at !== undefined && at[0] === bundleScript) {
        owner = packageOf(moduleAt[at[1]] ?? '?');
        break;
      }
      const name = varOf.get(u);
      if (name !== undefined) {
        owner = packageOf(moduleOfVar.get(name) ?? '?');
        break;
      }
    }
    for (const p of path) cache.set(p, owner);
    return owner;
  };
  const kindOf = (v) => {
    const [type, name] = [typeOf(v), nameOf(v)];
    if (type === 'code') return /BytecodeArray/.test(name) ? 'bytecode' : 'other code';
    if (type.includes('string')) return 'strings';
    if (type === 'closure') return 'closures';
    if (type === 'object shape') return 'hidden classes';
    if (type === 'object' && name === 'system / Context') return 'contexts';
    if (type === 'array' || type === 'object' || type === 'native' || type === 'hidden') return `${type}s`;
    return 'other';
  };
  const table = new Map();
  let total = 0;
  for (let k = 0; k < count; k++) {
    const v = post[k];
    const size = sizeOf(v);
    total += size;
    const owner = ownerOf(v);
    let row = table.get(owner);
    if (row === undefined) table.set(owner, (row = { bytes: 0, kinds: new Map() }));
    row.bytes += size;
    row.kinds.set(kindOf(v), (row.kinds.get(kindOf(v)) ?? 0) + size);
  }
  const kib = (x) => (x / 1024).toFixed(0);
  console.log(`${file}: ${kib(total)} KiB reachable, ${count} objects\n`);
  console.log('| owner | KiB | by kind (KiB) |');
  console.log('|---|---|---|');
  for (const [owner, row] of [...table].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 25)) {
    const kinds = [...row.kinds].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, b]) => `${k} ${kib(b)}`).join(', ');
    console.log(`| ${owner} | ${kib(row.bytes)} | ${kinds} |`);
  }
  const byKind = new Map();
  for (const row of table.values()) for (const [k, b] of row.kinds) byKind.set(k, (byKind.get(k) ?? 0) + b);
  console.log(`\nall owners, by kind (KiB): ${[...byKind].sort((a, b) => b[1] - a[1]).map(([k, b]) => `${k} ${kib(b)}`).join(', ')}`);
}
