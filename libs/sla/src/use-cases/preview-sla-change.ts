import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { SlaClockEntity } from '@app/db';
import {
  DomainError,
  DomainErrorCode,
  assertValidBusinessCalendar,
  dueAtOf,
  minutesLeftAt,
  parseSlaPolicyInput,
  type BusinessCalendar,
  type SlaClockState,
  type SlaTarget,
} from '@app/domain';
import { SlaCatalogue } from '../sla-catalogue';

export interface SlaChangePreview {
  caseId: string;
  target: string;
  status: 'running' | 'paused';
  currentDueAt: string | null;
  draftDueAt: string | null;
  currentMinutesLeft: number;
  draftMinutesLeft: number | null;
  /** earlier | later | unchanged | untracked (the draft drops this target) */
  effect: 'earlier' | 'later' | 'unchanged' | 'untracked';
  /** Overdue under the draft but not now. */
  wouldBreachNow: boolean;
}

/**
 * Policy what-if: for every open case whose SLA clocks use the draft's policy (or calendar), what
 * its deadlines would be had the draft been in force when the clocks started. Reads only.
 * (Saved policies apply to cases opened afterwards; this shows what a change would have meant
 * for today's workload.)
 */
@Injectable()
export class PreviewSlaChange {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(input: {
    policyId?: string;
    policy?: unknown;
    calendarId?: string;
    calendar?: unknown;
  }): Promise<{ items: SlaChangePreview[]; summary: Record<string, number>; truncated: boolean }> {
    const draftPolicy = input.policy !== undefined ? parseSlaPolicyInput(input.policy) : undefined;
    let draftCalendar: BusinessCalendar | undefined;
    if (input.calendar !== undefined) {
      const candidate = { ...(typeof input.calendar === 'object' && input.calendar ? input.calendar : {}), id: input.calendarId ?? '' };
      assertValidBusinessCalendar(candidate);
      draftCalendar = candidate;
    }
    if ((draftPolicy && !input.policyId) || (draftCalendar && !input.calendarId) || (!draftPolicy && !draftCalendar)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Give a draft policy with its policyId, or a draft calendar with its calendarId.', {
        fields: [{ path: draftPolicy || draftCalendar ? (draftPolicy ? 'policyId' : 'calendarId') : 'policy', message: 'required' }],
      });
    }
    const now = this.clock.now();
    const scope: Record<string, unknown>[] = [];
    if (draftPolicy) scope.push({ policyId: input.policyId });
    if (draftCalendar) scope.push({ calendarId: input.calendarId, mode: 'business' });
    const clocks = await this.em.fork().find(SlaClockEntity, { status: { $in: ['running', 'paused'] }, $or: scope }, { limit: PREVIEW_LIMIT + 1 });
    // Previews stay interactive: at most PREVIEW_LIMIT clocks, and the answer says when it stopped there.
    const truncated = clocks.length > PREVIEW_LIMIT;
    clocks.length = Math.min(clocks.length, PREVIEW_LIMIT);

    const items: SlaChangePreview[] = [];
    for (const clock of clocks) {
      const currentCalendar = await this.catalogue.calendar(clock.calendarId);
      if (!currentCalendar) continue;
      const calendar = draftCalendar && clock.calendarId === input.calendarId ? draftCalendar : currentCalendar;
      const draftTarget: SlaTarget | undefined =
        draftPolicy && clock.policyId === input.policyId ? draftPolicy.targets[clock.target] : { minutes: clock.minutes, mode: clock.mode };
      const current: SlaClockState = {
        target: { minutes: clock.minutes, mode: clock.mode },
        status: clock.status,
        usedMinutes: clock.usedMinutes,
        runningSince: clock.runningSince,
      };
      const currentDue = dueAtOf(current, currentCalendar);
      const currentLeft = minutesLeftAt(current, currentCalendar, now);
      if (!draftTarget) {
        items.push({
          caseId: clock.caseId,
          target: clock.target,
          status: clock.status as 'running' | 'paused',
          currentDueAt: currentDue?.toISOString() ?? null,
          draftDueAt: null,
          currentMinutesLeft: round(currentLeft),
          draftMinutesLeft: null,
          effect: 'untracked',
          wouldBreachNow: false,
        });
        continue;
      }
      // The time already used stays as measured; only what is left is planned with the draft.
      const draft: SlaClockState = { ...current, target: draftTarget };
      const draftDue = dueAtOf(draft, calendar);
      const draftLeft = minutesLeftAt(draft, calendar, now);
      const delta = draftLeft - currentLeft;
      items.push({
        caseId: clock.caseId,
        target: clock.target,
        status: clock.status as 'running' | 'paused',
        currentDueAt: currentDue?.toISOString() ?? null,
        draftDueAt: draftDue?.toISOString() ?? null,
        currentMinutesLeft: round(currentLeft),
        draftMinutesLeft: round(draftLeft),
        effect: Math.abs(delta) < 0.01 ? 'unchanged' : delta < 0 ? 'earlier' : 'later',
        wouldBreachNow: draftLeft < 0 && currentLeft >= 0,
      });
    }
    const summary = { clocks: items.length, earlier: 0, later: 0, unchanged: 0, untracked: 0, wouldBreachNow: 0 };
    for (const item of items) {
      summary[item.effect] += 1;
      if (item.wouldBreachNow) summary.wouldBreachNow += 1;
    }
    return { items, summary, truncated };
  }
}

const PREVIEW_LIMIT = 10_000;

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}
