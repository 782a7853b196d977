import type { Bundle, ConfigReader, Token } from '@agentkit/core';
import { LOCAL_INTAKE } from '@agentkit/intake/tokens';
import type { LogSource } from '@agentkit/logs';
import type { CloudService } from '@agentkit/serverless/setup';
import { localIntakeUrl, usesLocalIntake } from '../local-intake-destination.js';
import type { ChildTask } from './child-task.js';

// The key by name: reading it must not load @agentkit/logs (a test checks the key is declared).
const LOGS_ENABLED = 'logs_enabled';

/** The logs bundle, and the token of its source (found in the app once it started). */
export interface ProgramLogs {
  readonly bundle: Bundle;
  readonly source: Token<LogSource>;
}

/**
 * With `logs_enabled`, the logs bundle (loaded only then: with logs off, nothing of it is
 * loaded) with serverless-init's tags and source for this platform; it ships to the local
 * intake when the metrics do. Undefined when logs are off.
 */
export async function programLogs(config: ConfigReader, cloud: CloudService): Promise<ProgramLogs | undefined> {
  if (config.get(LOGS_ENABLED) !== true) return undefined;
  const { logsBundle, LOG_SOURCE } = await import('@agentkit/logs');
  const local = usesLocalIntake(config);
  const bundle = logsBundle({ tags: cloud.tags, defaultSource: cloud.origin, ...(local ? { intakeUrl: localIntakeUrl(config) } : {}) }, local ? [LOCAL_INTAKE] : []);
  return { bundle, source: LOG_SOURCE };
}

/**
 * Hands the program's pipes to the log source, each mirrored onto the wrapper's own stdout
 * and stderr (Node's streams: they take any kind of descriptor, and queue what a full pipe
 * does not take, which the source sees as the mirror's writableLength and waits for at stop).
 */
export function attachProgramLogs(source: LogSource, child: ChildTask): void {
  const output = child.output;
  if (output === undefined) return;
  source.attach({
    stdout: output.stdout,
    stderr: output.stderr,
    mirrorStdout: process.stdout,
    mirrorStderr: process.stderr,
  });
}
