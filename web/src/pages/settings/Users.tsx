import {
  Autocomplete,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useMe } from '../../api/hooks';
import { LANGUAGES } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import {
  ConfirmModal,
  fieldErrors,
  FormError,
  OneTimeSecret,
  timeZones,
  useRoles,
  useSettingsT,
  useUsers,
  type Role,
  type UserOut,
} from './common';

const LANGUAGE_NAMES = Object.fromEntries(LANGUAGES.map((l) => [l.value, l.label]));

/** People: who may sign in, with which role, team, language and time zone. */
export function Users() {
  const t = useSettingsT();
  const me = useMe();
  const users = useUsers();
  const roles = useRoles();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ user: UserOut; password: string } | null>(null);
  const [editing, setEditing] = useState<UserOut | null>(null);
  const [deactivating, setDeactivating] = useState<UserOut | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (users.error || roles.error) return <ErrorNote error={users.error ?? roles.error} />;
  if (!users.data || !roles.data || !me.data) return <Loader aria-label={t('loading')} />;

  const roleName = new Map(roles.data.map((r) => [r.id, r.name]));
  const teams = [...new Set(users.data.map((u) => u.team).filter((x): x is string => !!x))].sort();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['settings', 'users'] });
    await queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const setActive = async (u: UserOut, active: boolean) => {
    setError(null);
    await api('PATCH', `/api/v1/users/${u.id}`, { is_active: active });
    await refresh();
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('users.create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('users.intro')}
      </Text>
      {error !== null && <ErrorNote error={error} />}
      <Table striped aria-label={t('users.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.name')}</Table.Th>
            <Table.Th>{t('users.email')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.team')}</Table.Th>
            <Table.Th>{t('users.language')}</Table.Th>
            <Table.Th>{t('users.timeZone')}</Table.Th>
            <Table.Th>{t('users.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data.map((u) => {
            const self = u.id === me.data!.id;
            return (
              <Table.Tr key={u.id} aria-label={u.name}>
                <Table.Td>
                  {u.name}
                  {self && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({t('users.you')})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>{roleName.get(u.role_id) ?? '—'}</Table.Td>
                <Table.Td>{u.team ?? '—'}</Table.Td>
                <Table.Td>{LANGUAGE_NAMES[u.locale] ?? u.locale}</Table.Td>
                <Table.Td>{u.time_zone}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {u.is_active ? (
                      <Badge variant="light" color="green">
                        {t('users.active')}
                      </Badge>
                    ) : (
                      <Badge variant="light" color="gray">
                        {t('users.inactive')}
                      </Badge>
                    )}
                    {u.is_active && u.must_change_password && (
                      <Badge variant="outline" color="yellow">
                        {t('users.mustChangePassword')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      aria-label={t('users.editNamed', { name: u.name })}
                      onClick={() => setEditing(u)}
                    >
                      {t('edit')}
                    </Button>
                    {u.is_active ? (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        disabled={self}
                        title={self ? t('users.cannotDeactivateSelf') : undefined}
                        aria-label={t('users.deactivateNamed', { name: u.name })}
                        onClick={() => setDeactivating(u)}
                      >
                        {t('users.deactivate')}
                      </Button>
                    ) : (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        aria-label={t('users.reactivateNamed', { name: u.name })}
                        onClick={() => setActive(u, true).catch(setError)}
                      >
                        {t('users.reactivate')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t('users.create')}>
        <UserForm
          roles={roles.data}
          teams={teams}
          onSaved={async (user, password) => {
            setCreating(false);
            if (password) setCreated({ user, password });
            await refresh();
          }}
        />
      </Modal>
      <Modal
        opened={!!created}
        onClose={() => setCreated(null)}
        title={t('users.createdTitle', { name: created?.user.name ?? '' })}
      >
        {created && (
          <Stack>
            <OneTimeSecret
              label={t('users.oneTimePassword')}
              value={created.password}
              note={t('users.oneTimePasswordNote', { email: created.user.email })}
            />
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>{t('done')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={t('users.editNamed', { name: editing?.name ?? '' })}
      >
        {editing && (
          <UserForm
            user={editing}
            roles={roles.data}
            teams={teams}
            onSaved={async () => {
              setEditing(null);
              await refresh();
              // Your own language or time zone changes every screen at once.
              if (editing.id === me.data!.id)
                await queryClient.invalidateQueries({ queryKey: ['me'] });
            }}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={!!deactivating}
        title={t('users.deactivateNamed', { name: deactivating?.name ?? '' })}
        confirmLabel={t('users.deactivate')}
        onClose={() => setDeactivating(null)}
        onConfirm={async () => {
          if (deactivating) await setActive(deactivating, false);
        }}
      >
        {t('users.deactivateText', { name: deactivating?.name ?? '' })}
      </ConfirmModal>
    </Stack>
  );
}

const FORM_PATHS = ['name', 'email', 'role', 'role_id', 'team', 'locale', 'time_zone'];

/** Creates a user (role by name, a one-time password from the server) or changes one. */
function UserForm({
  user,
  roles,
  teams,
  onSaved,
}: {
  user?: UserOut;
  roles: Role[];
  teams: string[];
  onSaved: (user: UserOut, oneTimePassword?: string) => Promise<void>;
}) {
  const t = useSettingsT();
  const zones = useMemo(timeZones, []);
  const defaultRole =
    roles.find((r) => r.name === 'Sales representative') ?? roles.find((r) => !r.is_admin);
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [roleId, setRoleId] = useState<string | null>(user?.role_id ?? defaultRole?.id ?? null);
  const [team, setTeam] = useState(user?.team ?? '');
  const [locale, setLocale] = useState<string>(user?.locale ?? 'en');
  const [timeZone, setTimeZone] = useState<string>(
    user?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (user) {
        const body: Record<string, unknown> = {};
        if (name !== user.name) body.name = name;
        if (roleId && roleId !== user.role_id) body.role_id = roleId;
        if ((team.trim() || null) !== user.team) body.team = team.trim() || null;
        if (locale !== user.locale) body.locale = locale;
        if (timeZone !== user.time_zone) body.time_zone = timeZone;
        const saved = Object.keys(body).length
          ? await api<UserOut>('PATCH', `/api/v1/users/${user.id}`, body)
          : user;
        await onSaved(saved);
      } else {
        const saved = await api<UserOut & { one_time_password?: string }>('POST', '/api/v1/users', {
          name,
          email: email.trim(),
          ...(roleId ? { role: roles.find((r) => r.id === roleId)?.name } : {}),
          ...(team.trim() ? { team: team.trim() } : {}),
          locale,
          time_zone: timeZone,
        });
        await onSaved(saved, saved.one_time_password);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={FORM_PATHS} />
        <TextInput
          label={t('users.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.get('name')}
        />
        <TextInput
          label={t('users.email')}
          type="email"
          required
          readOnly={!!user}
          description={user ? t('users.emailFixed') : undefined}
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.get('email')}
        />
        <Select
          label={t('users.role')}
          data={roles.map((r) => ({ value: r.id, label: r.name }))}
          value={roleId}
          onChange={setRoleId}
          allowDeselect={false}
          error={errors.get('role') ?? errors.get('role_id')}
        />
        <Autocomplete
          label={t('users.team')}
          description={t('users.teamHint')}
          data={teams}
          value={team}
          onChange={setTeam}
          error={errors.get('team')}
        />
        <Select
          label={t('users.language')}
          data={LANGUAGES}
          value={locale}
          onChange={(v) => v && setLocale(v)}
          allowDeselect={false}
          error={errors.get('locale')}
        />
        <Select
          label={t('users.timeZone')}
          data={zones}
          value={timeZone}
          onChange={(v) => v && setTimeZone(v)}
          searchable
          allowDeselect={false}
          error={errors.get('time_zone')}
        />
        {!user && (
          <Text size="sm" c="dimmed">
            {t('users.passwordHint')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {user ? t('save') : t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
