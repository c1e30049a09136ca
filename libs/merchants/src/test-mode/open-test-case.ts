import { randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CaseClock, OpenCase, SendCaseEvent, type Actor } from '@app/cases';
import { Clock } from '@app/config';
import { CaseEntity, sqlSessionOf } from '@app/db';
import type { WalletTransaction } from '@app/wallet';
import { getMerchantDisputeView, type MerchantDisputeView, type MerchantScope } from '../disputes/merchant-dispute-view';
import { assertTestMode, findOwnedTestClock } from './test-clock-view';

/** Who opens and forwards simulated cases on the timeline: the merchant's test helpers, standing in for the wallet's intake and the agent. */
const TEST_HELPERS_SYSTEM: Actor = { kind: 'system', id: 'test_helpers' };
const TEST_HELPERS_AGENT: Actor = { kind: 'agent', id: null, label: 'test_helpers' };

export interface OpenTestCaseCommand {
  amountMinor: number;
  currency: string;
  reason: string;
  /** The test clock the case lives on (its deadlines fire when the clock is advanced); wall-clock time without one. */
  testClockId?: string | null;
  /** refund_request only: when the purchase was made (the refund window counts from it); the case's now by default. */
  purchasedAt?: string | null;
}

export interface TestRefundRequestView {
  id: string;
  object: 'refund_request';
  livemode: false;
  state: string;
  amount: number;
  currency: string;
  reason: string | null;
  transaction_ref: string | null;
  test_clock: string | null;
  created: string;
}

/**
 * Simulated disputes and refund requests for a merchant's test mode (Stripe's test helpers). Each
 * comes with a simulated captured payment of the amount to the merchant, made up here and never
 * asked of the wallet; the case is a test case (livemode false), on the test clock if one is named.
 * A dispute is forwarded to the merchant at once (`needs_response`), as Stripe's test disputes
 * arrive; a refund request starts with the merchant as every refund request does.
 */
@Injectable()
export class OpenTestCase {
  constructor(
    private readonly em: EntityManager,
    private readonly openCase: OpenCase,
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly caseClock: CaseClock,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async dispute(merchant: MerchantScope, command: OpenTestCaseCommand): Promise<MerchantDisputeView> {
    const id = await this.open(merchant, 'dispute', command);
    await this.sendCaseEvent.execute({ caseId: id, event: { type: 'FORWARD_TO_MERCHANT' } }, TEST_HELPERS_AGENT);
    return getMerchantDisputeView(this.em.fork(), merchant, id);
  }

  async refundRequest(merchant: MerchantScope, command: OpenTestCaseCommand): Promise<TestRefundRequestView> {
    const id = await this.open(merchant, 'refund_request', command);
    const entity = await this.em.fork().findOneOrFail(CaseEntity, { id });
    return {
      id,
      object: 'refund_request',
      livemode: false,
      state: entity.state,
      amount: entity.amountMinor ?? command.amountMinor,
      currency: entity.currency ?? command.currency,
      reason: command.reason,
      transaction_ref: entity.transactionRef,
      test_clock: entity.testClockId,
      created: entity.createdAt.toISOString(),
    };
  }

  private async open(merchant: MerchantScope, kind: 'dispute' | 'refund_request', command: OpenTestCaseCommand): Promise<string> {
    assertTestMode(merchant);
    const testClockId = command.testClockId ? (await findOwnedTestClock(this.em.fork(), merchant, command.testClockId)).id : null;
    const now = testClockId ? await this.caseClock.now(sqlSessionOf(this.em.fork()), { testClockId }) : this.clock.now();
    const suffix = randomBytes(8).toString('hex').toUpperCase();
    // Upper case: the wallet's references are normalised so, and the case stores it as given here.
    const transaction: WalletTransaction = {
      ref: `TEST-${suffix}`,
      amountMinor: command.amountMinor,
      currency: command.currency,
      merchantId: merchant.id,
      payerId: `cus_test_${suffix.toLowerCase()}`,
      status: 'captured',
      fundingSources: [],
      refundedMinor: 0,
      createdAt: now,
    };
    return this.openCase.execute(
      {
        kind,
        channel: 'app',
        priority: 'normal',
        subject: kind === 'dispute' ? `Test dispute: ${command.reason}` : `Test refund request: ${command.reason}`,
        customer: { id: transaction.payerId, name: 'Test customer' },
        merchantId: merchant.id,
        transactionRef: transaction.ref,
        amount: { amountMinor: command.amountMinor, currency: command.currency },
        reason: command.reason,
        purchasedAt: kind === 'refund_request' ? (command.purchasedAt ?? now.toISOString()) : null,
        testMode: { transaction, testClockId },
      },
      TEST_HELPERS_SYSTEM,
    );
  }
}
