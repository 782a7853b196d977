import { build } from 'esbuild';
import { undiciSlim } from './esbuild-plugins.mjs';
const root='/work/wt/leanstart/';
const r = await build({ entryPoints:{cli:root+'packages/agent/dist/cli.js'}, outdir:'/tmp/ls-bundle', bundle:true, splitting:true, format:'esm', platform:'node', target:'node20', external:['unix-dgram','oxc-parser','pino-pretty'], plugins:[undiciSlim(root,'bundle-cli')], metafile:true, write:false, logLevel:'warning'});
const ins=r.metafile.inputs;
const target=process.argv[2];
// BFS over static imports from exec-command.js
const start=Object.keys(ins).find(k=>k.endsWith('commands/exec-command.js'));
const prev=new Map([[start,null]]); const q=[start];
while(q.length){ const k=q.shift(); for(const i of ins[k]?.imports||[]){ if(i.kind!=='import-statement'||prev.has(i.path)) continue; prev.set(i.path,k); q.push(i.path);} }
const hit=[...prev.keys()].find(k=>k.includes(target));
let p=hit; const chain=[]; while(p){chain.push(p.replace(/.*packages\//,'')); p=prev.get(p);} console.log(chain.reverse().join('\n  -> '));
