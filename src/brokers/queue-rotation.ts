/**
 * The order in which a broker's claims try a worker's queues: each claim starts one queue further
 * along, so that no queue starves the ones after it. Both brokers claim this way.
 */
export class QueueRotation {
  private turn = 0;

  /** The queues in the order the next claim tries them. */
  next(queues: readonly string[]): string[] {
    const first = this.turn++ % queues.length;
    return [...queues.slice(first), ...queues.slice(0, first)];
  }
}
