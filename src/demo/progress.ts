import type { DemoCounts } from './tracker.js';

/** Where progress goes: stderr by default, so stdout keeps only the summary. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width: a bar longer than the line would wrap, and `\r` could no longer redraw it. */
  columns?: number;
}

/** Options of {@link ProgressView}. */
export interface ProgressOptions {
  /** Tasks that make 100 %. */
  total: number;
  /** @defaultValue process.stderr */
  stream?: ProgressStream;
  /** Redraw a bar in place instead of printing lines. @defaultValue whether `stream` is a terminal */
  tty?: boolean;
  /** Print nothing (for `--json`). @defaultValue false */
  silent?: boolean;
}

const BAR_WIDTH = 30;
/** A terminal redraw at most this often: events arrive far faster than anyone can read. */
const REDRAW_MS = 80;
/** Plain-output milestones, in percent. */
const MILESTONES = [25, 50, 75, 100];
const CLEAR_LINE = '\r\u001b[2K';

/**
 * Shows how far a demo run got: on a terminal, one bar redrawn in place
 * (`[#########-----] 63/120  succeeded 58 · retried 4 · failed 1`); elsewhere (CI logs, pipes),
 * one line per quarter, since carriage returns would pile up there.
 */
export class ProgressView {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly silent: boolean;
  private readonly startedAt = Date.now();
  private latest: DemoCounts = { done: 0, succeeded: 0, failed: 0, revoked: 0, retried: 0 };
  private drawnAt = 0;
  private pending: NodeJS.Timeout | undefined;
  private milestone = 0;
  private barShown = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    this.silent = options.silent ?? false;
  }

  /** Takes new counts; the display follows. */
  update(counts: DemoCounts): void {
    this.latest = counts;
    if (this.silent) return;
    if (!this.tty) return this.printMilestones();
    const wait = this.drawnAt + REDRAW_MS - Date.now();
    if (wait <= 0) this.draw();
    else this.pending ??= setTimeout(() => this.draw(), wait).unref();
  }

  /** Prints a line of its own above the bar. */
  note(line: string): void {
    if (this.silent) return;
    if (!this.tty) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.stream.write(`${this.barShown ? CLEAR_LINE : ''}${line}\n`);
    if (this.barShown) this.draw();
  }

  /** Draws the last state and ends the bar's line; nothing is redrawn after. */
  finish(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.silent) return;
    if (this.tty) {
      this.draw();
      this.stream.write('\n');
      this.barShown = false;
    } else if (this.latest.done < this.options.total) {
      this.stream.write(`${this.line('stopped at')}\n`);
    }
  }

  /** Drops the bar (before the process is interrupted), leaving the line empty. */
  clear(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.tty && this.barShown && !this.silent) this.stream.write(CLEAR_LINE);
    this.barShown = false;
  }

  private draw(): void {
    this.pending = undefined;
    this.drawnAt = Date.now();
    const { total } = this.options;
    const filled = Math.round((Math.min(this.latest.done, total) / total) * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const line = `${bar} ${this.tally()}`;
    const width = this.stream.columns;
    this.stream.write(`${CLEAR_LINE}${width && width > 1 ? line.slice(0, width - 1) : line}`);
    this.barShown = true;
  }

  private printMilestones(): void {
    const percent = (this.latest.done / this.options.total) * 100;
    // Every milestone gets its line, even when one update jumps past several: logs stay comparable.
    while (this.milestone < MILESTONES.length && percent >= MILESTONES[this.milestone]!) {
      const reached = MILESTONES[this.milestone++]!;
      this.stream.write(`${this.line(`${reached}%`.padStart(4))}\n`);
    }
  }

  private line(label: string): string {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    return `progress ${label}  ${this.tally()}  (${seconds} s)`;
  }

  private tally(): string {
    const { done, succeeded, retried, failed, revoked } = this.latest;
    const parts = [`succeeded ${succeeded}`, `retried ${retried}`, `failed ${failed}`];
    if (revoked > 0) parts.push(`revoked ${revoked}`);
    return `${done}/${this.options.total}  ${parts.join(' · ')}`;
  }
}
