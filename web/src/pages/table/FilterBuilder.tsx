import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  CloseButton,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type FieldMeta, type ObjectMeta, type Page } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { useTitles } from '../../api/titles';
import { formatMinor, formatValue } from '../../format';
import {
  conditionProblem,
  fromApiFilter,
  isComplete,
  isMoney,
  majorToMinor,
  MAX_NESTING,
  minorDigits,
  subFieldsOf,
  toApiFilter,
  uiOps,
  type ApiFilter,
  type FilterCondition,
  type FilterError,
  type FilterGroup,
  type FilterNode,
  type FilterOp,
  type FilterTree,
} from './filters';
import { useUsers } from '../record/users';

type Field = FieldMeta & { result_type?: string };

/** An operator as offered: the grammar's, with "is empty" split into empty and not empty. */
type UiOp = FilterOp | 'not_empty';

// A money condition starts in any currency: a company's amounts need not be in the server's
// default one, and a filter that quietly compared EUR only would find nothing in USD books.
const DEFAULT_CURRENCY = '';

export interface FilterProps {
  object: ObjectMeta;
  /** The filter in force, in the API form the address keeps. */
  filter: ApiFilter | undefined;
  onChange: (filter: ApiFilter | undefined) => void;
  /** The user's time zone: a date-time "is on" a day of it. */
  timeZone: string;
  locale: string;
}

function fieldOf(object: ObjectMeta, name: string): Field | undefined {
  return object.fields.find((f) => f.name === name) as Field | undefined;
}

/** The filter in force as a tree, and what of it the tree cannot show. */
function useTree(object: ObjectMeta, filter: ApiFilter | undefined, timeZone: string) {
  return useMemo(() => fromApiFilter(filter, object, { timeZone }), [object, filter, timeZone]);
}

/** A new condition on a field, with the first operator offered and an empty value. */
function newCondition(field: Field, sub: string | undefined, timeZone: string): FilterCondition {
  const op = uiOps(field, sub)[0];
  const c: FilterCondition = { kind: 'cond', field: field.name, op, value: op === 'in' ? [] : '' };
  if (sub) c.sub = sub;
  if (!sub && isMoney(field)) c.currency = DEFAULT_CURRENCY;
  if (!sub && field.type === 'datetime') c.zone = timeZone;
  return c;
}

function uiOpOf(c: FilterCondition): UiOp {
  return c.op === 'is_empty' && c.value === 'false' ? 'not_empty' : c.op;
}

/** The condition with another operator; the value is kept where it still makes sense. */
function withOp(c: FilterCondition, op: UiOp): FilterCondition {
  if (op === 'is_empty' || op === 'not_empty')
    return { ...c, op: 'is_empty', value: op === 'is_empty' ? 'true' : 'false' };
  const was = c.op === 'is_empty' ? '' : c.value;
  const value =
    op === 'in'
      ? Array.isArray(was)
        ? was
        : was
          ? [was]
          : []
      : Array.isArray(was)
        ? (was[0] ?? '')
        : was;
  return { ...c, op, value };
}

const HIDDEN_FROM_FILTERS = new Set(['id', 'deleted_at', 'merged_into_id', 'version']);

/** The fields one may filter on, with the parts of composite ones. */
function fieldChoices(
  object: ObjectMeta,
  t: (k: 'partCurrency' | 'partE164', o: { field: string }) => string,
) {
  const out: { value: string; label: string }[] = [];
  // The record's own fields first; the bookkeeping ones (created, updated, owner...) after.
  const fields = [...(object.fields as Field[])].sort(
    (a, b) => Number(a.is_system) - Number(b.is_system),
  );
  for (const f of fields) {
    // The engine's own bookkeeping is no one's question: deleted records are in the trash, and
    // a merge or a version is not something to look for.
    if (HIDDEN_FROM_FILTERS.has(f.name)) continue;
    out.push({ value: f.name, label: f.label });
    for (const sub of subFieldsOf(f))
      out.push({
        value: `${f.name}.${sub}`,
        label: t(sub === 'currency' ? 'partCurrency' : 'partE164', { field: f.label }),
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a filter aloud: "Country is Germany or City is Berlin".

function useOpLabel() {
  const { t } = useTranslation('tableEdit');
  return (field: Field | undefined, sub: string | undefined, op: UiOp): string => {
    if (op === 'not_empty' || op === 'is_empty' || op === 'in' || op === 'on') return t(`op_${op}`);
    if (!sub && field?.type === 'date' && ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'].includes(op))
      return t(`opDate_${op as 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'}`);
    if (!sub && field?.type === 'datetime' && (op === 'lt' || op === 'gte'))
      return t(`opDate_${op}`);
    if (!sub && field?.type === 'multi_select' && op === 'contains') return t('opMulti_contains');
    return t(`op_${op}`);
  };
}

/** Every relation id a tree names, by target object, so their names can be fetched. */
function relationIds(object: ObjectMeta, node: FilterNode, out = new Map<string, Set<string>>()) {
  if (node.kind === 'group') {
    for (const c of node.children) relationIds(object, c, out);
    return out;
  }
  const f = fieldOf(object, node.field);
  if (f?.type === 'relation' && f.target && node.op !== 'is_empty') {
    const set = out.get(f.target) ?? new Set();
    for (const v of Array.isArray(node.value) ? node.value : [node.value]) set.add(v);
    out.set(f.target, set);
  }
  return out;
}

/** Names for the relation values of a tree (up to three target objects). */
function useRelationLabels(object: ObjectMeta, tree: FilterTree): Map<string, string> {
  const ids = [...relationIds(object, tree)].sort(([a], [b]) => a.localeCompare(b));
  const users = useUsers(ids.some(([target]) => target === 'users'));
  const others = ids.filter(([target]) => target !== 'users');
  const a = useTitles(others[0]?.[0], [...(others[0]?.[1] ?? [])]);
  const b = useTitles(others[1]?.[0], [...(others[1]?.[1] ?? [])]);
  const c = useTitles(others[2]?.[0], [...(others[2]?.[1] ?? [])]);
  return new Map([
    ...(users.data ?? []).map((u) => [u.id, u.name] as [string, string]),
    ...(a.data ?? []),
    ...(b.data ?? []),
    ...(c.data ?? []),
  ]);
}

function useDescribe(object: ObjectMeta, labels: Map<string, string>, locale: string) {
  const { t } = useTranslation('tableEdit');
  const { t: tc } = useTranslation();
  const opLabel = useOpLabel();
  const valueText = (f: Field, c: FilterCondition, v: string): string => {
    if (c.sub) return v;
    if (f.type === 'boolean') return v === 'true' ? tc('yes') : tc('no');
    if (f.type === 'select' || f.type === 'multi_select')
      return f.options?.find((o) => o.value === v)?.label ?? v;
    if (f.type === 'relation') return labels.get(v) ?? '…';
    if (isMoney(f) && c.currency) {
      const minor = majorToMinor(v, minorDigits(c.currency));
      return minor === null ? `${v} ${c.currency}` : formatMinor(Number(minor), c.currency, locale);
    }
    if (f.type === 'date' || (f.type === 'datetime' && c.zone))
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatValue({ ...f, type: 'date' }, v, locale) : v;
    if (f.type === 'datetime' && !Number.isNaN(Date.parse(v))) return formatValue(f, v, locale);
    return v;
  };
  const describe = (node: FilterNode): string => {
    if (node.kind === 'group') {
      const parts = node.children.map((c) =>
        c.kind === 'group' ? `(${describe(c)})` : describe(c),
      );
      return parts.join(` ${node.match === 'all' ? t('joinAnd') : t('joinOr')} `);
    }
    const f = fieldOf(object, node.field);
    if (!f) return node.field;
    const name = node.sub
      ? t(node.sub === 'currency' ? 'partCurrency' : 'partE164', { field: f.label })
      : f.label;
    const op = opLabel(f, node.sub, uiOpOf(node));
    if (node.op === 'is_empty') return `${name} ${op}`;
    const values = (Array.isArray(node.value) ? node.value : [node.value]).map((v) =>
      valueText(f, node, v),
    );
    const list = values.reduce((acc, v, i) => (i === 0 ? v : t('listOr', { a: acc, b: v })), '');
    return `${name} ${op} ${list}`;
  };
  return describe;
}

// ---------------------------------------------------------------------------------------------
// Inputs for a condition's value, by field type.

/** Picks records of a relation's target by searching them, one or several. */
function RelationValue({
  field,
  value,
  multiple,
  label,
  error,
  onChange,
}: {
  field: Field;
  value: string | string[];
  multiple: boolean;
  label: string;
  error?: string;
  onChange: (v: string | string[]) => void;
}) {
  const { t } = useTranslation('tableEdit');
  const objects = useObjects();
  const target = objects.data?.find((o) => o.name === field.target);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const isUsers = field.target === 'users';
  const users = useUsers(isUsers);
  const found = useQuery({
    queryKey: ['picker', field.target, q],
    enabled: !!target && !isUsers,
    queryFn: async () => {
      const p = new URLSearchParams({ limit: '20', fields: target!.title_field });
      if (q.trim()) p.set('q', q.trim());
      return api<Page>('GET', `/api/v1/${target!.name}?${p.toString()}`);
    },
  });
  const selected = Array.isArray(value) ? value : value ? [value] : [];
  const names = useTitles(isUsers ? undefined : field.target, selected);
  const data = new Map<string, string>();
  for (const id of selected) data.set(id, names.data?.get(id) ?? id);
  if (isUsers) {
    const needle = q.trim().toLowerCase();
    for (const u of users.data ?? []) {
      if (selected.includes(u.id)) data.set(u.id, u.name);
      else if (!needle || `${u.name} ${u.email}`.toLowerCase().includes(needle))
        data.set(u.id, u.name);
    }
  } else {
    for (const r of found.data?.data ?? []) data.set(r.id, String(r[target!.title_field] ?? r.id));
  }
  const common = {
    'aria-label': label,
    placeholder: t('typeToSearch'),
    searchable: true,
    searchValue: search,
    onSearchChange: setSearch,
    filter: ({ options }: { options: unknown }) => options as never,
    data: [...data].map(([v, l]) => ({ value: v, label: l })),
    nothingFoundMessage: found.isFetching ? t('searching') : t('nothingFound'),
    error,
    w: 240,
  };
  return multiple ? (
    <MultiSelect {...common} value={selected} onChange={(v) => onChange(v)} />
  ) : (
    <Select {...common} value={selected[0] ?? null} onChange={(v) => onChange(v ?? '')} />
  );
}

/** The value input of a condition, suited to its field and operator. */
export function ValueInput({
  object,
  cond,
  label,
  currencyLabel,
  error,
  onChange,
  showLabel = false,
}: {
  object: ObjectMeta;
  cond: FilterCondition;
  label: string;
  currencyLabel?: string;
  error?: string;
  onChange: (c: FilterCondition) => void;
  showLabel?: boolean;
}) {
  const { t } = useTranslation('tableEdit');
  const { t: tc } = useTranslation();
  const field = fieldOf(object, cond.field);
  if (!field || cond.op === 'is_empty') return null;
  const a11y = showLabel ? { label } : { 'aria-label': label };
  const text = typeof cond.value === 'string' ? cond.value : (cond.value[0] ?? '');
  const list = Array.isArray(cond.value) ? cond.value : cond.value ? [cond.value] : [];
  const set = (value: string | string[]) => onChange({ ...cond, value });
  const options = (field.options ?? []).map((o) => ({ value: o.value, label: o.label }));

  if (cond.op === 'in') {
    if (!cond.sub && field.type === 'select')
      return (
        <MultiSelect {...a11y} data={options} value={list} onChange={set} error={error} w={240} />
      );
    if (!cond.sub && field.type === 'relation')
      return (
        <RelationValue
          field={field}
          value={list}
          multiple
          label={label}
          error={error}
          onChange={set}
        />
      );
    return (
      <TagsInput
        {...a11y}
        value={list}
        onChange={set}
        error={error}
        placeholder={t('valuesHint')}
        w={240}
      />
    );
  }
  if (cond.sub) {
    return (
      <TextInput
        {...a11y}
        value={text}
        maxLength={cond.sub === 'currency' ? 3 : undefined}
        onChange={(e) =>
          set(cond.sub === 'currency' ? e.currentTarget.value.toUpperCase() : e.currentTarget.value)
        }
        error={error}
        w={cond.sub === 'currency' ? 90 : 200}
      />
    );
  }
  if (isMoney(field)) {
    return (
      <Group gap={4} align="start" wrap="nowrap">
        <TextInput
          {...a11y}
          inputMode="decimal"
          value={text}
          onChange={(e) => set(e.currentTarget.value)}
          error={error}
          w={130}
        />
        <TextInput
          {...(showLabel
            ? { label: t('currency') }
            : { 'aria-label': currencyLabel ?? t('currency') })}
          placeholder={t('anyCurrency')}
          maxLength={3}
          value={cond.currency ?? ''}
          onChange={(e) => onChange({ ...cond, currency: e.currentTarget.value.toUpperCase() })}
          w={showLabel ? 110 : 90}
        />
      </Group>
    );
  }
  switch (field.type) {
    case 'boolean':
      return (
        <Select
          {...a11y}
          data={[
            { value: 'true', label: tc('yes') },
            { value: 'false', label: tc('no') },
          ]}
          value={text || null}
          onChange={(v) => set(v ?? '')}
          error={error}
          w={120}
        />
      );
    case 'select':
    case 'multi_select':
      return (
        <Select
          {...a11y}
          searchable
          data={options}
          value={text || null}
          onChange={(v) => set(v ?? '')}
          error={error}
          w={200}
        />
      );
    case 'relation':
      return (
        <RelationValue
          field={field}
          value={text}
          multiple={false}
          label={label}
          error={error}
          onChange={set}
        />
      );
    case 'date':
      // The day stays the text YYYY-MM-DD from the input to the API: no time zone moves it.
      return (
        <TextInput
          {...a11y}
          type="date"
          value={text}
          onChange={(e) => set(e.currentTarget.value)}
          error={error}
          w={170}
        />
      );
    case 'datetime':
      if (cond.zone || !text)
        return (
          <TextInput
            {...a11y}
            type="date"
            value={text}
            onChange={(e) =>
              onChange({ ...cond, value: e.currentTarget.value, zone: cond.zone ?? 'UTC' })
            }
            error={error}
            w={170}
          />
        );
      return (
        <TextInput
          {...a11y}
          value={text}
          onChange={(e) => set(e.currentTarget.value)}
          error={error}
          w={240}
        />
      );
    case 'integer':
    case 'decimal':
    case 'computed':
      return (
        <TextInput
          {...a11y}
          inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
          value={text}
          onChange={(e) => set(e.currentTarget.value)}
          error={error}
          w={140}
        />
      );
    default:
      return (
        <TextInput
          {...a11y}
          value={text}
          onChange={(e) => set(e.currentTarget.value)}
          error={error}
          w={200}
        />
      );
  }
}

// ---------------------------------------------------------------------------------------------
// One condition's row: field, operator, value.

function ConditionEditor({
  object,
  cond,
  n,
  timeZone,
  error,
  onChange,
  labels,
  onRemove,
  removeLabel,
}: {
  object: ObjectMeta;
  cond: FilterCondition;
  /** Its number as shown in labels: "2" or "2.1". */
  n: string;
  timeZone: string;
  error?: string;
  onChange: (c: FilterCondition) => void;
  /** Visible labels (the quick add) instead of numbered ones for screen readers only. */
  labels?: { field: string; condition: string; value: string };
  onRemove?: () => void;
  removeLabel?: string;
}) {
  const { t } = useTranslation('tableEdit');
  const opLabel = useOpLabel();
  const field = fieldOf(object, cond.field);
  const fields = fieldChoices(object, (k, o) => t(k, o));
  const ops: UiOp[] = field
    ? uiOps(field, cond.sub).flatMap((o): UiOp[] =>
        o === 'is_empty' ? ['is_empty', 'not_empty'] : [o],
      )
    : [];
  const fieldLabel = labels?.field ?? t('fieldN', { n });
  const opTitle = labels?.condition ?? t('operatorN', { n });
  const a11y = (text: string) => (labels ? { label: text } : { 'aria-label': text });
  return (
    <Group gap="xs" align={labels ? 'end' : 'start'} wrap="wrap">
      <Select
        {...a11y(fieldLabel)}
        data={fields}
        value={cond.sub ? `${cond.field}.${cond.sub}` : cond.field}
        onChange={(v) => {
          if (!v) return;
          const [name, sub] = v.split('.');
          const f = fieldOf(object, name);
          if (f) onChange(newCondition(f, sub, timeZone));
        }}
        searchable
        allowDeselect={false}
        w={190}
      />
      <Select
        {...a11y(opTitle)}
        data={ops.map((o) => ({ value: o, label: opLabel(field, cond.sub, o) }))}
        value={uiOpOf(cond)}
        onChange={(v) => v && onChange(withOp(cond, v as UiOp))}
        allowDeselect={false}
        w={170}
      />
      <ValueInput
        object={object}
        cond={cond}
        label={labels?.value ?? t('valueN', { n })}
        currencyLabel={t('currencyN', { n })}
        showLabel={!!labels}
        error={error}
        onChange={onChange}
      />
      {onRemove && (
        <CloseButton aria-label={removeLabel} onClick={onRemove} mt={labels ? undefined : 4} />
      )}
    </Group>
  );
}

// ---------------------------------------------------------------------------------------------
// The builder: groups of conditions, nested.

type Path = number[];

function updateAt(
  group: FilterGroup,
  path: Path,
  fn: (n: FilterNode) => FilterNode | null,
): FilterGroup {
  const [i, ...rest] = path;
  const children = group.children
    .map((child, j) => {
      if (j !== i) return child;
      if (rest.length === 0) return fn(child);
      return child.kind === 'group' ? updateAt(child, rest, fn) : child;
    })
    .filter((x): x is FilterNode => x !== null);
  return { ...group, children };
}

/** Problems of a draft, by the condition's number: values missing or not understood. */
function draftProblems(
  object: ObjectMeta,
  group: FilterGroup,
  prefix: string,
  out: Map<string, string>,
  t: (k: 'needsValue') => string,
) {
  group.children.forEach((child, i) => {
    const n = prefix ? `${prefix}.${i + 1}` : String(i + 1);
    if (child.kind === 'group') draftProblems(object, child, n, out, t);
    else if (!isComplete(child)) out.set(n, t('needsValue'));
    else {
      const p = conditionProblem(child, fieldOf(object, child.field));
      if (p) out.set(n, p);
    }
  });
  return out;
}

function GroupEditor({
  object,
  group,
  path,
  n,
  timeZone,
  problems,
  onChange,
}: {
  object: ObjectMeta;
  group: FilterGroup;
  path: Path;
  n: string;
  timeZone: string;
  problems: Map<string, string>;
  onChange: (update: (tree: FilterTree) => FilterTree) => void;
}) {
  const { t } = useTranslation('tableEdit');
  const depth = path.length;
  const first = object.fields.find((f) => f.name === object.title_field) ?? object.fields[0];
  const addCondition = () =>
    onChange((tree) => {
      const cond = newCondition(first as Field, undefined, timeZone);
      if (depth === 0) return { ...tree, children: [...tree.children, cond] };
      return updateAt(tree, path, (g) =>
        g.kind === 'group' ? { ...g, children: [...g.children, cond] } : g,
      );
    });
  const addGroup = () =>
    onChange((tree) => {
      const sub: FilterGroup = {
        kind: 'group',
        match: group.match === 'all' ? 'any' : 'all',
        children: [newCondition(first as Field, undefined, timeZone)],
      };
      if (depth === 0) return { ...tree, children: [...tree.children, sub] };
      return updateAt(tree, path, (g) =>
        g.kind === 'group' ? { ...g, children: [...g.children, sub] } : g,
      );
    });
  return (
    <Stack gap="xs">
      {group.children.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('noConditions')}
        </Text>
      )}
      {group.children.map((child, i) => {
        const childN = n ? `${n}.${i + 1}` : String(i + 1);
        const childPath = [...path, i];
        if (child.kind === 'cond')
          return (
            <ConditionEditor
              key={i}
              object={object}
              cond={child}
              n={childN}
              timeZone={timeZone}
              error={problems.get(childN)}
              onChange={(c) => onChange((tree) => updateAt(tree, childPath, () => c))}
              onRemove={() => onChange((tree) => updateAt(tree, childPath, () => null))}
              removeLabel={t('removeCondition', { n: childN })}
            />
          );
        return (
          <Paper key={i} withBorder p="sm" radius="sm" bg="var(--mantine-color-gray-0)">
            <Group justify="space-between" mb="xs">
              <Select
                aria-label={t('groupMatch', { n: childN })}
                data={[
                  { value: 'any', label: t('groupAny') },
                  { value: 'all', label: t('groupAll') },
                ]}
                value={child.match}
                onChange={(v) =>
                  v &&
                  onChange((tree) =>
                    updateAt(tree, childPath, (g) =>
                      g.kind === 'group' ? { ...g, match: v as 'all' | 'any' } : g,
                    ),
                  )
                }
                allowDeselect={false}
                w={160}
              />
              <CloseButton
                aria-label={t('removeGroup', { n: childN })}
                onClick={() => onChange((tree) => updateAt(tree, childPath, () => null))}
              />
            </Group>
            <GroupEditor
              object={object}
              group={child}
              path={childPath}
              n={childN}
              timeZone={timeZone}
              problems={problems}
              onChange={onChange}
            />
          </Paper>
        );
      })}
      <Group gap="xs">
        <Button size="xs" variant="light" onClick={addCondition}>
          {t('addCondition')}
        </Button>
        {depth < MAX_NESTING - 1 && (
          <Button size="xs" variant="subtle" onClick={addGroup}>
            {t('addGroup')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function FilterDialog({
  object,
  initial,
  timeZone,
  onApply,
  onClose,
}: {
  object: ObjectMeta;
  initial: FilterTree;
  timeZone: string;
  onApply: (tree: FilterTree) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('tableEdit');
  const { t: tc } = useTranslation();
  const [draft, setDraft] = useState<FilterTree>(() =>
    initial.children.length
      ? initial
      : {
          ...initial,
          children: [
            newCondition(
              (fieldOf(object, object.title_field) ?? object.fields[0]) as Field,
              undefined,
              timeZone,
            ),
          ],
        },
  );
  const [checked, setChecked] = useState(false);
  const problems = checked
    ? draftProblems(object, draft, '', new Map(), t)
    : new Map<string, string>();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setChecked(true);
        if (draftProblems(object, draft, '', new Map(), t).size) return;
        onApply(draft);
      }}
    >
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm">{t('showMatching')}</Text>
          <Select
            aria-label={t('showMatching')}
            data={[
              { value: 'all', label: t('matchAll') },
              { value: 'any', label: t('matchAny') },
            ]}
            value={draft.match}
            onChange={(v) => v && setDraft({ ...draft, match: v as 'all' | 'any' })}
            allowDeselect={false}
            w={230}
          />
        </Group>
        <GroupEditor
          object={object}
          group={draft}
          path={[]}
          n=""
          timeZone={timeZone}
          problems={problems}
          onChange={(update) => setDraft((cur) => update(cur))}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tc('cancel')}
          </Button>
          <Button type="submit">{t('apply')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// What the table shows: the quick add and the builder button, and the chips of the filter.

/**
 * The quick single-condition add (field, condition, value, Add filter) and the button that opens
 * the full builder; goes in the table's toolbar, beside the search box.
 */
export function FilterControls({ object, filter, onChange, timeZone }: FilterProps) {
  const { t } = useTranslation('tableEdit');
  const { tree } = useTree(object, filter, timeZone);
  const start = (fieldOf(object, object.title_field) ?? object.fields[0]) as Field;
  const [draft, setDraft] = useState<FilterCondition>(() =>
    newCondition(start, undefined, timeZone),
  );
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const count = countConditions(tree);
  const add = () => {
    if (!isComplete(draft)) return setError(t('needsValue'));
    const problem = conditionProblem(draft, fieldOf(object, draft.field));
    if (problem) return setError(problem);
    setError(undefined);
    // A quick filter narrows what is shown: beside the others when all must hold, else around them.
    const next: FilterTree =
      tree.match === 'all' || tree.children.length === 0
        ? { kind: 'group', match: 'all', children: [...tree.children, draft] }
        : { kind: 'group', match: 'all', children: [tree, draft] };
    onChange(toApiFilter(next));
    setDraft({
      ...draft,
      value: draft.op === 'in' ? [] : draft.op === 'is_empty' ? draft.value : '',
    });
  };
  return (
    <>
      <Box
        onKeyDown={(e) => {
          if (
            e.key === 'Enter' &&
            (e.target as HTMLElement).tagName === 'INPUT' &&
            !e.defaultPrevented
          ) {
            const input = e.target as HTMLInputElement;
            // Enter in the value box adds the filter; in a list it is taken for picking.
            if (input.getAttribute('aria-haspopup') !== 'listbox' && input.type !== 'search') add();
          }
        }}
      >
        <ConditionEditor
          object={object}
          cond={draft}
          n=""
          timeZone={timeZone}
          error={error}
          onChange={(c) => {
            setError(undefined);
            setDraft(c);
          }}
          labels={{ field: t('field'), condition: t('condition'), value: t('value') }}
        />
      </Box>
      <Button variant="light" onClick={add}>
        {t('addFilter')}
      </Button>
      <Button variant="subtle" onClick={() => setOpen(true)}>
        {count ? t('editFiltersCount', { count }) : t('editFilters')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('builderTitle', { objects: object.label_plural.toLowerCase() })}
        size="auto"
      >
        {open && (
          <FilterDialog
            object={object}
            initial={tree}
            timeZone={timeZone}
            onClose={() => setOpen(false)}
            onApply={(next) => {
              setOpen(false);
              onChange(toApiFilter(next));
            }}
          />
        )}
      </Modal>
    </>
  );
}

function countConditions(node: FilterNode): number {
  return node.kind === 'cond' ? 1 : node.children.reduce((n, c) => n + countConditions(c), 0);
}

/** The filter in force as chips ("Country is Germany", "City is Berlin or City is Munich"). */
export function FilterChips({ object, filter, onChange, timeZone, locale }: FilterProps) {
  const { t } = useTranslation('tableEdit');
  const { tree, errors } = useTree(object, filter, timeZone);
  const labels = useRelationLabels(object, tree);
  const describe = useDescribe(object, labels, locale);
  if (tree.children.length === 0 && errors.length === 0) return null;
  const join = tree.match === 'all' ? t('joinAnd') : t('joinOr');
  const remove = (i: number) =>
    onChange(toApiFilter({ ...tree, children: tree.children.filter((_, j) => j !== i) }));
  return (
    <Stack gap={4} mb="sm">
      {errors.length > 0 && <FilterErrors errors={errors} />}
      <Group gap="xs" role="list" aria-label={t('activeFilters')}>
        {tree.children.map((child, i) => {
          const text = describe(child);
          return (
            <Group key={i} gap="xs" role="listitem">
              {i > 0 && (
                <Text size="sm" c="dimmed">
                  {join}
                </Text>
              )}
              <Badge
                variant="light"
                tt="none"
                size="lg"
                style={{ maxWidth: 520 }}
                title={text}
                rightSection={
                  <CloseButton
                    size="xs"
                    aria-label={t('removeFilter', { text })}
                    onClick={() => remove(i)}
                  />
                }
              >
                {text}
              </Badge>
            </Group>
          );
        })}
        {tree.children.length > 1 && (
          <Anchor component="button" type="button" size="sm" onClick={() => onChange(undefined)}>
            {t('clearFilters')}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}

function FilterErrors({ errors }: { errors: FilterError[] }) {
  const { t } = useTranslation('tableEdit');
  return (
    <Alert color="yellow" p="xs">
      <Text size="sm">{t('filterNotShown')}</Text>
      {errors.map((e, i) => (
        <Text key={i} size="sm" ff="monospace">
          {e.path}: {e.message}
        </Text>
      ))}
    </Alert>
  );
}
