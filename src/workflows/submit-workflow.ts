import { AsyncResult } from '../app/async-result.js';
import type { CanvasNode } from './canvas.js';
import { compileWorkflow } from './compile-workflow.js';
import { GroupResult } from './group-result.js';
import { stepMessage } from './step-message.js';

/** Compiles a workflow and enqueues its first steps in one broker round trip. */
export async function submitWorkflow(node: CanvasNode): Promise<AsyncResult | GroupResult> {
  const { entries, final, anySignature } = compileWorkflow(node);
  const submitter = anySignature.task.submitter;
  const now = Date.now();
  await submitter.submit(entries.map((step) => stepMessage(step, { now })));
  return final.kind === 'one'
    ? new AsyncResult(final.id, submitter.results)
    : new GroupResult(final.ids, submitter.results);
}
