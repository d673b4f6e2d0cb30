import { describe, expect, test } from 'vitest';
import {
  apiValue,
  canEditCell,
  inputValue,
  sameValue,
  sendInParts,
} from '../../web/src/pages/table/edits';

describe('values between the API and the inputs', () => {
  test('money goes to the input as amount and currency; an emptied input clears', () => {
    const revenue = { name: 'revenue', type: 'currency' };
    expect(inputValue(revenue, { amount_minor: 1250, amount: '12.50', currency: 'EUR' })).toEqual({
      amount: '12.50',
      currency: 'EUR',
    });
    expect(inputValue({ name: 'city', type: 'text' }, undefined)).toBeNull();
    expect(apiValue('')).toBeNull();
    expect(apiValue([])).toBeNull();
    expect(apiValue(0)).toBe(0);
    expect(apiValue(false)).toBe(false);
  });

  test('a record already holding the value does not count as a change', () => {
    const money = { name: 'revenue', type: 'currency' };
    const stored = { amount_minor: 120050, amount: '1200.50', currency: 'EUR' };
    expect(sameValue(money, stored, { amount: '1200.5', currency: 'EUR' })).toBe(true);
    expect(sameValue(money, stored, { amount: '1200.5', currency: 'USD' })).toBe(false);
    expect(sameValue(money, null, null)).toBe(true);
    expect(sameValue(money, stored, null)).toBe(false);
    expect(sameValue({ name: 'margin', type: 'decimal' }, '1.50', '1.5')).toBe(true);
    expect(sameValue({ name: 'tags', type: 'multi_select' }, ['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue({ name: 'tags', type: 'multi_select' }, [], null)).toBe(true);
    expect(sameValue({ name: 'city', type: 'text' }, 'Berlin', 'Berlin')).toBe(true);
    expect(sameValue({ name: 'city', type: 'text' }, 'Berlin', '')).toBe(false);
    expect(sameValue({ name: 'city', type: 'text' }, null, '')).toBe(true);
  });
});

describe('which cells are editable', () => {
  const city = { name: 'city', type: 'text', is_system: false, read_only: false, writable: true };
  const all = { access: { update: 'all' } };
  test('bookkeeping, read-only, computed and unwritable fields are not', () => {
    expect(canEditCell(all, city, {}, 'me')).toBe(true);
    expect(canEditCell(all, { ...city, is_system: true }, {}, 'me')).toBe(false);
    expect(canEditCell(all, { ...city, read_only: true }, {}, 'me')).toBe(false);
    expect(canEditCell(all, { ...city, type: 'computed' }, {}, 'me')).toBe(false);
    expect(canEditCell(all, { ...city, writable: false }, {}, 'me')).toBe(false);
  });
  test("nor are records the role may not update: none, or someone else's under 'own'", () => {
    expect(canEditCell({ access: { update: 'none' } }, city, {}, 'me')).toBe(false);
    expect(canEditCell({ access: { update: 'own' } }, city, { owner_id: 'me' }, 'me')).toBe(true);
    expect(canEditCell({ access: { update: 'own' } }, city, { owner_id: 'you' }, 'me')).toBe(false);
    expect(canEditCell({ access: { update: 'team' } }, city, { owner_id: 'you' }, 'me')).toBe(true);
  });
});

describe('sending many updates in parts', () => {
  const ops = Array.from({ length: 2500 }, (_, i) => ({ id: `r${i}` }));

  test('2,500 updates go in parts of 1,000, 1,000 and 500', async () => {
    const sizes: number[] = [];
    const out = await sendInParts(
      ops,
      async (part) => {
        sizes.push(part.length);
        return part;
      },
      () => undefined,
    );
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(out).toMatchObject({ done: 2500, total: 2500, parts: 3, left: 0 });
    expect(out.failed).toBeUndefined();
    expect(out.saved).toHaveLength(2500);
  });

  test('a failing part stops the rest and says exactly what was saved', async () => {
    let calls = 0;
    const out = await sendInParts(
      ops,
      async (part) => {
        calls += 1;
        if (calls === 2) throw Object.assign(new Error('stale'), { index: 17 });
        return part;
      },
      (err) => (err as { index: number }).index,
    );
    expect(calls).toBe(2);
    expect(out).toMatchObject({ done: 1000, total: 2500, parts: 1, left: 500 });
    expect(out.failed).toMatchObject({ part: 2, op: { id: 'r1017' } });
    expect(out.saved).toHaveLength(1000);
  });
});
