import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ErrorNote } from '../layout/ErrorNote';

/** A one-time password is replaced before anything else. */
export function ChangePassword() {
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
          <Title order={2}>Choose your password</Title>
          <Text size="sm">
            You signed in with a one-time password. Choose one of at least 10 characters.
          </Text>
          {error !== null && <ErrorNote error={error} />}
          <PasswordInput
            label="One-time password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            minLength={10}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <Button type="submit">Save</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
