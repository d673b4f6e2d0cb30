import { Anchor, Badge, Button, Group, Loader, Modal, Stack, Tabs, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord, FieldMeta, ObjectMeta, Page } from '../../api/client';
import { api } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { RecordForm } from '../RecordForm';
import { useLeaveGuard } from './LeaveGuard';
import { ValueText } from './InlineField';
import { timelineKey } from './RecordTimeline';

export interface RelatedListMeta {
  name: string;
  label: string;
  object: string;
  field: string;
}

const PAGE = 50;

/** The key of a related list's query, for refreshing it after a change elsewhere. */
export function relatedKey(object: string, id: string, list?: string) {
  return list ? ['related', object, id, list] : ['related', object, id];
}

/**
 * The records that point at this one, one tab per list, each with its count: a company's
 * contacts and deals, and the tasks of any record. "Add" opens the child's form with the
 * relation filled in.
 */
export function RelatedLists({
  object,
  record,
  lists,
  readOnly,
}: {
  object: ObjectMeta;
  record: ApiRecord;
  lists: RelatedListMeta[];
  readOnly: boolean;
}) {
  const { t } = useTranslation('record');
  const [tab, setTab] = useState<string | null>(lists[0]?.name ?? null);
  if (lists.length === 0) return null;
  return (
    <Tabs value={tab} onChange={setTab} mt="md" keepMounted={false}>
      <Tabs.List className="kontor-scroll-tabs" aria-label={t('relatedLists')}>
        {lists.map((l) => (
          <Tabs.Tab
            key={l.name}
            value={l.name}
            rightSection={<Count object={object.name} id={record.id} list={l.name} />}
          >
            {l.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {lists.map((l) => (
        <Tabs.Panel key={l.name} value={l.name} pt="xs">
          <RelatedList object={object} record={record} list={l} readOnly={readOnly} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

function useRelated(object: string, id: string, list: string) {
  return useQuery({
    queryKey: relatedKey(object, id, list),
    queryFn: () =>
      api<Page>('GET', `/api/v1/${object}/${id}/related/${list}?limit=${PAGE}&count=true`),
  });
}

function Count({ object, id, list }: { object: string; id: string; list: string }) {
  const page = useRelated(object, id, list);
  if (page.data?.total === undefined) return null;
  return (
    <Badge size="sm" variant="light" color={page.data.total ? 'blue' : 'gray'} circle={false}>
      {page.data.total}
    </Badge>
  );
}

/** A second line for a related record: its first filled fields after the name. */
function summaryFields(child: ObjectMeta): FieldMeta[] {
  const preferred = ['amount', 'stage_id', 'status', 'job_title', 'email', 'due_date', 'city'];
  const found = preferred
    .map((n) => child.fields.find((f) => f.name === n))
    .filter((f): f is FieldMeta => !!f);
  // A deal's status follows its stage ("Won · Won"): the stage alone says it.
  const hasStage = found.some((f) => f.name === 'stage_id');
  return found.filter((f) => !(hasStage && f.name === 'status')).slice(0, 3);
}

function RelatedList({
  object,
  record,
  list,
  readOnly,
}: {
  object: ObjectMeta;
  record: ApiRecord;
  list: RelatedListMeta;
  readOnly: boolean;
}) {
  const { t } = useTranslation('record');
  const queryClient = useQueryClient();
  const objects = useObjects();
  const child = objects.data?.find((o) => o.name === list.object);
  const page = useRelated(object.name, record.id, list.name);
  const [adding, setAdding] = useState(false);
  const [dirty, setDirty] = useState(false);
  // Only closing the dialog is asked about here: the form guards navigation itself.
  const guard = useLeaveGuard(dirty, { navigation: false });
  if (page.error) return <ErrorNote error={page.error} />;
  if (!page.data || !child) return <Loader size="sm" aria-label={t('loading')} />;
  const polymorphic = list.field === 'related_id';
  // A link only the system sets (a lead's converted deal) cannot be filled in by hand.
  const linkReadOnly = !!child.fields.find((f) => f.name === list.field)?.read_only;
  const initial = polymorphic
    ? { related_object: object.name, related_id: record.id }
    : { [list.field]: record.id };
  const hidden = polymorphic ? ['related_object', 'related_id'] : [];
  const rows = page.data.data;
  const total = page.data.total ?? rows.length;
  const extra = summaryFields(child);
  const close = async () => {
    if (await guard.confirm()) {
      setDirty(false);
      setAdding(false);
    }
  };

  return (
    <Stack gap="xs">
      {guard.dialog}
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="gray.7">
          {t('relatedCount', { count: total })}
        </Text>
        {!readOnly && !linkReadOnly && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('addChild', { object: child.label_singular })}
          </Button>
        )}
      </Group>
      {rows.length === 0 ? (
        <Text c="gray.7" size="sm" py="sm">
          {t('relatedEmpty', { list: list.label })}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {rows.map((r) => (
            <li key={r.id}>
              <Anchor
                size="sm"
                fw={500}
                renderRoot={(props) => (
                  <Link to="/o/$object/$id" params={{ object: child.name, id: r.id }} {...props} />
                )}
              >
                {String(r[child.title_field] ?? '') || t('noName')}
              </Anchor>
              {extra.some((f) => r[f.name] !== null && r[f.name] !== undefined) && (
                <Text size="xs" c="gray.7" component="div">
                  {extra
                    .filter(
                      (f) => r[f.name] !== null && r[f.name] !== undefined && r[f.name] !== '',
                    )
                    .map((f, i) => (
                      <span key={f.name}>
                        {i > 0 ? ' · ' : ''}
                        <ValueText field={f} value={r[f.name]} />
                      </span>
                    ))}
                </Text>
              )}
            </li>
          ))}
        </Stack>
      )}
      {page.data.next_cursor && (
        <Text size="xs" c="gray.7">
          {t('showingFirst', { count: PAGE, total })}
        </Text>
      )}
      {adding && (
        <Modal
          closeButtonProps={{ 'aria-label': t('close') }}
          opened
          onClose={() => void close()}
          title={t('newChild', { object: child.label_singular })}
          size="xl"
        >
          <RecordForm
            object={child}
            initial={initial}
            hidden={hidden}
            onDirtyChange={setDirty}
            onCancel={() => {
              setDirty(false);
              setAdding(false);
            }}
            onSaved={() => {
              setDirty(false);
              setAdding(false);
              void queryClient.invalidateQueries({ queryKey: relatedKey(object.name, record.id) });
              void queryClient.invalidateQueries({ queryKey: timelineKey(object.name, record.id) });
              void queryClient.invalidateQueries({ queryKey: ['record', object.name, record.id] });
              void queryClient.invalidateQueries({ queryKey: ['list', child.name] });
            }}
          />
        </Modal>
      )}
    </Stack>
  );
}
