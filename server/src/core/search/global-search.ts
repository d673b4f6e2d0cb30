import { grantFor } from '../permissions/grants';
import { canReadField } from '../permissions/scope';
import type { RecordContext } from '../kontor';
import { AppError } from '../errors';
import { listRecords } from '../records/read';
import { isSearchable } from './search-index';

export interface SearchHit {
  object: string;
  label: string;
  id: string;
  title: string;
}

/** Searches every object the reader may read, a few hits each, through the same list path. */
export async function globalSearch(
  ctx: RecordContext,
  q: unknown,
  perObject = 5,
): Promise<SearchHit[]> {
  if (typeof q !== 'string' || !q.trim() || q.length > 200) {
    throw new AppError('validation', 'Invalid search', [
      { path: 'q', message: 'must be a text of 1 to 200 characters' },
    ]);
  }
  const hits: SearchHit[] = [];
  for (const object of ctx.k.meta.all()) {
    if (!isSearchable(object) || grantFor(ctx.actor.role, object.name).read === 'none') continue;
    if (!canReadField(ctx.actor, object, object.titleField)) continue;
    const page = await listRecords(ctx, object, {
      q,
      limit: String(perObject),
      fields: object.titleField,
      sort: '-updated_at',
    });
    for (const r of page.data) {
      hits.push({
        object: object.name,
        label: object.labelSingular,
        id: r.id,
        title: String(r[object.titleField] ?? ''),
      });
    }
  }
  return hits;
}
