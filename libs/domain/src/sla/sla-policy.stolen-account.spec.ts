import { ALWAYS_ON_CALENDAR } from '../calendar/always-on';
import { validateBusinessCalendar } from '../calendar/business-calendar';
import { addBusinessMinutes, businessMinutesBetween } from '../calendar/business-time';
import { securityReportOf } from '../cases/case-kind';
import { DEFAULT_BUSINESS_CALENDARS, DEFAULT_SLA_POLICIES, matchPolicy, policyMatches } from './sla-policy';
import { parseSlaPolicyInput } from './sla-policy.schema';

describe('the urgent default policy covers stolen accounts around the clock', () => {
  it('matches a stolen account at any priority, a forgotten password not, and urgent priority as before', () => {
    const open = (facts: Parameters<typeof matchPolicy>[1]) => matchPolicy(DEFAULT_SLA_POLICIES, facts)?.id;
    expect(open({ kind: 'account_security', priority: 'normal', channel: 'app', securityReport: 'stolen_account' })).toBe('urgent');
    expect(open({ kind: 'account_security', priority: 'low', channel: 'hotline', securityReport: 'forgotten_password' })).toBe('standard');
    expect(open({ kind: 'inquiry', priority: 'urgent', channel: 'chat' })).toBe('urgent');
    expect(open({ kind: 'dispute', priority: 'normal', channel: 'chat' })).toBe('disputes');
  });

  it('treats an account_security case opened without a report as a stolen account, and other kinds as having none', () => {
    expect(securityReportOf('account_security', undefined)).toBe('stolen_account');
    expect(securityReportOf('account_security', 'forgotten_password')).toBe('forgotten_password');
    expect(securityReportOf('dispute', undefined)).toBeNull();
  });

  it('runs on the shipped 24/7 calendar', () => {
    const urgent = DEFAULT_SLA_POLICIES.find((policy) => policy.id === 'urgent')!;
    expect(urgent.calendarId).toBe(ALWAYS_ON_CALENDAR.id);
    expect(DEFAULT_BUSINESS_CALENDARS.map((calendar) => calendar.id)).toEqual(['prc-default', 'always-on']);
    for (const policy of DEFAULT_SLA_POLICIES) expect(DEFAULT_BUSINESS_CALENDARS.map((calendar) => calendar.id)).toContain(policy.calendarId);
  });

  it('is a policy an admin could save through the API', () => {
    for (const policy of DEFAULT_SLA_POLICIES) {
      const { id: _id, ...input } = policy;
      expect(parseSlaPolicyInput(input).match).toEqual(policy.match);
    }
  });
});

describe('policy match alternatives (anyOf)', () => {
  const policy = { match: { channels: ['app' as const], anyOf: [{ priorities: ['high' as const] }, { kinds: ['inquiry' as const] }] } };

  it('needs the policy facets and at least one alternative', () => {
    expect(policyMatches(policy, { kind: 'dispute', priority: 'high', channel: 'app' })).toBe(true);
    expect(policyMatches(policy, { kind: 'inquiry', priority: 'low', channel: 'app' })).toBe(true);
    expect(policyMatches(policy, { kind: 'dispute', priority: 'low', channel: 'app' })).toBe(false);
    expect(policyMatches(policy, { kind: 'inquiry', priority: 'high', channel: 'chat' })).toBe(false);
  });

  it('never matches a security-report facet for a case without a report', () => {
    expect(policyMatches({ match: { securityReports: ['stolen_account'] } }, { kind: 'dispute', priority: 'normal', channel: 'app' })).toBe(false);
  });

  it('refuses an unknown report in a policy', () => {
    expect(() => parseSlaPolicyInput({ ...DEFAULT_SLA_POLICIES[0], id: undefined, match: { securityReports: ['lost_phone'] } })).toThrow('The SLA policy is invalid.');
  });
});

describe('the 24/7 calendar', () => {
  it('is valid and counts every minute, nights, weekends and public holidays included', () => {
    expect(validateBusinessCalendar(ALWAYS_ON_CALENDAR)).toEqual([]);
    const saturdayNight = new Date('2026-10-03T15:30:00Z'); // 23:30 in Shanghai, National Day holiday
    expect(addBusinessMinutes(ALWAYS_ON_CALENDAR, saturdayNight, 30)).toEqual(new Date('2026-10-03T16:00:00Z'));
    expect(addBusinessMinutes(ALWAYS_ON_CALENDAR, saturdayNight, 3 * 24 * 60)).toEqual(new Date('2026-10-06T15:30:00Z'));
    expect(businessMinutesBetween(ALWAYS_ON_CALENDAR, saturdayNight, new Date('2026-10-04T15:30:00Z'))).toBe(24 * 60);
  });
});
