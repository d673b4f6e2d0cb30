import type { RecordHooks } from '../../core/records/hooks';

/** Keeps `full_name` as "first last" for objects that name a person. */
export const fullNameHook: RecordHooks = {
  async beforeWrite(_ctx, e) {
    if (e.values.first_name === undefined && e.values.last_name === undefined) return;
    const pick = (k: string) =>
      (e.values[k] !== undefined ? e.values[k] : e.before?.[k]) as string | null;
    const name = [pick('first_name'), pick('last_name')].filter(Boolean).join(' ');
    e.values.full_name = name || null;
  },
};
