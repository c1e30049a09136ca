import 'reflect-metadata';
import { CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity } from '@app/db';
import { planCaseWrites, type CaseChanges } from './case-writes';
import { loadedStateOf } from './lock-case';

const now = new Date('2026-12-01T08:00:00.000Z');
const earlier = new Date('2026-11-30T08:00:00.000Z');
const CASE_ID = '11111111-1111-4111-8111-111111111111';

function lockedCase(overrides: Partial<CaseEntity> = {}): CaseEntity {
  return Object.assign(new CaseEntity(), {
    id: CASE_ID,
    kind: 'dispute',
    state: 'investigation.reviewing',
    status: 'active',
    priority: 'normal',
    version: 7,
    snapshot: { value: 'before' },
    nextDeadlineAt: null,
    ...overrides,
  });
}

function deadline(id: string, overrides: Partial<DeadlineEntity> = {}): DeadlineEntity {
  return Object.assign(new DeadlineEntity(), { id, caseId: CASE_ID, name: 'infoReplyWindow', sendId: id, event: { type: 'x' }, dueAt: now, ...overrides });
}

const noRows = { events: [], deadlines: [], outbox: [] };

describe('planCaseWrites: what one command writes, as one statement', () => {
  it('writes the case alone, guarded by the version it read, when the transition added and settled nothing', () => {
    const entity = lockedCase();
    const changes: CaseChanges = { entity, live: [], loaded: loadedStateOf(entity, []), newRows: noRows, now };
    entity.snapshot = { value: 'after' };

    const { sql, params } = planCaseWrites(changes);

    // The statement ends its transaction (its commit goes with it), so a row that no longer has the
    // version read must fail the statement itself: written_case_version raises when nothing was written.
    expect(sql).toBe(
      'with "w1" as (update "cases" set "snapshot" = ?, "updated_at" = ?, "version" = "version" + 1 where "id" = ? and "version" = ? returning "version") ' +
        'select written_case_version(?, (select "version" from "w1")) as "version"',
    );
    expect(params).toEqual([JSON.stringify({ value: 'after' }), now, CASE_ID, 7, CASE_ID]);
  });

  it('sets only the case columns the command changed (dates compared by instant, not by object)', () => {
    const due = new Date('2026-12-04T08:00:00.000Z');
    const entity = lockedCase({ nextDeadlineAt: new Date(due.getTime()), escalatedAt: earlier });
    const loaded = loadedStateOf(entity, []);
    entity.state = 'investigation.awaitingCustomerInfo';
    entity.nextDeadlineAt = new Date(due.getTime()); // a new object for the same instant: unchanged
    entity.escalatedAt = null;

    const { sql, params } = planCaseWrites({ entity, live: [], loaded, newRows: noRows, now });

    expect(sql).toContain('set "state" = ?, "escalated_at" = ?, "snapshot" = ?');
    expect(sql).not.toContain('next_deadline_at');
    expect(params.slice(0, 2)).toEqual(['investigation.awaitingCustomerInfo', null]);
  });

  it('adds the new rows and the settled deadlines as CTEs before the case update, parameters in text order', () => {
    const cancelled = deadline('22222222-2222-4222-8222-222222222222');
    const untouched = deadline('33333333-3333-4333-8333-333333333333');
    const entity = lockedCase({ nextDeadlineAt: now });
    const loaded = loadedStateOf(entity, [cancelled, untouched]);
    cancelled.status = 'cancelled';
    cancelled.settledAt = now;
    entity.nextDeadlineAt = null;
    const event = Object.assign(new CaseEventEntity(), {
      caseId: CASE_ID,
      category: 'machine',
      type: 'CUSTOMER_INFO_PROVIDED',
      actorKind: 'agent',
      actorId: 'a1',
      caseVersion: 8,
      payload: { type: 'CUSTOMER_INFO_PROVIDED' },
      createdAt: now,
    });
    const outbox = [1, 2].map((n) =>
      Object.assign(new OutboxEntity(), { id: `0000000${n}-0000-4000-8000-000000000000`, caseId: CASE_ID, type: 'notify', payload: { n }, createdAt: now, requestId: 'req-1' }),
    );

    const { sql, params } = planCaseWrites({ entity, live: [cancelled, untouched], loaded, newRows: { events: [event], deadlines: [], outbox }, now });

    expect(sql).toMatch(/^with "w1" as \(insert into "outbox" \([^)]*\) values \(\?(, \?)*\), \(\?(, \?)*\)\), "w2" as \(insert into "case_events" /);
    expect(sql).toContain('"w3" as (update "deadlines" set "status" = ?, "settled_at" = ? where "id" in (?)), "w4" as (update "cases" set "next_deadline_at" = ?');
    expect(sql).toMatch(/ select written_case_version\(\?, \(select "version" from "w4"\)\) as "version"$/);
    expect(sql).not.toContain(untouched.id);
    expect(sql.split('?').length - 1).toBe(params.length);
    // Outbox rows first (12 columns each, the request id last), then the timeline row, the settled deadline, the case.
    expect(params[0]).toBe(outbox[0]!.id);
    expect(params[11]).toBe('req-1');
    expect(params[12]).toBe(outbox[1]!.id);
    expect(params.slice(24, 26)).toEqual([CASE_ID, 'machine']);
    expect(params.slice(34, 37)).toEqual(['cancelled', now, cancelled.id]);
    expect(params.slice(-3)).toEqual([CASE_ID, 7, CASE_ID]);
  });

  it('groups deadlines settled the same way into one update and keeps different outcomes apart', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => deadline(`${letter.repeat(8)}-0000-4000-8000-000000000000`));
    const entity = lockedCase();
    const loaded = loadedStateOf(entity, [a!, b!, c!]);
    for (const row of [a!, b!]) Object.assign(row, { status: 'cancelled', settledAt: now });
    Object.assign(c!, { status: 'fired', settledAt: now });

    const { sql } = planCaseWrites({ entity, live: [a!, b!, c!], loaded, newRows: noRows, now });

    expect(sql).toContain('"w1" as (update "deadlines" set "status" = ?, "settled_at" = ? where "id" in (?, ?))');
    expect(sql).toContain('"w2" as (update "deadlines" set "status" = ?, "settled_at" = ? where "id" in (?))');
  });
});
