export { dogstatsdBundle, memoryListenerBundle } from './dogstatsd.module.js';
export { dogstatsdConfigKeys, dogstatsdFilterKeys, dogstatsdKeys, DEFAULT_NAMESPACE_BLACKLIST, DEFAULT_SO_RCVBUF_BYTES } from './config-keys.js';
export type { MapperMappingConfig, MapperProfileConfig } from './config-keys.js';
export { DogstatsdError, DogstatsdErrorCode } from './errors.js';

export { DOGSTATSD_SERVER } from './server/server.def.js';
export type { DogstatsdServer, PacketSource } from './server/server.def.js';
export { MainThreadServer } from './server/main-thread-server.js';
export { FakeDogstatsdServer } from './server/fake-server.js';

export { PACKET_FORWARDER } from './packet-forwarder/packet-forwarder.def.js';
export type { PacketForwarder } from './packet-forwarder/packet-forwarder.def.js';
export { DEFAULT_MAX_QUEUED_SENDS, UdpPacketForwarder } from './packet-forwarder/udp-packet-forwarder.js';
export { FakePacketForwarder } from './packet-forwarder/fake-packet-forwarder.js';

export { MEMORY_LISTENER, TCP_LISTENER, UDP_LISTENER, UDS_DATAGRAM_LISTENER, UDS_STREAM_LISTENER } from './listeners/listener.def.js';
export type { DogstatsdListener, MemoryListener, TcpListener, UdpListener, UnixSocketListener } from './listeners/listener.def.js';
export { DgramUdpListener } from './listeners/udp-listener.js';
export { PREBOUND_UDP_SOCKET, PreboundUdpSocket } from './listeners/prebound-udp.js';
export { UnixDgramListener } from './listeners/uds-datagram-listener.js';
export { NetUnixStreamListener } from './listeners/uds-stream-listener.js';
export { NetTcpListener } from './listeners/tcp-listener.js';
export { InMemoryListener } from './listeners/memory-listener.js';
export { formatHostPort, listenAddress } from './listeners/listen-address.js';
export type { ListenAddress } from './listeners/listen-address.js';
export { checkSocketPathLength, removeSocketFile, removeStaleSocket, setSocketMode } from './listeners/socket-path.js';

export { PacketParser } from './parser/packet-parser.js';
export type { PacketParserOptions } from './parser/packet-parser.js';
export type { SampleSink } from './parser/sample-sink.js';
export { blocklistFromConfig, parserOptionsFromConfig } from './parser/parser-options.js';
export { NameBlocklist } from './enrich/name-blocklist.js';
export type { ParseErrorKind, ParseReporter } from './parser/parse-error.js';
export { Batcher, DEFAULT_SAMPLE_BATCH_SIZE } from './server/batcher.js';
export { MetricMapper } from './enrich/mapper.js';
export type { MapResult } from './enrich/mapper.js';
