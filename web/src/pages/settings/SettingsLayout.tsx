import {
  Alert,
  Anchor,
  Card,
  Grid,
  Loader,
  NavLink,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useMe } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { useSettingsT } from './common';

/** The sections of Settings, in the order the sub-navigation lists them. */
export const SECTIONS = [
  { to: '/settings/users', key: 'users' },
  { to: '/settings/roles', key: 'roles' },
  { to: '/settings/pipelines', key: 'pipelines' },
  { to: '/settings/objects', key: 'objects' },
  { to: '/settings/fields', key: 'fields' },
  { to: '/settings/forms', key: 'forms' },
  { to: '/settings/api-keys', key: 'apiKeys' },
  { to: '/settings/webhooks', key: 'webhooks' },
] as const;

/**
 * The administrators' Settings area: its own sub-navigation around the section shown. Others
 * are told they need to be an administrator (the server refuses their changes anyway).
 */
export function SettingsLayout() {
  const t = useSettingsT();
  const me = useMe();
  const path = useRouterState({ select: (s) => s.location.pathname });
  if (me.error) return <ErrorNote error={me.error} />;
  if (!me.data) return <Loader aria-label={t('loading')} />;
  if (!me.data.is_admin) {
    return (
      <Stack maw={640}>
        <Title order={2}>{t('title')}</Title>
        <Alert color="yellow" title={t('adminOnlyTitle')} role="alert">
          {t('adminOnlyText')}
        </Alert>
        <Anchor component={Link} to="/">
          {t('goHome')}
        </Anchor>
      </Stack>
    );
  }
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 2 }}>
        <nav aria-label={t('navLabel')}>
          <NavLink
            renderRoot={(props) => (
              <Link to="/settings" activeOptions={{ exact: true }} {...props} />
            )}
            label={t('title')}
            active={path === '/settings' || path === '/settings/'}
            fw={600}
          />
          {SECTIONS.map((s) => (
            <NavLink
              key={s.key}
              renderRoot={(props) => <Link to={s.to} {...props} />}
              label={t(`${s.key}.title`)}
              active={path === s.to || path.startsWith(`${s.to}/`)}
            />
          ))}
        </nav>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 10 }}>
        <Outlet />
      </Grid.Col>
    </Grid>
  );
}

/** The start page of Settings: each section, with what it is for. */
export function SettingsHome() {
  const t = useSettingsT();
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {SECTIONS.map((s) => (
          <Card key={s.key} withBorder padding="md">
            <Anchor component={Link} to={s.to} fw={600}>
              {t(`${s.key}.title`)}
            </Anchor>
            <Text size="sm" c="dimmed" mt={4}>
              {t(`${s.key}.summary`)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
