import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

/** A destination that keeps every chunk it is given; `isTTY` makes it look like a terminal. */
export class Collector extends Writable {
  public readonly chunks: string[] = [];
  public isTTY: boolean | undefined;

  public constructor(isTTY?: boolean) {
    super();
    this.isTTY = isTTY;
  }

  public override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }

  /** Everything written, colours removed. */
  public text(): string {
    return stripVTControlCharacters(this.chunks.join(''));
  }

  /** Each written JSON line, parsed. */
  public records(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** A made-up API key: 32 hex characters, ending in "c0ffe". */
export const API_KEY = '0123456789abcdef0123456789ac0ffe';
/** How the Datadog Agent shows API_KEY. */
export const MASKED_API_KEY = '***************************c0ffe';
/** A made-up application key: 40 hex characters. */
export const APP_KEY = 'fedcba9876543210fedcba9876543210fe0dbeef';
export const MASKED_APP_KEY = '***********************************dbeef';
