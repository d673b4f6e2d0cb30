import { Button, Paper, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../api/client';
import { useMe } from '../api/hooks';
import { formatMinor } from '../format';
import { asLanguage, LANGUAGES, setLanguage } from '../i18n';
import { ErrorNote } from '../layout/ErrorNote';
import { fieldErrors, timeZones } from './settings/common';

const TIME_ZONES = timeZones();

/** The signed-in user's own name, language, time zone and password. */
export function Profile() {
  const { t } = useTranslation(['shell', 'common']);
  const me = useMe();
  if (!me.data) return null;
  return (
    <Stack maw={520}>
      <Title order={2}>{t('profileTitle')}</Title>
      <Text c="dimmed">{t('profileText')}</Text>
      <ProfileForm user={me.data} />
      <PasswordForm />
    </Stack>
  );
}

function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation(['shell', 'common']);
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [language, setLang] = useState(asLanguage(user.locale));
  const [timeZone, setTimeZone] = useState(user.time_zone);
  const [error, setError] = useState<unknown>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const zones = useMemo(
    () => (TIME_ZONES.includes(timeZone) ? TIME_ZONES : [timeZone, ...TIME_ZONES]),
    [timeZone],
  );
  const locale = language === 'uk' ? 'uk-UA' : 'en-US';
  const example = `${new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(new Date())} · ${formatMinor(123456789, 'EUR', locale)}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setState('saving');
    try {
      const saved = await api<User>('PATCH', `/api/v1/users/${user.id}`, {
        name,
        locale: language,
        time_zone: timeZone,
      });
      setLanguage(asLanguage(saved.locale));
      queryClient.setQueryData(['me'], (old: User | null | undefined) =>
        old ? { ...old, ...saved } : old,
      );
      // Labels of objects and fields come from the server in the reader's language.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      setState('saved');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };
  const errors = fieldErrors(error);
  const fieldError = (path: string) => errors.get(path);

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack>
        {error !== null && !(error instanceof ApiError && error.errors.length) && (
          <ErrorNote error={error} />
        )}
        <TextInput
          label={t('name')}
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError('name')}
        />
        <Select
          label={t('language')}
          data={LANGUAGES}
          value={language}
          allowDeselect={false}
          onChange={(v) => v && setLang(asLanguage(v))}
          error={fieldError('locale')}
        />
        <Select
          label={t('timeZone')}
          description={t('timeZoneHint')}
          data={zones}
          searchable
          value={timeZone}
          allowDeselect={false}
          onChange={(v) => v && setTimeZone(v)}
          error={fieldError('time_zone')}
        />
        <Text size="sm" c="dimmed">
          {t('example', { value: example })}
        </Text>
        <Button type="submit" loading={state === 'saving'} w="fit-content">
          {t('common:save')}
        </Button>
        {state === 'saved' && (
          <Text size="sm" c="green.8" role="status">
            {t('saved')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function PasswordForm() {
  const { t } = useTranslation(['shell', 'common']);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await api('POST', '/api/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  const errors = fieldErrors(error);
  const fieldError = (path: string) => errors.get(path);
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack>
        <Title order={3}>{t('changePassword')}</Title>
        {error !== null && !(error instanceof ApiError && error.errors.length) && (
          <ErrorNote error={error} />
        )}
        <PasswordInput
          label={t('currentPassword')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={fieldError('current_password')}
        />
        <PasswordInput
          label={t('newPassword')}
          autoComplete="new-password"
          required
          minLength={10}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={fieldError('new_password')}
        />
        <Button type="submit" w="fit-content">
          {t('changePassword')}
        </Button>
        {done && (
          <Text size="sm" c="green.8" role="status">
            {t('passwordChanged')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
