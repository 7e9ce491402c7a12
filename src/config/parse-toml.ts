import type * as SmolTomlModule from 'smol-toml';
import { ConfigError } from '../errors/config-error.js';
import { lazyRequire } from '../util/lazy-require.js';

type SmolToml = typeof SmolTomlModule;

// Loaded on the first toml file read: most apps are configured by options and env alone, and a
// worker should not carry a parser it never uses. The package's CommonJS build keeps this sync.
const loadSmolToml = lazyRequire<SmolToml>('smol-toml');

/**
 * Parses the text of a toml config file.
 * @throws ConfigError with the line and column of a syntax error, prefixed by `shown` (the file).
 */
export function parseToml(text: string, shown: string): unknown {
  const smolToml = loadSmolToml();
  try {
    return smolToml.parse(text);
  } catch (error) {
    if (!(error instanceof smolToml.TomlError)) throw error;
    // smol-toml's message spans lines (it draws the code block); keep its first line only.
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new ConfigError(`${shown}: line ${error.line}, column ${error.column}: invalid TOML: ${reason}`, {
      cause: error,
    });
  }
}
