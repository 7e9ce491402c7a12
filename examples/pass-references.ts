// BEST_PRACTICES § Common Anti-Patterns → Don't Store Large Data in Tasks.
// ❌ the file's contents as an argument (megabytes in the broker); ✅ a reference to where it is.
// Here a temp file path; across machines, a shared volume or an object-store key works the same way.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Turbine } from '../src/index.js';

export async function passReferences(app: Turbine, sizeBytes = 2 * 1024 * 1024, queue = 'default') {
  const processFile = app.task('process_file', { queue }, async (filePath: string) => {
    const contents = await readFile(filePath);
    return { bytes: contents.length, sha256: createHash('sha256').update(contents).digest('hex') };
  });

  const dir = await mkdtemp(join(tmpdir(), 'turbine-example-'));
  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const contents = Buffer.alloc(sizeBytes, 'turbine ');
    const filePath = join(dir, 'upload.bin');
    await writeFile(filePath, contents);

    const r = await processFile.delay(filePath); // a small reference, not 2 MB
    return {
      argumentBytes: JSON.stringify([filePath]).length,
      result: await r.get({ timeout: '10s' }),
      expectedSha256: createHash('sha256').update(contents).digest('hex'),
    };
  } finally {
    await worker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
