import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { createI18n } from '../i18n/i18n';
import { errorText } from './errors';

describe('errors of money per transaction, in the agent’s words', () => {
  it('says how much the transaction still has when a refund would exceed it', () => {
    const error = new ApiError(422, 'REFUND_EXCEEDS_TRANSACTION', { availableMinor: 1_000, currency: 'CNY' });
    const en = errorText(error, createI18n('en'));
    expect(en).toContain('10.00');
    expect(en).not.toContain('{available}');
    expect(errorText(error, createI18n('zh-CN'))).toContain('10.00');
  });

  it('knows the open-time refusals and an unavailable wallet (never the unknown-code text)', () => {
    const i18n = createI18n('en');
    const unknown = errorText(new ApiError(422, 'SOMETHING_NEW'), i18n);
    for (const code of ['TRANSACTION_NOT_FOUND', 'AMOUNT_EXCEEDS_TRANSACTION', 'MERCHANT_MISMATCH', 'WALLET_UNAVAILABLE']) {
      const text = errorText(new ApiError(code === 'WALLET_UNAVAILABLE' ? 503 : 422, code), i18n);
      expect(text).not.toBe(unknown.replace('SOMETHING_NEW', code));
      expect(text.length).toBeGreaterThan(10);
    }
  });
});
