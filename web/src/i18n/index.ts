import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { useMe } from '../api/hooks';
import * as board from './board';
import * as common from './common';
import * as documents from './documents';
import * as forms from './forms';
import * as record from './record';
import * as settings from './settings';
import * as shell from './shell';
import * as sla from './sla';
import * as stock from './stock';
import * as table from './table';
import * as tableEdit from './tableEdit';
import * as transfer from './transfer';
import * as webhooks from './webhooks';

/**
 * Every screen's words, one namespace per area (`web/src/i18n/<area>.ts`, English and Ukrainian
 * side by side). To add an area: write the file, then list it in both maps below.
 */
export const resources = {
  en: {
    board: board.en,
    common: common.en,
    documents: documents.en,
    forms: forms.en,
    record: record.en,
    settings: settings.en,
    shell: shell.en,
    sla: sla.en,
    stock: stock.en,
    table: table.en,
    tableEdit: tableEdit.en,
    transfer: transfer.en,
    webhooks: webhooks.en,
  },
  uk: {
    board: board.uk,
    common: common.uk,
    documents: documents.uk,
    forms: forms.uk,
    record: record.uk,
    settings: settings.uk,
    shell: shell.uk,
    sla: sla.uk,
    stock: stock.uk,
    table: table.uk,
    tableEdit: tableEdit.uk,
    transfer: transfer.uk,
    webhooks: webhooks.uk,
  },
} as const;

export type Language = keyof typeof resources;
export const LANGUAGES: { value: Language; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'uk', label: 'Українська' },
];

/** The BCP 47 locale that numbers, money and dates follow for each language. */
const LOCALES: Record<Language, string> = { en: 'en-US', uk: 'uk-UA' };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}

function browserLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('uk') ? 'uk' : 'en';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: browserLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  // React escapes what it renders; i18next must not escape it a second time.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function asLanguage(value: string | undefined | null): Language {
  return value === 'uk' ? 'uk' : value === 'en' ? 'en' : browserLanguage();
}

/** Switches every screen to a language at once (called when the signed-in user is known). */
export function setLanguage(language: Language) {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

/** The signed-in user's language, locale for numbers and dates, and time zone. */
export function useLocale() {
  const me = useMe();
  const { i18n: instance } = useTranslation();
  const language = asLanguage(me.data?.locale ?? instance.language);
  return {
    language,
    locale: LOCALES[language],
    timeZone: me.data?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

export { i18n };
