import { z } from 'zod';
import { assign, createMachine, type AnyStateMachine } from 'xstate';
import type { CaseMachineDefinition } from '../definition';

/** The event that closes a duplicate into its original, and the final state it lands in. */
export const MERGE_EVENT = 'MERGE_INTO';
export const MERGED_STATE = 'merged';

/**
 * Adds "merged into another case" to a machine as a lifecycle step of its own: from any state the
 * case rests in, MERGE_INTO closes it into the final `merged` state and records the original in
 * the context. Leaving the current state cancels its deadlines the way any transition does, so a
 * merged duplicate has no clock left. Only the system sends it: the merge use case checks the two
 * cases (same customer, both open, no money in flight) and moves notes and evidence in the same
 * transaction, which an agent sending the bare event would skip.
 */
export function withMergeClosure<TContext>(previous: CaseMachineDefinition<TContext>, version: number): CaseMachineDefinition<TContext> {
  const base = previous.machine;
  const config = base.config as { states?: Record<string, unknown>; on?: Record<string, unknown> };
  const machine: AnyStateMachine = createMachine(
    {
      ...config,
      states: {
        ...config.states,
        [MERGED_STATE]: { type: 'final', description: 'A duplicate: closed into its original case, where its notes and evidence now are.' },
      },
      on: {
        ...config.on,
        [MERGE_EVENT]: { target: `.${MERGED_STATE}`, actions: assign({ mergedInto: ({ event }: { event: { intoCaseId: string } }) => event.intoCaseId }) },
      },
    } as never,
    base.implementations as never,
  );
  return {
    ...previous,
    version,
    machine,
    events: {
      ...previous.events,
      [MERGE_EVENT]: {
        description: 'Close this case as a duplicate of another open case of the same customer (sent by the merge, never alone)',
        payload: z.object({ intoCaseId: z.string().uuid(), mergedBy: z.string().trim().min(1).max(200) }).strict(),
        sentBy: ['system'],
        examples: [{ intoCaseId: '00000000-0000-4000-8000-000000000001', mergedBy: 'agent@example.com' }],
      },
    },
  };
}
