import {
  ActionIcon,
  Box,
  Button,
  Group,
  Badge,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useLocale } from '../i18n';
import { formatDateTime } from '../pages/record/time';
import { ErrorNote } from './ErrorNote';

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  object: string | null;
  record_id: string | null;
  read_at: string | null;
  created_at: string;
}

/** How often the header asks for new notifications while the app is open. */
const POLL_MS = 60_000;

/** The bell in the header: the unread count, and the latest notifications, each a link. */
export function NotificationsBell() {
  const { t } = useTranslation('tasks');
  const { locale, timeZone } = useLocale();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const count = useQuery({
    queryKey: ['notifications', 'count'],
    refetchInterval: POLL_MS,
    queryFn: async () =>
      (await api<{ count: number }>('GET', '/api/v1/notifications/unread_count')).count,
  });
  const list = useQuery({
    queryKey: ['notifications', 'list'],
    enabled: opened,
    queryFn: async () =>
      (await api<{ data: Notification[] }>('GET', '/api/v1/notifications?limit=20')).data,
  });
  const unread = count.data ?? 0;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });

  const open = async (n: Notification) => {
    setOpened(false);
    if (!n.read_at) await api('POST', `/api/v1/notifications/${n.id}/read`).catch(() => null);
    await refresh();
    if (n.object && n.record_id)
      await navigate({ to: '/o/$object/$id', params: { object: n.object, id: n.record_id } });
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} withinPortal>
      <Popover.Target>
        <ActionIcon
          variant="default"
          size="lg"
          pos="relative"
          aria-label={t('notificationsUnread', { count: unread })}
          onClick={() => setOpened((o) => !o)}
        >
          <BellIcon />
          {unread > 0 && (
            <Badge
              component="span"
              size="xs"
              circle={unread < 10}
              pos="absolute"
              top={-6}
              right={-6}
              aria-hidden
            >
              {unread > 99 ? '99+' : unread}
            </Badge>
          )}
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('notifications')}</Text>
          {unread > 0 && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={async () => {
                await api('POST', '/api/v1/notifications/read-all');
                await refresh();
              }}
            >
              {t('markAllRead')}
            </Button>
          )}
        </Group>
        {list.error && <ErrorNote error={list.error} />}
        {list.data?.length === 0 && (
          <Text size="sm" c="gray.7">
            {t('noNotifications')}
          </Text>
        )}
        <ScrollArea.Autosize mah={380}>
          <Stack gap={4}>
            {list.data?.map((n) => (
              <UnstyledButton
                key={n.id}
                onClick={() => void open(n)}
                p={6}
                style={{ borderRadius: 4 }}
                bg={n.read_at ? undefined : 'blue.0'}
              >
                <Text size="sm" fw={n.read_at ? 400 : 600}>
                  {n.title}
                </Text>
                {n.body && (
                  <Text size="xs" c="gray.7" lineClamp={2}>
                    {n.body}
                  </Text>
                )}
                <Box>
                  <Text size="xs" c="gray.7" span>
                    {formatDateTime(n.created_at, locale, timeZone)}
                  </Text>
                </Box>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

function BellIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none">
      <path
        d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Z"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <path d="M10 20.5a2 2 0 0 0 4 0" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}
