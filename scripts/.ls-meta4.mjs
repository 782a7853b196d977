import { build } from 'esbuild';
import { undiciSlim } from './esbuild-plugins.mjs';
const root='/work/wt/leanstart/';
const r = await build({ entryPoints:{cli:root+'packages/agent/dist/cli.js'}, outdir:'/tmp/ls-bundle', bundle:true, splitting:true, format:'esm', platform:'node', target:'node20', external:['unix-dgram','oxc-parser','pino-pretty'], plugins:[undiciSlim(root,'bundle-cli')], metafile:true, write:false, logLevel:'warning'});
const outs=r.metafile.outputs; const seen=new Set();
const start=Object.keys(outs).find(k=>k.includes('exec-command'));
(function walk(k){ if(seen.has(k))return; seen.add(k); for(const i of outs[k].imports) if(i.kind==='import-statement' && outs[i.path]) walk(i.path); })(start);
for (const k of seen) { const o=outs[k]; const by={}; for (const [inp,v] of Object.entries(o.inputs)){ const m=inp.match(/(node_modules\/(@[^/]+\/)?[^/]+|packages\/[^/]+\/dist\/[^/]+)/); const kk=m?m[0]:inp; by[kk]=(by[kk]||0)+v.bytesInOutput;} console.log(k.replace(/.*\//,''), o.bytes, Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,12).map(([a,b])=>a.replace('packages/','').replace('/dist','')+':'+(b/1024|0)+'k').join(' ')); }
console.log('---');
for (const k of seen) for (const i of outs[k].imports) if (i.kind==='import-statement' && /JQDPV42M|FSKXXRUZ|MOFHSD5K|LDNGFJ2U/.test(i.path)) console.log(k.replace(/.*\//,''), '->', i.path.replace(/.*\//,''));
const ex = outs[start]; console.log('exec entry inputs:', Object.keys(ex.inputs).map(s=>s.replace(/.*packages\//,'')).join(' '));
