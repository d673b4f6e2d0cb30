import { nextDocumentNumber } from '../../core/documents/numbering';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import { isCurrencyCode } from '../../core/metadata/money';
import type { RecordHooks } from '../../core/records/hooks';
import type { DocumentKind } from './documents';

/** Fields that decide what a document is worth or where its stock comes from: fixed after draft. */
const FIXED_AFTER_DRAFT = ['company_id', 'currency', 'price_list_id', 'warehouse_id', 'freight'];

/**
 * A quote's or order's own rules: a number and the draft state on creation, a real currency that
 * every amount on it shares, and no change to what it is worth once it has left the draft.
 */
export function documentRules(kind: DocumentKind): RecordHooks {
  return {
    async beforeWrite(ctx, e) {
      const errors: ErrorDetail[] = [];
      if (e.action === 'create') {
        // Module code (a conversion, an import) may create a document in a later state.
        if (e.values.status === undefined) e.values.status = 'draft';
        if (e.values.number === undefined)
          e.values.number = await nextDocumentNumber(ctx, kind.prefix);
        if (e.values[kind.dateField] === undefined)
          e.values[kind.dateField] = ctx.k.clock.now().toISOString().slice(0, 10);
      }
      const currency = (e.values.currency ?? e.before?.currency) as string | undefined;
      if (
        e.values.currency !== undefined &&
        !(/^[A-Z]{3}$/.test(String(currency)) && isCurrencyCode(String(currency)))
      )
        errors.push({ path: 'currency', message: 'must be an ISO 4217 code like EUR' });
      const freight = e.values.freight as { currency: string } | null | undefined;
      if (freight && currency && freight.currency !== currency)
        errors.push({
          path: 'freight.currency',
          message: `must be ${currency}, the currency of the ${kind.label}`,
        });
      if (
        e.before &&
        e.values.currency !== undefined &&
        e.values.currency !== e.before.currency &&
        !freight &&
        e.before.freight
      )
        errors.push({
          path: 'freight.currency',
          message: `must be ${currency}, the currency of the ${kind.label}`,
        });
      const date = (e.values[kind.dateField] ?? e.before?.[kind.dateField]) as string | null;
      const validUntil = (e.values.valid_until ?? e.before?.valid_until) as string | null;
      if (
        (e.values.valid_until !== undefined || e.values[kind.dateField] !== undefined) &&
        date &&
        validUntil &&
        validUntil < date
      )
        errors.push({ path: 'valid_until', message: `must not be before the ${kind.label} date` });
      if (errors.length) throw validationError(errors);

      if (e.action !== 'update' || !e.before || e.options.system) return;
      if (e.before.status !== 'draft') {
        const fixed = FIXED_AFTER_DRAFT.filter((f) => e.values[f] !== undefined);
        if (fixed.length)
          throw new AppError(
            'conflict',
            `The ${kind.label} ${String(e.before.number)} is ${String(e.before.status)}; only a draft can change what it is worth`,
            fixed.map((f) => ({
              path: f,
              message: `is fixed once the ${kind.label} leaves draft`,
            })),
          );
      }
      if (e.values.currency !== undefined && e.values.currency !== e.before.currency) {
        const lines = ctx.k.meta.get(kind.lines);
        const one = await ctx.db
          .selectFrom(lines.table)
          .select('id')
          .where(kind.via, '=', e.before.id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (one)
          throw validationError([
            {
              path: 'currency',
              message: `cannot change while the ${kind.label} has lines priced in ${String(e.before.currency)}`,
            },
          ]);
      }
    },
  };
}
