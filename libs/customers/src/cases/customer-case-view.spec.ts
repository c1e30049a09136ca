import type { CaseEntity, DeadlineEntity } from '@app/db';
import { DEFAULT_WINDOWS, applyEvent, currentDefinition, openCase, type CaseTransition, type MachineEvent } from '@app/domain';
import { toCustomerCaseView } from './customer-case-view';

const definition = currentDefinition('dispute');
const FRIDAY_5PM_SHANGHAI = new Date('2026-12-04T09:00:00Z');
const MONDAY_10AM_SHANGHAI = new Date('2026-12-07T02:00:00Z');

/** A dispute driven through the real machine by the given events, as the case row would hold it. */
function disputeAfter(events: MachineEvent[]): CaseEntity {
  let step: CaseTransition = openCase(
    definition,
    { amount: { amountMinor: 10_000, currency: 'CNY' }, reason: 'not_received', transactionRef: 'TX-1', purchasedAt: null, openedAt: FRIDAY_5PM_SHANGHAI.toISOString() },
    DEFAULT_WINDOWS,
  );
  // Each event from someone who may send it (a merchant accepts for themselves; agents do the rest).
  for (const event of events) step = applyEvent(definition, step.snapshot, event, event.type.startsWith('MERCHANT_') ? { kind: 'merchant' } : { kind: 'agent', role: 'agent' });
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'dispute',
    machineVersion: definition.version,
    state: step.state,
    status: step.status,
    snapshot: step.snapshot,
    subject: 'Parcel never arrived',
    transactionRef: 'TX-1',
    amountMinor: 10_000,
    currency: 'CNY',
    slaPolicyId: null,
    createdAt: FRIDAY_5PM_SHANGHAI,
    updatedAt: FRIDAY_5PM_SHANGHAI,
  } as unknown as CaseEntity;
}

const deadline = (name: string, dueAt: Date) => ({ name, dueAt, kind: 'machine', status: 'pending' }) as unknown as DeadlineEntity;
const view = (entity: CaseEntity, deadlines: DeadlineEntity[], locale: 'zh-CN' | 'en' = 'en', now = FRIDAY_5PM_SHANGHAI) =>
  toCustomerCaseView(entity, { deadlines, clocks: [], calendar: undefined, rating: null, now, locale });

describe("a dispute in the customer's terms", () => {
  it('while the merchant is asked: their deadline, in working hours on the PRC calendar (Friday 17:00 to Monday 10:00 is 2 hours)', () => {
    const entity = disputeAfter([{ type: 'FORWARD_TO_MERCHANT' }]);
    const shown = view(entity, [deadline('merchantResponseWindow', MONDAY_10AM_SHANGHAI)]);
    expect(shown.status).toEqual({ code: 'waiting_for_merchant', text: "Waiting for the merchant's answer" });
    expect(shown.next_step).toEqual({
      code: 'merchant_must_answer',
      text: 'The merchant has until 7 December 2026 at 10:00 to answer; then we continue with your case.',
      due_at: MONDAY_10AM_SHANGHAI.toISOString(),
      working_hours_left: 2,
    });
    expect(shown.allowed_actions).toEqual(['add_evidence', 'withdraw']);
  });

  it('while the refund is paid: the amount on its way, nothing to do and nothing to add', () => {
    const entity = disputeAfter([{ type: 'FORWARD_TO_MERCHANT' }, { type: 'MERCHANT_ACCEPT' }]);
    const shown = view(entity, [], 'zh-CN');
    expect(shown.status.code).toBe('refund_in_progress');
    expect(shown.next_step).toEqual({ code: 'refund_on_its_way', text: '¥100.00 正在退回您的钱包。', due_at: null, working_hours_left: null });
    expect(shown.amounts.refund_in_progress).toEqual({ amount_minor: 10_000, currency: 'CNY', text: '¥100.00' });
    expect(shown.allowed_actions).toEqual([]);
  });

  it('once decided: appeal until the window closes; after its deadline only the rating is left, and the case says it will close', () => {
    const entity = disputeAfter([{ type: 'FORWARD_TO_MERCHANT' }, { type: 'MERCHANT_CONTEST', summary: 'Delivered' }, { type: 'DECIDE_REJECT', reason: 'Signed for' }]);
    const window = [deadline('appealWindow', MONDAY_10AM_SHANGHAI)];
    const open = view(entity, window);
    expect(open).toMatchObject({ status: { code: 'resolved' }, outcome: { code: 'rejected', text: 'No refund' }, next_step: { code: 'you_may_appeal' } });
    expect(open.allowed_actions).toEqual(['appeal', 'rate']);
    const late = view(entity, window, 'en', new Date(MONDAY_10AM_SHANGHAI.getTime() + 1000));
    expect(late.allowed_actions).toEqual(['rate']);
    expect(late.next_step?.code).toBe('case_will_close');
  });
});
