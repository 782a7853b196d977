import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigErrorCode } from '@agentkit/config';
import { CoreErrorCode } from '@agentkit/core';
import { LogErrorCode } from '@agentkit/log';
import { AggregatorErrorCode } from '@agentkit/aggregator';
import { DogstatsdErrorCode } from '@agentkit/dogstatsd';
import { ForwarderErrorCode } from '@agentkit/forwarder';
import { SerializerErrorCode } from '@agentkit/serializer';
import { SymdbErrorCode } from '@agentkit/symdb';
import { IntakeErrorCode } from '@agentkit/intake';
import { LogsErrorCode } from '@agentkit/logs';
import { StatusErrorCode } from '../src/index.js';
import { REPO_ROOT } from '../../../test/support/run-cli.js';

describe('docs/errors.md', () => {
  it.each([
    ['core', CoreErrorCode],
    ['config', ConfigErrorCode],
    ['log', LogErrorCode],
    ['dogstatsd', DogstatsdErrorCode],
    ['aggregator', AggregatorErrorCode],
    ['serializer', SerializerErrorCode],
    ['forwarder', ForwarderErrorCode],
    ['symdb', SymdbErrorCode],
    ['intake', IntakeErrorCode],
    ['logs', LogsErrorCode],
    ['agent (status server)', StatusErrorCode],
  ])('lists every error code of @agentkit/%s', (_name, codes) => {
    const doc = readFileSync(`${REPO_ROOT}docs/errors.md`, 'utf8');
    const missing = Object.values(codes).filter((code) => !doc.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });
});
