import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { AgentSketch } from '@agentkit/aggregator';
import type { Dogsketch } from '@agentkit/serializer';
import { multipartFrame } from '@agentkit/symdb';
import { startLocalIntake, type HttpLocalIntake } from '../src/index.js';
import { pipelineTo, post } from './helpers.js';

// Debian's Chromium (installed by .ci/run); elsewhere these tests are skipped.
const CHROMIUM = '/usr/bin/chromium';
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const NOW = Math.floor(Date.now() / 10_000) * 10;

function series(metric: string, points: [number, number][], tags: string[] = [], type = 'gauge'): object {
  return { metric, points, tags, host: 'web-1', type, interval: 10 };
}

async function sendV1(url: string, items: object[]): Promise<void> {
  expect((await post(`${url}${ENDPOINT_PATHS.series_v1}`, JSON.stringify({ series: items }))).status).toBe(202);
}

/** Non-transparent pixels on the first canvas of a chart: the axes and the drawn lines. */
function inkedPixels(page: Page, metric: string): Promise<number> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('section.chart[data-metric="${metric}"] canvas');
    if (!canvas) return 0;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  })()`);
}

describeWithChromium('the page in headless Chromium', () => {
  let intake: HttpLocalIntake;
  let browser: Browser;

  beforeAll(async () => {
    intake = await startLocalIntake({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await intake?.onStop();
  });

  it('draws every metric, lists events, checks and uploads, filters, and picks up new data by itself', async () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `shard:${i}`);
    await sendV1(intake.url, [
      series('shop.temperature', [[NOW - 20, 20], [NOW - 10, 21], [NOW, 21.5]]),
      ...hosts.map((tag, i) => series('shop.requests', [[NOW - 10, i], [NOW, i + 1]], [tag], 'count')),
    ]);
    const events = [
      { msg_title: 'Old deploy', msg_text: 'first', timestamp: NOW - 60, host: 'web-1', alert_type: 'info' },
      { msg_title: 'Disk full', msg_text: '<b>not html</b>', timestamp: NOW, host: 'web-1', alert_type: 'error' },
    ];
    await post(`${intake.url}${ENDPOINT_PATHS.intake}`, JSON.stringify({ apiKey: '', internalHostname: 'web-1', events: { api: events } }));
    await post(`${intake.url}${ENDPOINT_PATHS.check_run_v1}`, JSON.stringify([{ check: 'db.up', host_name: 'web-1', timestamp: NOW, status: 2, message: 'refused', tags: null }]));
    const file = gzipSync(JSON.stringify({ service: 'shop-api', version: '3.1.0', language: 'javascript', scopes: [{ scope_type: 'module', name: 'src/app.js', source_file: 'src/app.js' }] }));
    const frame = multipartFrame({ service: 'shop-api', version: '3.1.0', env: 'prod', runtimeId: 'r', uploadId: 'u', batchNum: 1, final: true, attachmentSize: file.length });
    await post(`${intake.url}/symdb/v1/input`, Buffer.concat([frame.head, file, frame.tail]), { 'Content-Type': frame.contentType, 'DD-EVP-ORIGIN': 'agent-symdb', 'X-Datadog-Additional-Tags': 'host:web-1,default_env:prod' });
    // As agentkit's debugger proxy forwards a tracer's snapshot: the origin and the agent's tags in ddtags.
    const snapshot = JSON.stringify([{ service: 'shop-api', message: 'Cart <total> computed', debugger: { snapshot: {} } }]);
    await post(`${intake.url}/debugger/v2/input?ddtags=host%3Aweb-1%2Cdefault_env%3Aprod`, snapshot, { 'Content-Type': 'application/json', 'DD-EVP-ORIGIN': 'agent-debugger', 'DD-API-KEY': 'abcdefghijklmnopqrstuvwxyz123456' });
    const { app, serializer } = await pipelineTo(intake.url);
    const latency = [0, 1, 2].map((i) => {
      const sketch = new AgentSketch();
      for (let v = 1; v <= 100; v++) sketch.insert(v * (1 + i / 10));
      return sketch.finish(NOW - 20 + i * 10) as Dogsketch;
    });
    await serializer.sendSketches([{ name: 'shop.latency', host: 'web-1', tags: [], interval: 10, points: latency }]);
    await app.stop();

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(intake.url)) problems.push(`request to ${r.url()}`);
    });
    await page.goto(`${intake.url}/`);

    for (const metric of ['shop.temperature', 'shop.requests', 'shop.latency']) {
      const chart = page.locator(`section.chart[data-metric="${metric}"]`);
      await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
      expect(await chart.locator('h3').textContent()).toBe(metric);
      expect(await inkedPixels(page, metric)).toBeGreaterThan(50);
    }
    expect(await page.locator('section.chart[data-metric="shop.latency"] .u-legend').textContent()).toMatch(/p50.*p95.*p99/);
    expect(await page.locator('section.chart[data-metric="shop.latency"] .badge').textContent()).toBe('distribution');
    // 10 tag sets, 8 lines drawn.
    expect(await page.locator('section.chart[data-metric="shop.requests"] .more').textContent()).toBe('+2 more lines not drawn');
    expect(await page.locator('#status-text').textContent()).toContain('intake running alone');
    expect(await page.locator('#agent').textContent()).toContain('No agent counters (intake running alone)');
    // Newest event first, text shown as text.
    expect(await page.locator('#events .title').allTextContents()).toEqual(['Disk full', 'Old deploy']);
    expect(await page.locator('#events .text').first().textContent()).toBe('<b>not html</b>');
    expect(await page.locator('#checks .pill').allTextContents()).toEqual(['CRITICAL']);
    expect(await page.locator('#symdb tbody').textContent()).toContain('shop-api');
    expect(await page.locator('#symdb tbody').textContent()).toContain('agent-symdb · host:web-1,default_env:prod');
    const debuggerRow = page.locator('#debugger tbody tr').first();
    expect(await debuggerRow.textContent()).toContain('/debugger/v2/input');
    expect(await debuggerRow.textContent()).toContain('Cart <total> computed');
    expect(await debuggerRow.textContent()).toContain('agent-debugger · host:web-1,default_env:prod');
    // The API key is shown masked, on hover only.
    expect(await debuggerRow.locator('td').last().getAttribute('title')).toContain('DD-API-KEY ***************************23456');
    expect(await page.content()).not.toContain('abcdefghijklmnopqrstuvwxyz123456');

    // The filter narrows the charts down.
    await page.locator('#filter').fill('temperature');
    await page.locator('section.chart[data-metric="shop.requests"]').waitFor({ state: 'detached', timeout: 5000 });
    expect(await page.locator('section.chart').count()).toBe(1);
    await page.locator('#filter').fill('');

    // New data shows up at the next poll.
    await sendV1(intake.url, [series('shop.new_metric', [[NOW, 5]])]);
    const chart = page.locator('section.chart[data-metric="shop.new_metric"]');
    await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
    expect(await inkedPixels(page, 'shop.new_metric')).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
