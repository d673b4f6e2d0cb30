import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ErrorNote } from '../layout/ErrorNote';
import { useTranslation } from 'react-i18next';

/** A one-time password is replaced before anything else. */
export function ChangePassword() {
  const { t } = useTranslation(['shell', 'common']);
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/auth/password', { current_password: current, new_password: next });
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2}>{t('choosePasswordTitle')}</Title>
          <Text size="sm">{t('choosePasswordText')}</Text>
          {error !== null && <ErrorNote error={error} />}
          <PasswordInput
            label={t('oneTimePassword')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('newPassword')}
            autoComplete="new-password"
            required
            minLength={10}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <Button type="submit">{t('common:save')}</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
