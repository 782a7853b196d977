import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as Yaml from 'yaml';
import { ConfigError, ConfigErrorCode } from './errors.js';

/** A parsed config file, split into declared keys and the rest. */
export interface ConfigFileValues {
  /** Absolute path, as shown in messages and `source().detail`. */
  readonly path: string;
  /** Declared key → value as written in YAML. */
  readonly declared: ReadonlyMap<string, unknown>;
  /** Undeclared leaf key (dotted path) → value. */
  readonly unknown: ReadonlyMap<string, unknown>;
}

/**
 * Reads and parses a YAML config file synchronously (it runs once, before the app starts).
 * Throws `ERR_CONFIG_FILE` naming the file — and for YAML errors the line and column.
 */
export function readConfigFile(file: string, isDeclared: (key: string) => boolean): ConfigFileValues {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError(ConfigErrorCode.File, `config file ${path}: cannot read it (${why})`, [], { cause: error });
  }
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, customTags: withYaml11Booleans });
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    const { line, col } = lineCounter.linePos(syntaxError.pos[0]);
    throw new ConfigError(
      ConfigErrorCode.File,
      `config file ${path}: YAML syntax error at line ${line}, column ${col}: ${syntaxError.message}`,
      [],
      { cause: syntaxError },
    );
  }
  const tree: unknown = doc.toJS();
  if (tree === null || tree === undefined) return { path, declared: new Map(), unknown: new Map() };
  if (!isPlainObject(tree)) {
    throw new ConfigError(ConfigErrorCode.File, `config file ${path}: expected a map of keys at the top level`);
  }
  const declared = new Map<string, unknown>();
  const unknown = new Map<string, unknown>();
  flatten(tree, '', isDeclared, declared, unknown);
  return { path, declared, unknown };
}

/**
 * Nested maps become dotted keys (`use_v2_api: {series: false}` → `use_v2_api.series`), but a
 * declared key takes its value whole, so a json key's map is not split up. Names are matched
 * lower-cased, as viper does. YAML `null` (`key:` with nothing after it) counts as unset.
 */
function flatten(
  node: Readonly<Record<string, unknown>>,
  prefix: string,
  isDeclared: (key: string) => boolean,
  declared: Map<string, unknown>,
  unknown: Map<string, unknown>,
): void {
  for (const [name, value] of Object.entries(node)) {
    const path = prefix + name.toLowerCase();
    if (isDeclared(path)) {
      if (value !== null) declared.set(path, value);
    } else if (isPlainObject(value) && Object.keys(value).length > 0) {
      flatten(value, `${path}.`, isDeclared, declared, unknown);
    } else {
      unknown.set(path, value);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Agent parses datadog.yaml with gopkg.in/yaml.v2, where plain (unquoted) `y Y yes Yes YES
 * on On ON` are true and `n N no No NO off Off OFF` false, in every position (`env: no` is the
 * boolean false, read as the string "false" by a string key). Our parser follows YAML 1.2
 * otherwise; these two tags, tried before the core schema's, give the file the Agent's
 * booleans. Quoted scalars are never resolved by tags: `"yes"` stays a string, as in yaml.v2.
 */
function withYaml11Booleans(tags: Yaml.Tags): Yaml.Tags {
  return [yaml11Boolean(true, /^(?:[yY]|[yY]es|YES|[oO]n|ON)$/), yaml11Boolean(false, /^(?:[nN]|[nN]o|NO|[oO]ff|OFF)$/), ...tags];
}

function yaml11Boolean(value: boolean, test: RegExp): Yaml.ScalarTag {
  return { tag: 'tag:yaml.org,2002:bool', default: true, test, identify: (v) => v === value, resolve: () => value };
}

/**
 * yaml is loaded only when a file is read: it is a quarter of what `agentkit exec` would
 * otherwise compile at every start (~250 KB), and most runs configure through DD_* variables.
 * `require` keeps `loadConfig` synchronous (yaml ships CommonJS for Node).
 */
function loadYaml(): typeof Yaml {
  // node:module at first use, not with this module: it loads Node's ES module loader with it (~0.3 ms of CPU before `agentkit exec` starts its program).
  return process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml') as typeof Yaml;
}
