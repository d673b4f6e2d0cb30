import { beforeAll, describe, expect, test } from 'vitest';
import { actorForUser } from '../../server/src/core/auth/users';
import { AppError } from '../../server/src/core/errors';
import { inTransaction } from '../../server/src/core/kontor';
import {
  checkPaths,
  evaluate,
  loadScope,
  metadataChecker,
  parseExpression,
  parseTemplate,
  referencedPaths,
  renderTemplate,
  templateValue,
  type PathChecker,
} from '../../server/src/modules/automation/expressions';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('expressions over records on %s', (dialect) => {
  const s = serverFor(dialect);
  let dealId: string;
  let companyId: string;
  let stage: { id: string; name: string };
  let east: { key: string; id: string };
  let west: { key: string; id: string };
  let check: PathChecker;

  const errorsOf = (source: string) =>
    checkPaths(parseExpression(source), check).map((e) => e.message);

  beforeAll(async () => {
    // serverFor starts the server in its own beforeAll; the tests below are skipped without it.
    try {
      void s.kontor;
    } catch {
      return;
    }
    const partner = await s.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'partner',
      label: 'Partner',
      type: 'relation',
      target: 'companies',
    });
    expect(partner.status).toBe(201);
    east = await s.keyFor({
      email: 'east-expr@example.com',
      name: 'East Rep',
      role: 'Sales representative',
      team: 'East expr',
    });
    west = await s.keyFor({
      email: 'west-expr@example.com',
      name: 'West Rep',
      role: 'Sales representative',
      team: 'West expr',
    });
    const company = await s.call('POST', '/api/v1/companies', {
      name: 'Westwerk AG',
      city: 'Köln',
      owner_id: west.id,
    });
    companyId = company.body.id;
    const stages = await s.call('GET', '/api/v1/stages?filter[kind]=open&sort=position&limit=1');
    stage = stages.body.data[0];
    const deal = await s.call('POST', '/api/v1/deals', {
      name: 'Boiler plant',
      amount: { amount: '12500.00', currency: 'EUR' },
      stage_id: stage.id,
      company_id: companyId,
      partner: companyId,
      expected_close_date: '2026-04-30',
      owner_id: east.id,
    });
    expect(deal.status).toBe(201);
    dealId = deal.body.id;
    check = metadataChecker(s.kontor.meta, { record: 'deals' }, ['trigger']);
  });

  test('accepts paths to fields, money parts, related records and users', () => {
    for (const source of [
      'record.name',
      'record.amount > 1000',
      "record.amount.currency == 'EUR'",
      "record.stage.name == 'Won'",
      'record.stage.pipeline.name',
      'record.stage_id',
      'record.company.city',
      'record.partner.name',
      'record.partner',
      'record.owner.email',
      'record.created_by.name',
      'trigger.changes.stage_id',
      'days_between(today(), record.expected_close_date) < 7',
    ])
      expect(errorsOf(source), source).toEqual([]);
  });

  test('names an unknown field, object, function or name and where it is', () => {
    expect(errorsOf('record.amout > 5')).toEqual([
      "unknown field 'amout' on deals at 7 (did you mean amount?)",
    ]);
    expect(errorsOf("record.company.nmae == 'x'")).toEqual([
      "unknown field 'nmae' on companies at 15 (did you mean name?)",
    ]);
    expect(errorsOf('recrd.name')).toEqual(["unknown name 'recrd' at 0 (did you mean record?)"]);
    expect(errorsOf('record.stage_id.name')).toEqual([
      "'stage_id' on deals is an id at 7 (write stage.<field> to read the related record)",
    ]);
    expect(errorsOf('record.name.first')).toEqual([
      "'name' on deals is a text and has no fields at 7",
    ]);
    expect(errorsOf('record.amount.cents')).toEqual([
      "money has no field 'cents' at 14 (use amount, currency or amount_minor)",
    ]);
    expect(errorsOf('record.owner.password_hash')).toEqual([
      "unknown field 'password_hash' on users at 13",
    ]);
    expect(errorsOf('now > 1 or lowr(record.name)')).toEqual([
      "'now' is a function at 0 (write now())",
      "unknown function 'lowr' at 11 (did you mean lower?)",
    ]);
  });

  test('a root named in roots is checked even when extraRoots lists it too', () => {
    const items = metadataChecker(s.kontor.meta, { record: 'deals', item: 'tasks' }, [
      'trigger',
      'item',
    ]);
    expect(checkPaths(parseExpression('item.title + trigger.x'), items)).toEqual([]);
    expect(checkPaths(parseExpression('item.titel'), items).map((e) => e.message)).toEqual([
      "unknown field 'titel' on tasks at 5 (did you mean title?)",
    ]);
  });

  test('checks the paths of templates against metadata', () => {
    const t = parseTemplate('Deal {{ record.name }} at {{ record.stage.nam }}');
    expect(checkPaths(t, check).map((e) => e.message)).toEqual([
      "unknown field 'nam' on stages at 42 (did you mean name?)",
    ]);
  });

  test('loads the records the paths need and evaluates over them', async () => {
    const condition = parseExpression(
      "record.amount >= 12500 and record.stage.name == stage_name and record.company.city == 'Köln'",
    );
    const template = parseTemplate(
      '{{ record.name }} for {{ record.partner.name }}: {{ record.amount }}, owner {{ record.owner.name }}, close {{ record.expected_close_date }}',
    );
    const paths = [...referencedPaths(condition), ...referencedPaths(template)];
    const scope = await s.asSystem((ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: dealId } }, paths),
    );
    expect(scope.now).toBe('2026-03-02T10:00:00.000Z');
    expect(evaluate(condition, { ...scope, stage_name: stage.name })).toBe(true);
    expect(renderTemplate(template, scope)).toBe(
      'Boiler plant for Westwerk AG: 12500.00 EUR, owner East Rep, close 2026-04-30',
    );
    expect(templateValue(parseTemplate('{{ record.partner }}'), scope)).toBe(companyId);
    expect(evaluate(parseExpression('record.company_id == record.company'), scope)).toBe(true);
    expect(
      evaluate(parseExpression('days_between(today(), record.expected_close_date)'), scope),
    ).toBe(59);
  });

  test('a template that is one expression gives values the records engine takes', async () => {
    const scope = await s.asSystem((ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: dealId } }, [['record', 'amount']]),
    );
    const values = {
      amount: templateValue(parseTemplate('{{ record.amount * 2 }}'), scope),
      expected_close_date: templateValue(
        parseTemplate('{{ add_days(record.expected_close_date, 1) }}'),
        scope,
      ),
    };
    const res = await s.call('PATCH', `/api/v1/deals/${dealId}`, values);
    expect(res.status).toBe(200);
    expect(res.body.amount).toMatchObject({ amount: '25000.00', currency: 'EUR' });
    expect(res.body.expected_close_date).toBe('2026-05-01');
    const back = await s.call('PATCH', `/api/v1/deals/${dealId}`, {
      amount: templateValue(parseTemplate('{{ record.amount }}'), scope),
      expected_close_date: '2026-04-30',
    });
    expect(back.body.amount.amount_minor).toBe(1_250_000);
  });

  test('follows relations two steps', async () => {
    const paths = [
      ['record', 'stage', 'pipeline', 'name'],
      ['record', 'stage', 'name'],
    ];
    const scope = await s.asSystem((ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: dealId } }, paths),
    );
    const pipeline = evaluate(parseExpression('record.stage.pipeline.name'), scope);
    expect(typeof pipeline).toBe('string');
    expect(evaluate(parseExpression('record.stage.name'), scope)).toBe(stage.name);
  });

  test('leaves empty what the actor may not read, through the record scope', async () => {
    const actor = (await actorForUser(s.kontor.database.db, east.id))!;
    const paths = [
      ['record', 'company', 'name'],
      ['record', 'partner', 'name'],
      ['record', 'stage', 'name'],
    ];
    const scope = await inTransaction(s.kontor, actor, (ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: dealId } }, paths),
    );
    // The company belongs to another team: East sees the deal's reference, not the company.
    expect(evaluate(parseExpression('record.company.name'), scope)).toBeNull();
    expect(evaluate(parseExpression('record.company_id'), scope)).toBe(companyId);
    expect(evaluate(parseExpression('record.partner'), scope)).toBe(companyId);
    expect(evaluate(parseExpression('record.partner.name'), scope)).toBeNull();
    expect(evaluate(parseExpression('record.stage.name'), scope)).toBe(stage.name);
  });

  test('a user can be a root, with the fields people may see', async () => {
    const people = metadataChecker(s.kontor.meta, { actor: 'users' });
    expect(checkPaths(parseExpression('actor.name + actor.email'), people)).toEqual([]);
    expect(checkPaths(parseExpression('actor.role_id'), people).map((e) => e.message)).toEqual([
      "unknown field 'role_id' on users at 6",
    ]);
    const scope = await s.asSystem((ctx) =>
      loadScope(ctx, { actor: { object: 'users', id: east.id } }, [['actor', 'name']]),
    );
    expect(renderTemplate(parseTemplate('{{ actor.name }} <{{ actor.email }}>'), scope)).toBe(
      'East Rep <east-expr@example.com>',
    );
    expect(Object.keys(scope.actor as object)).not.toContain('password_hash');
  });

  test('refuses a root record the actor may not read', async () => {
    const actor = (await actorForUser(s.kontor.database.db, west.id))!;
    const attempt = inTransaction(s.kontor, actor, (ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: dealId } }, [['record', 'name']]),
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
  });

  test('a relation left empty, or cleared by a delete, reads as empty', async () => {
    const other = await s.call('POST', '/api/v1/companies', { name: 'Gone GmbH' });
    const deal = await s.call('POST', '/api/v1/deals', {
      name: 'Orphan',
      company_id: other.body.id,
    });
    expect((await s.call('DELETE', `/api/v1/companies/${other.body.id}`)).status).toBe(200);
    const scope = await s.asSystem((ctx) =>
      loadScope(ctx, { record: { object: 'deals', id: deal.body.id } }, [
        ['record', 'company', 'name'],
        ['record', 'stage', 'name'],
      ]),
    );
    expect(evaluate(parseExpression('is_empty(record.company.name)'), scope)).toBe(true);
    expect(evaluate(parseExpression('record.company'), scope)).toBeNull();
    expect(evaluate(parseExpression('is_empty(record.stage.name)'), scope)).toBe(false);
  });
});
