import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import type { Duration } from '../protocol/duration.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CONFIG_FILE,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_PREFETCH,
  DEFAULT_QUEUES,
  DEFAULT_RESULT_TTL_MS,
  DEFAULT_SERVER_HOST,
  DEFAULT_SERVER_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TENANCY_ENABLED,
  DEFAULT_VISIBILITY_TIMEOUT_MS,
} from './defaults.js';
import { configSchema, configShape, describeValue, formatPath, validate } from './schema.js';
import type { ConfigLayer, ConfigSection, IssueSummary } from './schema.js';
import { parseToml } from './parse-toml.js';

/** Options of `new Turbine(options)` (SPEC §2), plus the worker overrides the CLI flags set. */
export interface TurbineOptions {
  /** Broker URL (`redis://`, `rediss://`, `sqlite://`). @defaultValue an embedded SQLite file */
  broker?: string;
  /** Result backend URL. @defaultValue the broker URL */
  backend?: string;
  /** How long a picked-up message stays invisible without a heartbeat. @defaultValue `'30s'` */
  visibilityTimeout?: Duration;
  /** Messages a worker fetches ahead of its free slots. @defaultValue `20` */
  prefetch?: number;
  /** How long task state and results live after the task ends. @defaultValue `'24h'` */
  resultTtl?: Duration;
  /** Deliveries without an outcome before a message goes to the DLQ. @defaultValue `5` */
  maxDeliveries?: number;
  /** Path of a toml file. @defaultValue `TURBINE_CONFIG`, else `./turbine.toml` when it exists */
  config?: string;
  /** Worker settings, as set by `turbine worker` flags. */
  worker?: {
    /** Tasks run at once. @defaultValue 2 × CPU cores */
    concurrency?: number;
    /** Queues consumed. @defaultValue `['default']` */
    queues?: string[];
    /** How long a graceful stop waits for in-flight attempts. @defaultValue `'30s'` */
    shutdownTimeout?: Duration;
  };
}

/** Configuration after all layers are merged and defaults applied; durations in milliseconds. */
export interface ResolvedConfig {
  broker: { url: string | undefined; prefetch: number; visibilityTimeoutMs: number; maxDeliveries: number };
  backend: { url: string | undefined; resultTtlMs: number };
  worker: { concurrency: number; queues: string[]; shutdownTimeoutMs: number };
  server: { host: string; port: number };
  security: { apiKey: string | undefined };
  tenancy: { enabled: boolean };
  /** absolute path of the toml file that was read, if any */
  file: string | undefined;
}

type ConfigPath = { [S in ConfigSection]: `${S}.${keyof (typeof configShape)[S] & string}` }[ConfigSection];

/** Option name and getter of each config key that `TurbineOptions` can set. */
const OPTION_FIELDS: ReadonlyArray<readonly [ConfigPath, string, (options: TurbineOptions) => unknown]> = [
  ['broker.url', 'broker', (o) => o.broker],
  ['broker.prefetch', 'prefetch', (o) => o.prefetch],
  ['broker.visibility_timeout', 'visibilityTimeout', (o) => o.visibilityTimeout],
  ['broker.max_deliveries', 'maxDeliveries', (o) => o.maxDeliveries],
  ['backend.url', 'backend', (o) => o.backend],
  ['backend.result_ttl', 'resultTtl', (o) => o.resultTtl],
  ['worker.concurrency', 'worker.concurrency', (o) => o.worker?.concurrency],
  ['worker.queues', 'worker.queues', (o) => o.worker?.queues],
  ['worker.shutdown_timeout', 'worker.shutdownTimeout', (o) => o.worker?.shutdownTimeout],
];

/** Every config key, `TURBINE_<SECTION>_<KEY>` named, in schema order. */
const ENV_FIELDS: ReadonlyArray<readonly [string, ConfigPath]> = Object.entries(configShape).flatMap(
  ([section, keys]) =>
    Object.keys(keys).map(
      (key) => [`TURBINE_${section}_${key}`.toUpperCase(), `${section}.${key}` as ConfigPath] as const,
    ),
);
// Environment values are strings; these keys are converted before validation.
const INTEGER_KEYS = new Set<ConfigPath>([
  'broker.prefetch',
  'broker.max_deliveries',
  'worker.concurrency',
  'server.port',
]);
const BOOLEAN_KEYS = new Set<ConfigPath>(['tenancy.enabled']);
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];
/** Read elsewhere (by the logger), so allowed here without being configuration. */
const IGNORED_ENV = new Set(['TURBINE_LOG_LEVEL']);
const KNOWN_ENV = ['TURBINE_CONFIG', ...IGNORED_ENV, ...ENV_FIELDS.map(([name]) => name)];

/**
 * Resolves Turbine's configuration from, in order of precedence: `options` (constructor options
 * and CLI flags), `TURBINE_*` environment variables, a `turbine.toml` file, and the defaults.
 * The toml file is `options.config`, else `TURBINE_CONFIG`, else `<cwd>/turbine.toml` if present.
 * @throws ConfigError with one line naming the offending key and its source.
 * @example
 * const config = loadConfig({ prefetch: 50 }, { TURBINE_BROKER_URL: 'redis://localhost:6379' });
 */
export function loadConfig(
  options: TurbineOptions = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): ResolvedConfig {
  const file = findConfigFile(options, env, cwd);
  const layers = [fromOptions(options), fromEnv(env), file === undefined ? {} : fromToml(file, cwd)];
  const pick = <T>(read: (layer: ConfigLayer) => T | undefined): T | undefined => {
    for (const layer of layers) {
      const value = read(layer);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const brokerUrl = pick((l) => l.broker?.url);
  return {
    broker: {
      url: brokerUrl,
      prefetch: pick((l) => l.broker?.prefetch) ?? DEFAULT_PREFETCH,
      visibilityTimeoutMs: pick((l) => l.broker?.visibility_timeout) ?? DEFAULT_VISIBILITY_TIMEOUT_MS,
      maxDeliveries: pick((l) => l.broker?.max_deliveries) ?? DEFAULT_MAX_DELIVERIES,
    },
    backend: {
      url: pick((l) => l.backend?.url) ?? brokerUrl,
      resultTtlMs: pick((l) => l.backend?.result_ttl) ?? DEFAULT_RESULT_TTL_MS,
    },
    worker: {
      concurrency: pick((l) => l.worker?.concurrency) ?? DEFAULT_CONCURRENCY,
      queues: pick((l) => l.worker?.queues) ?? [...DEFAULT_QUEUES],
      shutdownTimeoutMs: pick((l) => l.worker?.shutdown_timeout) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    },
    server: {
      host: pick((l) => l.server?.host) ?? DEFAULT_SERVER_HOST,
      port: pick((l) => l.server?.port) ?? DEFAULT_SERVER_PORT,
    },
    security: { apiKey: pick((l) => l.security?.api_key) },
    tenancy: { enabled: pick((l) => l.tenancy?.enabled) ?? DEFAULT_TENANCY_ENABLED },
    file,
  };
}

/** Absolute path of the toml file to read, or undefined when there is none. */
function findConfigFile(options: TurbineOptions, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  let named: string | undefined;
  let source: string;
  if (options.config !== undefined) {
    if (typeof options.config !== 'string' || options.config === '') {
      throw new ConfigError(`option config: expected a file path, got ${describeValue(options.config)}`);
    }
    [named, source] = [options.config, 'option config'];
  } else {
    [named, source] = [env.TURBINE_CONFIG || undefined, 'TURBINE_CONFIG'];
  }
  if (named === undefined) {
    const found = join(cwd, DEFAULT_CONFIG_FILE);
    return existsSync(found) ? found : undefined;
  }
  const path = resolve(cwd, named);
  // A file someone named but that is missing is a mistake, not a reason to fall back to defaults.
  if (!existsSync(path)) throw new ConfigError(`${source}: config file not found: ${path}`);
  return path;
}

function fromOptions(options: TurbineOptions): ConfigLayer {
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [path, , read] of OPTION_FIELDS) setPath(raw, path, read(options));
  const result = validate(configSchema, raw);
  if (result.success) return result.data;
  const issue = result.issue;
  const dotted = formatPath(issue.path);
  const field = OPTION_FIELDS.find(([path]) => dotted.startsWith(path));
  const name = field === undefined ? dotted : field[1] + dotted.slice(field[0].length);
  throw new ConfigError(`option ${name}: ${wording(issue)}`);
}

function fromEnv(env: NodeJS.ProcessEnv): ConfigLayer {
  const raw: Record<string, Record<string, unknown>> = {};
  const known = new Map(ENV_FIELDS);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TURBINE_') || name === 'TURBINE_CONFIG' || IGNORED_ENV.has(name)) continue;
    const path = known.get(name);
    if (path === undefined) {
      throw new ConfigError(`${name}: unknown environment variable; expected one of ${KNOWN_ENV.join(', ')}`);
    }
    // An empty variable counts as unset, so `TURBINE_X= cmd` can blank out an inherited value.
    if (value !== undefined && value !== '') setPath(raw, path, fromEnvString(path, value));
  }
  const result = validate(configSchema, raw);
  if (result.success) return result.data;
  const issue = result.issue;
  const [section, key, item] = issue.path;
  const name = `TURBINE_${String(section)}_${String(key)}`.toUpperCase();
  if (typeof item === 'number') throw new ConfigError(`${name}: item ${item + 1}: ${wording(issue)}`);
  // Quote the variable as it was written, not the number it may have been turned into.
  const got = issue.kind === 'invalid' ? { ...issue, input: env[name] } : issue;
  throw new ConfigError(`${name}: ${wording(got)}`);
}

function fromEnvString(path: ConfigPath, value: string): unknown {
  if (INTEGER_KEYS.has(path) && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(path)) {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
  }
  return value;
}

function fromToml(path: string, cwd: string): ConfigLayer {
  const shown = displayPath(path, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${shown}: cannot read config file (${code})`, { cause: error });
  }
  const result = validate(configSchema, parseToml(text, shown));
  if (result.success) return result.data;
  throw new ConfigError(`${shown}: ${tomlWording(result.issue)}`);
}

function tomlWording(issue: IssueSummary): string {
  if (issue.kind === 'invalid') return `${formatPath(issue.path)}: ${wording(issue)}`;
  const [section] = issue.path;
  const known =
    section === undefined ? Object.keys(configShape) : Object.keys(configShape[section as ConfigSection]);
  return `unknown key "${formatPath([...issue.path, issue.key])}"; expected one of ${known.join(', ')}`;
}

function wording(issue: IssueSummary): string {
  if (issue.kind === 'unknown') return `unknown key "${issue.key}"`;
  return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
}

function setPath(raw: Record<string, Record<string, unknown>>, path: ConfigPath, value: unknown): void {
  if (value === undefined) return;
  const [section, key] = path.split('.') as [string, string];
  (raw[section] ??= {})[key] = value;
}

/** The file as the user knows it: relative when it is inside the working directory. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
