// esbuild plugins shared by the builds of the CLI (scripts/build-binary.mjs; scripts/bundle-cli.mjs
// has its own copy of the first one until the two are merged).
import { readFileSync } from 'node:fs';

// undici 7 reads globalThis.Headers once, at load, only so that its cookie helpers (getCookies,
// setCookie: unused here) also accept Node's built-in Headers. On Node 20 that read makes Node
// load its own, second copy of undici and compile that copy's HTTP parser (WebAssembly) in the
// background: ~30 ms of CPU at every start, taken from the program `agentkit exec` runs beside
// it. The bundle leaves it out.
const GLOBAL_HEADERS_READ = '[Headers, globalThis.Headers].filter(Boolean)';

/** @type {(logPrefix: string) => import('esbuild').Plugin} */
export const undiciWithoutGlobalHeaders = (logPrefix) => ({
  name: 'undici-without-global-headers',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]web[\\/]cookies[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(GLOBAL_HEADERS_READ)) {
        // A newer undici: the bundle still works, it only loses the saving. Say so.
        process.stderr.write(`${logPrefix}: ${args.path} no longer contains "${GLOBAL_HEADERS_READ}"; left as it is\n`);
        return undefined;
      }
      return { contents: source.replace(GLOBAL_HEADERS_READ, '[Headers]'), loader: 'js' };
    });
  },
});
