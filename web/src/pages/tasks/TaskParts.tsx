import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type Page } from '../../api/client';
import { useObject } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import type { RecordSectionProps } from '../record/sections';
import { formatDateTime } from '../record/time';
import { useUsers } from '../record/users';
import { useRefreshTask, useTaskParts } from './api';

/** A card of the task page with a heading; the body is the part's list and its form. */
function PartCard({
  title,
  aside,
  children,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const heading = useId();
  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id={heading}>
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </Card>
  );
}

/** Runs a change to a task's part, then refreshes what shows it; keeps the error to show. */
function usePartChange(object: string, taskId: string) {
  const refresh = useRefreshTask();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
      await refresh(object, taskId);
    }
  };
  return { run, error, busy };
}

/** The task's checklist: tick items off, add one at the end, remove one. */
export function TaskChecklist({ record, readOnly }: RecordSectionProps) {
  const { t } = useTranslation('tasks');
  const items = useTaskParts('task_checklist_items', record.id, 'position');
  const { run, error, busy } = usePartChange('task_checklist_items', record.id);
  const [text, setText] = useState('');
  const list = items.data ?? [];
  const done = list.filter((i) => i.done).length;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const ok = await run(() =>
      api('POST', '/api/v1/task_checklist_items', { task_id: record.id, text }),
    );
    if (ok) setText('');
  };

  return (
    <PartCard
      title={t('checklist')}
      aside={
        list.length > 0 && (
          <Text size="sm" c="gray.7">
            {t('checklistProgress', { done, total: list.length })}
          </Text>
        )
      }
    >
      {items.isPending && <Loader size="sm" />}
      {items.error && <ErrorNote error={items.error} />}
      <Stack gap={6}>
        {list.map((item) => (
          <Group key={item.id} justify="space-between" wrap="nowrap">
            <Checkbox
              label={String(item.text)}
              checked={!!item.done}
              disabled={readOnly || busy}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                void run(() =>
                  api(
                    'PATCH',
                    `/api/v1/task_checklist_items/${item.id}`,
                    { done: checked },
                    { 'if-match': `"${item.version}"` },
                  ),
                );
              }}
            />
            {!readOnly && (
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('removeItem', { text: String(item.text) })}
                onClick={() =>
                  void run(() => api('DELETE', `/api/v1/task_checklist_items/${item.id}`))
                }
              >
                ×
              </ActionIcon>
            )}
          </Group>
        ))}
      </Stack>
      {!readOnly && (
        <form onSubmit={add}>
          <Group mt="sm" align="end" wrap="nowrap">
            <TextInput
              label={t('newItem')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" variant="default" loading={busy}>
              {t('addItem')}
            </Button>
          </Group>
        </form>
      )}
      {error !== null && <ErrorNote error={error} />}
    </PartCard>
  );
}

/** The task's comments, oldest first, each with its author and time; a form to add one. */
export function TaskComments({ record, readOnly }: RecordSectionProps) {
  const { t } = useTranslation('tasks');
  const { locale, timeZone } = useLocale();
  const users = useUsers();
  const comments = useTaskParts('task_comments', record.id);
  const { run, error, busy } = usePartChange('task_comments', record.id);
  const [body, setBody] = useState('');
  const name = (id: unknown) => users.data?.find((u) => u.id === id)?.name ?? '';

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    const ok = await run(() => api('POST', '/api/v1/task_comments', { task_id: record.id, body }));
    if (ok) setBody('');
  };

  return (
    <PartCard title={t('comments')}>
      {comments.isPending && <Loader size="sm" />}
      {comments.error && <ErrorNote error={comments.error} />}
      {comments.data?.length === 0 && (
        <Text size="sm" c="gray.7">
          {t('noComments')}
        </Text>
      )}
      <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {comments.data?.map((c) => (
          <li key={c.id}>
            <Text size="sm" fw={600} span>
              {name(c.author_id)}
            </Text>{' '}
            <Text size="xs" c="gray.7" span>
              {formatDateTime(String(c.created_at), locale, timeZone)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {String(c.body)}
            </Text>
          </li>
        ))}
      </Stack>
      {!readOnly && (
        <form onSubmit={add}>
          <Textarea
            mt="sm"
            label={t('newComment')}
            autosize
            minRows={2}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Button type="submit" mt="xs" variant="default" loading={busy}>
            {t('addComment')}
          </Button>
        </form>
      )}
      {error !== null && <ErrorNote error={error} />}
    </PartCard>
  );
}

function TaskLink({ id, title, status }: { id: string; title?: string; status?: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor
        size="sm"
        renderRoot={(props) => (
          <Link to="/o/$object/$id" params={{ object: 'tasks', id }} {...props} />
        )}
      >
        {title ?? '…'}
      </Anchor>
      {status && (
        <Badge variant="light" size="sm">
          {status}
        </Badge>
      )}
    </Group>
  );
}

/** Tasks found by their title as one types, for picking what this one waits for. */
function TaskPicker({
  exclude,
  onPick,
  label,
}: {
  exclude: string;
  onPick: (id: string) => void;
  label: string;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const found = useQuery({
    queryKey: ['task-picker', q],
    queryFn: async () =>
      (
        await api<Page>(
          'GET',
          `/api/v1/tasks?limit=20&fields=title${q ? `&q=${encodeURIComponent(q)}` : ''}`,
        )
      ).data,
  });
  return (
    <Select
      label={label}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={(found.data ?? [])
        .filter((r) => r.id !== exclude)
        .map((r) => ({ value: r.id, label: String(r.title) }))}
      value={null}
      onChange={(v) => v && onPick(v)}
      style={{ flex: 1 }}
    />
  );
}

/** What the task waits for and what waits for it; adding and removing what it waits for. */
export function TaskDependencies({ record, readOnly }: RecordSectionProps) {
  const { t } = useTranslation('tasks');
  const tasks = useObject('tasks');
  const statusLabel = (v: unknown) =>
    tasks.data?.fields.find((f) => f.name === 'status')?.options?.find((o) => o.value === v)
      ?.label ?? String(v ?? '');
  const waitsFor = useTaskParts('task_dependencies', record.id);
  const blocks = useQuery({
    queryKey: ['task-parts', 'task_dependencies', record.id, 'blocks'],
    queryFn: async () =>
      (
        await api<Page>(
          'GET',
          `/api/v1/task_dependencies?filter[depends_on_id]=${record.id}&limit=500`,
        )
      ).data,
  });
  const ids = [
    ...(waitsFor.data ?? []).map((d) => String(d.depends_on_id)),
    ...(blocks.data ?? []).map((d) => String(d.task_id)),
  ];
  const others = useQuery({
    queryKey: ['task-parts', 'tasks', record.id, ids.join(',')],
    enabled: ids.length > 0,
    queryFn: async () =>
      new Map(
        (
          await api<Page>(
            'GET',
            `/api/v1/tasks?filter[id][in]=${ids.join(',')}&fields=title,status&limit=500`,
          )
        ).data.map((r) => [r.id, r]),
      ),
  });
  const { run, error } = usePartChange('task_dependencies', record.id);
  const show = (id: string) => {
    const r: ApiRecord | undefined = others.data?.get(id);
    return (
      <TaskLink id={id} title={r ? String(r.title) : undefined} status={statusLabel(r?.status)} />
    );
  };

  return (
    <PartCard title={t('dependencies')}>
      {waitsFor.error && <ErrorNote error={waitsFor.error} />}
      {waitsFor.data?.length === 0 && (
        <Text size="sm" c="gray.7">
          {t('noDependencies')}
        </Text>
      )}
      <Stack gap={6}>
        {waitsFor.data?.map((d) => (
          <Group key={d.id} justify="space-between" wrap="nowrap">
            {show(String(d.depends_on_id))}
            {!readOnly && (
              <Button
                size="compact-sm"
                variant="subtle"
                color="gray"
                onClick={() => void run(() => api('DELETE', `/api/v1/task_dependencies/${d.id}`))}
              >
                {t('remove')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
      {!readOnly && (
        <Group mt="sm">
          <TaskPicker
            exclude={record.id}
            label={t('addDependency')}
            onPick={(id) =>
              void run(() =>
                api('POST', '/api/v1/task_dependencies', { task_id: record.id, depends_on_id: id }),
              )
            }
          />
        </Group>
      )}
      {(blocks.data?.length ?? 0) > 0 && (
        <>
          <Text size="sm" fw={600} mt="md">
            {t('blocks')}
          </Text>
          <Stack gap={6}>
            {blocks.data?.map((d) => (
              <div key={d.id}>{show(String(d.task_id))}</div>
            ))}
          </Stack>
        </>
      )}
      {error !== null && <ErrorNote error={error} />}
    </PartCard>
  );
}

/** Who watches the task (told when it is done); add or remove a watcher. */
export function TaskWatchers({ record, readOnly }: RecordSectionProps) {
  const { t } = useTranslation('tasks');
  const users = useUsers();
  const watchers = useTaskParts('task_watchers', record.id);
  const { run, error } = usePartChange('task_watchers', record.id);
  const watching = new Set((watchers.data ?? []).map((w) => String(w.user_id)));
  const name = (id: unknown) => users.data?.find((u) => u.id === id)?.name ?? String(id);
  return (
    <PartCard title={t('watchers')}>
      {watchers.error && <ErrorNote error={watchers.error} />}
      {watchers.data?.length === 0 && (
        <Text size="sm" c="gray.7">
          {t('noWatchers')}
        </Text>
      )}
      <Group gap="xs">
        {watchers.data?.map((w) => (
          <Badge
            key={w.id}
            variant="light"
            rightSection={
              !readOnly && (
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  aria-label={`${t('remove')} ${name(w.user_id)}`}
                  onClick={() => void run(() => api('DELETE', `/api/v1/task_watchers/${w.id}`))}
                >
                  ×
                </ActionIcon>
              )
            }
          >
            {name(w.user_id)}
          </Badge>
        ))}
      </Group>
      {!readOnly && (
        <Select
          mt="sm"
          label={t('addWatcher')}
          searchable
          data={(users.data ?? [])
            .filter((u) => u.is_active !== false && !watching.has(u.id))
            .map((u) => ({ value: u.id, label: u.name }))}
          value={null}
          onChange={(v) =>
            v &&
            void run(() => api('POST', '/api/v1/task_watchers', { task_id: record.id, user_id: v }))
          }
        />
      )}
      {error !== null && <ErrorNote error={error} />}
    </PartCard>
  );
}
