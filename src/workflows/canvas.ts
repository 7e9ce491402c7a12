import type { AsyncResult } from '../app/async-result.js';
import type { GroupResult } from './group-result.js';
import type { Signature } from './signature.js';
import { submitWorkflow } from './submit-workflow.js';

/** Anything that can be part of a workflow. */
export type CanvasNode = Signature | Chain | Group | Chord;

/** Steps run one after another, each result prepended to the next step's arguments. */
export class Chain {
  readonly kind = 'chain';
  /** @internal */
  constructor(readonly steps: readonly CanvasNode[]) {}

  /** Submits the chain; resolves to the result of its last step (a GroupResult when it ends in a group). */
  delay(): Promise<AsyncResult | GroupResult> {
    return submitWorkflow(this);
  }
}

/** Members run in parallel; results come back in submission order. */
export class Group {
  readonly kind = 'group';
  /** @internal */
  constructor(readonly members: readonly CanvasNode[]) {}

  /** Submits every member in one broker round trip. */
  async delay(): Promise<GroupResult> {
    return (await submitWorkflow(this)) as GroupResult;
  }
}

/** A group whose results, as one array, are the first argument of `body`, run once when the last member ends. */
export class Chord {
  readonly kind = 'chord';
  /** @internal */
  constructor(
    readonly header: Group,
    readonly body: CanvasNode,
  ) {}

  /** Submits the header; resolves to the result of the body. */
  async delay(): Promise<AsyncResult> {
    return (await submitWorkflow(this)) as AsyncResult;
  }
}

/**
 * Runs steps in sequence; each result is prepended to the next step's arguments (`task.si()` steps
 * take theirs as given). A failed step stops the chain: the steps after it end FAILURE.
 * @example
 * const r = await chain(extract.s('source.csv'), transform.s(), load.s()).delay();
 */
export function chain(...steps: CanvasNode[]): Chain {
  return new Chain(steps);
}

/**
 * Runs members in parallel.
 * @example
 * const results = await (await group(...urls.map((url) => fetchPage.s(url))).delay()).get();
 */
export function group(...members: (CanvasNode | CanvasNode[])[]): Group {
  return new Group(members.flat());
}

/**
 * Runs a header group, then `body` once with the array of header results as its first argument.
 * If a header member fails for good, the body never runs: it ends FAILURE with a ChordError naming
 * the member and goes to the DLQ.
 * @example
 * const total = await (await chord(chunks.map((c) => processChunk.s(c)), aggregate.s()).delay()).get();
 */
export function chord(header: Group | CanvasNode[], body: CanvasNode): Chord {
  return new Chord(Array.isArray(header) ? new Group(header) : header, body);
}
