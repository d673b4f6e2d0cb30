import {
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import {
  changedConfig,
  configFromState,
  formatCols,
  NO_VIEW,
  parseCols,
  stateFromView,
  useViewAction,
  type SavedView,
  type TableState,
  type ViewDefaults,
} from './views';

type Dialog = null | 'save' | 'rename' | 'delete';

/**
 * The saved views of a table: pick one, save the table as a new view or into the current one,
 * rename or delete it, and choose the view the table opens with.
 */
export function ViewPicker({
  object,
  state,
  views,
  defaults,
  current,
  modified,
  isAdmin,
  onApply,
}: {
  object: ObjectMeta;
  state: TableState;
  views: SavedView[];
  defaults: ViewDefaults | undefined;
  current: SavedView | undefined;
  modified: boolean;
  isAdmin: boolean;
  /** Shows a state in the table; `push` adds a step to the history (Back returns). */
  onApply: (next: TableState, push?: boolean) => void;
}) {
  const { t } = useTranslation('table');
  const action = useViewAction(object.name);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const plural = object.label_plural.toLowerCase();

  const label = (v: SavedView) =>
    v.id === defaults?.default_view_id ? `${v.name} (${t('defaultMark')})` : v.name;
  const mine = views.filter((v) => !v.shared);
  const everyone = views.filter((v) => v.shared);
  const data = [
    { value: NO_VIEW, label: t('allRecords') },
    ...(mine.length
      ? [{ group: t('myViews'), items: mine.map((v) => ({ value: v.id, label: label(v) })) }]
      : []),
    ...(everyone.length
      ? [
          {
            group: t('sharedViews'),
            items: everyone.map((v) => ({ value: v.id, label: label(v) })),
          },
        ]
      : []),
  ];

  const open = (d: Dialog) => {
    action.reset();
    setName(d === 'rename' && current ? current.name : '');
    setShared(false);
    setDialog(d);
  };
  // The state being saved, with its columns written out, so it no longer counts as changed.
  const explicit = (s: TableState): TableState => ({ ...s, cols: formatCols(parseCols(s.cols)) });

  const saveNew = async () => {
    const created = await action.mutateAsync({
      kind: 'create',
      name,
      shared: isAdmin && shared,
      config: configFromState(state),
    });
    setDialog(null);
    if (created) onApply(explicit({ ...state, view: created.id }), true);
  };
  const saveChanges = async () => {
    if (!current) return;
    await action.mutateAsync({
      kind: 'update',
      view: current,
      config: changedConfig(state, current),
    });
    onApply(explicit(state));
  };
  const rename = async () => {
    if (!current) return;
    await action.mutateAsync({ kind: 'update', view: current, name });
    setDialog(null);
  };
  const remove = async () => {
    if (!current) return;
    await action.mutateAsync({ kind: 'delete', view: current });
    setDialog(null);
    onApply({ ...state, view: NO_VIEW });
  };
  const run = (p: Promise<unknown>) => void p.catch(() => undefined);
  const isMyDefault = !!current && defaults?.my_default_view_id === current.id;
  const isSharedDefault = !!current && defaults?.shared_default_view_id === current.id;

  return (
    <Group gap="xs" align="end" wrap="wrap">
      <Select
        label={t('view')}
        data={data}
        value={current?.id ?? NO_VIEW}
        allowDeselect={false}
        w={240}
        onChange={(v) => {
          if (!v || v === (current?.id ?? NO_VIEW)) return;
          const picked = views.find((x) => x.id === v);
          onApply(picked ? stateFromView(picked) : { view: NO_VIEW }, true);
        }}
      />
      {current && modified && (
        <Badge variant="outline" color="blue.9" title={t('modifiedHint')} aria-live="polite">
          {t('modified')}
        </Badge>
      )}
      {current?.can_edit && modified && (
        <Button
          size="xs"
          variant="light"
          loading={action.isPending && dialog === null}
          onClick={() => run(saveChanges())}
        >
          {t('saveChanges')}
        </Button>
      )}
      <Button size="xs" variant="default" onClick={() => open('save')}>
        {t('saveViewAs')}
      </Button>
      {current && (
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="subtle" aria-label={t('viewOptions')}>
              ⋯
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {modified && (
              <Menu.Item onClick={() => onApply(stateFromView(current))}>
                {t('resetChanges')}
              </Menu.Item>
            )}
            {current.can_edit && (
              <Menu.Item onClick={() => open('rename')}>{t('rename')}</Menu.Item>
            )}
            <Menu.Item
              onClick={() =>
                run(
                  action.mutateAsync({
                    kind: 'myDefault',
                    viewId: isMyDefault ? null : current.id,
                  }),
                )
              }
            >
              {isMyDefault
                ? t('clearMyDefault', { label: plural })
                : t('setMyDefault', { label: plural })}
            </Menu.Item>
            {isAdmin && current.shared && (
              <Menu.Item
                onClick={() =>
                  run(
                    action.mutateAsync({
                      kind: 'sharedDefault',
                      viewId: isSharedDefault ? null : current.id,
                    }),
                  )
                }
              >
                {isSharedDefault ? t('clearSharedDefault') : t('setSharedDefault')}
              </Menu.Item>
            )}
            {current.can_edit && (
              <Menu.Item color="red" onClick={() => open('delete')}>
                {t('deleteView')}
              </Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      )}
      {dialog === null && action.error && <ErrorNote error={action.error} />}

      <Modal
        opened={dialog === 'save' || dialog === 'rename'}
        onClose={() => setDialog(null)}
        title={dialog === 'rename' ? t('renameTitle') : t('saveViewTitle')}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run(dialog === 'rename' ? rename() : saveNew());
          }}
        >
          <Stack>
            <TextInput
              label={t('viewName')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={100}
              required
              data-autofocus
            />
            {dialog === 'save' && isAdmin && (
              <Checkbox
                label={t('sharedLabel', { label: plural })}
                description={t('sharedHint')}
                checked={shared}
                onChange={(e) => setShared(e.currentTarget.checked)}
              />
            )}
            {action.error && <ErrorNote error={action.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDialog(null)}>
                {t('cancel', { ns: 'common' })}
              </Button>
              <Button type="submit" loading={action.isPending}>
                {t('save', { ns: 'common' })}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal
        opened={dialog === 'delete'}
        onClose={() => setDialog(null)}
        title={t('deleteViewTitle')}
      >
        <Stack>
          <Text>{t('deleteViewConfirm', { name: current?.name ?? '' })}</Text>
          {action.error && <ErrorNote error={action.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDialog(null)}>
              {t('cancel', { ns: 'common' })}
            </Button>
            <Button color="red" loading={action.isPending} onClick={() => run(remove())}>
              {t('delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
