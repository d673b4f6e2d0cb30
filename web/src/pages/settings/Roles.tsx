import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { api, type ObjectMeta } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import {
  fieldErrors,
  FormError,
  useRoles,
  useSettingsT,
  useUsers,
  type FieldAccess,
  type ObjectGrant,
  type Role,
  type Scope,
} from './common';

const NO_ACCESS: ObjectGrant = {
  read: 'none',
  create: false,
  update: 'none',
  delete: 'none',
  import: false,
  export: false,
  fields: {},
};
const SCOPES: Scope[] = ['none', 'own', 'team', 'all'];
const SCOPED = ['read', 'update', 'delete'] as const;
const FLAGS = ['create', 'import', 'export'] as const;
/** `*` holds the grant for every object a role does not name. */
const DEFAULT_KEY = '*';

/** JSON with keys in order, so two grants that say the same compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Roles: what each may do with each object, and which fields it may read or change. */
export function Roles() {
  const t = useSettingsT();
  const roles = useRoles();
  const users = useUsers();
  const objects = useObjects();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  if (roles.error || objects.error) return <ErrorNote error={roles.error ?? objects.error} />;
  if (!roles.data || !objects.data) return <Loader aria-label={t('loading')} />;
  const role =
    roles.data.find((r) => r.id === selected) ??
    roles.data.find((r) => !r.is_admin) ??
    roles.data[0];
  const members = (id: string) => users.data?.filter((u) => u.role_id === id && u.is_active).length;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['settings', 'roles'] });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('roles.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('roles.create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('roles.intro')}
      </Text>
      <Group gap="xs" role="group" aria-label={t('roles.pick')}>
        {roles.data.map((r) => {
          const count = members(r.id);
          return (
            <Button
              key={r.id}
              variant={r.id === role?.id ? 'filled' : 'default'}
              aria-pressed={r.id === role?.id}
              onClick={() => setSelected(r.id)}
              rightSection={
                count === undefined ? undefined : (
                  <>
                    <Badge size="sm" variant="white" color="gray" aria-hidden>
                      {count}
                    </Badge>
                    <VisuallyHidden>, {t('roles.members', { count })}</VisuallyHidden>
                  </>
                )
              }
            >
              {r.name}
            </Button>
          );
        })}
      </Group>
      {role && <RoleEditor key={role.id} role={role} objects={objects.data} onSaved={refresh} />}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('roles.create')}>
        <NewRole
          roles={roles.data}
          onCreated={async (r) => {
            setCreating(false);
            await refresh();
            setSelected(r.id);
          }}
        />
      </Modal>
    </Stack>
  );
}

function NewRole({ roles, onCreated }: { roles: Role[]; onCreated: (r: Role) => Promise<void> }) {
  const t = useSettingsT();
  const [name, setName] = useState('');
  const [from, setFrom] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const source = roles.find((r) => r.id === from);
      const created = await api<Role>('POST', '/api/v1/roles', {
        name,
        permissions: source ? source.permissions : { objects: {} },
      });
      await onCreated(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['name']} />
        <TextInput
          label={t('roles.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.get('name')}
        />
        <Select
          label={t('roles.startFrom')}
          data={[
            { value: '', label: t('roles.startEmpty') },
            ...roles
              .filter((r) => !r.is_admin)
              .map((r) => ({ value: r.id, label: t('roles.copyOf', { name: r.name }) })),
          ]}
          value={from}
          onChange={(v) => setFrom(v ?? '')}
          allowDeselect={false}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t('roles.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The name and the grants of one role, saved together. */
function RoleEditor({
  role,
  objects,
  onSaved,
}: {
  role: Role;
  objects: ObjectMeta[];
  onSaved: () => Promise<unknown>;
}) {
  const t = useSettingsT();
  const [name, setName] = useState(role.name);
  const [grants, setGrants] = useState<Record<string, ObjectGrant>>(role.permissions.objects);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const errors = fieldErrors(error);
  const dirty = name !== role.name || canonical(grants) !== canonical(role.permissions.objects);

  const explicit = (key: string) => Object.hasOwn(grants, key);
  const effective = (key: string): ObjectGrant =>
    explicit(key)
      ? grants[key]
      : key !== DEFAULT_KEY && explicit(DEFAULT_KEY)
        ? grants[DEFAULT_KEY]
        : NO_ACCESS;
  const change = (key: string, patch: Partial<ObjectGrant>) => {
    setSaved(false);
    setGrants((g) => ({ ...g, [key]: { ...effective(key), ...patch } }));
  };
  const reset = (key: string) => {
    setSaved(false);
    setGrants((g) => {
      const { [key]: _gone, ...rest } = g;
      return rest;
    });
  };
  const setField = (key: string, field: string, access: FieldAccess) => {
    const { [field]: _old, ...fields } = effective(key).fields;
    // A field not listed is writable where the record is: write is the default.
    change(key, { fields: access === 'write' ? fields : { ...fields, [field]: access } });
  };
  const toggle = (key: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const rows = [
    { key: DEFAULT_KEY, label: t('roles.otherObjects'), object: undefined },
    ...objects.map((o) => ({ key: o.name, label: o.label_plural, object: o })),
  ];
  const rowPrefix = (key: string) => `permissions.objects.${key}`;
  const rowErrors = (key: string) =>
    [...errors.entries()]
      .filter(([path]) => path === rowPrefix(key) || path.startsWith(`${rowPrefix(key)}.`))
      .map(([path, message]) => `${path.slice(rowPrefix(key).length + 1) || key}: ${message}`);
  const shown = [
    'name',
    ...[...errors.keys()].filter((p) => rows.some((r) => p.startsWith(rowPrefix(r.key)))),
  ];

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (name !== role.name) body.name = name;
      if (!role.is_admin) body.permissions = { objects: grants };
      const after = await api<Role>('PATCH', `/api/v1/roles/${role.id}`, body);
      setName(after.name);
      setGrants(after.permissions.objects);
      setSaved(true);
      await onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const scopeData = SCOPES.map((s) => ({ value: s, label: t(`roles.scope.${s}`) }));
  const accessData = (['write', 'read', 'none'] as const).map((a) => ({
    value: a,
    label: t(`roles.access.${a}`),
  }));

  return (
    <form onSubmit={save} noValidate aria-label={t('roles.editorLabel', { name: role.name })}>
      <Stack>
        <Group align="end">
          <TextInput
            label={t('roles.name')}
            value={name}
            onChange={(e) => {
              setSaved(false);
              setName(e.currentTarget.value);
            }}
            error={errors.get('name')}
            w={320}
          />
          <Button type="submit" loading={busy} disabled={!dirty}>
            {t('save')}
          </Button>
          {dirty && (
            <Button
              variant="default"
              onClick={() => {
                setName(role.name);
                setGrants(role.permissions.objects);
                setError(null);
              }}
            >
              {t('roles.discard')}
            </Button>
          )}
          {saved && !dirty && (
            <Text size="sm" c="teal" role="status">
              {t('saved')}
            </Text>
          )}
        </Group>
        <FormError error={error} shown={shown} />
        {role.is_admin ? (
          <Alert color="blue">{t('roles.adminText')}</Alert>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {t('roles.matrixHelp')}
            </Text>
            <Table.ScrollContainer minWidth={820}>
              <Table aria-label={t('roles.matrixLabel', { name: role.name })} verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('roles.object')}</Table.Th>
                    <Table.Th>{t('roles.action.read')}</Table.Th>
                    <Table.Th>{t('roles.action.create')}</Table.Th>
                    <Table.Th>{t('roles.action.update')}</Table.Th>
                    <Table.Th>{t('roles.action.delete')}</Table.Th>
                    <Table.Th>{t('roles.action.import')}</Table.Th>
                    <Table.Th>{t('roles.action.export')}</Table.Th>
                    <Table.Th>{t('roles.fieldsColumn')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('roles.source')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map(({ key, label, object }) => {
                    const g = effective(key);
                    const problems = rowErrors(key);
                    const restricted = Object.keys(g.fields).length;
                    const scopeCell = (a: (typeof SCOPED)[number]) => (
                      <Table.Td>
                        <NativeSelect
                          size="xs"
                          w={104}
                          aria-label={`${label}: ${t(`roles.action.${a}`)}`}
                          data={scopeData}
                          value={g[a]}
                          onChange={(e) => change(key, { [a]: e.currentTarget.value as Scope })}
                        />
                      </Table.Td>
                    );
                    const flagCell = (f: (typeof FLAGS)[number]) => (
                      <Table.Td>
                        <Checkbox
                          aria-label={`${label}: ${t(`roles.action.${f}`)}`}
                          checked={g[f]}
                          onChange={(e) => change(key, { [f]: e.currentTarget.checked })}
                        />
                      </Table.Td>
                    );
                    return (
                      <Fragment key={key}>
                        <Table.Tr>
                          <Table.Th scope="row" fw={key === DEFAULT_KEY ? 600 : 500}>
                            {label}
                          </Table.Th>
                          {scopeCell('read')}
                          {flagCell('create')}
                          {scopeCell('update')}
                          {scopeCell('delete')}
                          {flagCell('import')}
                          {flagCell('export')}
                          <Table.Td>
                            {object && (
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                aria-expanded={open.has(key)}
                                aria-label={t('roles.fieldAccessOf', { label })}
                                onClick={() => toggle(key)}
                              >
                                {restricted
                                  ? t('roles.restrictedFields', { count: restricted })
                                  : t('roles.allFields')}
                              </Button>
                            )}
                          </Table.Td>
                          <Table.Td>
                            {key === DEFAULT_KEY ? null : explicit(key) ? (
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                color="gray"
                                aria-label={t('roles.useDefaultFor', { label })}
                                onClick={() => reset(key)}
                              >
                                {t('roles.useDefault')}
                              </Button>
                            ) : (
                              <Badge size="xs" variant="outline" color="gray">
                                {t('roles.asDefault')}
                              </Badge>
                            )}
                          </Table.Td>
                        </Table.Tr>
                        {problems.length > 0 && (
                          <Table.Tr>
                            <Table.Td colSpan={9}>
                              <Text size="sm" c="red" role="alert">
                                {problems.join('; ')}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        )}
                        {object && open.has(key) && (
                          <Table.Tr>
                            <Table.Td colSpan={9} bg="var(--mantine-color-gray-0)">
                              <FieldAccessList
                                object={object}
                                grant={g}
                                accessData={accessData}
                                errors={errors}
                                prefix={`${rowPrefix(key)}.fields`}
                                onChange={(field, access) => setField(key, field, access)}
                              />
                            </Table.Td>
                          </Table.Tr>
                        )}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </form>
  );
}

/** Per field of one object: may the role change it (the default), only read it, or not see it. */
function FieldAccessList({
  object,
  grant,
  accessData,
  errors,
  prefix,
  onChange,
}: {
  object: ObjectMeta;
  grant: ObjectGrant;
  accessData: { value: string; label: string }[];
  errors: Map<string, string>;
  prefix: string;
  onChange: (field: string, access: FieldAccess) => void;
}) {
  const t = useSettingsT();
  const fields = object.fields.filter((f) => !f.is_system || Object.hasOwn(grant.fields, f.name));
  return (
    <Stack gap={6} p="xs">
      <Text size="sm" fw={500}>
        {t('roles.fieldAccessTitle', { label: object.label_plural })}
      </Text>
      <Text size="xs" c="dimmed">
        {t('roles.fieldAccessHelp')}
      </Text>
      <Group gap="md" align="start">
        {fields.map((f) => (
          <NativeSelect
            key={f.name}
            size="xs"
            w={190}
            label={f.label}
            aria-label={t('roles.fieldAccessNamed', {
              object: object.label_plural,
              field: f.label,
            })}
            data={accessData}
            value={Object.hasOwn(grant.fields, f.name) ? grant.fields[f.name] : 'write'}
            onChange={(e) => onChange(f.name, e.currentTarget.value as FieldAccess)}
            error={errors.get(`${prefix}.${f.name}`)}
          />
        ))}
      </Group>
    </Stack>
  );
}
