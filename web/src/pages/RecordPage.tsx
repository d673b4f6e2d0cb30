import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RecordForm } from './RecordForm';
import { Link, useParams } from '@tanstack/react-router';
import { api, type ApiRecord, type FieldMeta, type ObjectMeta, type Page } from '../api/client';
import { useMe, useObject, useObjects } from '../api/hooks';
import { useTitles } from '../api/titles';
import { formatValue } from '../format';
import { ErrorNote } from '../layout/ErrorNote';

interface TimelineItem {
  type: 'change' | 'activity' | 'task';
  id: string;
  at: string;
  action?: string;
  changes?: Record<string, [unknown, unknown]>;
  record?: ApiRecord;
}

export function RecordPage() {
  const { object: name, id } = useParams({ from: '/o/$object/$id' });
  const object = useObject(name);
  const record = useQuery({
    queryKey: ['record', name, id],
    queryFn: () => api<ApiRecord>('GET', `/api/v1/${name}/${id}`),
  });
  if (object.error || record.error) return <ErrorNote error={object.error ?? record.error} />;
  if (!object.data || !record.data) return <Loader aria-label="Loading" />;
  return <RecordView object={object.data} record={record.data} />;
}

/** People by id, for owners and assignees. */
function useUsers() {
  return useQuery({
    queryKey: ['users'],
    staleTime: 60_000,
    queryFn: async () =>
      (await api<{ data: { id: string; name: string }[] }>('GET', '/api/v1/users')).data,
  });
}

function RelationValue({ field, value }: { field: FieldMeta; value: string }) {
  const titles = useTitles(field.target, [value]);
  const users = useUsers();
  if (field.target === 'users')
    return <>{users.data?.find((u) => u.id === value)?.name ?? value}</>;
  return (
    <Anchor
      renderRoot={(props) => (
        <Link to="/o/$object/$id" params={{ object: field.target!, id: value }} {...props} />
      )}
    >
      {titles.data?.get(value) ?? value}
    </Anchor>
  );
}

function RecordView({ object, record }: { object: ObjectMeta; record: ApiRecord }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const locale = me.data?.locale === 'uk' ? 'uk-UA' : 'en-GB';
  const fields = object.fields.filter((f) => !f.is_system && !f.name.endsWith('_e164'));
  const title = String(record[object.title_field] ?? '') || `(no name)`;

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/o/$object" params={{ object: object.name }} {...props} />
            )}
          >
            {object.label_plural}
          </Anchor>
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
        </div>
        <Group>
          {record.deleted_at ? <Badge color="red">Deleted</Badge> : null}
          {!editing && !record.deleted_at && <Button onClick={() => setEditing(true)}>Edit</Button>}
        </Group>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            {editing ? (
              <RecordForm
                object={object}
                record={record}
                onCancel={() => setEditing(false)}
                onSaved={(saved) => {
                  queryClient.setQueryData(['record', object.name, record.id], saved);
                  void queryClient.invalidateQueries({
                    queryKey: ['timeline', object.name, record.id],
                  });
                  void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
                  setEditing(false);
                }}
              />
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {fields.map((f) => (
                  <div key={f.name}>
                    <Text size="xs" c="dimmed">
                      {f.label}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {f.type === 'relation' && typeof record[f.name] === 'string' ? (
                        <RelationValue field={f} value={record[f.name] as string} />
                      ) : (
                        formatValue(f, record[f.name], locale) || '—'
                      )}
                    </Text>
                  </div>
                ))}
              </SimpleGrid>
            )}
          </Card>
          <RelatedLists object={object} id={record.id} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline object={object} id={record.id} locale={locale} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function RelatedLists({ object, id }: { object: ObjectMeta; id: string }) {
  const lists = object.related_lists;
  if (lists.length === 0) return null;
  return (
    <Tabs defaultValue={lists[0].name} mt="md">
      <Tabs.List>
        {lists.map((l) => (
          <Tabs.Tab key={`${l.object}.${l.field}`} value={l.name}>
            {l.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {lists.map((l) => (
        <Tabs.Panel key={`${l.object}.${l.field}`} value={l.name} pt="xs">
          <RelatedList objectName={object.name} id={id} list={l.name} childName={l.object} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

function RelatedList({
  objectName,
  id,
  list,
  childName,
}: {
  objectName: string;
  id: string;
  list: string;
  childName: string;
}) {
  const objects = useObjects();
  const child = objects.data?.find((o) => o.name === childName);
  const page = useQuery({
    queryKey: ['related', objectName, id, list],
    queryFn: () => api<Page>('GET', `/api/v1/${objectName}/${id}/related/${list}?limit=50`),
  });
  if (page.error) return <ErrorNote error={page.error} />;
  if (!page.data || !child) return <Loader size="sm" aria-label="Loading" />;
  if (page.data.data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        None yet.
      </Text>
    );
  return (
    <Stack gap={4}>
      {page.data.data.map((r) => (
        <Anchor
          key={r.id}
          size="sm"
          renderRoot={(props) => (
            <Link to="/o/$object/$id" params={{ object: childName, id: r.id }} {...props} />
          )}
        >
          {String(r[child.title_field] ?? '') || '(no name)'}
        </Anchor>
      ))}
      {page.data.next_cursor && (
        <Text size="xs" c="dimmed">
          Showing the first 50.
        </Text>
      )}
    </Stack>
  );
}

function RecordTimeline({
  object,
  id,
  locale,
}: {
  object: ObjectMeta;
  id: string;
  locale: string;
}) {
  const tl = useQuery({
    queryKey: ['timeline', object.name, id],
    queryFn: () =>
      api<{ data: TimelineItem[] }>('GET', `/api/v1/${object.name}/${id}/timeline?limit=50`),
  });
  if (tl.error) return <ErrorNote error={tl.error} />;
  if (!tl.data) return <Loader size="sm" aria-label="Loading" />;
  const when = (at: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(at),
    );
  const label = (name: string) => object.fields.find((f) => f.name === name)?.label ?? name;
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Timeline
      </Title>
      {tl.data.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing has happened yet.
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2}>
          {tl.data.data.map((item) => (
            <Timeline.Item
              key={item.id}
              title={
                item.type === 'change'
                  ? `${item.action}`
                  : item.type === 'activity'
                    ? String(item.record?.kind ?? 'activity')
                    : `task: ${String(item.record?.title ?? '')}`
              }
            >
              <Text size="xs" c="dimmed">
                {when(item.at)}
              </Text>
              {item.type === 'change' && item.action === 'merge' && (
                <Text size="sm">
                  {item.changes?.merged_ids
                    ? `${(item.changes.merged_ids[1] as string[]).length} duplicate(s) merged into this record`
                    : 'A duplicate merged into this record'}
                </Text>
              )}
              {item.type === 'change' &&
                item.action !== 'merge' &&
                Object.entries(item.changes ?? {})
                  .filter(([f]) => object.fields.some((x) => x.name === f))
                  .slice(0, 8)
                  .map(([f, [, after]]) => {
                    const field = object.fields.find((x) => x.name === f)!;
                    return (
                      <Text key={f} size="sm">
                        {label(f)}:{' '}
                        {after === null ? (
                          '—'
                        ) : field.type === 'relation' && typeof after === 'string' ? (
                          <RelationValue field={field} value={after} />
                        ) : (
                          formatValue(field, after, locale)
                        )}
                      </Text>
                    );
                  })}
              {item.type !== 'change' && (
                <Text size="sm">
                  {String(
                    item.record?.subject ?? item.record?.body ?? item.record?.description ?? '',
                  )}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}
