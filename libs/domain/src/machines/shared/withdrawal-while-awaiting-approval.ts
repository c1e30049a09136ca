import { createMachine, not, type AnyStateMachine } from 'xstate';
import type { CaseMachineDefinition } from '../definition';

/** The state a proposal waits in, and the final state a withdrawal lands in (the same in every kind that has both). */
const AWAITING_APPROVAL = 'awaitingApproval';
const WITHDRAWN = 'withdrawn';

/**
 * Lets the customer withdraw a case while a proposal waits for a second person, as they may in the
 * states the proposal was made from: the waiting proposal is dropped with the case (it leaves the
 * approvals queue, its approval deadline is cancelled like any deadline of a state left), and no
 * money moves. Until this version a customer who changed their mind had to wait for the approval,
 * and an approved refund then went out anyway.
 *
 * `unless` names a guard of the machine for proposals made where withdrawing is not allowed (a
 * dispute's appeal review: the dispute was decided, an appeal is not withdrawn).
 */
export function withWithdrawalWhileAwaitingApproval<TContext>(
  previous: CaseMachineDefinition<TContext>,
  version: number,
  options: { unless?: string } = {},
): CaseMachineDefinition<TContext> {
  const base = previous.machine;
  const config = base.config as { states: Record<string, { on?: Record<string, unknown> }> };
  const awaiting = config.states[AWAITING_APPROVAL];
  if (!awaiting || !config.states[WITHDRAWN] || !previous.events.WITHDRAW) {
    throw new Error(`${previous.kind} v${previous.version} has no ${AWAITING_APPROVAL} state, ${WITHDRAWN} state or WITHDRAW event`);
  }
  const withdraw = { target: WITHDRAWN, actions: 'clearProposal', ...(options.unless ? { guard: not(options.unless) } : {}) };
  const machine: AnyStateMachine = createMachine(
    {
      ...config,
      states: {
        ...config.states,
        [AWAITING_APPROVAL]: { ...awaiting, on: { ...awaiting.on, WITHDRAW: withdraw } },
      },
    } as never,
    base.implementations as never,
  );
  return { ...previous, version, machine };
}
