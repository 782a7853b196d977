import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium, type Browser } from 'playwright-core';
import { aggregatorBundle } from '@agentkit/aggregator';
import { allConfigKeys } from '@agentkit/agent';
import { loadConfig } from '@agentkit/config';
import { createApp } from '@agentkit/core';
import { DEBUGGER_PROXY, debuggerBundle } from '@agentkit/debugger';
import { freeUdpPort } from '@agentkit/core/testing';
import { dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import { forwarderBundle } from '@agentkit/forwarder';
import { startLocalIntake, type HttpLocalIntake } from '@agentkit/intake';
import { LOG_SOURCE, logsBundle } from '@agentkit/logs';
import { hostMetadataBundle } from '@agentkit/metadata';
import { serializerBundle } from '@agentkit/serializer';
import { REPO_ROOT } from './support/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots are kept here (git-ignored) for a person to look at after the run. */
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
// Debian's Chromium; `.ci/run` installs it. Elsewhere (a developer's laptop) the test is skipped, loudly.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env['CI'] !== undefined) throw new Error(`${CHROMIUM} is missing: .ci/run should have installed Debian's chromium`);
const describeWithChromium = haveChromium ? describe : describe.skip;

/** The flags the machine needs: no sandbox as root, and no background calls to a closed network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describeWithChromium('the local intake page in headless Chromium', () => {
  let intake: HttpLocalIntake;
  let browser: Browser;

  beforeAll(async () => {
    intake = await startLocalIntake({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await intake?.onStop();
  });

  it('shows each metric sent through the real pipeline by name, with a drawn chart', async () => {
    const config = loadConfig({
      keys: allConfigKeys,
      env: { DD_API_KEY: 'anything', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_CMD_PORT: '-1' },
    });
    const pipeline = createApp([dogstatsdBundle, aggregatorBundle, serializerBundle, forwarderBundle], { config });
    await pipeline.start();
    const udp = createSocket('udp4');
    const lines = ['page.requests:5|c|#route:/home', 'page.requests:2|c|#route:/cart', 'page.temperature:21.5|g', 'page.latency:120|d', 'page.latency:80|d', '_e{9,5}:Deploy v2|hello', '_sc|page.health|0'];
    await new Promise<void>((resolve, reject) => udp.send(lines.join('\n'), pipeline.get(UDP_LISTENER).port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    udp.close();
    await new Promise((r) => setTimeout(r, 100));
    await pipeline.stop(); // the final flush ships the current (incomplete) bucket to the intake

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${intake.url}/`);
    for (const metric of ['page.requests', 'page.temperature', 'page.latency']) {
      const chart = page.locator(`section.chart[data-metric="${metric}"]`);
      await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
      await expect(chart.textContent()).resolves.toContain(metric);
      // Drawn, not just present: the plotted line leaves non-transparent pixels on the canvas.
      const inked = await page.evaluate(`(() => {
        const canvas = document.querySelector('section.chart[data-metric="${metric}"] canvas');
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      })()`);
      expect(inked).toBeGreaterThan(50);
    }
    await expect(page.locator('body').textContent()).resolves.toContain('Deploy v2');
    await expect(page.locator('body').textContent()).resolves.toContain('page.health');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'intake-page.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('shows the host and its tags from the host metadata the agent sends', async () => {
    const config = loadConfig({
      keys: allConfigKeys,
      env: { DD_API_KEY: 'anything', DD_DD_URL: intake.url, DD_HOSTNAME: 'page-host-1', DD_TAGS: 'team:pages role:web', DD_EXTRA_TAGS: 'zone:b', DD_ENV: 'demo' },
    });
    const agent = createApp([forwarderBundle, hostMetadataBundle], { config });
    await agent.start();
    await agent.stop(); // the forwarder's stop sends what is queued: the payload sent at start

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${intake.url}/`);
    const row = page.locator('#hosts tr[data-host="page-host-1"]');
    await row.waitFor({ timeout: 15_000 });
    const chips = await row.locator('.tag').allTextContents();
    expect(chips).toEqual(['env:demo', 'role:web', 'team:pages', 'zone:b']);
    await page.close();
  }, 60_000);

  it('shows a symdb upload that came through the debugger proxy, with the headers the agent added', async () => {
    // No API key: the proxy ships to the local intake. A node:http server stands in for the APM receiver on 8126.
    const config = loadConfig({ keys: allConfigKeys, env: { DD_LOCAL_INTAKE_PORT: String(intake.port), DD_HOSTNAME: 'page-host-2', DD_ENV: 'demo' } });
    const agent = createApp([debuggerBundle], { config });
    await agent.start();
    const proxy = agent.get(DEBUGGER_PROXY);
    const receiver = createServer((req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const file = gzipSync(JSON.stringify({ service: 'page-svc', version: '2.0.0', language: 'javascript', scopes: [{ scope_type: 'module', name: 'src/index.js', source_file: 'src/index.js' }] }));
      const form = new FormData();
      form.append('event', new Blob([JSON.stringify({ ddsource: 'dd_debugger', service: 'page-svc', type: 'symdb' })], { type: 'application/json' }), 'event.json');
      form.append('file', new Blob([file], { type: 'application/gzip' }), 'file.gz');
      const answer = await fetch(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/symdb/v1/input`, { method: 'POST', body: form });
      expect(answer.status).toBe(202);
    } finally {
      receiver.close();
      await agent.stop();
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${intake.url}/`);
    const row = page.locator('#symdb tbody tr', { hasText: 'page-svc' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('agent-symdb · host:page-host-2,default_env:demo,agent_version:');
    expect(await row.locator('td').last().getAttribute('title')).toMatch(/^DD-REQUEST-ID [0-9a-f-]{36}\nno DD-API-KEY/);
    await page.close();
  }, 60_000);

  it("shows the task's logs from the real log pipeline, newest first, by status and by the filter", async () => {
    const config = loadConfig({ keys: allConfigKeys, env: { DD_API_KEY: 'anything', DD_LOGS_ENABLED: 'true', DD_LOGS_CONFIG_LOGS_DD_URL: intake.url, DD_SERVICE: 'page-task' } });
    const logs = createApp([logsBundle({ tags: ['env:demo'], defaultSource: 'local' })], { config });
    await logs.start();
    const pipes = { stdout: new PassThrough(), stderr: new PassThrough(), mirrorStdout: new PassThrough(), mirrorStderr: new PassThrough() };
    pipes.mirrorStdout.resume();
    pipes.mirrorStderr.resume();
    logs.get(LOG_SOURCE).attach(pipes);
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 150));
    pipes.stdout.write('page log one\n');
    await pause();
    pipes.stderr.write('page log two failed\n    at step (/app/job.js:1:1)\n');
    await pause();
    pipes.stdout.write('{"level":"warn","message":"page log three"}\n');
    pipes.stdout.end();
    pipes.stderr.end();
    await logs.stop();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${intake.url}/`);
    const rows = page.locator('#logs tbody tr');
    await rows.nth(2).waitFor({ timeout: 15_000 });
    const messages = async (): Promise<string[]> => page.locator('#logs tbody td.message').allTextContents();
    expect(await messages()).toEqual(['page log three', 'page log two failed\n    at step (/app/job.js:1:1)', 'page log one']);
    expect(await page.locator('#logs tbody .pill').allTextContents()).toEqual(['warn', 'error', 'info']);
    await page.selectOption('#logs-status', 'error');
    expect(await messages()).toEqual(['page log two failed\n    at step (/app/job.js:1:1)']);
    await page.selectOption('#logs-status', '');
    await page.fill('#filter', 'one');
    expect(await messages()).toEqual(['page log one']);
    await page.screenshot({ path: join(ARTIFACTS, 'intake-page-logs.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
