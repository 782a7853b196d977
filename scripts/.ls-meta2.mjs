import { build } from 'esbuild';
import { undiciSlim } from './esbuild-plugins.mjs';
const root='/work/wt/leanstart/';
const r = await build({ entryPoints:{cli:root+'packages/agent/dist/cli.js'}, outdir:'/tmp/ls-bundle', bundle:true, splitting:true, format:'esm', platform:'node', target:'node20', external:['unix-dgram','oxc-parser','pino-pretty'], plugins:[undiciSlim(root,'bundle-cli')], metafile:true, write:false, logLevel:'warning'});
for (const [out, o] of Object.entries(r.metafile.outputs)) {
  if (o.bytes < 20000) continue;
  const byPkg = {};
  for (const [inp, v] of Object.entries(o.inputs)) { const m = inp.match(/(node_modules\/(@[^/]+\/)?[^/]+|packages\/[^/]+)/); const k = m?m[0]:inp; byPkg[k]=(byPkg[k]||0)+v.bytesInOutput; }
  console.log('==', out.replace(/.*\//,''), o.bytes, Object.entries(byPkg).sort((a,b)=>b[1]-a[1]).map(([k,v])=>`${k.replace(/.*\//,'')}:${(v/1024).toFixed(0)}k`).join(' '));
}
