import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Runs `source` as an ES module in a fresh Node process, with tsx so it can import TypeScript
 * sources; resolves to what it printed. For what only a new process shows: `require.cache`, exit.
 */
export async function runModule(source: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    '--input-type=module',
    '--eval',
    source,
  ]);
  return stdout;
}
