import { validationError } from '../../core/errors';
import type { RecordHooks } from '../../core/records/hooks';

/** Keeps `full_name` as "first last" for objects that name a person. */
export const fullNameHook: RecordHooks = {
  async beforeWrite(_ctx, e) {
    // A person needs something to be found by: a name, an e-mail or a phone number.
    const has = (k: string) => {
      const v = e.values[k] !== undefined ? e.values[k] : e.before?.[k];
      return typeof v === 'string' && v.trim() !== '';
    };
    if (!['first_name', 'last_name', 'email', 'phone', 'mobile', 'company_name'].some(has)) {
      throw validationError([
        { path: 'last_name', message: 'give a name, an e-mail or a phone number' },
      ]);
    }
    if (e.values.first_name === undefined && e.values.last_name === undefined) return;
    const pick = (k: string) =>
      (e.values[k] !== undefined ? e.values[k] : e.before?.[k]) as string | null;
    const name = [pick('first_name'), pick('last_name')].filter(Boolean).join(' ');
    e.values.full_name = name || null;
  },
};
