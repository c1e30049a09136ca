import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { MAX_INQUIRY_REOPENS } from './inquiry.machine';
import { inquiryDefinitionV1 } from './inquiry.definition';

describe('inquiry: the reopen rule', () => {
  function answeredAndClosed(): CaseHarness {
    const inquiry = CaseHarness.open(inquiryDefinitionV1, SAMPLE_FACTS.inquiry);
    inquiry.send('ANSWER', { answer: 'Two business days.' }, SENDERS.agent);
    inquiry.fire('customerReplyWindow');
    return inquiry;
  }

  it(`reopens a closed inquiry within the window, at most ${MAX_INQUIRY_REOPENS} times`, () => {
    const inquiry = answeredAndClosed();
    for (let reopen = 1; reopen <= MAX_INQUIRY_REOPENS; reopen++) {
      inquiry.send('REOPEN', { message: 'Still not there.' }, SENDERS.customer);
      expect(inquiry.state).toBe('followUp');
      expect(inquiry.context).toMatchObject({ reopens: reopen, closedBecause: null });
      inquiry.send('ANSWER', { answer: 'Escalated to the bank.' }, SENDERS.agent);
      inquiry.fire('customerReplyWindow');
    }

    const error = catchDomainError(() => inquiry.send('REOPEN', { message: 'Once more.' }, SENDERS.customer));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(error.details.allowedEvents).toEqual([]);
  });

  it('cancels the archive deadline when reopened', () => {
    const inquiry = answeredAndClosed();
    const archive = inquiry.deadline('reopenWindow');
    inquiry.send('REOPEN', { message: 'Still not there.' }, SENDERS.agent);
    expect(inquiry.fireEvent(archive.event)).toBeUndefined();
    expect(inquiry.pendingDeadlines()).toEqual([]);
  });

  it('cannot be reopened once archived', () => {
    const inquiry = answeredAndClosed();
    inquiry.fire('reopenWindow');
    expect(catchDomainError(() => inquiry.send('REOPEN', { message: 'Hello?' }, SENDERS.customer)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('only lets agents answer', () => {
    const inquiry = CaseHarness.open(inquiryDefinitionV1, SAMPLE_FACTS.inquiry);
    expect(catchDomainError(() => inquiry.send('ANSWER', { answer: 'self-service' }, SENDERS.customer)).code).toBe(DomainErrorCode.EventNotPermitted);
  });
});
