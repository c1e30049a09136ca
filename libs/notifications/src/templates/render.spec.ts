import { CUSTOMER_TEMPLATES } from './catalogue';
import { formatYuan, renderCustomerMessage } from './render';

describe('customer messages', () => {
  const dueAt = new Date('2026-12-04T02:30:00Z'); // 10:30 in Beijing

  it('acknowledges in Chinese with the reply time in Beijing time', () => {
    const message = renderCustomerMessage('case.opened', 'zh-CN', { caseNumber: 'AB12CD34', kind: 'dispute', hasDue: 'yes', dueAt });
    expect(message.body).toBe('我们已收到您的申诉，将在12月4日 10:30前回复。案件编号：AB12CD34。');
  });

  it('acknowledges in English, and without a promised time when there is none', () => {
    expect(renderCustomerMessage('case.opened', 'en', { caseNumber: 'AB12CD34', kind: 'dispute', hasDue: 'yes', dueAt }).body).toContain(
      'We have received your dispute and will reply by December 4 at 10:30 (Beijing time)',
    );
    expect(renderCustomerMessage('case.opened', 'en', { caseNumber: 'AB12CD34', kind: 'inquiry', hasDue: 'no', dueAt: new Date(0) }).body).toBe(
      'We have received your question and will reply as soon as we can. Case number: AB12CD34.',
    );
  });

  it('states a decision with the refund in yuan', () => {
    const values = { caseNumber: 'AB12CD34', outcome: 'partial_refund', refundAmount: formatYuan(123450) };
    expect(renderCustomerMessage('dispute.resolved', 'zh-CN', values).body).toContain('我们将为您部分退款¥1,234.50。');
    expect(renderCustomerMessage('dispute.resolved', 'en', values).body).toContain('refund you ¥1,234.50 in part');
  });

  it('formats fen as yuan without floating point', () => {
    expect([formatYuan(0), formatYuan(5), formatYuan(123450), formatYuan(100000000), formatYuan(-1999)]).toEqual(['¥0.00', '¥0.05', '¥1,234.50', '¥1,000,000.00', '-¥19.99']);
  });

  it('tells a refund on its way with its expected arrival in Beijing time, and one that arrived', () => {
    const expectedBy = new Date('2026-12-05T02:30:00Z');
    const values = { caseNumber: 'AB12CD34', refundAmount: '¥128.50', hasExpected: 'yes', expectedBy };
    expect(renderCustomerMessage('refund.sent', 'zh-CN', values).body).toBe('案件 AB12CD34 的退款¥128.50已按原路退回，预计12月5日 10:30前到账。');
    expect(renderCustomerMessage('refund.sent', 'en', values).body).toMatch(/expected to arrive by December 5.* 10:30 \(Beijing time\)/);
    expect(renderCustomerMessage('dispute.refund_succeeded', 'en', values).title).toBe('Refund arrived for case AB12CD34');
  });

  it('every template compiles in both languages', () => {
    for (const [topic] of Object.entries(CUSTOMER_TEMPLATES)) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const message = renderCustomerMessage(topic, locale, {
          caseNumber: 'X',
          kind: 'dispute',
          hasDue: 'no',
          dueAt,
          question: 'q',
          outcome: 'rejected',
          refundAmount: '¥1.00',
          amount: '¥1.00',
          body: 'b',
          name: '',
          hasExpected: 'no',
          expectedBy: dueAt,
        });
        expect(message.title.length).toBeGreaterThan(0);
      }
    }
  });
});
