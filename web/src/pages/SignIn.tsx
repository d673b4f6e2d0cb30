import { Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, setCsrfToken, type User } from '../api/client';
import { ErrorNote } from '../layout/ErrorNote';
import { useTranslation } from 'react-i18next';

export function SignIn() {
  const { t } = useTranslation(['shell', 'common']);
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ user: User; csrf_token: string }>('POST', '/api/auth/login', {
        email,
        password,
      });
      setCsrfToken(res.csrf_token);
      queryClient.setQueryData(['me'], res.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={360} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2}>{t('signInTitle')}</Title>
          {error !== null && <ErrorNote error={error} />}
          <TextInput
            label={t('email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            {t('signIn')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
