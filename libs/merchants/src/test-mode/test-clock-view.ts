import type { EntityManager } from '@mikro-orm/postgresql';
import { TestClockEntity, UUID_PATTERN, type TestClockStatus } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { MerchantScope } from '../disputes/merchant-dispute-view';

export interface TestClockView {
  id: string;
  object: 'test_clock';
  /** Test clocks exist only in test mode. */
  livemode: false;
  name: string | null;
  /** The clock's time: the "now" of every test case opened on it. */
  frozen_time: string;
  /** `advancing` while an advance fires the deadlines it passed. */
  status: TestClockStatus;
  created: string;
}

export const toTestClockView = (clock: TestClockEntity): TestClockView => ({
  id: clock.id,
  object: 'test_clock',
  livemode: false,
  name: clock.name,
  frozen_time: clock.frozenTime.toISOString(),
  status: clock.status,
  created: clock.createdAt.toISOString(),
});

/**
 * Test helpers answer only test keys: a live key can neither make nor see simulated data, and a
 * simulated dispute can never land among live ones.
 */
export function assertTestMode(merchant: MerchantScope): void {
  if (merchant.livemode) {
    throw new DomainError(DomainErrorCode.TestModeOnly, 'Test helpers work only with a test-mode key (sk_test_…); live keys never see or make test data.');
  }
}

export function testClockNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.NotFound, `No test clock ${id}.`, { testClockId: id });
}

/** The merchant's own test clock; another merchant's is the same 404 as a missing one. */
export async function findOwnedTestClock(em: EntityManager, merchant: MerchantScope, id: string): Promise<TestClockEntity> {
  const clock = UUID_PATTERN.test(id) ? await em.findOne(TestClockEntity, { id, merchantId: merchant.id }) : null;
  if (!clock) throw testClockNotFound(id);
  return clock;
}

/**
 * A clock time from the request: an instant PostgreSQL can store and a person would mean (ISO 8601
 * also allows week dates and times without a zone, which mean nothing to a clock).
 */
export function parseClockTime(value: string, path: string): Date {
  const time = new Date(value);
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1970 || time.getUTCFullYear() > 9999) {
    throw new DomainError(DomainErrorCode.ValidationFailed, `${path} must be an ISO 8601 instant with its time zone, between 1970 and 9999.`, {
      fields: [{ path, message: 'an ISO 8601 instant with a time zone, e.g. 2026-12-01T00:00:00Z' }],
    });
  }
  return time;
}
