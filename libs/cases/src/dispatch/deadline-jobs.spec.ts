import { DeadlineEntity, type DeadlineStatus } from '@app/db';
import { deadlineJobChanges, headsBefore, jobHeads, NO_HEADS, withinJobHorizon } from './deadline-jobs';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 5, 9, 0) + minutes * 60_000);

function deadline(id: string, fields: { kind?: 'machine' | 'sla'; clock?: string; sendId?: string; due: number; status?: DeadlineStatus }): DeadlineEntity {
  return Object.assign(new DeadlineEntity(), {
    id,
    caseId: 'case-1',
    kind: fields.kind ?? 'sla',
    slaClockId: fields.clock ?? null,
    name: id,
    sendId: fields.sendId ?? `send.${id}`,
    event: { type: id },
    dueAt: at(fields.due),
    status: fields.status ?? 'pending',
  });
}

/** A clock's reminder ladder and breach, as SlaTracker plans them. */
const clockAlarms = (clock: string, start: number) => [
  deadline(`${clock}-r50`, { clock, due: start + 50 }),
  deadline(`${clock}-r80`, { clock, due: start + 80 }),
  deadline(`${clock}-breach`, { clock, due: start + 100 }),
];

describe('deadline jobs: only the head of an alarm chain has one', () => {
  it('a clock is one chain, a window’s reminders (no clock, one send id) another, and each machine deadline its own', () => {
    const rows = [
      ...clockAlarms('resolution', 0),
      ...clockAlarms('firstResponse', 0),
      deadline('window-r50', { sendId: 'window.w1', due: 30 }),
      deadline('window-r80', { sendId: 'window.w1', due: 48 }),
      deadline('w1', { kind: 'machine', sendId: 'merchantResponseWindow', due: 60 }),
      deadline('w2', { kind: 'machine', sendId: 'merchantResponseWindow', due: 60 }),
    ];
    expect([...jobHeads(rows).values()].map((row) => row.id).sort()).toEqual(['firstResponse-r50', 'resolution-r50', 'w1', 'w2', 'window-r50']);
  });

  it('the earliest pending alarm heads its chain, ties by id; settled rows head nothing', () => {
    const rows = [
      deadline('b', { clock: 'c', due: 10 }),
      deadline('a', { clock: 'c', due: 10 }),
      deadline('0-fired', { clock: 'c', due: 5, status: 'fired' }),
      deadline('z', { clock: 'c', due: 20 }),
    ];
    expect([...jobHeads(rows).values()].map((row) => row.id)).toEqual(['a']);
  });

  it('a new case enqueues one job per clock and every machine deadline, and removes nothing', () => {
    const rows = [...clockAlarms('resolution', 0), deadline('w1', { kind: 'machine', due: 60 })];
    const changes = deadlineJobChanges(NO_HEADS, rows);
    expect(changes.add.map((row) => row.id).sort()).toEqual(['resolution-r50', 'w1']);
    expect(changes.remove).toEqual([]);
  });

  it('a pause cancels the clock’s alarms: only the head’s job goes', () => {
    const rows = clockAlarms('resolution', 0);
    const before = headsBefore(rows);
    for (const row of rows) row.status = 'cancelled';
    expect(deadlineJobChanges(before, rows)).toEqual({ add: [], remove: [rows[0]] });
  });

  it('a resume adds the new head only; the cancelled old alarms that never had a job are not removed', () => {
    const old = clockAlarms('resolution', 0).map((row) => Object.assign(row, { status: 'cancelled' as const }));
    const before = headsBefore(old);
    const resumed = clockAlarms('resolution-again', 200).map((row) => Object.assign(row, { slaClockId: 'resolution' }));
    const changes = deadlineJobChanges(before, [...old, ...resumed]);
    expect(changes.add.map((row) => row.id)).toEqual(['resolution-again-r50']);
    expect(changes.remove).toEqual([]);
  });

  it('firing the head hands the job on to the next alarm of its chain, and does not remove the firing job', () => {
    const rows = clockAlarms('resolution', 0);
    const before = headsBefore(rows);
    rows[0]!.status = 'fired';
    expect(deadlineJobChanges(before, rows)).toEqual({ add: [rows[1]], remove: [] });
  });

  it('a cancelled machine deadline’s job goes, a new one comes, other chains are left alone', () => {
    const window = deadline('w1', { kind: 'machine', due: 60 });
    const clock = clockAlarms('resolution', 0);
    const before = headsBefore([window, ...clock]);
    window.status = 'cancelled';
    const next = deadline('w2', { kind: 'machine', due: 90 });
    expect(deadlineJobChanges(before, [window, ...clock, next])).toEqual({ add: [next], remove: [window] });
  });

  it('a new alarm earlier than a chain’s head takes a job; the old head keeps its own (it still rings in time)', () => {
    const clock = clockAlarms('resolution', 0);
    const before = headsBefore(clock);
    const earlier = deadline('replacement', { clock: 'resolution', due: 20 });
    expect(deadlineJobChanges(before, [...clock, earlier])).toEqual({ add: [earlier], remove: [] });
  });
});

describe('deadline jobs: only deadlines within the horizon have one yet', () => {
  const now = at(0);
  const horizonMs = 15 * 60_000;

  it('keeps the deadlines due by now plus the horizon, overdue ones and the edge included, in order', () => {
    const rows = [deadline('later', { due: 16 }), deadline('edge', { due: 15 }), deadline('overdue', { due: -5 }), deadline('soon', { due: 1 })];
    expect(withinJobHorizon(rows, now, horizonMs).map((row) => row.id)).toEqual(['edge', 'overdue', 'soon']);
  });

  it('a chain head beyond it gets no job from the command; the reconciler adds it once it comes within', () => {
    const changes = deadlineJobChanges(NO_HEADS, clockAlarms('resolution', 60));
    expect(changes.add.map((row) => row.id)).toEqual(['resolution-r50']);
    expect(withinJobHorizon(changes.add, now, horizonMs)).toEqual([]);
    expect(withinJobHorizon(changes.add, at(100), horizonMs)).toEqual(changes.add);
  });
});
