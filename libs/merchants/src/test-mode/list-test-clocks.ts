import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { TestClockEntity } from '@app/db';
import type { MerchantScope } from '../disputes/merchant-dispute-view';
import { assertTestMode, toTestClockView, type TestClockView } from './test-clock-view';

/** At most this many clocks are listed; a merchant needs a handful for its test suites. */
const LIST_LIMIT = 100;

@Injectable()
export class ListTestClocks {
  constructor(private readonly em: EntityManager) {}

  async execute(merchant: MerchantScope): Promise<{ object: 'list'; data: TestClockView[] }> {
    assertTestMode(merchant);
    const clocks = await this.em.fork().find(TestClockEntity, { merchantId: merchant.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: LIST_LIMIT });
    return { object: 'list', data: clocks.map(toTestClockView) };
  }
}
