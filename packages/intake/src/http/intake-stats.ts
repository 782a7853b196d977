/** Which handler a request went to, for the counters. */
export type RouteName =
  | 'series_v2'
  | 'series_v1'
  | 'sketches_v2'
  | 'intake'
  | 'check_run_v1'
  | 'logs'
  | 'symdb'
  | 'debugger'
  | 'validate'
  | 'api'
  | 'page'
  | 'not_found';

/** The intake's request and item counters (drops are counted by the DropCounter beside it). */
export class IntakeStats {
  #requests = 0;
  readonly #requestsByRoute = new Map<RouteName, number>();
  /** Payloads accepted, by kind. */
  readonly #payloads = new Map<string, number>();
  /** Items in accepted payloads, by kind. */
  readonly #items = new Map<string, number>();

  public request(route: RouteName): void {
    this.#requests++;
    this.#requestsByRoute.set(route, (this.#requestsByRoute.get(route) ?? 0) + 1);
  }

  public accepted(kind: string, items: number): void {
    this.#payloads.set(kind, (this.#payloads.get(kind) ?? 0) + 1);
    this.#items.set(kind, (this.#items.get(kind) ?? 0) + items);
  }

  public get requests(): number {
    return this.#requests;
  }

  public requestsByRoute(): Record<string, number> {
    return Object.fromEntries(this.#requestsByRoute);
  }

  public payloads(): Record<string, number> {
    return Object.fromEntries(this.#payloads);
  }

  public items(): Record<string, number> {
    return Object.fromEntries(this.#items);
  }
}
