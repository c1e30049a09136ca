import { z } from 'zod';
import { accountSecurityDefinitionV1 } from './account-security/account-security.definition';
import { balanceDiscrepancyDefinitionV1 } from './balance-discrepancy/balance-discrepancy.definition';
import { describeCurrentMachine, describeMachine, describeMachineVersion, describePayload } from './describe-machine';
import { disputeDefinitionV1 } from './dispute/dispute.definition';
import { allDefinitions, currentDefinition } from './registry';

/**
 * The admin UI draws statecharts and builds action forms from describeMachine alone, so these
 * tests pin what it must say about the real machines, and check invariants on every version.
 */
describe('describeMachine', () => {
  const dispute = describeMachine(disputeDefinitionV1);
  const state = (id: string) => dispute.states.find((s) => s.id === id);

  it('lists the dispute states with paths, parents, types, initial children and descriptions', () => {
    expect(dispute).toMatchObject({ kind: 'dispute', version: 1, id: 'dispute', initial: 'dispute.open' });
    expect(dispute.states.map((s) => s.path)).toEqual([
      'open',
      'awaitingMerchant',
      'investigation',
      'investigation.reviewing',
      'investigation.awaitingCustomerInfo',
      'investigation.awaitingMerchantInfo',
      'refunding',
      'refunding.pending',
      'refunding.failed',
      'resolved',
      'appealReview',
      'closed',
      'withdrawn',
    ]);
    expect(state('dispute.investigation')).toMatchObject({ type: 'compound', parent: null, initial: 'dispute.investigation.reviewing', depth: 0 });
    expect(state('dispute.investigation.awaitingCustomerInfo')).toMatchObject({ type: 'atomic', parent: 'dispute.investigation', depth: 1, initial: null });
    expect(state('dispute.closed')?.type).toBe('final');
    expect(state('dispute.awaitingMerchant')?.description).toMatch(/merchant may accept/);
    expect(state('dispute.investigation.reviewing')?.description).toBeNull();
  });

  it('gives each deadline transition its delay name, and each guarded transition its guard', () => {
    expect(dispute.transitions).toContainEqual({
      source: 'dispute.awaitingMerchant',
      event: 'after:merchantResponseWindow',
      kind: 'deadline',
      target: 'dispute.refunding',
      deadline: 'merchantResponseWindow',
      guard: null,
    });
    expect(dispute.transitions).toContainEqual({
      source: 'dispute.refunding.failed',
      event: 'after:refundRetryBackoff',
      kind: 'deadline',
      target: 'dispute.refunding.pending',
      deadline: 'refundRetryBackoff',
      guard: 'mayRetryAutomatically',
    });
    expect(dispute.transitions).toContainEqual({
      source: 'dispute.investigation.reviewing',
      event: 'DECIDE_PARTIAL_REFUND',
      kind: 'event',
      target: 'dispute.refunding',
      deadline: null,
      guard: 'somethingLeftToRefund',
    });
    // A transition declared on a parent state is listed once, from the parent.
    expect(
      dispute.transitions
        .filter((t) => t.event === 'WITHDRAW')
        .map((t) => t.source)
        .sort(),
    ).toEqual(['dispute.awaitingMerchant', 'dispute.investigation', 'dispute.open']);
  });

  it('names a combined guard with the guards it combines', () => {
    // dispute v6: withdrawing while a proposal waits, unless the proposal was made at appeal.
    expect(describeMachine(currentDefinition('dispute')).transitions).toContainEqual(
      expect.objectContaining({ source: 'dispute.awaitingApproval', event: 'WITHDRAW', target: 'dispute.withdrawn', guard: 'not(proposedAtAppeal)' }),
    );
  });

  it('describes eventless (always) transitions with their guards', () => {
    const balance = describeMachine(balanceDiscrepancyDefinitionV1);
    const always = balance.transitions.filter((t) => t.kind === 'always');
    expect(always.map((t) => [t.target, t.guard])).toEqual([
      ['balanceDiscrepancy.resolved', 'explainedByPending'],
      ['balanceDiscrepancy.correctionNeeded', 'notExplainedByPending'],
    ]);
  });

  it('turns each event payload schema into form fields: money, text bounds, enums, booleans, lists', () => {
    const event = (type: string) => dispute.events.find((e) => e.type === type)!;
    expect(event('DECIDE_PARTIAL_REFUND').fields).toEqual([
      { name: 'amountMinor', type: 'integer', required: true, positive: true, money: true, example: 1000 },
      { name: 'reason', type: 'string', required: true, min: 1, max: 2000, example: 'One of two items missing' },
    ]);
    expect(event('FORWARD_TO_MERCHANT').fields).toEqual([]);
    expect(event('WITHDRAW').fields).toEqual([{ name: 'reason', type: 'string', required: false, min: 1, max: 2000, example: 'The parcel arrived after all' }]);
    expect(event('REFUND_SUCCEEDED').sentBy).toEqual(['system']);

    const security = describeMachine(accountSecurityDefinitionV1).events.find((e) => e.type === 'IDENTITY_VERIFIED')!;
    expect(security.fields[0]).toMatchObject({ name: 'method', type: 'enum', required: true });
    expect(security.fields[0]!.options!.length).toBeGreaterThan(1);

    const checked = describeMachine(balanceDiscrepancyDefinitionV1).events.find((e) => e.type === 'PENDING_CHECKED')!;
    expect(checked.fields.map((f) => [f.name, f.type])).toEqual([
      ['explained', 'boolean'],
      ['pendingTransactionRefs', 'string[]'],
      ['note', 'string'],
    ]);
    const approve = describeMachine(balanceDiscrepancyDefinitionV1).events.find((e) => e.type === 'APPROVE_CORRECTION')!;
    expect(approve.minimumRole).toBe('supervisor');
  });

  it('reads optional, defaulted, refined and unknown payload fields without throwing', () => {
    const fields = describePayload(
      z.object({
        note: z.string().max(5).optional(),
        count: z.number().min(2).max(9).default(3),
        checked: z.string().refine((value) => value !== 'x'),
        blob: z.record(z.string()),
      }),
    );
    expect(fields).toEqual([
      { name: 'note', type: 'string', required: false, max: 5 },
      { name: 'count', type: 'number', required: false, min: 2, max: 9 },
      { name: 'checked', type: 'string', required: true },
      { name: 'blob', type: 'unknown', required: true },
    ]);
    expect(describePayload(z.string())).toEqual([]);
  });

  describe.each(allDefinitions().map((definition) => [`${definition.kind} v${definition.version}`, definition] as const))('%s', (_, definition) => {
    const description = describeMachine(definition);
    const ids = new Set(description.states.map((s) => s.id));

    it('has transitions whose sources and targets are its own states', () => {
      for (const transition of description.transitions) {
        expect(ids.has(transition.source) || transition.source === description.id).toBe(true);
        if (transition.target !== null) expect(ids.has(transition.target)).toBe(true);
      }
    });

    it('names a transition for every catalogue event and every labelled deadline', () => {
      const events = new Set(description.transitions.map((t) => t.event));
      for (const type of Object.keys(definition.events)) expect(events).toContain(type);
      const deadlines = new Set(description.transitions.map((t) => t.deadline).filter(Boolean));
      expect([...deadlines].sort()).toEqual(Object.keys(definition.deadlines).sort());
    });

    it('is plain JSON (what the HTTP endpoint sends is what the function returns)', () => {
      expect(JSON.parse(JSON.stringify(description))).toEqual(description);
    });
  });
});

describe('describeMachineVersion and describeCurrentMachine', () => {
  it('find registered versions and refuse unknown kinds and versions with NOT_FOUND', () => {
    expect(describeMachineVersion('dispute', 1).states.length).toBeGreaterThan(0);
    expect(describeCurrentMachine('inquiry').kind).toBe('inquiry');
    expect(() => describeMachineVersion('dispute', 999)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => describeMachineVersion('chargeback', 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => describeCurrentMachine('chargeback')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
