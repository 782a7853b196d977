import { afterEach, describe, expect, it } from '@jest/globals';
import { DEMULTIPLEXER } from '@agentkit/aggregator';
import { loadConfig } from '@agentkit/config';
import type { DecodedSketch } from '@agentkit/serializer';
import { detectCloudService, ENHANCED_METRICS, serverlessBundle, withServerlessTags, type CloudService } from '../src/index.js';
import { execKeys, startPipeline } from './helpers.js';

// serverless-init's enhanced metrics: product Serverless (1), category Cloud Run (36), service 473.
const ENHANCED_ORIGIN = { metricType: 0, product: 1, category: 36, service: 473 };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(cloud: CloudService, env: Record<string, string> = {}) {
  const pipeline = await startPipeline(cloud, [serverlessBundle(cloud)], env);
  closers.push(pipeline.close);
  return { ...pipeline, metrics: pipeline.app.get(ENHANCED_METRICS) };
}

/** name → (count of values, sum of values), over every sketch of that name. */
function totals(sketches: readonly DecodedSketch[]): Map<string, { cnt: number; sum: number }> {
  const out = new Map<string, { cnt: number; sum: number }>();
  for (const s of sketches) {
    const t = out.get(s.metric) ?? { cnt: 0, sum: 0 };
    for (const d of s.dogsketches) {
      t.cnt += d.cnt;
      t.sum += d.sum;
    }
    out.set(s.metric, t);
  }
  return out;
}

describe('DemuxEnhancedMetrics', () => {
  describe('on a Cloud Run service', () => {
    // The platform with the configured tags joined in, as `agentkit exec` builds it.
    const cloud = withServerlessTags(
      loadConfig({ keys: execKeys, env: { DD_ENV: 'prod', DD_TAGS: 'container_id:abc team:pay' } }),
      detectCloudService({ K_SERVICE: 'checkout', K_REVISION: 'checkout-1' }),
    ).cloud;

    it('sends cold_start at start and shutdown once, as distributions with the metric tags and no host', async () => {
      const { app, intake, metrics } = await start(cloud);
      metrics.shutdownStarted();
      metrics.shutdownStarted();
      metrics.taskEnded({ exitCode: 0, durationMs: 5 }); // services have no task metrics
      await app.stop();
      const sketches = intake.sketches();
      expect(totals(sketches)).toEqual(
        new Map([
          ['gcp.run.container.enhanced.cold_start', { cnt: 1, sum: 1 }],
          ['gcp.run.container.enhanced.shutdown', { cnt: 1, sum: 1 }],
        ]),
      );
      for (const sketch of sketches) {
        expect(sketch.host).toBe('');
        expect([...sketch.tags].sort()).toEqual([...cloud.metricTags].sort());
        expect(sketch.tags).not.toContain('container_id:abc');
        expect(sketch.origin).toEqual(ENHANCED_ORIGIN);
      }
    });

    it('adds tags learnt after start (the metadata server\'s) to what it records from then on, without high-cardinality ones', async () => {
      const { app, intake, metrics } = await start(cloud);
      metrics.addTags(['region:europe-west1', 'container_id:xyz', 'project_id:shop']);
      metrics.shutdownStarted();
      await app.stop();
      const byName = new Map(intake.sketches().map((s) => [s.metric, s.tags]));
      expect(byName.get('gcp.run.container.enhanced.cold_start')).not.toContain('region:europe-west1');
      expect(byName.get('gcp.run.container.enhanced.shutdown')).toEqual(expect.arrayContaining(['region:europe-west1', 'project_id:shop']));
      expect(byName.get('gcp.run.container.enhanced.shutdown')).not.toContain('container_id:xyz');
    });

    it('sends shutdown at stop when nobody reported the shutdown', async () => {
      const { app, intake } = await start(cloud);
      await app.stop();
      expect([...totals(intake.sketches()).keys()].sort()).toEqual(['gcp.run.container.enhanced.cold_start', 'gcp.run.container.enhanced.shutdown']);
    });

    it('sends nothing when enhanced_metrics_enabled is false', async () => {
      const { app, intake } = await start(cloud, { DD_ENHANCED_METRICS_ENABLED: 'false' });
      // A user metric proves the pipeline delivered the stop-time flush.
      app.get(DEMULTIPLEXER).addSamples([{ name: 'user.latency', value: 7, type: 'distribution', tags: [], host: '', sampleRate: 1, timestamp: Date.now() / 1000 }]);
      await app.stop();
      expect([...totals(intake.sketches()).keys()]).toEqual(['user.latency']);
    });
  });

  describe('on a Cloud Run job', () => {
    const cloud = detectCloudService({ CLOUD_RUN_JOB: 'nightly', CLOUD_RUN_EXECUTION: 'nightly-x1', CLOUD_RUN_TASK_INDEX: '4' });

    it('sends task.started, then task.ended{succeeded:false} and task.duration for a failed task', async () => {
      const { app, intake, metrics } = await start(cloud);
      metrics.taskEnded({ exitCode: 3, durationMs: 1234 });
      metrics.taskEnded({ exitCode: 0, durationMs: 1 }); // ignored: the task ended once
      metrics.shutdownStarted(); // jobs have no shutdown metric
      await app.stop();
      const sketches = intake.sketches();
      expect(totals(sketches)).toEqual(
        new Map([
          ['gcp.run.job.enhanced.task.started', { cnt: 1, sum: 1 }],
          ['gcp.run.job.enhanced.task.ended', { cnt: 1, sum: 1 }],
          ['gcp.run.job.enhanced.task.duration', { cnt: 1, sum: 1234 }],
        ]),
      );
      const ended = sketches.find((s) => s.metric === 'gcp.run.job.enhanced.task.ended');
      expect([...(ended?.tags ?? [])].sort()).toEqual([...cloud.metricTags, 'succeeded:false'].sort());
      expect(ended?.tags.some((t) => t.startsWith('gcrj.execution_name') || t.startsWith('gcrj.task_index'))).toBe(false);
    });

    it('tags a task that exited 0 succeeded:true', async () => {
      const { app, intake, metrics } = await start(cloud);
      metrics.taskEnded({ exitCode: 0, durationMs: 10 });
      await app.stop();
      expect(intake.sketches().find((s) => s.metric === 'gcp.run.job.enhanced.task.ended')?.tags).toContain('succeeded:true');
    });

    it('sends task.ended{succeeded:false} and a duration at stop when nobody reported the end', async () => {
      const { app, intake } = await start(cloud);
      await app.stop();
      const sketches = intake.sketches();
      expect([...totals(sketches).keys()].sort()).toEqual(['gcp.run.job.enhanced.task.duration', 'gcp.run.job.enhanced.task.ended', 'gcp.run.job.enhanced.task.started']);
      expect(sketches.find((s) => s.metric === 'gcp.run.job.enhanced.task.ended')?.tags).toContain('succeeded:false');
      expect(totals(sketches).get('gcp.run.job.enhanced.task.duration')?.sum).toBeGreaterThanOrEqual(0);
    });
  });

  it('uses the platform\'s prefix elsewhere', async () => {
    const cloud = detectCloudService({ CONTAINER_APP_NAME: 'orders', CONTAINER_APP_REPLICA_NAME: 'r-1' });
    const { app, intake } = await start(cloud);
    await app.stop();
    expect([...totals(intake.sketches()).keys()].sort()).toEqual(['azure.containerapp.enhanced.cold_start', 'azure.containerapp.enhanced.shutdown']);
  });

  it('does nothing once stopped', async () => {
    const cloud = detectCloudService({ CLOUD_RUN_JOB: 'j' });
    const { app, intake, metrics } = await start(cloud);
    await app.stop();
    const before = intake.sketches().length;
    metrics.taskEnded({ exitCode: 0, durationMs: 1 });
    metrics.shutdownStarted();
    expect((metrics as unknown as { telemetry(): Record<string, number> }).telemetry()['sent']).toBe(3);
    expect(intake.sketches()).toHaveLength(before);
  });
});
