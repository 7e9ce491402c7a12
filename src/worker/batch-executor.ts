import type { Delivery, OutgoingMessage, WorkflowEffects } from '../brokers/broker.js';
import type { DlqEntry } from '../dlq/dlq-entry.js';
import type { BatchItem, Envelope } from '../protocol/envelope.js';
import type { ResultRecord } from '../protocol/result-record.js';
import { newTaskId } from '../protocol/task-id.js';
import { executeOne, newAttempt, type Attempt, type ExecutorEnv, type Verdict } from './executor.js';
import type { TaskDefinition } from './task-registry.js';

/**
 * Runs a batch message: the task once per item, in order, each item with its own id, record and
 * events. Failed items alone are retried, as single messages after their backoff; items that fail
 * for good reach the DLQ one by one. If the worker stops midway, the items not yet run go back as
 * a new, smaller batch — items that ran are never run again.
 */
export async function executeBatch(
  attempt: Attempt,
  definition: TaskDefinition,
  env: ExecutorEnv,
): Promise<Verdict> {
  const { delivery } = attempt;
  const envelope = delivery.envelope!;
  const items = envelope.batch!.items;
  attempt.startedAt = env.clock();
  env.started();
  const itemEnv: ExecutorEnv = { ...env, started: () => {} };
  const records: ResultRecord[] = [];
  const followUps: OutgoingMessage[] = [];
  const deadLetters: DlqEntry[] = [];
  const events: (() => void)[] = [];
  let stoppedAt = items.length;
  let interrupted = false;
  let current: Attempt | undefined;
  attempt.run = {
    interrupt: (reason) => {
      interrupted = true;
      current?.run?.interrupt(reason);
    },
  };

  for (let index = 0; index < items.length; index++) {
    if (interrupted) {
      stoppedAt = index;
      break;
    }
    current = newAttempt(itemDelivery(delivery, envelope, items[index]!));
    const verdict = await executeOne(current, definition, itemEnv);
    const settlement = verdict.settlement;
    if (settlement.kind === 'release') {
      stoppedAt = index;
      break;
    }
    if (settlement.record) records.push(settlement.record);
    if (settlement.kind === 'retry')
      followUps.push({ envelope: settlement.envelope, dueAt: settlement.dueAt });
    if (settlement.kind === 'dead') deadLetters.push(settlement.entry);
    if (verdict.event) {
      const event = verdict.event;
      events.push(() => env.emit(event.name, event.payload() as never));
    }
  }
  if (stoppedAt < items.length) followUps.push(remainder(envelope, items.slice(stoppedAt), env.clock()));

  const effects: WorkflowEffects = { records, followUps, deadLetters };
  return {
    settlement: { kind: 'complete', delivery, record: undefined, effects },
    announce: () => events.forEach((emit) => emit()),
  };
}

/** The delivery of one item, as if it were a message of its own. */
function itemDelivery(batch: Delivery, envelope: Envelope, item: BatchItem): Delivery {
  const { batch: _items, ...rest } = envelope;
  return { ...batch, id: item.id, envelope: { ...rest, id: item.id, args: item.args } };
}

/** A new batch message with the items not yet run. */
function remainder(envelope: Envelope, items: BatchItem[], now: number): OutgoingMessage {
  return { envelope: { ...envelope, id: newTaskId(now), createdAt: now, batch: { items } } };
}
