import type { IntakeRequest } from '../http/intake-request.js';
import type { RouteName } from '../http/intake-stats.js';

/**
 * How the intake answers one request instead of its own answer. Every field is optional: with
 * neither `status`, `reset` nor `hang`, the intake gives its own answer (after `delayMs`).
 */
export interface FaultResponse {
  /** Answer with this HTTP status. A 2xx keeps what decoded, as the intake's own 202 would. */
  readonly status?: number;
  /** The body (default `{}` for a 2xx, `{"errors":["status <n> (fault plan)"]}` otherwise). */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (or resetting). */
  readonly delayMs?: number;
  /** Reset the TCP connection instead of answering. */
  readonly reset?: boolean;
  /** Never answer: the connection stays open until the client gives up or the intake stops. */
  readonly hang?: boolean;
}

/** A step of a sequence: a response, or a bare status code (`503` is `{ status: 503 }`). */
export type FaultStep = number | FaultResponse;

/** A route (`series_v2`, `symdb`, `validate`, …), or `payloads`: any Datadog payload route (series, sketches, events and host metadata, checks). */
export type FaultTarget = RouteName | 'payloads';

/** Picks the answer for a request; undefined falls through to the sequences, then to the intake's own answer. */
export type FaultResponder = (request: IntakeRequest) => FaultResponse | undefined;

export interface FaultPlanInit {
  /**
   * Answers used in order, one per request to that target; once a list is used up the intake
   * answers as itself again (the recovery). A route's own list is used before `payloads`.
   */
  readonly sequences?: { readonly [K in FaultTarget]?: readonly FaultStep[] };
  /** Consulted first, for every request. */
  readonly respond?: FaultResponder;
}

const PAYLOAD_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>(['series_v2', 'series_v1', 'sketches_v2', 'intake', 'check_run_v1']);

/**
 * What an intake should do wrong, for tests: status sequences per route, delays, connection
 * resets and hangs. Give it to the intake (`startLocalIntake({ faults })`); it may be changed
 * while the intake runs (`enqueue`, `setResponder`). An intake without one answers every
 * request itself.
 */
export class FaultPlan {
  readonly #sequences = new Map<FaultTarget, FaultResponse[]>();
  #respond: FaultResponder | undefined;

  public constructor(init: FaultPlanInit = {}) {
    this.#respond = init.respond;
    for (const [target, steps] of Object.entries(init.sequences ?? {}) as [FaultTarget, readonly FaultStep[]][]) this.enqueue(target, ...steps);
  }

  /** Appends steps to `target`'s sequence. */
  public enqueue(target: FaultTarget, ...steps: FaultStep[]): void {
    let sequence = this.#sequences.get(target);
    if (sequence === undefined) this.#sequences.set(target, (sequence = []));
    for (const step of steps) sequence.push(typeof step === 'number' ? { status: step } : step);
  }

  /** Replaces the responder consulted first (undefined removes it). */
  public setResponder(respond: FaultResponder | undefined): void {
    this.#respond = respond;
  }

  /** Steps of `target`'s sequence not used yet. */
  public pending(target: FaultTarget): number {
    return this.#sequences.get(target)?.length ?? 0;
  }

  /**
   * The answer for `request`, using up a sequence step when one applies: the responder's, else
   * the next step for its route, else for `payloads` (payload routes only); undefined when the
   * intake should answer as itself.
   */
  public next(request: IntakeRequest): FaultResponse | undefined {
    const chosen = this.#respond?.(request);
    if (chosen !== undefined) return chosen;
    const own = this.#sequences.get(request.route)?.shift();
    if (own !== undefined) return own;
    return PAYLOAD_ROUTES.has(request.route) ? this.#sequences.get('payloads')?.shift() : undefined;
  }
}
