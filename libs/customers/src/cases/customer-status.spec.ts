import { allDefinitions, describeMachine } from '@app/domain';
import { listedCustomerStatus } from './customer-status';

describe("the customer's status of every machine state", () => {
  it('lists every state a case can be in, of every live machine version (nothing falls back unnoticed)', () => {
    const unlisted: string[] = [];
    for (const definition of allDefinitions()) {
      const { states } = describeMachine(definition) as unknown as { states: Array<{ id: string }> };
      // A case rests in leaf states only (the stored path is the leaf's).
      const leaves = states.filter(({ id }) => !states.some((other) => other.id.startsWith(`${id}.`)));
      expect(leaves.length).toBeGreaterThan(2);
      for (const { id } of leaves) {
        const path = id.split('.').slice(1).join('.');
        if (!listedCustomerStatus(definition.kind, path)) unlisted.push(`${definition.kind} v${definition.version} ${path}`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('tells the customer when we wait for them, and when the merchant is asked', () => {
    expect(listedCustomerStatus('dispute', 'investigation.awaitingCustomerInfo')).toBe('waiting_for_you');
    expect(listedCustomerStatus('refund_request', 'underReview.awaitingCustomerInfo')).toBe('waiting_for_you');
    expect(listedCustomerStatus('dispute', 'investigation.awaitingMerchantInfo')).toBe('waiting_for_merchant');
    expect(listedCustomerStatus('dispute', 'refunding.failed')).toBe('refund_in_progress');
  });
});
