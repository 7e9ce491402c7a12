import type { EnqueueOutcome, OutgoingMessage } from '../brokers/broker.js';
import type { ResultSource } from './async-result.js';

/** What a task needs from its app to submit calls. */
export interface TaskSubmitter {
  submit(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]>;
  readonly results: ResultSource;
}
