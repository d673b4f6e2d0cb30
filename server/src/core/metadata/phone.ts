import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const COUNTRY_BY_NAME = new Map<string, CountryCode>();
{
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  for (const code of getCountries()) {
    const name = names.of(code);
    if (name) COUNTRY_BY_NAME.set(name.toLowerCase(), code);
    COUNTRY_BY_NAME.set(code.toLowerCase(), code);
  }
  const aliases: Record<string, CountryCode> = {
    usa: 'US',
    'united states of america': 'US',
    uk: 'GB',
    'great britain': 'GB',
    england: 'GB',
    holland: 'NL',
  };
  for (const [k, v] of Object.entries(aliases)) COUNTRY_BY_NAME.set(k, v);
}

/** The ISO code of a country written as a name or a code ("Germany", "UK", "de"), if known. */
export function countryCode(name: string | null | undefined): CountryCode | undefined {
  if (!name) return undefined;
  return COUNTRY_BY_NAME.get(name.trim().toLowerCase());
}

/** The E.164 form of a phone number as typed, or null when it cannot be read as one. */
export function toE164(typed: string, region?: string): string | null {
  const parsed = parsePhoneNumberFromString(typed, region as CountryCode | undefined);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

const PHONE_CHARS = /^[+\d\s().\-/]*(\s*(ext\.?|x|#)\s*\d+)?$/i;

export function looksLikePhone(typed: string): boolean {
  return /\d/.test(typed) && PHONE_CHARS.test(typed);
}
