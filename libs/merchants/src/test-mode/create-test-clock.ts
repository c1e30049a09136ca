import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { TestClockEntity } from '@app/db';
import type { MerchantScope } from '../disputes/merchant-dispute-view';
import { assertTestMode, parseClockTime, toTestClockView, type TestClockView } from './test-clock-view';

export interface CreateTestClockCommand {
  /** The clock's starting time (ISO 8601 instant); now when absent. */
  frozenTime?: string;
  name?: string;
}

/** Creates a merchant's test clock (Stripe's `POST /v1/test_helpers/test_clocks`). */
@Injectable()
export class CreateTestClock {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchant: MerchantScope, command: CreateTestClockCommand): Promise<TestClockView> {
    assertTestMode(merchant);
    const frozenTime = command.frozenTime === undefined ? undefined : parseClockTime(command.frozenTime, 'frozen_time');
    const em = this.em.fork();
    const now = this.clock.now();
    const clock = em.create(TestClockEntity, {
      id: randomUUID(),
      merchantId: merchant.id,
      name: command.name ?? null,
      frozenTime: frozenTime ?? now,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    return toTestClockView(clock);
  }
}
