import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';

/** The words of the Settings area. */
export function useSettingsT() {
  return useTranslation('settings').t;
}

/**
 * What the server said about each part of the input, by path (`name`, `role_id`,
 * `permissions.objects.companies.read`). Messages for the same path are joined.
 */
export function fieldErrors(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) {
    if (!e.path) continue;
    const prev = out.get(e.path);
    out.set(e.path, prev ? `${prev}; ${e.message}` : e.message);
  }
  return out;
}

/**
 * An error as a note above a form, unless every message the server gave is shown next to an
 * input (`shown` lists the paths the form displays itself).
 */
export function FormError({ error, shown }: { error: unknown; shown: string[] }) {
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError && error.errors.length > 0) {
    const rest = error.errors.filter((e) => !shown.includes(e.path));
    if (rest.length === 0) return null;
    return <ErrorNote error={new ApiError(error.status, error.message, rest, error.body)} />;
  }
  return <ErrorNote error={error} />;
}

/** A secret the server shows only once (a one-time password, an API key), with a copy button. */
export function OneTimeSecret({
  label,
  value,
  note,
}: {
  label: string;
  value: string;
  note: string;
}) {
  const t = useSettingsT();
  return (
    <Stack gap="xs">
      <Alert color="yellow" title={t('shownOnce')}>
        {note}
      </Alert>
      <Group align="end" gap="xs" wrap="nowrap">
        <TextInput
          label={label}
          value={value}
          readOnly
          ff="monospace"
          style={{ flex: 1 }}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'filled' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
            >
              {copied ? t('copied') : t('copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** Asks before something that cannot simply be undone; the server's refusal shows in the dialog. */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const t = useSettingsT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <Stack>
        {error !== null && <ErrorNote error={error} />}
        <Text size="sm" component="div">
          {children}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('cancel')}
          </Button>
          <Button
            color="red"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm();
                close();
              } catch (err) {
                setError(err);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A moment as the signed-in user reads it: their language and time zone. */
export function useDateTime() {
  const { locale, timeZone } = useLocale();
  const fmt = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  return (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '');
}

/**
 * Every IANA time zone the browser knows, UTC first, with current names it may list under an
 * older one (Kyiv, not Kiev).
 */
export function timeZones(): string[] {
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const known = [...new Set([...all, 'Europe/Kyiv', 'America/Nuuk'])]
    .filter((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    })
    .sort();
  return ['UTC', ...known.filter((z) => z !== 'UTC')];
}

export type Scope = 'none' | 'own' | 'team' | 'all';
export type FieldAccess = 'none' | 'read' | 'write';

/** A role's grant on one object, as the server stores it (every key filled in). */
export interface ObjectGrant {
  read: Scope;
  create: boolean;
  update: Scope;
  delete: Scope;
  import: boolean;
  export: boolean;
  fields: Record<string, FieldAccess>;
}

export interface Role {
  id: string;
  name: string;
  is_admin: boolean;
  permissions: { objects: Record<string, ObjectGrant> };
}

export interface UserOut {
  id: string;
  email: string;
  name: string;
  role_id: string;
  team_id: string | null;
  team: string | null;
  title: string | null;
  time_zone: string;
  locale: string;
  is_active: boolean;
  must_change_password: boolean;
  created_at: string;
}

export function useUsers() {
  return useQuery({
    queryKey: ['settings', 'users'],
    queryFn: async () => (await api<{ data: UserOut[] }>('GET', '/api/v1/users')).data,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['settings', 'roles'],
    queryFn: async () => (await api<{ data: Role[] }>('GET', '/api/v1/roles')).data,
  });
}
