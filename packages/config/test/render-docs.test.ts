import { describe, expect, it } from '@jest/globals';
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
    expect(md.endsWith('Origin tag cardinality.\n\nValues: `low`, `orchestrator`, `high`.\n')).toBe(true);
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
