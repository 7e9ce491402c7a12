import { TurbineError } from '../errors/turbine-error.js';
import type { WorkflowLinks, WorkflowStep } from '../protocol/envelope.js';
import { newTaskId } from '../protocol/task-id.js';
import type { CanvasNode, Chain, Group } from './canvas.js';
import type { Signature } from './signature.js';

/** What a workflow's caller waits for: one task, or the members of a group in order. */
export type WorkflowFinal = { kind: 'one'; id: string } | { kind: 'group'; ids: string[] };

/** A compiled workflow: the steps to enqueue now, and what to wait for. */
export interface CompiledWorkflow {
  entries: WorkflowStep[];
  final: WorkflowFinal;
  /** Any signature of the workflow, to find the app it belongs to. */
  anySignature: Signature;
}

/**
 * Turns a canvas into steps with fixed ids and links. Each step carries what follows it, so
 * workers move the workflow on as steps end — no coordinator and no polling.
 * `then` is what follows the node: next steps that receive its result, or a chord to join.
 */
export function compileWorkflow(node: CanvasNode, then?: WorkflowLinks): CompiledWorkflow {
  switch (node.kind) {
    case 'signature': {
      const step = node.toStep(then);
      return { entries: [step], final: { kind: 'one', id: step.id }, anySignature: node };
    }
    case 'chain':
      return compileChain(node.steps, then);
    case 'chord':
      return compileChain([node.header, node.body], then);
    case 'group':
      return compileGroup(node, then);
  }
}

function compileChain(steps: Chain['steps'], then: WorkflowLinks | undefined): CompiledWorkflow {
  if (steps.length === 0) throw new TurbineError('chain() needs at least one step');
  let links = then;
  let compiled: CompiledWorkflow | undefined;
  let final: WorkflowFinal | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    compiled = compileWorkflow(steps[i]!, links);
    final ??= compiled.final;
    links = { next: compiled.entries };
  }
  return { entries: compiled!.entries, final: final!, anySignature: compiled!.anySignature };
}

function compileGroup(group: Group, then: WorkflowLinks | undefined): CompiledWorkflow {
  if (group.members.length === 0) throw new TurbineError('group() needs at least one member');
  if (then?.chord)
    throw new TurbineError('a group cannot be a member of a chord header; use a chain or a task');
  const next = then?.next;
  if (next && next.length > 1) {
    throw new TurbineError(
      'a group cannot be followed directly by a group; put a task between them as a chord body',
    );
  }
  const body = next?.[0];
  const chordId = newTaskId();
  const members = group.members.map((member, index) =>
    compileWorkflow(
      member,
      body ? { chord: { id: chordId, index, size: group.members.length, body } } : undefined,
    ),
  );
  const ids = members.map(({ final }) => {
    if (final.kind !== 'one')
      throw new TurbineError('a group member cannot itself end in a group; use a chord');
    return final.id;
  });
  return {
    entries: members.flatMap((member) => member.entries),
    final: { kind: 'group', ids },
    anySignature: members[0]!.anySignature,
  };
}
