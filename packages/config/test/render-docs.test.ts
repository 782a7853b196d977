import { describe, expect, it } from '@jest/globals';
import { defineKey } from '../src/config-key.js';
import { commonConfigKeys } from '../src/config-keys.js';
import { renderConfigDocs } from '../src/render-docs.js';
import { cardinality, port } from './helpers.js';

describe('renderConfigDocs', () => {
  it('renders a section per key with @param and @env lines, then the doc text', () => {
    const md = renderConfigDocs([port, cardinality], { title: 'DogStatsD', unsupported: [] });
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

  it('opens with the rules: sources, booleans as the Agent reads them, warnings, deliberate differences', () => {
    const md = renderConfigDocs([port]);
    const intro = md.slice(0, md.indexOf('### dogstatsd_port'));
    expect(intro).toContain('default < config file (YAML, `--config`) < environment variable < runtime override');
    expect(intro).toContain('`1 t T TRUE true True` or `0 f F FALSE false False`');
    expect(intro).toContain('unquoted `yes`/`no`, `on`/`off`, `y`/`n` are booleans too');
    expect(intro).toContain('agentkit does not start and names the key: a deliberate difference');
    expect(intro).toContain('`DD_*` variables that look like one of these keys misspelt');
    expect(intro).toContain('`dogstatsd_socket` is off by default');
  });

  it('closes with the Agent keys not supported, one line each with their variables', () => {
    const md = renderConfigDocs([port], {
      unsupported: [{ key: 'forwarder_num_workers', env: ['DD_FORWARDER_NUM_WORKERS'], why: 'Workers per endpoint.' }],
    });
    expect(md).toMatch(/\n- `forwarder_num_workers` \(`DD_FORWARDER_NUM_WORKERS`\): Workers per endpoint\.\n$/);
    expect(md.indexOf('## Datadog Agent keys not supported')).toBeGreaterThan(md.indexOf('### dogstatsd_port'));
    expect(renderConfigDocs([port])).toContain('- `dogstatsd_origin_detection` (`DD_DOGSTATSD_ORIGIN_DETECTION`): ');
    expect(renderConfigDocs([port], { unsupported: [] })).not.toContain('not supported\n');
  });

  it('says how each key compares with the Datadog Agent', () => {
    const keys = [
      defineKey({ key: 'a_same', type: 'string', default: '', doc: 'A.', datadog: { kind: 'same' } }),
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

  it('states a one-sided range as a bound', () => {
    const below = defineKey({ key: 'a_port', type: 'integer', default: 1, max: 65535, doc: 'A.', datadog: { kind: 'same' } });
    const above = defineKey({ key: 'b_size', type: 'integer', default: 1, min: 1, doc: 'B.', datadog: { kind: 'same' } });
    const md = renderConfigDocs([below, above]);
    expect(md).toContain('A.\n\nAt most 65535.\n');
    expect(md).toContain('B.\n\nAt least 1.\n');
    expect(md).not.toContain('∞');
  });

  it('is deterministic', () => {
    expect(renderConfigDocs(commonConfigKeys)).toBe(renderConfigDocs(commonConfigKeys));
  });
});
