import type { CaseKind, Channel, Priority, SecurityReport } from '../cases/case-kind';
import { PRIORITIES } from '../cases/case-kind';
import { ALWAYS_ON_CALENDAR } from '../calendar/always-on';
import { DEFAULT_BUSINESS_CALENDAR } from '../calendar/prc-holidays';

/** How a target is measured: wall-clock minutes, or working minutes of the policy's calendar. */
export type SlaMode = 'calendar' | 'business';

export interface SlaTarget {
  minutes: number;
  mode: SlaMode;
}

/** The clocks the engine runs on every case a policy matches. */
export const SLA_CLOCK_TARGETS = ['firstResponse', 'resolution'] as const;
export type SlaClockTarget = (typeof SLA_CLOCK_TARGETS)[number];

/**
 * The machine deadlines whose length the policy sets: `after` delays of the same name get their
 * due time from the policy (in business time where the policy says so) instead of the default.
 */
export const SLA_WINDOW_TARGETS = {
  merchantResponse: 'merchantResponseWindow',
  customerReply: 'infoReplyWindow',
} as const;
export type SlaWindowTarget = keyof typeof SLA_WINDOW_TARGETS;

/** A reminder before a clock's breach: at a share of the target used up, or some minutes before. */
export type SlaReminderRule = { kind: 'fraction'; fraction: number } | { kind: 'before'; minutes: number };

/** Facets a policy matches on; each one given must accept the case (an empty or absent one accepts all). */
export interface SlaPolicyFacets {
  kinds?: CaseKind[];
  priorities?: Priority[];
  channels?: Channel[];
  /** account_security cases opened for one of these reports (other kinds never match a policy that sets it). */
  securityReports?: SecurityReport[];
}

export interface SlaPolicyMatch extends SlaPolicyFacets {
  /** Alternatives: when given, at least one of them must accept the case as well (e.g. urgent priority, or a stolen account). */
  anyOf?: SlaPolicyFacets[];
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** Lower first; the first policy whose match accepts the case wins. */
  position: number;
  match: SlaPolicyMatch;
  calendarId: string;
  targets: Partial<Record<SlaClockTarget | SlaWindowTarget, SlaTarget>>;
  reminders: SlaReminderRule[];
}

export interface SlaCaseFacts {
  kind: CaseKind;
  priority: Priority;
  channel: Channel;
  /** What an account_security case was opened for (see `securityReportOf`). */
  securityReport?: SecurityReport | null;
}

function facetsAccept(facets: SlaPolicyFacets, facts: SlaCaseFacts): boolean {
  const { kinds, priorities, channels, securityReports } = facets;
  return (
    (!kinds?.length || kinds.includes(facts.kind)) &&
    (!priorities?.length || priorities.includes(facts.priority)) &&
    (!channels?.length || channels.includes(facts.channel)) &&
    (!securityReports?.length || (facts.securityReport != null && securityReports.includes(facts.securityReport)))
  );
}

export function policyMatches(policy: Pick<SlaPolicy, 'match'>, facts: SlaCaseFacts): boolean {
  const { anyOf, ...facets } = policy.match;
  return facetsAccept(facets, facts) && (!anyOf?.length || anyOf.some((alternative) => facetsAccept(alternative, facts)));
}

/** Ordered, first match wins; undefined when no policy applies (the case then runs without SLA clocks). */
export function matchPolicy<P extends Pick<SlaPolicy, 'match' | 'position'>>(policies: readonly P[], facts: SlaCaseFacts): P | undefined {
  return [...policies].sort((a, b) => a.position - b.position).find((policy) => policyMatches(policy, facts));
}

/** Escalation raises priority one step (an urgent case stays urgent). */
export function escalatedPriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)]!;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** The business calendars `db:migrate` ships; the default policies run on them. */
export const DEFAULT_BUSINESS_CALENDARS = [DEFAULT_BUSINESS_CALENDAR, ALWAYS_ON_CALENDAR] as const;

/**
 * Seeded defaults: urgent cases and stolen accounts around the clock; disputes get the
 * card-network style windows; everything else office hours.
 */
export const DEFAULT_SLA_POLICIES: ReadonlyArray<SlaPolicy> = [
  {
    id: 'urgent',
    name: 'Urgent and account security',
    position: 10,
    // A stolen account is urgent whatever priority it was opened with; a forgotten password is not.
    match: { anyOf: [{ priorities: ['urgent'] }, { kinds: ['account_security'], securityReports: ['stolen_account'] }] },
    calendarId: ALWAYS_ON_CALENDAR.id,
    targets: {
      firstResponse: { minutes: 30, mode: 'calendar' },
      resolution: { minutes: 8 * HOUR, mode: 'business' },
    },
    reminders: [
      { kind: 'fraction', fraction: 0.5 },
      { kind: 'fraction', fraction: 0.8 },
      { kind: 'before', minutes: 10 },
    ],
  },
  {
    id: 'disputes',
    name: 'Disputes',
    position: 20,
    match: { kinds: ['dispute'] },
    calendarId: DEFAULT_BUSINESS_CALENDAR.id,
    targets: {
      firstResponse: { minutes: 4 * HOUR, mode: 'business' },
      resolution: { minutes: 10 * 8 * HOUR, mode: 'business' },
      merchantResponse: { minutes: 7 * DAY, mode: 'calendar' },
      customerReply: { minutes: 5 * DAY, mode: 'calendar' },
    },
    reminders: [
      { kind: 'fraction', fraction: 0.5 },
      { kind: 'fraction', fraction: 0.8 },
      { kind: 'before', minutes: HOUR },
    ],
  },
  {
    id: 'standard',
    name: 'Standard support',
    position: 100,
    match: {},
    calendarId: DEFAULT_BUSINESS_CALENDAR.id,
    targets: {
      firstResponse: { minutes: 8 * HOUR, mode: 'business' },
      resolution: { minutes: 5 * 8 * HOUR, mode: 'business' },
      customerReply: { minutes: 3 * DAY, mode: 'calendar' },
    },
    reminders: [
      { kind: 'fraction', fraction: 0.5 },
      { kind: 'fraction', fraction: 0.8 },
      { kind: 'before', minutes: HOUR },
    ],
  },
];
