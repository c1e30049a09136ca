import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { BusinessCalendarEntity, SlaPolicyEntity, decodeCursor, pageOf, pageSize, type Page } from '@app/db';
import { DomainError, DomainErrorCode, assertValidBusinessCalendar, parseSlaPolicyInput, type BusinessCalendar, type SlaPolicy } from '@app/domain';
import { SlaCatalogue, toPolicy } from '../sla-catalogue';

const POLICY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Policies in match order (position, then id: the order the catalogue tries them in), a page at a time. */
@Injectable()
export class ListSlaPolicies {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { cursor?: string; limit?: number } = {}): Promise<Page<SlaPolicy & { active: boolean }>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 2, ([position, id]) => /^-?\d{1,9}$/.test(position!) && POLICY_ID.test(id!)) : undefined;
    const where = after
      ? { $or: [{ position: { $gt: Number(after[0]) } }, { position: Number(after[0]), id: { $gt: after[1]! } }] }
      : {};
    const rows = await this.em.fork().find(SlaPolicyEntity, where, { orderBy: { position: 'asc', id: 'asc' }, limit: limit + 1 });
    return pageOf(rows, limit, (row) => [String(row.position), row.id], (row) => ({ ...toPolicy(row), active: row.active }));
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
    if (!POLICY_ID.test(id)) {
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

/** Calendars by id, a page at a time. */
@Injectable()
export class ListBusinessCalendars {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { cursor?: string; limit?: number } = {}): Promise<Page<BusinessCalendar>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 1) : undefined;
    const rows = await this.em.fork().find(BusinessCalendarEntity, after ? { id: { $gt: after[0]! } } : {}, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return pageOf(rows, limit, (row) => [row.id], (row) => row.definition);
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
