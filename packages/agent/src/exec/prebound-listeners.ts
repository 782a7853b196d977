import { apmKeys } from '@agentkit/apm/config-keys';
import { PREBOUND_APM_SERVER, PreboundApmServer } from '@agentkit/apm/prebound';
import { bundle, provide, type Bundle, type ConfigReader, type Logger } from '@agentkit/core';
import { dogstatsdKeys } from '@agentkit/dogstatsd/config-keys';
import { PREBOUND_UDP_SOCKET, PreboundUdpSocket } from '@agentkit/dogstatsd/prebound';

/** The ports the program is told about (see ExecSession's program environment). */
export interface ListenerPorts {
  /** DogStatsD's UDP port, when UDP listens. */
  readonly udpPort: number | undefined;
  /** The trace agent receiver's TCP port, when it listens. */
  readonly apmPort: number | undefined;
}

/**
 * The app's listeners, bound before the app exists, so `agentkit exec` can start its program
 * while the components are constructed and started (that start is then beside the program,
 * not before it). The listeners take them over at their start with what they held meanwhile;
 * `bundle` gives them to the app.
 */
export class PreboundListeners {
  readonly #udp: PreboundUdpSocket | undefined;
  readonly #apm: PreboundApmServer | undefined;
  readonly #log: Logger;

  private constructor(udp: PreboundUdpSocket | undefined, apm: PreboundApmServer | undefined, log: Logger) {
    this.#udp = udp;
    this.#apm = apm;
    this.#log = log;
  }

  /**
   * Binds every listener that is part of the app's ready point, or resolves to undefined (the
   * program must then wait for the app's ready point, as before) when one of them cannot be
   * bound early: a Unix socket or TCP listener of DogStatsD, a Unix socket of the receiver
   * (their own start does more than a bind), or a bind that failed (the listener then tries
   * itself, and reports it as it always does).
   */
  public static async bind(config: ConfigReader, logger: Logger): Promise<PreboundListeners | undefined> {
    const dogstatsd = config.get(dogstatsdKeys.useDogstatsd);
    const apm = config.get(apmKeys.enabled);
    const others = dogstatsd && (config.get(dogstatsdKeys.socket) !== '' || config.get(dogstatsdKeys.streamSocket) !== '' || config.get(dogstatsdKeys.tcpPort) > 0);
    if (others || (apm && config.get(apmKeys.receiverSocket) !== '')) return undefined;
    const wantedUdp = dogstatsd && config.get(dogstatsdKeys.port) > 0;
    const wantedApm = apm && config.get(apmKeys.receiverPort) > 0;
    const udp = wantedUdp ? await PreboundUdpSocket.bind(config, logger) : undefined;
    const apmServer = wantedApm ? await PreboundApmServer.listen(config, logger) : undefined;
    const listeners = new PreboundListeners(udp, apmServer, logger.child({ component: 'exec' }));
    if ((wantedUdp && udp === undefined) || (wantedApm && apmServer === undefined)) {
      await listeners.closeUntaken();
      return undefined;
    }
    return listeners;
  }

  public get ports(): ListenerPorts {
    return { udpPort: this.#udp?.port, apmPort: this.#apm?.port };
  }

  /** For the app's items: the listeners find their socket through it. */
  public get bundle(): Bundle {
    return bundle('exec-prebound', [
      ...(this.#udp === undefined ? [] : [provide(PREBOUND_UDP_SOCKET, { useValue: this.#udp })]),
      ...(this.#apm === undefined ? [] : [provide(PREBOUND_APM_SERVER, { useValue: this.#apm })]),
    ]);
  }

  /**
   * Closes what no listener took (the app did not start, or rolled back before the listener's
   * start); what it held is lost, and said so.
   */
  public async closeUntaken(): Promise<void> {
    const datagrams = (await this.#udp?.closeUntaken()) ?? 0;
    const connections = (await this.#apm?.closeUntaken()) ?? 0;
    if (datagrams + connections > 0) {
      this.#log.error({ datagrams, connections }, `the pipeline did not take over its listeners: ${datagrams} DogStatsD datagram(s) and ${connections} trace agent connection(s) received before were lost`);
    }
  }
}
