import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, changesBetween, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
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
    const where = after ? { $or: [{ position: { $gt: Number(after[0]) } }, { position: Number(after[0]), id: { $gt: after[1]! } }] } : {};
    const rows = await this.em.fork().find(SlaPolicyEntity, where, { orderBy: { position: 'asc', id: 'asc' }, limit: limit + 1 });
    return pageOf(
      rows,
      limit,
      (row) => [String(row.position), row.id],
      (row) => ({ ...toPolicy(row), active: row.active }),
    );
  }
}

/**
 * Creates or replaces a policy. It applies to cases opened from now on; cases keep the policy
 * (and the windows) they matched when they opened. The admin audit log gets the policy as
 * created, or what changed, in the same transaction.
 */
@Injectable()
export class SaveSlaPolicy {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(id: string, input: unknown, actor: AdminAuditActor): Promise<SlaPolicy & { active: boolean }> {
    if (!POLICY_ID.test(id)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Policy ids are lower-case letters, digits, - and _.', { fields: [{ path: 'id', message: 'invalid id' }] });
    }
    const policy = parseSlaPolicyInput(input);
    const em = this.em.fork();
    if (!(await em.count(BusinessCalendarEntity, { id: policy.calendarId }))) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `No business calendar ${policy.calendarId}.`, { fields: [{ path: 'calendarId', message: 'unknown calendar' }] });
    }
    const now = this.clock.now();
    const existing = await em.findOne(SlaPolicyEntity, { id });
    const before = existing ? { ...toPolicy(existing), active: existing.active } : null;
    const row = existing ?? em.create(SlaPolicyEntity, { id, ...policy, active: policy.active ?? true });
    em.assign(row, { ...policy, active: policy.active ?? true, updatedAt: now });
    const after = { ...toPolicy(row), active: row.active };
    this.audit.record(
      em,
      before
        ? { actor, action: 'sla_policy.updated', target: { type: 'sla_policy', id }, details: { changes: changesBetween(before, after, POLICY_FIELDS) } }
        : {
            actor,
            action: 'sla_policy.created',
            target: { type: 'sla_policy', id },
            details: { name: after.name, position: after.position, calendarId: after.calendarId, active: after.active },
          },
      now,
    );
    await em.flush();
    await this.catalogue.reload();
    return after;
  }
}

const POLICY_FIELDS = ['name', 'position', 'match', 'calendarId', 'targets', 'reminders', 'active'] as const;
const CALENDAR_FIELDS = ['name', 'timeZone', 'weeklyHours', 'holidays', 'makeUpWorkdays', 'schedules'] as const;

/** Calendars by id, a page at a time. */
@Injectable()
export class ListBusinessCalendars {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { cursor?: string; limit?: number } = {}): Promise<Page<BusinessCalendar>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 1) : undefined;
    const rows = await this.em.fork().find(BusinessCalendarEntity, after ? { id: { $gt: after[0]! } } : {}, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return pageOf(
      rows,
      limit,
      (row) => [row.id],
      (row) => row.definition,
    );
  }
}

/**
 * Creates or replaces a calendar (e.g. next year's holidays once the State Council announces
 * them); the admin audit log gets the calendar as created, or what changed, in the same transaction.
 */
@Injectable()
export class SaveBusinessCalendar {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(id: string, input: unknown, actor: AdminAuditActor): Promise<BusinessCalendar> {
    const candidate = { ...(typeof input === 'object' && input ? input : {}), id };
    assertValidBusinessCalendar(candidate);
    const em = this.em.fork();
    const now = this.clock.now();
    const existing = await em.findOne(BusinessCalendarEntity, { id });
    const row = existing ?? em.create(BusinessCalendarEntity, { id, definition: candidate, updatedAt: now });
    this.audit.record(
      em,
      existing
        ? {
            actor,
            action: 'business_calendar.updated',
            target: { type: 'business_calendar', id },
            details: { changes: changesBetween(existing.definition, candidate, CALENDAR_FIELDS) },
          }
        : { actor, action: 'business_calendar.created', target: { type: 'business_calendar', id }, details: { name: candidate.name, timeZone: candidate.timeZone } },
      now,
    );
    row.definition = candidate;
    row.updatedAt = now;
    await em.flush();
    await this.catalogue.reload();
    return candidate;
  }
}
