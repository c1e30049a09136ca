import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { durationParts } from '../lib/sla';
import { formatMoney } from '../lib/money';
import { en, type Dictionary, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Record<Locale, { dictionary: Dictionary; name: string }> = {
  'zh-CN': { dictionary: zhCN, name: '中文' },
  en: { dictionary: en, name: 'English' },
};
const STORAGE_KEY = 'admin.locale';

/** The saved choice, else the browser's first language that we speak, else Chinese. */
export function initialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch {
    // Private mode without storage: fall back to the browser language.
  }
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const language of languages) {
    if (/^zh\b/i.test(language)) return 'zh-CN';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'zh-CN';
}

export type Vars = Record<string, string | number>;

function interpolate(text: string, vars?: Vars): string {
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}

/** A machine name we have no translation for: "awaitingMerchantInfo" → "awaiting merchant info". */
function humanise(name: string): string {
  return name
    .replace(/[_.]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: Vars): string;
  kind(kind: string): string;
  channel(channel: string): string;
  priority(priority: string): string;
  reason(reason: string): string;
  /** A dotted state path: the innermost state's name, with its parent's for nested states. */
  state(path: string): string;
  event(type: string, fallback?: string): string;
  deadline(name: string, fallback?: string): string;
  /** An outbox effect's type; one the dictionary lacks shows as it is (as /metrics labels it). */
  effect(type: string): string;
  field(name: string): string;
  money(amountMinor: number, currency: string): string;
  dateTime(iso: string): string;
  duration(ms: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function pick(map: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export function createI18n(locale: Locale, setLocale: (locale: Locale) => void = () => undefined): I18n {
  const dictionary = LOCALES[locale].dictionary;
  const t = (key: MessageKey, vars?: Vars) => interpolate(dictionary.messages[key], vars);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const stateName = (key: string) => pick(dictionary.states, key) ?? humanise(key);
  return {
    locale,
    setLocale,
    t,
    kind: (kind) => pick(dictionary.kinds, kind) ?? humanise(kind),
    channel: (channel) => pick(dictionary.channels, channel) ?? humanise(channel),
    priority: (priority) => pick(dictionary.priorities, priority) ?? humanise(priority),
    reason: (reason) => pick(dictionary.reasons, reason) ?? reason,
    state: (path) => {
      const keys = path.split('.');
      return keys.length > 1 ? `${stateName(keys[keys.length - 2]!)} · ${stateName(keys[keys.length - 1]!)}` : stateName(path);
    },
    event: (type, fallback) => pick(dictionary.events, type) ?? fallback ?? humanise(type),
    deadline: (name, fallback) => pick(dictionary.deadlines, name) ?? fallback ?? humanise(name),
    effect: (type) => pick(dictionary.effects, type) ?? type,
    field: (name) => pick(dictionary.fields, name) ?? humanise(name),
    money: (amountMinor, currency) => formatMoney(amountMinor, currency, locale),
    dateTime: (iso) => dateFormat.format(new Date(iso)),
    duration: (ms) =>
      durationParts(ms)
        .map(([unit, n]) => t(`unit.${unit}`, { n }))
        .join(locale === 'en' ? ' ' : ''),
  };
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not saved; the switch still applies to this tab.
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo(() => createI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider');
  return value;
}
