import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { http, intakeFor } from './helpers.js';

const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

const ASSETS: [path: string, contentType: string][] = [
  ['/', 'text/html; charset=utf-8'],
  ['/index.html', 'text/html; charset=utf-8'],
  ['/assets/app.js', 'text/javascript; charset=utf-8'],
  ['/assets/style.css', 'text/css; charset=utf-8'],
  ['/assets/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
  ['/assets/uPlot.min.css', 'text/css; charset=utf-8'],
];

describe('the page and its assets', () => {
  it.each(ASSETS)('%s is served, non-empty, as %s', async (path, contentType) => {
    const intake = await intakeFor();
    const answer = await http(`${intake.url}${path}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(contentType);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.body.length).toBeGreaterThan(500);
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
  });

  it('uPlot comes from the installed uplot package, byte for byte', async () => {
    const intake = await intakeFor();
    expect((await http(`${intake.url}/assets/uPlot.iife.min.js`)).body).toEqual(readFileSync(join(uplotDist, 'uPlot.iife.min.js')));
    expect((await http(`${intake.url}/assets/uPlot.min.css`)).body).toEqual(readFileSync(join(uplotDist, 'uPlot.min.css')));
  });

  it('the page loads every asset from this intake and nothing from the network', async () => {
    const intake = await intakeFor();
    const page = await http(`${intake.url}/`);
    const html = page.text;
    for (const [path] of ASSETS.filter(([p]) => p.startsWith('/assets/'))) expect(html).toContain(`"${path}"`);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.filter((ref) => !ref.startsWith('/') && ref !== 'data:,')).toEqual([]);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    // Every JSON route the page (and its footer) links to exists.
    for (const ref of refs.filter((r) => r.startsWith('/api/local/'))) expect([ref, (await http(`${intake.url}${ref}`)).status]).toEqual([ref, 200]);
  });

  it('the page script polls routes that exist and marks charts with data-metric', async () => {
    const intake = await intakeFor();
    const script = (await http(`${intake.url}/assets/app.js`)).text;
    expect(script).toContain("'data-metric'");
    const list = /\[('series'[^\]]+)\]\.map\(\(name\) => getJson\(`\/api\/local\/\$\{name\}`\)\)/.exec(script)?.[1];
    expect(list).toBeDefined();
    for (const name of (list ?? '').split(',').map((s) => s.trim().replaceAll("'", ''))) {
      expect([name, (await http(`${intake.url}/api/local/${name}`)).status]).toEqual([name, 200]);
    }
  });
});
