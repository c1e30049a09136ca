import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { BusinessCalendarEntity, SlaPolicyEntity } from '@app/db';
import { matchPolicy, type BusinessCalendar, type SlaCaseFacts, type SlaPolicy } from '@app/domain';

/** How long policies and calendars are cached in the process; an edit is seen by every process within this. */
const CACHE_MS = 5_000;

export interface SlaContext {
  policy: SlaPolicy;
  calendar: BusinessCalendar;
}

/**
 * Policies and calendars are read on every command; they change rarely, so each process keeps
 * them for a few seconds instead of querying twice per transition.
 */
@Injectable()
export class SlaCatalogue {
  private cached: { at: number; policies: SlaPolicy[]; calendars: Map<string, BusinessCalendar> } | undefined;

  constructor(private readonly em: EntityManager) {}

  invalidate(): void {
    this.cached = undefined;
  }

  async forFacts(facts: SlaCaseFacts): Promise<SlaContext | undefined> {
    const { policies, calendars } = await this.load();
    const policy = matchPolicy(policies, facts);
    const calendar = policy && calendars.get(policy.calendarId);
    return policy && calendar ? { policy, calendar } : undefined;
  }

  async forPolicy(policyId: string | null): Promise<SlaContext | undefined> {
    if (!policyId) return undefined;
    const { policies, calendars } = await this.load(true);
    const policy = policies.find((p) => p.id === policyId);
    const calendar = policy && calendars.get(policy.calendarId);
    return policy && calendar ? { policy, calendar } : undefined;
  }

  async calendar(id: string): Promise<BusinessCalendar | undefined> {
    return (await this.load()).calendars.get(id);
  }

  /** `includeInactive`: a case keeps the policy it matched even after the policy is switched off. */
  private async load(includeInactive = false): Promise<{ policies: SlaPolicy[]; calendars: Map<string, BusinessCalendar> }> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const em = this.em.fork();
      const [policyRows, calendarRows] = await Promise.all([em.find(SlaPolicyEntity, {}), em.find(BusinessCalendarEntity, {})]);
      this.cached = {
        at: Date.now(),
        policies: policyRows.map((row) => ({ ...toPolicy(row), active: row.active }) as SlaPolicy & { active: boolean }),
        calendars: new Map(calendarRows.map((row) => [row.id, row.definition])),
      };
    }
    const policies = includeInactive ? this.cached.policies : this.cached.policies.filter((policy) => (policy as SlaPolicy & { active: boolean }).active);
    return { policies, calendars: this.cached.calendars };
  }
}

export function toPolicy(row: SlaPolicyEntity): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    match: row.match,
    calendarId: row.calendarId,
    targets: row.targets,
    reminders: row.reminders,
  };
}
