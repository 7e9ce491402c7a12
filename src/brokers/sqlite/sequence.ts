import type Database from 'better-sqlite3';

/**
 * Sequence numbers order the ready messages of one queue and priority level (FIFO; the twin of
 * the Redis broker's `turbine:{q}:seq`). They are read from the claim index, which holds exactly
 * the ready messages, instead of drawn from a counter, so a transition writes no counter page
 * (docs/performance.md).
 */

/**
 * Hands out the sequence numbers of one transaction: the next of each level read once, then
 * counted on, so a bulk enqueue reads the index once per level rather than once per message.
 * Valid only inside the transaction that made it, which holds the write lock.
 */
export type NextSeq = (queue: string, priority: number) => number;

/** Prepares the read behind {@link NextSeq}; call the result at the start of each transaction. */
export function prepareSequencer(db: Database.Database): () => NextSeq {
  const backOfLevel = db.prepare<[string, number], number>(`SELECT ${backOfLevelSql('?', '?')}`).pluck();
  return () => {
    // Made on first use: most settle transactions only complete tasks and number nothing.
    let next: Map<string, number> | undefined;
    return (queue, priority) => {
      next ??= new Map();
      const level = `${priority}:${queue}`;
      const seq = next.get(level) ?? backOfLevel.get(queue, priority)!;
      next.set(level, seq + 1);
      return seq;
    };
  };
}

/**
 * One past the last ready message of the level, as a scalar subquery: a message made ready goes
 * behind the others. `queue` and `priority` are the statement's expressions for the message's.
 */
export function backOfLevelSql(queue: string, priority: string): string {
  return levelBoundSql('coalesce(max(level.seq), 0) + 1', queue, priority);
}

/** One before the first: a message given back goes ahead of the others, as `LPUSH` does. */
export function frontOfLevelSql(queue: string, priority: string): string {
  return levelBoundSql('coalesce(min(level.seq), 0) - 1', queue, priority);
}

// `state = 'ready'` names the condition of the partial claim index (003-partial-indexes.sql), so
// SQLite finds the bound with one descent of it.
function levelBoundSql(bound: string, queue: string, priority: string): string {
  return `(SELECT ${bound} FROM messages AS level
           WHERE level.queue = ${queue} AND level.priority = ${priority} AND level.state = 'ready')`;
}
