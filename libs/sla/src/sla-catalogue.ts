import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BusinessCalendarEntity, SlaPolicyEntity } from '@app/db';
import { matchPolicy, type BusinessCalendar, type SlaCaseFacts, type SlaPolicy } from '@app/domain';

/** How long policies and calendars are cached in the process; an edit is seen by every process within about this. */
const CACHE_MS = 5_000;

export interface SlaContext {
  policy: SlaPolicy;
  calendar: BusinessCalendar;
}

interface Snapshot {
  at: number;
  policies: (SlaPolicy & { active: boolean })[];
  calendars: Map<string, BusinessCalendar>;
}

/**
 * Policies and calendars are read on every command; they change rarely, so each process keeps
 * them for a few seconds instead of querying twice per transition.
 *
 * Commands read the catalogue inside their transaction, holding a pool connection, and a reload
 * needs a second one. If commands waited for reloads, a burst of commands as large as the pool would
 * hold every connection while waiting for one more: the pool starves and every request times out
 * (measured: 0 transitions/s at 32 clients once the cache expired). So a command never waits for a
 * reload: the catalogue is read once at start-up, an expired copy is still served while one
 * reload (at most) runs in the background, and the process that edits a policy or a calendar
 * reloads it itself, after its commit, before it answers.
 */
@Injectable()
export class SlaCatalogue implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaCatalogue.name);
  private cached: Snapshot | undefined;
  private refreshing: Promise<Snapshot> | undefined;

  constructor(private readonly em: EntityManager) {}

  async onApplicationBootstrap(): Promise<void> {
    // Best effort: a process that starts while PostgreSQL is down still starts (its readiness says
    // so); the first command then reads the catalogue itself.
    await this.reload().catch((error: unknown) => this.logger.warn(`SLA policies and calendars not read at start-up: ${String(error)}`));
  }

  /**
   * Reads policies and calendars now. Called after an edit commits, so this process's next command
   * sees it; a read that started before the commit is not reused, it could miss the edit.
   */
  async reload(): Promise<void> {
    this.cached = await this.read();
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
    // Only before the start-up read has succeeded does a caller wait, and then all callers share one read.
    const snapshot = this.cached ?? (this.cached = await this.sharedRead());
    if (Date.now() - snapshot.at > CACHE_MS) this.refreshInBackground();
    const policies = includeInactive ? snapshot.policies : snapshot.policies.filter((policy) => policy.active);
    return { policies, calendars: snapshot.calendars };
  }

  private refreshInBackground(): void {
    if (this.refreshing) return;
    this.sharedRead().then(
      (snapshot) => {
        if (!this.cached || snapshot.at > this.cached.at) this.cached = snapshot;
      },
      // The expired copy keeps serving; the next command after CACHE_MS tries again.
      (error: unknown) => this.logger.warn(`SLA policies and calendars not reloaded: ${String(error)}`),
    );
  }

  private sharedRead(): Promise<Snapshot> {
    this.refreshing ??= this.read().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async read(): Promise<Snapshot> {
    const em = this.em.fork();
    const at = Date.now();
    // One after the other: one pool connection, not two.
    const policyRows = await em.find(SlaPolicyEntity, {});
    const calendarRows = await em.find(BusinessCalendarEntity, {});
    return {
      at,
      policies: policyRows.map((row) => ({ ...toPolicy(row), active: row.active })),
      calendars: new Map(calendarRows.map((row) => [row.id, row.definition])),
    };
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
