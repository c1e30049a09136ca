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

  it('says why a dispute cannot be forwarded to its merchant, in both languages', () => {
    const error = new ApiError(422, 'MERCHANT_UNREACHABLE', { reason: 'merchant_not_registered' });
    const en = errorText(error, createI18n('en'));
    expect(en).toContain('not registered');
    expect(en).not.toContain('{why}');
    const zh = errorText(error, createI18n('zh-CN'));
    expect(zh).toContain('尚未注册');
    expect(zh).not.toContain('{why}');
    expect(errorText(new ApiError(422, 'MERCHANT_UNREACHABLE', { reason: 'no_active_key_or_webhook' }), createI18n('en'))).toContain('no active API key');
    expect(errorText(new ApiError(422, 'MERCHANT_UNREACHABLE', { reason: 'something_new' }), createI18n('en'))).toContain('cannot be reached');
  });
});

describe('errors of four eyes, in the agent’s words', () => {
  it('names the proposal to send instead when a decision needs approval', () => {
    const error = new ApiError(403, 'APPROVAL_REQUIRED', { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_FULL_REFUND' });
    expect(errorText(error, createI18n('en'))).toContain('Propose full refund');
    expect(errorText(error, createI18n('zh-CN'))).toContain('提交全额退款审批');
  });

  it('says what the agent already decided alone on the transaction when that is what takes a decision past their limit', () => {
    const error = new ApiError(403, 'APPROVAL_REQUIRED', { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_PARTIAL_REFUND', decidedAloneMinor: 30_000 });
    const en = errorText(error, createI18n('en'));
    expect(en).toContain('300.00');
    expect(en).toContain('Propose partial refund');
    expect(en).not.toMatch(/\{(decided|action)\}/);
    const zh = errorText(error, createI18n('zh-CN'));
    expect(zh).toContain('300.00');
    expect(zh).toContain('其他案件');
  });

  it('says what the approver may approve when the proposal is above it', () => {
    const error = new ApiError(403, 'APPROVAL_LIMIT_EXCEEDED', { limitMinor: 5_000_000, currency: 'CNY' });
    const en = errorText(error, createI18n('en'));
    expect(en).toContain('50,000.00');
    expect(en).not.toContain('{limit}');
  });

  it('knows self-approval and the appeal rule (never the unknown-code text)', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const i18n = createI18n(locale);
      for (const code of ['SELF_APPROVAL', 'APPEAL_NEEDS_ANOTHER_DECIDER']) {
        expect(errorText(new ApiError(403, code), i18n)).not.toContain(code);
      }
    }
  });
});

describe('errors of dispute reasons, in the agent’s words', () => {
  it('names the missing evidence and the filing window, in both languages', () => {
    const missing = new ApiError(422, 'EVIDENCE_REQUIREMENTS_UNMET', { missing: ['proof_of_delivery', 'something_new'] });
    expect(errorText(missing, createI18n('en'))).toContain('Proof of delivery, something_new');
    expect(errorText(missing, createI18n('zh-CN'))).toContain('签收证明、something_new');
    const late = new ApiError(422, 'OUTSIDE_FILING_WINDOW', { filingWindowDays: 120 });
    expect(errorText(late, createI18n('en'))).toContain('120 days');
    expect(errorText(late, createI18n('zh-CN'))).toContain('120 天');
  });
});
