import {
  Anchor,
  AppShell,
  Avatar,
  Box,
  UnstyledButton,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { api, setCsrfToken } from '../api/client';
import { useMe, useObjects } from '../api/hooks';
import { asLanguage, setLanguage } from '../i18n';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePassword } from '../pages/ChangePassword';
import { ReorderNavLink } from '../pages/documents/ReorderNavLink';
import { SignIn } from '../pages/SignIn';
import { ErrorNote } from './ErrorNote';
import { GlobalSearch, openSearch } from './Search';

/** Signs the user in, then shows the sidebar built from metadata around the current page. */

/**
 * Lines of documents, listed and edited on their document's page (and reachable by address and
 * from related lists): in the sidebar they would only crowd the objects people open.
 */
const DOCUMENT_PARTS = new Set([
  'quote_lines',
  'sales_order_lines',
  'shipment_lines',
  'purchase_order_lines',
  'receipt_lines',
  'stock_count_lines',
  'bom_lines',
]);

export function Root() {
  const me = useMe();
  const objects = useObjects(!!me.data && !me.data.must_change_password);
  const [opened, { toggle, close }] = useDisclosure();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const { t } = useTranslation(['shell', 'common', 'stock', 'sla']);
  const queryClient = useQueryClient();
  const locale = me.data?.locale;
  useEffect(() => {
    if (locale) setLanguage(asLanguage(locale));
  }, [locale]);

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('common:loading')} />
      </Center>
    );
  }
  if (me.error) return <ErrorNote error={me.error} />;
  if (!me.data) return <SignIn />;
  if (me.data.must_change_password) return <ChangePassword />;

  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    // Forget everything of this user; the sign-in page shows at once.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    queryClient.setQueryData(['me'], null);
  };

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Anchor href="#main" className="kontor-skip-link">
          {t('skipToContent')}
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('menu')}
            />
            <Title order={3}>{t('common:appName')}</Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="default"
              size="xs"
              onClick={openSearch}
              aria-label={t('searchButtonLabel')}
              leftSection={<SearchIcon />}
            >
              <Box component="span" visibleFrom="sm">
                {t('searchButton')}
              </Box>
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={t('userMenu', { name: me.data.name })} p={4}>
                  <Group gap={6} wrap="nowrap">
                    <Avatar name={me.data.name} color="blue.8" variant="filled" size={28} />
                    <Text size="sm" truncate maw={160} visibleFrom="sm">
                      {me.data.name}
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.data.email}</Menu.Label>
                <Menu.Item renderRoot={(props) => <Link to="/profile" {...props} />}>
                  {t('profile')}
                </Menu.Item>
                <Menu.Item onClick={signOut}>{t('signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('objectsNav')}>
        <ScrollArea>
          {objects.data
            ?.filter((o) => !DOCUMENT_PARTS.has(o.name))
            .map((o) => (
              <NavLink
                key={o.name}
                renderRoot={(props) => (
                  <Link to="/o/$object" params={{ object: o.name }} {...props} />
                )}
                label={o.label_plural}
                active={path === `/o/${o.name}` || path.startsWith(`/o/${o.name}/`)}
                onClick={close}
              />
            ))}
          <ReorderNavLink objects={objects.data} path={path} onClick={close} />
          {objects.error && <ErrorNote error={objects.error} />}
          {/* Stock needs the right to read both products and warehouses. */}
          {objects.data?.some((o) => o.name === 'products') &&
            objects.data.some((o) => o.name === 'warehouses') && (
              <NavLink
                mt="md"
                renderRoot={(props) => <Link to="/stock" {...props} />}
                label={t('stock:nav')}
                active={path === '/stock'}
                onClick={close}
              />
            )}
          {/* The SLA report is for those who may read the policies it reports on. */}
          {objects.data?.some((o) => o.name === 'sla_policies') && (
            <NavLink
              renderRoot={(props) => <Link to="/sla" {...props} />}
              label={t('sla:nav')}
              active={path === '/sla'}
              onClick={close}
            />
          )}
          {me.data.is_admin && (
            <NavLink
              mt="md"
              renderRoot={(props) => <Link to="/settings" {...props} />}
              label={t('settings')}
              active={path.startsWith('/settings')}
              onClick={close}
            />
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
      <GlobalSearch />
    </AppShell>
  );
}

function SearchIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="none">
      <circle cx="10.5" cy="10.5" r="6.5" stroke="currentColor" strokeWidth="2.2" />
      <path d="m15.5 15.5 5 5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}
