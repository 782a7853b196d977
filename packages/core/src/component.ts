/**
 * The optional lifecycle hooks of a component. The App calls `onStart` in dependency order
 * and `onStop` in reverse, each with a signal that aborts when the hook's time is up.
 *
 * A stage that pushes data to another stage must inject it (take it as a constructor
 * dependency, or a factory `deps` entry). That makes the data edge an injection edge, so the
 * downstream stage starts first and stops last: on stop, sources stop first and each stage
 * can drain into a neighbour that is still running. The App cannot see data edges that are
 * not injection edges; nothing else orders them.
 */
export interface Startable {
  /** Called once, after every dependency started. Must return once the component is ready. */
  onStart(signal: AbortSignal): void | Promise<void>;
}

/** See {@link Startable}. */
export interface Stoppable {
  /**
   * Called once, only if `onStart` succeeded (or the component has no `onStart`), after
   * every component that depends on this one has stopped. Hand everything held to the next
   * stage, then release resources. When `signal` aborts, the time is up: finish quickly.
   */
  onStop(signal: AbortSignal): void | Promise<void>;
}

export function isStartable(value: unknown): value is Startable {
  return hasMethod(value, 'onStart');
}

export function isStoppable(value: unknown): value is Stoppable {
  return hasMethod(value, 'onStop');
}

function hasMethod(value: unknown, name: string): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === 'function'
  );
}
