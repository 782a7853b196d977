import { bundle, provide, type Bundle } from '@agentkit/core';
import type { UploadSummary } from '../upload/upload-directory.js';
import { SYMDB_UPLOADER, type SymdbUploader, type SymdbUploadState } from './symdb-uploader.def.js';

/** Uploads nothing; records that it was started and stopped. For testing what wires the uploader in. */
export class FakeSymdbUploader implements SymdbUploader {
  public state: SymdbUploadState = 'idle';
  public started = false;
  public stopped = false;

  public onStart(): void {
    this.started = true;
    this.state = 'done';
  }

  public onStop(): void {
    this.stopped = true;
  }

  public whenDone(): Promise<UploadSummary | undefined> {
    return Promise.resolve(undefined);
  }
}

/** A `symdb` bundle backed by `fake` (a new FakeSymdbUploader unless given). */
export function fakeSymdbBundle(fake: FakeSymdbUploader = new FakeSymdbUploader()): Bundle {
  return bundle('symdb', [provide(SYMDB_UPLOADER, { useValue: fake })]);
}
