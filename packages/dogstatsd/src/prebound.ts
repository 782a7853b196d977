// `@agentkit/dogstatsd/prebound`: what binds DogStatsD's UDP port before the rest of the package
// is loaded (`agentkit exec` starts its program on it, then loads the pipeline). Light on purpose:
// nothing here may import the listeners, the parser or the server.
export { PREBOUND_UDP_SOCKET, PreboundUdpSocket } from './listeners/prebound-udp.js';
export { formatHostPort, listenAddress } from './listeners/listen-address.js';
export { UDP_LISTENER } from './listeners/listener.def.js';
