import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { BusinessCalendarEntity, SlaPolicyEntity } from '@app/db';
import { DomainError, DomainErrorCode, assertValidBusinessCalendar, parseSlaPolicyInput, type BusinessCalendar, type SlaPolicy } from '@app/domain';
import { SlaCatalogue, toPolicy } from '../sla-catalogue';

@Injectable()
export class ListSlaPolicies {
  constructor(private readonly em: EntityManager) {}

  async execute(): Promise<Array<SlaPolicy & { active: boolean }>> {
    const rows = await this.em.fork().find(SlaPolicyEntity, {}, { orderBy: { position: 'asc' } });
    return rows.map((row) => ({ ...toPolicy(row), active: row.active }));
  }
}

/**
 * Creates or replaces a policy. It applies to cases opened from now on; cases keep the policy
 * (and the windows) they matched when they opened.
 */
@Injectable()
export class SaveSlaPolicy {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
  ) {}

  async execute(id: string, input: unknown): Promise<SlaPolicy & { active: boolean }> {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Policy ids are lower-case letters, digits, - and _.', { fields: [{ path: 'id', message: 'invalid id' }] });
    }
    const policy = parseSlaPolicyInput(input);
    const em = this.em.fork();
    if (!(await em.count(BusinessCalendarEntity, { id: policy.calendarId }))) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `No business calendar ${policy.calendarId}.`, { fields: [{ path: 'calendarId', message: 'unknown calendar' }] });
    }
    const row = (await em.findOne(SlaPolicyEntity, { id })) ?? em.create(SlaPolicyEntity, { id, ...policy, active: policy.active ?? true });
    em.assign(row, { ...policy, active: policy.active ?? true, updatedAt: new Date() });
    await em.flush();
    this.catalogue.invalidate();
    return { ...toPolicy(row), active: row.active };
  }
}

@Injectable()
export class ListBusinessCalendars {
  constructor(private readonly em: EntityManager) {}

  async execute(): Promise<BusinessCalendar[]> {
    return (await this.em.fork().find(BusinessCalendarEntity, {}, { orderBy: { id: 'asc' } })).map((row) => row.definition);
  }
}

/** Creates or replaces a calendar (e.g. next year's holidays once the State Council announces them). */
@Injectable()
export class SaveBusinessCalendar {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
  ) {}

  async execute(id: string, input: unknown): Promise<BusinessCalendar> {
    const candidate = { ...(typeof input === 'object' && input ? input : {}), id };
    assertValidBusinessCalendar(candidate);
    const em = this.em.fork();
    const row = (await em.findOne(BusinessCalendarEntity, { id })) ?? em.create(BusinessCalendarEntity, { id, definition: candidate, updatedAt: new Date() });
    row.definition = candidate;
    row.updatedAt = new Date();
    await em.flush();
    this.catalogue.invalidate();
    return candidate;
  }
}
