import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type FieldMeta, type ObjectMeta } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { RelationValue, ValueText } from './InlineField';
import { formatDate, formatDateTime } from './time';
import { useUsers } from './users';

export interface TimelineItem {
  type: 'change' | 'activity' | 'task';
  id: string;
  at: string;
  action?: string;
  actor_type?: string;
  actor_id?: string | null;
  changes?: Record<string, [unknown, unknown]>;
  record?: ApiRecord;
}

interface TimelinePage {
  data: TimelineItem[];
  next_cursor: string | null;
}

export function timelineKey(object: string, id: string) {
  return ['timeline', object, id];
}

function optionLabel(object: ObjectMeta | undefined, field: string, value: unknown): string {
  const f = object?.fields.find((x) => x.name === field);
  return f?.options?.find((o) => o.value === value)?.label ?? String(value ?? '');
}

const COLORS: Record<string, string> = {
  note: 'yellow',
  call: 'teal',
  meeting: 'grape',
  email: 'cyan',
  task: 'blue',
  create: 'green',
  delete: 'red',
  restore: 'green',
  convert: 'violet',
  merge: 'orange',
};

/** What happened to a record, newest first: changes, notes, calls and tasks; 50 at a time. */
export function RecordTimeline({ object, id }: { object: ObjectMeta; id: string }) {
  const { t } = useTranslation('record');
  const headingId = useId();
  const { locale, timeZone } = useLocale();
  const objects = useObjects();
  const users = useUsers();
  const activities = objects.data?.find((o) => o.name === 'activities');
  const tasks = objects.data?.find((o) => o.name === 'tasks');
  const tl = useInfiniteQuery({
    queryKey: timelineKey(object.name, id),
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<TimelinePage>(
        'GET',
        `/api/v1/${object.name}/${id}/timeline?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (tl.error) return <ErrorNote error={tl.error} />;
  const items = tl.data?.pages.flatMap((p) => p.data) ?? [];
  const { t: tf } = useTranslation('forms');
  // People without a login change records through a form link or a public web form.
  const userName = (id: string | null | undefined) =>
    id ? users.data?.find((u) => u.id === id)?.name : undefined;
  const changedBy = (item: TimelineItem) =>
    item.actor_type === 'form_link'
      ? tf('viaFormLink')
      : item.actor_type === 'web_form'
        ? tf('viaWebForm')
        : userName(item.actor_id);

  const title = (item: TimelineItem): string => {
    if (item.type === 'activity') {
      const kind = optionLabel(activities, 'kind', item.record?.kind);
      return item.record?.subject ? `${kind}: ${String(item.record.subject)}` : kind;
    }
    if (item.type === 'task') return t('tlTask', { title: String(item.record?.title ?? '') });
    const action = item.action ?? 'update';
    const known = ['create', 'update', 'delete', 'restore', 'merge', 'convert'];
    return known.includes(action) ? t(`tl_${action as 'create'}`) : action;
  };

  const changeLines = (item: TimelineItem) => {
    if (item.action === 'merge') {
      const merged = item.changes?.merged_ids?.[1];
      return (
        <Text size="sm">
          {Array.isArray(merged) ? t('tlMergedMany', { count: merged.length }) : t('tlMergedOne')}
        </Text>
      );
    }
    if (item.action === 'convert') {
      const links: [string, string, string][] = [
        ['contacts', 'contact_id', t('convertedContact')],
        ['companies', 'company_id', t('convertedCompany')],
        ['deals', 'deal_id', t('convertedDeal')],
      ];
      return links
        .filter(([, key]) => typeof item.changes?.[key]?.[1] === 'string')
        .map(([target, key, label]) => (
          <Text key={key} size="sm">
            {label}:{' '}
            <RelationValue
              field={{ name: key, label, type: 'relation', target } as FieldMeta}
              value={item.changes![key][1] as string}
            />
          </Text>
        ));
    }
    if (item.action === 'delete' || item.action === 'restore') return null;
    const shown = Object.entries(item.changes ?? {}).filter(([f]) =>
      object.fields.some((x) => x.name === f && !x.name.endsWith('_e164') && f !== 'version'),
    );
    const lines = shown.slice(0, 8).map(([f, pair]) => {
      const field = object.fields.find((x) => x.name === f)!;
      const after = Array.isArray(pair) ? pair[1] : pair;
      return (
        <Text key={f} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {field.label}: <ValueText field={field} value={after} />
        </Text>
      );
    });
    if (shown.length > 8)
      lines.push(
        <Text key="more" size="xs" c="gray.7">
          {t('tlMoreChanges', { count: shown.length - 8 })}
        </Text>,
      );
    return lines;
  };

  const body = (item: TimelineItem) => {
    const r = item.record!;
    if (item.type === 'activity') {
      const extra: string[] = [];
      if (r.duration_minutes != null)
        extra.push(t('minutes', { count: Number(r.duration_minutes) }));
      if (r.direction) extra.push(optionLabel(activities, 'direction', r.direction));
      return (
        <>
          {r.body ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {String(r.body)}
            </Text>
          ) : null}
          {extra.length > 0 && (
            <Text size="xs" c="gray.7">
              {extra.join(' · ')}
            </Text>
          )}
        </>
      );
    }
    return (
      <Group gap={6}>
        {r.status ? (
          <Badge size="xs" variant="light" color={r.status === 'done' ? 'green' : 'blue'}>
            {optionLabel(tasks, 'status', r.status)}
          </Badge>
        ) : null}
        {r.due_date ? (
          <Text size="xs" c="gray.7">
            {t('dueOn', { date: formatDate(String(r.due_date), locale) })}
          </Text>
        ) : null}
        {r.assignee_id ? (
          <Text size="xs" c="gray.7">
            {userName(String(r.assignee_id)) ?? ''}
          </Text>
        ) : null}
      </Group>
    );
  };

  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" mb="sm" id={headingId}>
        {t('timeline')}
      </Title>
      {!tl.data ? (
        <Loader size="sm" aria-label={t('loading')} />
      ) : items.length === 0 ? (
        <Text c="gray.7" size="sm">
          {t('timelineEmpty')}
        </Text>
      ) : (
        <Stack gap="sm">
          <Timeline bulletSize={14} lineWidth={2}>
            {items.map((item) => {
              const key =
                item.type === 'activity'
                  ? String(item.record?.kind ?? 'note')
                  : item.type === 'task'
                    ? 'task'
                    : (item.action ?? 'update');
              const link =
                item.type === 'change' ? null : item.type === 'activity' ? 'activities' : 'tasks';
              return (
                <Timeline.Item
                  key={`${item.type}:${item.id}`}
                  color={COLORS[key] ?? 'gray'}
                  title={
                    link ? (
                      <Anchor
                        size="sm"
                        fw={600}
                        renderRoot={(props) => (
                          <Link
                            to="/o/$object/$id"
                            params={{ object: link, id: item.id }}
                            {...props}
                          />
                        )}
                      >
                        {title(item)}
                      </Anchor>
                    ) : (
                      title(item)
                    )
                  }
                >
                  <Text size="xs" c="gray.7">
                    {formatDateTime(item.at, locale, timeZone)}
                    {item.type === 'change' && changedBy(item) ? ` · ${changedBy(item)}` : ''}
                  </Text>
                  {item.type === 'change' ? changeLines(item) : body(item)}
                </Timeline.Item>
              );
            })}
          </Timeline>
          {tl.hasNextPage && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => void tl.fetchNextPage()}
              loading={tl.isFetchingNextPage}
            >
              {t('showMore')}
            </Button>
          )}
        </Stack>
      )}
    </Card>
  );
}
