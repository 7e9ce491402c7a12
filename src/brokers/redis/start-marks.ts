/**
 * STARTED marks waiting to be written, per queue. Marks are flushed once per tick in one HSET per
 * queue; a task that ends before its mark was flushed never needs it, so settling forgets it —
 * short tasks then cost no mark at all.
 */
export class StartMarks {
  private byQueue = new Map<string, Map<string, string>>();

  get size(): number {
    return this.byQueue.size;
  }

  add(queue: string, id: string, value: string): void {
    let marks = this.byQueue.get(queue);
    if (!marks) this.byQueue.set(queue, (marks = new Map()));
    marks.set(id, value);
  }

  forget(queue: string, id: string): void {
    const marks = this.byQueue.get(queue);
    if (marks?.delete(id) && marks.size === 0) this.byQueue.delete(queue);
  }

  /** Removes and returns every pending mark as `[queue, [id, value, id, value, …]]`. */
  take(): [string, string[]][] {
    const taken = [...this.byQueue].map(([queue, marks]): [string, string[]] => [queue, [...marks].flat()]);
    this.byQueue = new Map();
    return taken;
  }
}
