import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { dogstatsdKeys } from './config-keys.js';
import { MEMORY_LISTENER, TCP_LISTENER, UDP_LISTENER, UDS_DATAGRAM_LISTENER, UDS_STREAM_LISTENER } from './listeners/listener.def.js';
import { InMemoryListener } from './listeners/memory-listener.js';
import { NetTcpListener } from './listeners/tcp-listener.js';
import { UnixDgramListener } from './listeners/uds-datagram-listener.js';
import { NetUnixStreamListener } from './listeners/uds-stream-listener.js';
import { DgramUdpListener } from './listeners/udp-listener.js';
import { PACKET_FORWARDER } from './packet-forwarder/packet-forwarder.def.js';
import { UdpPacketForwarder } from './packet-forwarder/udp-packet-forwarder.js';
import { MainThreadServer } from './server/main-thread-server.js';
import { DOGSTATSD_SERVER } from './server/server.def.js';

/**
 * A listener's share of the App's stop budget: `dogstatsd_drain_timeout_ms`. Its drain reads
 * what is queued in its socket until its stop signal aborts (then, or sooner when the budget
 * has less left), and then closes.
 */
const listenerStopTimeoutMs = (config: ConfigReader): number => config.get(dogstatsdKeys.drainTimeoutMs);

function useDogstatsd(config: ConfigReader): boolean {
  return config.get(dogstatsdKeys.useDogstatsd);
}

/**
 * The DogStatsD server, its packet forwarder (`statsd_forward_host`) and its listeners (UDP,
 * Unix datagram, Unix stream, TCP), enabled by
 * `use_dogstatsd`. Needs a `DEMULTIPLEXER` (the aggregator bundle, or `fakeAggregatorBundle()`).
 * Listeners whose key is unset start as no-ops. The listeners are the app's readiness (`ready`):
 * clients may send once they have started (`agentkit exec` starts its program then).
 */
export const dogstatsdBundle: Bundle = bundle(
  'dogstatsd',
  [
    provide(DOGSTATSD_SERVER, MainThreadServer),
    provide(PACKET_FORWARDER, UdpPacketForwarder),
    provide(UDP_LISTENER, DgramUdpListener, { stopTimeoutMs: listenerStopTimeoutMs, ready: true }),
    provide(UDS_DATAGRAM_LISTENER, UnixDgramListener, { stopTimeoutMs: listenerStopTimeoutMs, ready: true }),
    provide(UDS_STREAM_LISTENER, NetUnixStreamListener, { stopTimeoutMs: listenerStopTimeoutMs, ready: true }),
    provide(TCP_LISTENER, NetTcpListener, { stopTimeoutMs: listenerStopTimeoutMs, ready: true }),
  ],
  { enabled: useDogstatsd },
);

/**
 * For tests: the in-memory listener (`MEMORY_LISTENER`), to add beside `dogstatsdBundle`;
 * switched by `use_dogstatsd` with it.
 */
export const memoryListenerBundle: Bundle = bundle('dogstatsd-memory-listener', [provide(MEMORY_LISTENER, InMemoryListener)], {
  enabled: useDogstatsd,
});
