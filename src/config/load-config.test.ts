import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig } from './load-config.js';
import type { TurbineOptions } from './load-config.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'turbine-config-'));
}

/** A fresh working directory holding `turbine.toml` with `toml` as its text. */
function withToml(toml: string, name = 'turbine.toml'): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), toml);
  return dir;
}

/** The one-line ConfigError message `loadConfig` throws for these inputs. */
function errorOf(options: TurbineOptions, env: NodeJS.ProcessEnv, cwd: string): string {
  try {
    loadConfig(options, env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('returns every default when nothing is configured', () => {
    expect(loadConfig({}, {}, tempDir())).toEqual({
      broker: { url: undefined, prefetch: 20, visibilityTimeoutMs: 30_000, maxDeliveries: 5 },
      backend: { url: undefined, resultTtlMs: 86_400_000 },
      worker: { concurrency: 2 * availableParallelism(), queues: ['default'], shutdownTimeoutMs: 30_000 },
      server: { host: '127.0.0.1', port: 8080 },
      security: { apiKey: undefined },
      tenancy: { enabled: false },
      file: undefined,
    });
  });

  it('gives each call its own queue list', () => {
    const cwd = tempDir();
    loadConfig({}, {}, cwd).worker.queues.push('mutated');
    expect(loadConfig({}, {}, cwd).worker.queues).toEqual(['default']);
  });
});

describe('loadConfig toml', () => {
  it('reads every section of turbine.toml in the working directory', () => {
    const cwd = withToml(`
[broker]
url = "redis://localhost:6379/1"
prefetch = 0
visibility_timeout = "1m"
max_deliveries = 2
[backend]
url = "sqlite://./results.db"
result_ttl = 5000
[worker]
concurrency = 3
queues = ["a", "b"]
shutdown_timeout = "10s"
[server]
host = "0.0.0.0"
port = 9000
[security]
api_key = "secret"
[tenancy]
enabled = true
`);
    expect(loadConfig({}, {}, cwd)).toEqual({
      broker: { url: 'redis://localhost:6379/1', prefetch: 0, visibilityTimeoutMs: 60_000, maxDeliveries: 2 },
      backend: { url: 'sqlite://./results.db', resultTtlMs: 5000 },
      worker: { concurrency: 3, queues: ['a', 'b'], shutdownTimeoutMs: 10_000 },
      server: { host: '0.0.0.0', port: 9000 },
      security: { apiKey: 'secret' },
      tenancy: { enabled: true },
      file: join(cwd, 'turbine.toml'),
    });
  });

  it('accepts queues as a comma-separated string, forgiving spaces, stray commas and repeats', () => {
    const cwd = withToml('[worker]\nqueues = " a, b,,a "\n');
    expect(loadConfig({}, {}, cwd).worker.queues).toEqual(['a', 'b']);
  });

  it('reads the file named by options.config, relative to cwd', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'custom.toml'), '[broker]\nprefetch = 7\n');
    const config = loadConfig({ config: 'conf/custom.toml' }, {}, cwd);
    expect(config.broker.prefetch).toBe(7);
    expect(config.file).toBe(join(cwd, 'conf', 'custom.toml'));
  });

  it('reads the file named by TURBINE_CONFIG', () => {
    const other = withToml('[broker]\nprefetch = 8\n', 'other.toml');
    const config = loadConfig({}, { TURBINE_CONFIG: join(other, 'other.toml') }, tempDir());
    expect(config.broker.prefetch).toBe(8);
  });

  it('prefers options.config to TURBINE_CONFIG to ./turbine.toml', () => {
    const cwd = withToml('[broker]\nprefetch = 1\n');
    writeFileSync(join(cwd, 'env.toml'), '[broker]\nprefetch = 2\n');
    writeFileSync(join(cwd, 'option.toml'), '[broker]\nprefetch = 3\n');
    const env = { TURBINE_CONFIG: 'env.toml' };
    expect(loadConfig({}, {}, cwd).broker.prefetch).toBe(1);
    expect(loadConfig({}, env, cwd).broker.prefetch).toBe(2);
    expect(loadConfig({ config: 'option.toml' }, env, cwd).broker.prefetch).toBe(3);
  });

  it('fails when a named file does not exist, naming the path', () => {
    const cwd = tempDir();
    expect(errorOf({ config: 'missing.toml' }, {}, cwd)).toBe(
      `option config: config file not found: ${join(cwd, 'missing.toml')}`,
    );
    expect(errorOf({}, { TURBINE_CONFIG: 'gone.toml' }, cwd)).toBe(
      `TURBINE_CONFIG: config file not found: ${join(cwd, 'gone.toml')}`,
    );
  });

  it('names the key, the expectation and the value of a wrong type', () => {
    expect(errorOf({}, {}, withToml('[broker]\nprefetch = "x"\n'))).toBe(
      'turbine.toml: broker.prefetch: expected a non-negative integer, got "x"',
    );
    expect(errorOf({}, {}, withToml('[server]\nport = 70000\n'))).toBe(
      'turbine.toml: server.port: expected an integer 1–65535, got 70000',
    );
    expect(errorOf({}, {}, withToml('[worker]\nconcurrency = 0\n'))).toMatch(
      /^turbine\.toml: worker\.concurrency: expected a positive integer, got 0$/,
    );
    expect(errorOf({}, {}, withToml('[tenancy]\nenabled = "yes"\n'))).toMatch(
      /tenancy\.enabled: expected a boolean/,
    );
    expect(errorOf({}, {}, withToml('[broker]\nvisibility_timeout = "soon"\n'))).toMatch(
      /^turbine\.toml: broker\.visibility_timeout: expected a positive duration .*, got "soon"$/,
    );
    expect(errorOf({}, {}, withToml('[worker]\nqueues = ["ok", "{bad}"]\n'))).toMatch(
      /^turbine\.toml: worker\.queues\[1\]: expected a queue name .*, got "\{bad\}"$/,
    );
    expect(errorOf({}, {}, withToml('[worker]\nqueues = []\n'))).toBe(
      'turbine.toml: worker.queues: expected at least one queue name, got []',
    );
    expect(errorOf({}, {}, withToml('broker = 3\n'))).toBe('turbine.toml: broker: expected a table, got 3');
  });

  it('lists the allowed URL schemes', () => {
    expect(errorOf({}, {}, withToml('[backend]\nurl = "amqp://host"\n'))).toBe(
      'turbine.toml: backend.url: expected a URL starting with redis://, rediss:// or sqlite://, got "amqp://host"',
    );
  });

  it('rejects unknown keys and sections, listing the known ones', () => {
    expect(errorOf({}, {}, withToml('[broker]\nprefech = 1\n'))).toBe(
      'turbine.toml: unknown key "broker.prefech"; expected one of url, prefetch, visibility_timeout, max_deliveries',
    );
    expect(errorOf({}, {}, withToml('[brokr]\nurl = "redis://x"\n'))).toMatch(
      /^turbine\.toml: unknown key "brokr"; expected one of broker, backend, worker, server, security, tenancy$/,
    );
  });

  it('names the file and line of a syntax error', () => {
    expect(errorOf({}, {}, withToml('[broker]\nprefetch = 1\n[worker\n'))).toMatch(
      /^turbine\.toml: line 3, column \d+: invalid TOML: .+$/,
    );
  });

  it('shows a file outside the working directory by its absolute path', () => {
    const other = withToml('[broker]\nprefetch = -1\n', 'elsewhere.toml');
    expect(errorOf({ config: join(other, 'elsewhere.toml') }, {}, tempDir())).toMatch(
      new RegExp(`^${join(other, 'elsewhere.toml')}: broker\\.prefetch: `),
    );
  });
});

describe('loadConfig environment', () => {
  it('parses every TURBINE_* variable from strings', () => {
    const config = loadConfig(
      {},
      {
        TURBINE_BROKER_URL: 'rediss://cache:6380',
        TURBINE_BROKER_PREFETCH: '4',
        TURBINE_BROKER_VISIBILITY_TIMEOUT: '45s',
        TURBINE_BROKER_MAX_DELIVERIES: '9',
        TURBINE_BACKEND_URL: 'redis://other',
        TURBINE_BACKEND_RESULT_TTL: '1000',
        TURBINE_WORKER_CONCURRENCY: ' 12 ',
        TURBINE_WORKER_QUEUES: 'high, low',
        TURBINE_WORKER_SHUTDOWN_TIMEOUT: '0',
        TURBINE_SERVER_HOST: '::',
        TURBINE_SERVER_PORT: '3000',
        TURBINE_SECURITY_API_KEY: 'k',
        TURBINE_TENANCY_ENABLED: 'TRUE',
      },
      tempDir(),
    );
    expect(config).toMatchObject({
      broker: { url: 'rediss://cache:6380', prefetch: 4, visibilityTimeoutMs: 45_000, maxDeliveries: 9 },
      backend: { url: 'redis://other', resultTtlMs: 1000 },
      worker: { concurrency: 12, queues: ['high', 'low'], shutdownTimeoutMs: 0 },
      server: { host: '::', port: 3000 },
      security: { apiKey: 'k' },
      tenancy: { enabled: true },
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads TURBINE_TENANCY_ENABLED=%s as %s', (value, expected) => {
    expect(loadConfig({}, { TURBINE_TENANCY_ENABLED: value }, tempDir()).tenancy.enabled).toBe(expected);
  });

  it('treats an empty variable as unset', () => {
    const cwd = withToml('[broker]\nprefetch = 3\n');
    expect(loadConfig({}, { TURBINE_BROKER_PREFETCH: '' }, cwd).broker.prefetch).toBe(3);
  });

  it('ignores TURBINE_LOG_LEVEL and variables without the prefix', () => {
    expect(() =>
      loadConfig({}, { TURBINE_LOG_LEVEL: 'debug', PATH: '/bin', TURBINEX: '1' }, tempDir()),
    ).not.toThrow();
  });

  it('names the variable, the expectation and the raw value', () => {
    const cwd = tempDir();
    expect(errorOf({}, { TURBINE_WORKER_CONCURRENCY: 'abc' }, cwd)).toBe(
      'TURBINE_WORKER_CONCURRENCY: expected a positive integer, got "abc"',
    );
    expect(errorOf({}, { TURBINE_BROKER_PREFETCH: '-1' }, cwd)).toBe(
      'TURBINE_BROKER_PREFETCH: expected a non-negative integer, got "-1"',
    );
    expect(errorOf({}, { TURBINE_SERVER_PORT: '1.5' }, cwd)).toBe(
      'TURBINE_SERVER_PORT: expected an integer 1–65535, got "1.5"',
    );
    expect(errorOf({}, { TURBINE_TENANCY_ENABLED: 'maybe' }, cwd)).toBe(
      'TURBINE_TENANCY_ENABLED: expected a boolean (true or false), got "maybe"',
    );
    expect(errorOf({}, { TURBINE_BROKER_URL: 'http://x' }, cwd)).toMatch(
      /^TURBINE_BROKER_URL: expected a URL/,
    );
    expect(errorOf({}, { TURBINE_BACKEND_RESULT_TTL: '2 days' }, cwd)).toMatch(
      /^TURBINE_BACKEND_RESULT_TTL: expected a positive duration .*, got "2 days"$/,
    );
    expect(errorOf({}, { TURBINE_WORKER_QUEUES: 'a,{b}' }, cwd)).toMatch(
      /^TURBINE_WORKER_QUEUES: item 2: expected a queue name .*, got "\{b\}"$/,
    );
    expect(errorOf({}, { TURBINE_WORKER_QUEUES: ' , ' }, cwd)).toBe(
      'TURBINE_WORKER_QUEUES: expected at least one queue name, got " , "',
    );
  });

  it('rejects an unknown TURBINE_ variable, listing the known ones', () => {
    const message = errorOf({}, { TURBINE_BROKER_PREFECH: '5' }, tempDir());
    expect(message).toMatch(/^TURBINE_BROKER_PREFECH: unknown environment variable; expected one of /);
    for (const name of ['TURBINE_CONFIG', 'TURBINE_BROKER_PREFETCH', 'TURBINE_TENANCY_ENABLED']) {
      expect(message).toContain(name);
    }
  });
});

describe('loadConfig options', () => {
  it('maps every option onto the config', () => {
    const config = loadConfig(
      {
        broker: 'sqlite:///tmp/q.db',
        backend: 'redis://results',
        visibilityTimeout: '2m',
        prefetch: 1,
        resultTtl: '1h',
        maxDeliveries: 3,
        worker: { concurrency: 2, queues: ['x'], shutdownTimeout: 500 },
      },
      {},
      tempDir(),
    );
    expect(config.broker).toEqual({
      url: 'sqlite:///tmp/q.db',
      prefetch: 1,
      visibilityTimeoutMs: 120_000,
      maxDeliveries: 3,
    });
    expect(config.backend).toEqual({ url: 'redis://results', resultTtlMs: 3_600_000 });
    expect(config.worker).toEqual({ concurrency: 2, queues: ['x'], shutdownTimeoutMs: 500 });
  });

  it('names the option in its camelCase spelling', () => {
    const cwd = tempDir();
    expect(errorOf({ prefetch: -1 }, {}, cwd)).toBe(
      'option prefetch: expected a non-negative integer, got -1',
    );
    expect(errorOf({ maxDeliveries: 0 }, {}, cwd)).toBe(
      'option maxDeliveries: expected a positive integer, got 0',
    );
    expect(errorOf({ broker: 'mysql://x' }, {}, cwd)).toMatch(/^option broker: expected a URL starting with/);
    expect(errorOf({ visibilityTimeout: '0s' }, {}, cwd)).toMatch(
      /^option visibilityTimeout: expected a positive/,
    );
    expect(errorOf({ worker: { concurrency: 1.5 } }, {}, cwd)).toBe(
      'option worker.concurrency: expected a positive integer, got 1.5',
    );
    expect(errorOf({ worker: { queues: ['a', 'b c'] } }, {}, cwd)).toMatch(
      /^option worker\.queues\[1\]: expected a queue name .*, got "b c"$/,
    );
    expect(errorOf({ worker: { shutdownTimeout: -5 } }, {}, cwd)).toMatch(
      /^option worker\.shutdownTimeout: expected a duration/,
    );
    expect(errorOf({ config: 42 } as unknown as TurbineOptions, {}, cwd)).toBe(
      'option config: expected a file path, got 42',
    );
  });
});

describe('loadConfig precedence', () => {
  it('options beat env, env beats toml, toml beats defaults, key by key', () => {
    const cwd = withToml('[broker]\nprefetch = 1\nmax_deliveries = 2\nvisibility_timeout = "3s"\n');
    const env = { TURBINE_BROKER_PREFETCH: '10', TURBINE_BROKER_MAX_DELIVERIES: '20' };
    const config = loadConfig({ prefetch: 100 }, env, cwd);
    expect(config.broker).toMatchObject({ prefetch: 100, maxDeliveries: 20, visibilityTimeoutMs: 3000 });
    expect(config.worker.concurrency).toBe(2 * availableParallelism());
  });

  it('applies the same order to the worker section', () => {
    const cwd = withToml('[worker]\nqueues = "toml"\nconcurrency = 1\n');
    expect(loadConfig({}, {}, cwd).worker.queues).toEqual(['toml']);
    expect(loadConfig({}, { TURBINE_WORKER_QUEUES: 'env' }, cwd).worker.queues).toEqual(['env']);
    const fromOption = loadConfig({ worker: { queues: ['opt'] } }, { TURBINE_WORKER_QUEUES: 'env' }, cwd);
    expect(fromOption.worker).toMatchObject({ queues: ['opt'], concurrency: 1 });
  });

  it('validates every layer even when a higher one overrides the key', () => {
    const cwd = withToml('[broker]\nprefetch = "x"\n');
    expect(errorOf({ prefetch: 5 }, {}, cwd)).toMatch(/^turbine\.toml: broker\.prefetch/);
  });

  it('defaults the backend URL to the broker URL', () => {
    const cwd = tempDir();
    expect(loadConfig({ broker: 'redis://a' }, {}, cwd).backend.url).toBe('redis://a');
    expect(loadConfig({}, { TURBINE_BROKER_URL: 'redis://b' }, cwd).backend.url).toBe('redis://b');
    const split = loadConfig({ broker: 'redis://a' }, { TURBINE_BACKEND_URL: 'sqlite://r.db' }, cwd);
    expect(split.backend.url).toBe('sqlite://r.db');
  });
});
