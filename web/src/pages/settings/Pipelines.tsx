import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type DragEvent, type FormEvent } from 'react';
import { api, ApiError, type Page } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import { ConfirmModal, fieldErrors, FormError, useSettingsT } from './common';

type Kind = 'open' | 'won' | 'lost';
const KINDS: Kind[] = ['open', 'won', 'lost'];

interface Pipeline {
  id: string;
  name: string;
  is_default: boolean | null;
  position: number | null;
  version: number;
}

interface Stage {
  id: string;
  name: string;
  pipeline_id: string;
  position: number;
  probability: number | null;
  kind: Kind;
  version: number;
}

/** Every query the deals board and this page read pipelines and stages through. */
const STAGE_QUERIES = [
  ['settings', 'pipelines'],
  ['settings', 'stages'],
  ['settings', 'stage-deals'],
  ['pipelines'],
  ['stages'],
];

/** A 412 or a 409 from the server, said for this page. */
function explain(err: unknown, t: ReturnType<typeof useSettingsT>): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err.status === 412) return new ApiError(412, t('pipelines.stale'), [], err.body);
  const dependents = err.body.dependents as { object: string; count: number }[] | undefined;
  if (err.status === 409 && dependents?.length) {
    const deals = dependents.find((d) => d.object === 'deals')?.count ?? 0;
    return new ApiError(
      409,
      deals
        ? t('pipelines.stageHasDeals', { count: deals })
        : t('pipelines.stageInUse', { detail: err.message }),
      [],
      err.body,
    );
  }
  return err;
}

/** Pipelines and their stages: the columns of the deals board, in order. */
export function Pipelines() {
  const t = useSettingsT();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const pipelines = useQuery({
    queryKey: ['settings', 'pipelines'],
    queryFn: async () =>
      (await api<Page>('GET', '/api/v1/pipelines?sort=position&limit=100'))
        .data as unknown as Pipeline[],
  });
  const refresh = async () => {
    for (const queryKey of STAGE_QUERIES) await queryClient.invalidateQueries({ queryKey });
  };

  if (pipelines.error) return <ErrorNote error={pipelines.error} />;
  if (!pipelines.data) return <Loader aria-label={t('loading')} />;
  const pipeline =
    pipelines.data.find((p) => p.id === selected) ??
    pipelines.data.find((p) => p.is_default) ??
    pipelines.data[0];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('pipelines.title')}</Title>
        <Button onClick={() => setAdding(true)}>{t('pipelines.add')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('pipelines.intro')}
      </Text>
      {pipelines.data.length > 1 && (
        <Select
          label={t('pipelines.pipeline')}
          data={pipelines.data.map((p) => ({
            value: p.id,
            label: p.is_default ? `${p.name} (${t('pipelines.default')})` : p.name,
          }))}
          value={pipeline?.id ?? null}
          onChange={setSelected}
          allowDeselect={false}
          w={320}
        />
      )}
      {pipeline ? (
        <PipelineEditor
          key={pipeline.id}
          pipeline={pipeline}
          pipelines={pipelines.data}
          refresh={refresh}
        />
      ) : (
        <Text>{t('pipelines.none')}</Text>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('pipelines.add')}>
        <NewPipeline
          position={Math.max(0, ...pipelines.data.map((p) => p.position ?? 0)) + 1}
          onCreated={async (p) => {
            setAdding(false);
            await refresh();
            setSelected(p.id);
          }}
        />
      </Modal>
    </Stack>
  );
}

function NewPipeline({
  position,
  onCreated,
}: {
  position: number;
  onCreated: (p: Pipeline) => Promise<void>;
}) {
  const t = useSettingsT();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onCreated(
        await api<Pipeline>('POST', '/api/v1/pipelines', { name, position, is_default: false }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['name']} />
        <TextInput
          label={t('pipelines.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldErrors(error).get('name')}
        />
        <Text size="sm" c="dimmed">
          {t('pipelines.newHint')}
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t('pipelines.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One pipeline: its name, whether new deals go to it, and its stages in order. */
function PipelineEditor({
  pipeline,
  pipelines,
  refresh,
}: {
  pipeline: Pipeline;
  pipelines: Pipeline[];
  refresh: () => Promise<void>;
}) {
  const t = useSettingsT();
  const [name, setName] = useState(pipeline.name);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setName(pipeline.name), [pipeline.name]);

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(
        'PATCH',
        `/api/v1/pipelines/${pipeline.id}`,
        { name },
        { 'if-match': `"${pipeline.version}"` },
      );
      await refresh();
    } catch (err) {
      setError(explain(err, t));
    } finally {
      setBusy(false);
    }
  };
  const makeDefault = async () => {
    setError(null);
    try {
      // One batch with versions: all or nothing, and a concurrent change refuses it.
      await api('POST', '/api/v1/pipelines/batch', {
        operations: pipelines
          .filter((p) => (p.id === pipeline.id) !== !!p.is_default)
          .map((p) => ({
            op: 'update',
            id: p.id,
            version: p.version,
            data: { is_default: p.id === pipeline.id },
          })),
      });
      await refresh();
    } catch (err) {
      setError(explain(err, t));
    }
  };

  return (
    <Stack>
      <Paper withBorder p="md">
        <form onSubmit={rename} noValidate>
          <Group align="end">
            <TextInput
              label={t('pipelines.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldErrors(error).get('name')}
              w={320}
            />
            <Button
              type="submit"
              variant="default"
              loading={busy}
              disabled={name === pipeline.name}
            >
              {t('pipelines.rename')}
            </Button>
            {pipeline.is_default ? (
              <Badge variant="light" size="lg">
                {t('pipelines.defaultBadge')}
              </Badge>
            ) : (
              <Button variant="subtle" onClick={makeDefault}>
                {t('pipelines.makeDefault')}
              </Button>
            )}
          </Group>
        </form>
        {error !== null && (
          <Box mt="sm">
            <FormError error={error} shown={['name']} />
          </Box>
        )}
      </Paper>
      <StageList pipeline={pipeline} refresh={refresh} />
    </Stack>
  );
}

/** The stages of a pipeline: added, renamed, removed, moved by drag or by the keyboard. */
function StageList({ pipeline, refresh }: { pipeline: Pipeline; refresh: () => Promise<void> }) {
  const t = useSettingsT();
  const stages = useQuery({
    queryKey: ['settings', 'stages', pipeline.id],
    queryFn: async () =>
      (
        await api<Page>(
          'GET',
          `/api/v1/stages?filter[pipeline_id]=${pipeline.id}&sort=position&limit=100`,
        )
      ).data as unknown as Stage[],
  });
  const deals = useQuery({
    queryKey: ['settings', 'stage-deals', pipeline.id],
    queryFn: async () =>
      (
        await api<{ data: { group: unknown; count: number }[] }>(
          'GET',
          `/api/v1/deals/aggregate?group_by=stage_id&filter[pipeline_id]=${pipeline.id}`,
        )
      ).data,
  });
  // While a new order is being saved, it shows at once.
  const [pendingOrder, setPendingOrder] = useState<string[] | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<Stage | null>(null);

  if (stages.error) return <ErrorNote error={stages.error} />;
  if (!stages.data) return <Loader aria-label={t('loading')} />;
  const byId = new Map(stages.data.map((s) => [s.id, s]));
  const ordered = pendingOrder
    ? pendingOrder.map((id) => byId.get(id)).filter((s): s is Stage => !!s)
    : stages.data;
  const dealCount = (id: string) => deals.data?.find((g) => g.group === id)?.count ?? 0;

  const reorder = async (ids: string[], moved: Stage) => {
    const operations = ids
      .map((id, position) => ({ stage: byId.get(id)!, position }))
      .filter(({ stage, position }) => stage.position !== position)
      .map(({ stage, position }) => ({
        op: 'update',
        id: stage.id,
        version: stage.version,
        data: { position },
      }));
    if (!operations.length) return;
    setError(null);
    setPendingOrder(ids);
    setAnnouncement(
      t('pipelines.movedTo', {
        name: moved.name,
        position: ids.indexOf(moved.id) + 1,
        total: ids.length,
      }),
    );
    try {
      // Every position in one batch, each with the version it was read at: if anyone changed a
      // stage meanwhile, nothing moves and their change stays.
      await api('POST', '/api/v1/stages/batch', { operations });
    } catch (err) {
      setError(explain(err, t));
    } finally {
      await refresh();
      setPendingOrder(null);
    }
  };
  const move = (stage: Stage, by: -1 | 1) => {
    const ids = ordered.map((s) => s.id);
    const from = ids.indexOf(stage.id);
    const to = from + by;
    if (to < 0 || to >= ids.length) return;
    ids.splice(from, 1);
    ids.splice(to, 0, stage.id);
    void reorder(ids, stage);
  };
  const drop = (target: Stage) => {
    const source = dragging ? byId.get(dragging) : undefined;
    setDragging(null);
    setDropAt(null);
    if (!source || source.id === target.id) return;
    const ids = ordered.map((s) => s.id).filter((id) => id !== source.id);
    const from = ordered.findIndex((s) => s.id === source.id);
    const at = ordered.findIndex((s) => s.id === target.id);
    // Dropped on a stage: it takes that stage's place, which moves one step towards where it came from.
    ids.splice(from < at ? ids.indexOf(target.id) + 1 : ids.indexOf(target.id), 0, source.id);
    void reorder(ids, source);
  };

  return (
    <Stack gap="xs">
      <Title order={3}>{t('pipelines.stages')}</Title>
      <Text size="sm" c="dimmed">
        {t('pipelines.stagesHelp')}
      </Text>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      {error !== null && <ErrorNote error={error} />}
      <Stack
        gap={6}
        component="ol"
        aria-label={t('pipelines.stagesOf', { name: pipeline.name })}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {ordered.map((s, i) => (
          <Paper
            key={s.id}
            component="li"
            withBorder
            p="xs"
            aria-label={s.name}
            onDragOver={(e: DragEvent) => {
              if (!dragging) return;
              e.preventDefault();
              setDropAt(s.id);
            }}
            onDragLeave={() => setDropAt((cur) => (cur === s.id ? null : cur))}
            onDrop={(e: DragEvent) => {
              e.preventDefault();
              drop(s);
            }}
            style={{
              opacity: dragging === s.id ? 0.5 : 1,
              outline:
                dropAt === s.id && dragging !== s.id
                  ? '2px dashed var(--mantine-color-blue-5)'
                  : undefined,
            }}
          >
            <StageRow
              stage={s}
              deals={dealCount(s.id)}
              first={i === 0}
              last={i === ordered.length - 1}
              busy={!!pendingOrder}
              onMove={(by) => move(s, by)}
              onRemove={() => setRemoving(s)}
              onDragStart={(e) => {
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', s.id);
                setDragging(s.id);
              }}
              onDragEnd={() => {
                setDragging(null);
                setDropAt(null);
              }}
              refresh={refresh}
            />
          </Paper>
        ))}
      </Stack>
      {ordered.length === 0 && <Text size="sm">{t('pipelines.noStages')}</Text>}
      <NewStage
        pipeline={pipeline}
        position={Math.max(-1, ...stages.data.map((s) => s.position)) + 1}
        refresh={refresh}
      />
      <ConfirmModal
        opened={!!removing}
        title={t('pipelines.removeStageNamed', { name: removing?.name ?? '' })}
        confirmLabel={t('remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await api('DELETE', `/api/v1/stages/${removing.id}`, undefined, {
              'if-match': `"${removing.version}"`,
            });
          } catch (err) {
            throw explain(err, t);
          }
          await refresh();
        }}
      >
        {t('pipelines.removeStageText')}
      </ConfirmModal>
    </Stack>
  );
}

/** One stage: name and probability save when you leave them, the kind when you pick it. */
function StageRow({
  stage,
  deals,
  first,
  last,
  busy,
  onMove,
  onRemove,
  onDragStart,
  onDragEnd,
  refresh,
}: {
  stage: Stage;
  deals: number;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  onDragStart: (e: DragEvent) => void;
  onDragEnd: () => void;
  refresh: () => Promise<void>;
}) {
  const t = useSettingsT();
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState<number | string>(stage.probability ?? '');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setName(stage.name), [stage.name]);
  useEffect(() => setProbability(stage.probability ?? ''), [stage.probability]);
  const errors = fieldErrors(error);

  const save = async (patch: Partial<Stage>) => {
    setError(null);
    try {
      await api('PATCH', `/api/v1/stages/${stage.id}`, patch, { 'if-match': `"${stage.version}"` });
    } catch (err) {
      setError(explain(err, t));
      setName(stage.name);
      setProbability(stage.probability ?? '');
    }
    await refresh();
  };
  const saveName = () => {
    if (name.trim() && name !== stage.name) void save({ name });
    else setName(stage.name);
  };
  const saveProbability = () => {
    const next = probability === '' ? null : Number(probability);
    if (next !== stage.probability) void save({ probability: next });
  };

  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="center">
        <Box
          draggable={!busy}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          aria-hidden
          title={t('pipelines.dragHint')}
          data-drag-handle
          style={{ cursor: 'grab', userSelect: 'none', padding: '0 4px', fontSize: 18 }}
        >
          ⠿
        </Box>
        <TextInput
          aria-label={t('pipelines.stageName', { name: stage.name })}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={saveName}
          onKeyDown={(e) => {
            // Leaving the input saves it, once.
            if (e.key === 'Enter') {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
          error={errors.get('name')}
          style={{ flex: 1 }}
        />
        <NumberInput
          aria-label={t('pipelines.probabilityOf', { name: stage.name })}
          value={probability}
          onChange={setProbability}
          onBlur={saveProbability}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
          min={0}
          max={100}
          suffix=" %"
          allowDecimal={false}
          w={90}
          error={errors.get('probability')}
        />
        <NativeSelect
          aria-label={t('pipelines.kindOf', { name: stage.name })}
          data={KINDS.map((k) => ({ value: k, label: t(`pipelines.kind.${k}`) }))}
          value={stage.kind}
          onChange={(e) => void save({ kind: e.currentTarget.value as Kind })}
          error={errors.get('kind')}
          w={130}
        />
        <Text size="xs" c="dimmed" w={70} ta="right">
          {t('pipelines.deals', { count: deals })}
        </Text>
        <ActionIcon
          variant="subtle"
          aria-label={t('pipelines.moveUp', { name: stage.name })}
          disabled={first || busy}
          onClick={() => onMove(-1)}
        >
          ↑
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          aria-label={t('pipelines.moveDown', { name: stage.name })}
          disabled={last || busy}
          onClick={() => onMove(1)}
        >
          ↓
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={t('pipelines.removeStageNamed', { name: stage.name })}
          onClick={onRemove}
        >
          ×
        </ActionIcon>
      </Group>
      <FormError error={error} shown={['name', 'probability', 'kind']} />
    </Stack>
  );
}

function NewStage({
  pipeline,
  position,
  refresh,
}: {
  pipeline: Pipeline;
  position: number;
  refresh: () => Promise<void>;
}) {
  const t = useSettingsT();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('open');
  const [probability, setProbability] = useState<number | string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/stages', {
        name,
        pipeline_id: pipeline.id,
        position,
        kind,
        ...(probability === '' ? {} : { probability: Number(probability) }),
      });
      setName('');
      setProbability('');
      setKind('open');
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper
      withBorder
      p="xs"
      component="form"
      onSubmit={submit}
      noValidate
      aria-label={t('pipelines.addStage')}
    >
      <Group align="end" gap="xs">
        <TextInput
          label={t('pipelines.newStageName')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.get('name')}
          style={{ flex: 1 }}
        />
        <NumberInput
          label={t('pipelines.probability')}
          value={probability}
          onChange={setProbability}
          min={0}
          max={100}
          suffix=" %"
          allowDecimal={false}
          w={110}
          error={errors.get('probability')}
        />
        <NativeSelect
          label={t('pipelines.kindLabel')}
          data={KINDS.map((k) => ({ value: k, label: t(`pipelines.kind.${k}`) }))}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as Kind)}
          w={130}
        />
        <Button type="submit" loading={busy}>
          {t('pipelines.addStage')}
        </Button>
      </Group>
      <Box mt={4}>
        <FormError error={error} shown={['name', 'probability', 'kind']} />
      </Box>
    </Paper>
  );
}
