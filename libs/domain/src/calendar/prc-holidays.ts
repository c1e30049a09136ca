import type { BusinessCalendar, Holiday, MakeUpWorkday, WorkingSpan } from './business-calendar';
import { formatIsoDate, parseIsoDate } from './zoned-time';

/**
 * Mainland China's public holidays (法定节假日) and make-up working days (调休上班), one year at
 * a time. The State Council publishes each year's schedule, usually in November of the year
 * before; it is shipped here as data so a fresh install has a correct calendar, and calendars
 * stay editable through the API for the years that are announced after a release.
 */
export interface PublicHolidayYear {
  year: number;
  /**
   * True while the State Council has not announced the year's schedule: the data then holds only
   * the statutory holiday dates, without the bridge days and make-up working days the schedule
   * will add. Replace it (through the API) once the schedule is out.
   */
  provisional: boolean;
  /** Where the dates come from. */
  source: string;
  holidays: readonly Holiday[];
  makeUpWorkdays: readonly MakeUpWorkday[];
}

const NEW_YEAR = '元旦 New Year’s Day';
const SPRING_FESTIVAL = '春节 Spring Festival';
const QINGMING = '清明节 Qingming Festival';
const LABOUR_DAY = '劳动节 Labour Day';
const DRAGON_BOAT = '端午节 Dragon Boat Festival';
const MID_AUTUMN = '中秋节 Mid-Autumn Festival';
const NATIONAL_DAY = '国庆节 National Day';

function makeUp(date: string, holiday: string): MakeUpWorkday {
  return { date, name: `${holiday} — 调休上班 make-up working day` };
}

/** One Holiday per date from `from` to `to`, both included. */
function days(name: string, from: string, to: string = from): Holiday[] {
  const first = parseIsoDate(from);
  const last = parseIsoDate(to);
  if (first === undefined || last === undefined || last < first) throw new RangeError(`bad holiday range ${from}..${to}`);
  const holidays: Holiday[] = [];
  for (let day = first; day <= last; day++) holidays.push({ date: formatIsoDate(day), name });
  return holidays;
}

/**
 * 2026, as announced: 国务院办公厅关于2026年部分节假日安排的通知 (General Office of the State
 * Council, 4 November 2025, published by Xinhua the same day). Every day of each holiday period
 * is listed, weekends included, so a screen can show the whole break.
 *  - 元旦: 1 Jan (Thu) – 3 Jan (Sat); Sunday 4 Jan is worked.
 *  - 春节: 15 Feb (Sun, 腊月二十八) – 23 Feb (Mon, 正月初七); Saturdays 14 Feb and 28 Feb are worked.
 *  - 清明节: 4 Apr (Sat) – 6 Apr (Mon).
 *  - 劳动节: 1 May (Fri) – 5 May (Tue); Saturday 9 May is worked.
 *  - 端午节: 19 Jun (Fri) – 21 Jun (Sun).
 *  - 中秋节: 25 Sep (Fri) – 27 Sep (Sun).
 *  - 国庆节: 1 Oct (Thu) – 7 Oct (Wed); Sunday 20 Sep and Saturday 10 Oct are worked.
 */
export const PRC_PUBLIC_HOLIDAYS_2026: PublicHolidayYear = {
  year: 2026,
  provisional: false,
  source: '国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office, 2025-11-04)',
  holidays: [
    ...days(NEW_YEAR, '2026-01-01', '2026-01-03'),
    ...days(SPRING_FESTIVAL, '2026-02-15', '2026-02-23'),
    ...days(QINGMING, '2026-04-04', '2026-04-06'),
    ...days(LABOUR_DAY, '2026-05-01', '2026-05-05'),
    ...days(DRAGON_BOAT, '2026-06-19', '2026-06-21'),
    ...days(MID_AUTUMN, '2026-09-25', '2026-09-27'),
    ...days(NATIONAL_DAY, '2026-10-01', '2026-10-07'),
  ],
  makeUpWorkdays: [
    makeUp('2026-01-04', NEW_YEAR),
    makeUp('2026-02-14', SPRING_FESTIVAL),
    makeUp('2026-02-28', SPRING_FESTIVAL),
    makeUp('2026-05-09', LABOUR_DAY),
    makeUp('2026-09-20', NATIONAL_DAY),
    makeUp('2026-10-10', NATIONAL_DAY),
  ],
};

/**
 * 2027 — PROVISIONAL, edit when the State Council announces the 2027 schedule (expected around
 * November 2026). Until then only the statutory holidays of 全国年节及纪念日放假办法 (as revised
 * in 2024, in force since 2025: New Year 1 day, Spring Festival 4 days from 除夕, Qingming 1,
 * Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3) are listed, on the dates of the
 * Chinese calendar. Not yet here, because the announcement decides them: the weekdays off that
 * make up for statutory days falling on a weekend (Spring Festival 6–7 Feb, Labour Day 1–2 May
 * and National Day 2–3 Oct 2027 are weekend days), the bridge days of the long breaks and the
 * make-up working days. So 2027 deadlines computed with this data can fall earlier than they will
 * under the real schedule.
 *  - 元旦: 1 Jan (Fri).
 *  - 春节: 除夕 5 Feb (Fri, 腊月二十九) to 正月初三 8 Feb (Mon). Published almanacs put 正月初一 on
 *    Saturday 6 Feb 2027 (the new moon falls minutes before Beijing midnight); ICU's Chinese
 *    calendar (Intl, ICU 78) says 7 Feb, which is why these dates are data, not computed.
 *  - 清明节: 5 Apr (Mon).
 *  - 劳动节: 1–2 May (Sat–Sun).
 *  - 端午节: 9 Jun (Wed, 五月初五).
 *  - 中秋节: 15 Sep (Wed, 八月十五).
 *  - 国庆节: 1–3 Oct (Fri–Sun).
 */
export const PRC_PUBLIC_HOLIDAYS_2027: PublicHolidayYear = {
  year: 2027,
  provisional: true,
  source: 'Provisional: statutory days of 全国年节及纪念日放假办法 (2024 revision) on the 2027 Chinese calendar; schedule not yet announced',
  holidays: [
    ...days(NEW_YEAR, '2027-01-01'),
    ...days(SPRING_FESTIVAL, '2027-02-05', '2027-02-08'),
    ...days(QINGMING, '2027-04-05'),
    ...days(LABOUR_DAY, '2027-05-01', '2027-05-02'),
    ...days(DRAGON_BOAT, '2027-06-09'),
    ...days(MID_AUTUMN, '2027-09-15'),
    ...days(NATIONAL_DAY, '2027-10-01', '2027-10-03'),
  ],
  makeUpWorkdays: [],
};

export const PRC_PUBLIC_HOLIDAYS: readonly PublicHolidayYear[] = [PRC_PUBLIC_HOLIDAYS_2026, PRC_PUBLIC_HOLIDAYS_2027];

/**
 * The standard mainland office day: 09:00–12:00 and 13:00–18:00, eight working hours with an
 * hour's lunch break. Eight hours makes "one business day" 480 business minutes, the statutory
 * working day (国务院关于职工工作时间的规定), and a request that arrives over lunch waits for the
 * afternoon, as it does for the agents who answer it.
 */
export const PRC_STANDARD_WORKDAY_HOURS: readonly WorkingSpan[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];

/** The calendar an SLA uses unless it names another: Beijing time, Monday to Friday, PRC holidays. */
export const DEFAULT_BUSINESS_CALENDAR: Readonly<BusinessCalendar> = deepFreeze<BusinessCalendar>({
  id: 'prc-default',
  name: '中国大陆工作日 Mainland China working days',
  timeZone: 'Asia/Shanghai',
  weeklyHours: {
    1: PRC_STANDARD_WORKDAY_HOURS,
    2: PRC_STANDARD_WORKDAY_HOURS,
    3: PRC_STANDARD_WORKDAY_HOURS,
    4: PRC_STANDARD_WORKDAY_HOURS,
    5: PRC_STANDARD_WORKDAY_HOURS,
    6: [],
    7: [],
  },
  holidays: PRC_PUBLIC_HOLIDAYS.flatMap((year) => year.holidays),
  makeUpWorkdays: PRC_PUBLIC_HOLIDAYS.flatMap((year) => year.makeUpWorkdays),
  schedules: PRC_PUBLIC_HOLIDAYS.map((year) => ({ year: year.year, status: year.provisional ? 'provisional' : 'confirmed', source: year.source })),
});

deepFreeze(PRC_PUBLIC_HOLIDAYS);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
