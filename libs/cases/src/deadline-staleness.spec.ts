import 'reflect-metadata';
import { DeadlineEntity, SlaClockEntity } from '@app/db';
import { judgeFailedDeadlines } from './deadline-staleness';

const CASE_ID = '11111111-1111-4111-8111-111111111111';
const runStart = new Date('2026-12-01T09:00:00.000Z');
const before = new Date('2026-12-01T08:00:00.000Z');
const after = new Date('2026-12-01T10:00:00.000Z');

function deadline(id: string, overrides: Partial<DeadlineEntity> = {}): DeadlineEntity {
  return Object.assign(new DeadlineEntity(), {
    id,
    caseId: CASE_ID,
    kind: 'machine',
    slaClockId: null,
    name: 'infoReplyWindow',
    sendId: 'xstate.after.infoReplyWindow',
    event: { type: 'xstate.after.infoReplyWindow.dispute.investigation.awaitingCustomerInfo' },
    dueAt: after,
    status: 'failed',
    createdAt: before,
    settledAt: null,
    ...overrides,
  });
}

function clock(id: string, status: SlaClockEntity['status'], runningSince: Date | null): SlaClockEntity {
  return Object.assign(new SlaClockEntity(), { id, caseId: CASE_ID, target: 'resolution', status, runningSince });
}

const listensForAll = () => true;
const idsOf = (verdicts: ReturnType<typeof judgeFailedDeadlines>) => ({ putBack: verdicts.putBack.map((d) => d.id), stale: verdicts.stale.map((d) => d.id) });

describe('judgeFailedDeadlines: what a redrive puts back and what it settles as stale', () => {
  it('puts back a machine timer the case still listens for, and settles one it does not', () => {
    const heard = deadline('heard');
    const unheard = deadline('unheard', { event: { type: 'xstate.after.merchantResponseWindow.dispute.awaitingMerchant' } });
    const verdicts = judgeFailedDeadlines([heard, unheard], { live: [], clocks: [], listensFor: (event) => event.type === heard.event.type });
    expect(idsOf(verdicts)).toEqual({ putBack: ['heard'], stale: ['unheard'] });
  });

  it('settles a machine timer the case has set again since (a newer pending row of the same timer), not one with an older or settled namesake', () => {
    const failed = deadline('failed');
    const newer = deadline('newer', { status: 'pending', createdAt: after });
    expect(idsOf(judgeFailedDeadlines([failed], { live: [newer], clocks: [], listensFor: listensForAll }))).toEqual({ putBack: [], stale: ['failed'] });
    const older = deadline('older', { status: 'pending', createdAt: new Date(before.getTime() - 60_000) });
    const otherTimer = deadline('other', { status: 'pending', createdAt: after, sendId: 'xstate.after.merchantResponseWindow' });
    expect(idsOf(judgeFailedDeadlines([failed], { live: [older, otherTimer], clocks: [], listensFor: listensForAll }))).toEqual({ putBack: ['failed'], stale: [] });
  });

  it('of two failed rows of the same timer (both stays gave up), puts back only the newer one', () => {
    const older = deadline('older');
    const newer = deadline('newer', { createdAt: after });
    expect(idsOf(judgeFailedDeadlines([older, newer], { live: [], clocks: [], listensFor: listensForAll }))).toEqual({ putBack: ['newer'], stale: ['older'] });
  });

  it("puts back a clock's alarm of its current run; settles one of a paused or stopped clock, of an earlier run, or of no clock it has", () => {
    const alarm = (id: string, slaClockId: string, createdAt: Date) => deadline(id, { kind: 'sla', slaClockId, name: 'breach', sendId: `clock.${slaClockId}`, createdAt });
    const clocks = [clock('running', 'running', runStart), clock('paused', 'paused', null), clock('met', 'met', null)];
    const verdicts = judgeFailedDeadlines(
      [
        alarm('current', 'running', runStart),
        alarm('earlier-run', 'running', before),
        alarm('of-paused', 'paused', after),
        alarm('of-met', 'met', after),
        alarm('no-clock', 'gone', after),
      ],
      { live: [], clocks, listensFor: listensForAll },
    );
    expect(idsOf(verdicts)).toEqual({ putBack: ['current'], stale: ['earlier-run', 'of-paused', 'of-met', 'no-clock'] });
  });

  it("keeps a window's reminder while the window is open or put back by the same redrive, and settles it otherwise", () => {
    const reminder = (id: string, windowId: string) =>
      deadline(id, { kind: 'sla', name: 'customer-reminder', sendId: `window.${windowId}`, event: { type: 'INFO_REPLY_REMINDER' } });
    const openWindow = deadline('open-window', { status: 'pending' });
    const failedWindow = deadline('failed-window');
    const staleWindow = deadline('stale-window', { event: { type: 'no longer heard' } });
    const verdicts = judgeFailedDeadlines(
      [
        reminder('of-open', 'open-window'),
        failedWindow,
        reminder('of-put-back', 'failed-window'),
        staleWindow,
        reminder('of-stale', 'stale-window'),
        reminder('of-closed', 'closed-window'),
      ],
      { live: [openWindow], clocks: [], listensFor: (event) => event.type !== 'no longer heard' },
    );
    expect(idsOf(verdicts)).toEqual({ putBack: ['of-open', 'failed-window', 'of-put-back'], stale: ['stale-window', 'of-stale', 'of-closed'] });
  });
});
