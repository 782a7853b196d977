import { describe, expect, it } from '@jest/globals';
import { defineKey } from '../src/config-key.js';
import { commonConfigKeys } from '../src/config-keys.js';
import { renderConfigDocs } from '../src/render-docs.js';
import { cardinality, port } from './helpers.js';

describe('renderConfigDocs', () => {
  it('renders a section per key with @param and @env lines, then the doc text', () => {
    const md = renderConfigDocs([port, cardinality], { title: 'DogStatsD' });
    expect(md.startsWith('# DogStatsD\n')).toBe(true);
    expect(md).toContain(
      [
        '### dogstatsd_port',
        '',
        '`@param dogstatsd_port - integer - optional - default: 8125`',
        '',
        '`@env DD_DOGSTATSD_PORT`',
        '',
        'The UDP port to listen on.',
        '',
        'Range: 0 to 65535.',
      ].join('\n'),
    );
    expect(md.endsWith('Values: `low`, `orchestrator`, `high`.\n\nDatadog Agent: same meaning, default and environment variable.\n')).toBe(
      true,
    );
  });

  it('says how each key compares with the Datadog Agent', () => {
    const keys = [
      defineKey({ key: 'a_same', type: 'string', default: '', doc: 'A.' }),
      defineKey({ key: 'b_ours', type: 'string', default: '', doc: 'B.', datadog: { kind: 'agentkit' } }),
      defineKey({ key: 'c_diff', type: 'string', default: '', doc: 'C.', datadog: { kind: 'differs', how: 'Empty here.' } }),
      defineKey({ key: 'd_none', type: 'string', default: '', doc: 'D.', datadog: { kind: 'no-effect', why: 'Not built.' } }),
    ];
    const md = renderConfigDocs(keys);
    expect(md).toContain('A.\n\nDatadog Agent: same meaning, default and environment variable.\n');
    expect(md).toContain('B.\n\nDatadog Agent: no such key (agentkit only).\n');
    expect(md).toContain('C.\n\nDatadog Agent: **differs**. Empty here.\n');
    expect(md).toContain('D.\n\nDatadog Agent: **accepted, no effect here**. Not built.\n');
  });

  it('shows aliases, empty and list defaults, and secrets', () => {
    const md = renderConfigDocs(commonConfigKeys);
    expect(md).toContain('`@param dd_url - string - optional - default: ""`');
    expect(md).toContain('`@env DD_DD_URL` (aliases, read after it: `DD_URL`)');
    expect(md).toContain('`@param tags - list of strings - optional - default: []`');
    expect(md).toContain('`@param site - string - optional - default: datadoghq.com`');
    expect(md).toContain('Secret: masked in output.');
  });

  it('is deterministic', () => {
    expect(renderConfigDocs(commonConfigKeys)).toBe(renderConfigDocs(commonConfigKeys));
  });
});
