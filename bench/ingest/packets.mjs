// Realistic DogStatsD packets shared by the ingest benches: 20 lines per datagram (~1.3 KB),
// 1 024 distinct packets (20 480 contexts), types c g ms h d s, five tags per line.
const TYPES = ['c', 'g', 'ms', 'h', 'd', 'c', 'g', 's'];
export const LINES_PER_PACKET = 20;

export function makePackets(count = 1024) {
  const packets = [];
  let k = 0;
  for (let p = 0; p < count; p++) {
    const lines = [];
    for (let l = 0; l < LINES_PER_PACKET; l++, k++) {
      const type = TYPES[k % TYPES.length];
      const value = type === 's' ? `user${k % 97}` : type === 'c' ? '1' : ((k * 7919) % 100000) / 10;
      lines.push(`app.req.metric_${k % 4096}:${value}|${type}|#env:prod,svc:api,host:w-${k % 7},ep:/v1/i/${k % 5},v:14`);
    }
    packets.push(Buffer.from(lines.join('\n')));
  }
  return packets;
}

/**
 * The parser options of a server with default config, host `bench-host` (as DD_HOSTNAME would
 * set), changed by the DD_* variables of the bench's own environment (e.g.
 * `DD_STATSD_METRIC_BLOCKLIST`, `DD_HISTOGRAM_COPY_TO_DISTRIBUTION=true`).
 */
export async function benchParserOptions() {
  const { commonConfigKeys, loadConfig } = await import('@agentkit/config');
  const { dogstatsdConfigKeys, parserOptionsFromConfig } = await import('@agentkit/dogstatsd');
  const ddEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('DD_')));
  return parserOptionsFromConfig(loadConfig({ keys: [...commonConfigKeys, ...dogstatsdConfigKeys], env: { DD_HOSTNAME: 'bench-host', ...ddEnv } }));
}
