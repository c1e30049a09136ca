import { DEFAULT_WINDOWS } from '../windows';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { inquiryDefinitionV1 } from './inquiry.definition';

describe('inquiry: answered, then closed unless the customer follows up', () => {
  it('closes by itself when the customer does not follow up within the reply window', () => {
    const inquiry = CaseHarness.open(inquiryDefinitionV1, SAMPLE_FACTS.inquiry);
    inquiry.send('ANSWER', { answer: 'Two business days.' }, SENDERS.agent);
    expect(inquiry.state).toBe('answered');
    expect(inquiry.effects()).toEqual([{ type: 'notify', params: { topic: 'inquiry.answered', audience: ['customer'] } }]);
    expect(inquiry.deadline('customerReplyWindow').delayMs).toBe(DEFAULT_WINDOWS.customerReplyMs);

    inquiry.fire('customerReplyWindow');
    expect(inquiry.state).toBe('closed');
    expect(inquiry.context.closedBecause).toBe('no_follow_up');
    expect(inquiry.status).toBe('active'); // still reopenable
  });

  it('goes back to the agents on a follow-up, and the old close deadline no longer applies', () => {
    const inquiry = CaseHarness.open(inquiryDefinitionV1, SAMPLE_FACTS.inquiry);
    inquiry.send('ANSWER', { answer: 'Two business days.' }, SENDERS.agent);
    const closeDeadline = inquiry.deadline('customerReplyWindow');
    inquiry.send('FOLLOW_UP', { message: 'It has been three days.' }, SENDERS.customer);

    expect(inquiry.state).toBe('followUp');
    expect(inquiry.effects()).toEqual([{ type: 'notify', params: { topic: 'inquiry.follow_up', audience: ['agents'] } }]);
    expect(inquiry.fireEvent(closeDeadline.event)).toBeUndefined();

    inquiry.send('ANSWER', { answer: 'The bank confirmed it today.' }, SENDERS.agent);
    inquiry.send('CLOSE', { reason: 'Arrived, thanks' }, SENDERS.customer);
    expect(inquiry.context).toMatchObject({ answers: 2, followUps: 1, closedBecause: 'closed_on_request' });
  });

  it('is archived for good when the reopen window ends', () => {
    const inquiry = CaseHarness.open(inquiryDefinitionV1, SAMPLE_FACTS.inquiry);
    inquiry.send('CLOSE', {}, SENDERS.agent);
    expect(inquiry.deadline('reopenWindow').delayMs).toBe(DEFAULT_WINDOWS.appealWindowMs);
    inquiry.fire('reopenWindow');
    expect(inquiry.state).toBe('archived');
    expect(inquiry.status).toBe('done');
  });
});
