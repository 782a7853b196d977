import type { Payload } from './forwarder.def.js';

/**
 * One payload on its way to one destination (domain × API key). Each destination gets its
 * own transaction for a payload; they share the payload's body, which nobody modifies.
 */
export interface Transaction {
  readonly payload: Payload;
  /** On the forwarder's clock: the retry queue drops the oldest first. */
  readonly createdAtMs: number;
  /** Failed attempts so far. */
  errorCount: number;
  /** Sent once during the stop drain: a second failure is final. */
  drainAttempted: boolean;
}

export function newTransaction(payload: Payload, nowMs: number): Transaction {
  return { payload, createdAtMs: nowMs, errorCount: 0, drainAttempted: false };
}
