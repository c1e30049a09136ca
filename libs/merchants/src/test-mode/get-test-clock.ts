import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { MerchantScope } from '../disputes/merchant-dispute-view';
import { assertTestMode, findOwnedTestClock, toTestClockView, type TestClockView } from './test-clock-view';

@Injectable()
export class GetTestClock {
  constructor(private readonly em: EntityManager) {}

  async execute(merchant: MerchantScope, id: string): Promise<TestClockView> {
    assertTestMode(merchant);
    return toTestClockView(await findOwnedTestClock(this.em.fork(), merchant, id));
  }
}
