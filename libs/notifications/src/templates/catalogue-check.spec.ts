import { customerTopics, missingCustomerTemplates } from './catalogue-check';

describe('customer template catalogue', () => {
  it("finds the topics machines address to customers, and the engine's own", () => {
    expect(customerTopics()).toEqual(
      expect.arrayContaining(['case.opened', 'dispute.info_requested', 'dispute.info_reply_due_soon', 'dispute.resolved', 'conversation.agent_replied', 'account_security.frozen']),
    );
    // Addressed to agents or merchants only: no customer template needed.
    expect(customerTopics()).not.toContain('dispute.customer_unreachable');
    expect(customerTopics()).not.toContain('dispute.awaiting_merchant');
  });

  it('has a template for every one of them', () => {
    expect(missingCustomerTemplates()).toEqual([]);
  });
});
