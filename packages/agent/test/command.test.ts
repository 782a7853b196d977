import { describe, expect, it } from '@jest/globals';
import { parseArgs } from 'node:util';

import { parseCommandArgs, UsageError, type Command } from '../src/command.js';
import { configCommand } from '../src/commands/config-command.js';
import { execCommand } from '../src/commands/exec-command.js';
import { graphCommand } from '../src/commands/graph-command.js';
import { intakeCommand } from '../src/commands/intake-command.js';
import { runCommand } from '../src/commands/run-command.js';
import { statusCommand } from '../src/commands/status-command.js';
import { symdbCommand } from '../src/commands/symdb-command.js';
import { versionCommand } from '../src/commands/version-command.js';

const COMMANDS: readonly Command[] = [configCommand, execCommand, graphCommand, intakeCommand, runCommand, statusCommand, symdbCommand, versionCommand];

/** node:util's own answer for `argv`, with the options parseCommandArgs gives every command. */
function parsedByNode(command: Command, argv: string[]): { values: object; positionals: string[] } {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

describe('parseCommandArgs', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('should give for no arguments what parseArgs gives (%s)', (_name, command) => {
    const parsed = parseCommandArgs(command, []);
    const expected = parsedByNode(command, []);
    expect(parsed.values).toEqual(expected.values);
    expect(Object.getPrototypeOf(parsed.values)).toBe(Object.getPrototypeOf(expected.values));
    expect(parsed.positionals).toEqual([]);
  });

  it('should fill in the defaults of options not given', () => {
    expect(parseCommandArgs(graphCommand, []).values).toEqual(Object.assign(Object.create(null), { format: 'text' }));
    expect(parseCommandArgs(graphCommand, ['-c', 'x.yaml']).values).toEqual(Object.assign(Object.create(null), { format: 'text', config: 'x.yaml' }));
  });

  it('should still refuse an unknown option as a usage error', () => {
    expect(() => parseCommandArgs(runCommand, ['--nope'])).toThrow(UsageError);
  });
});
