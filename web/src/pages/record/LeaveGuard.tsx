import { Button, Group, Modal, Text } from '@mantine/core';
import { useBlocker } from '@tanstack/react-router';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Keeps unsaved edits from being lost silently. While `dirty` is true, leaving the page inside
 * the app (a link, Back) opens a dialog that asks first, and closing or reloading the tab makes
 * the browser ask (`beforeunload`). `dirty` is read when the user leaves, so a form that has just
 * saved and navigates in the same tick is not asked about.
 *
 * Returns the dialog to render and `confirm`, which asks the same question before something the
 * app itself would throw away (closing a dialog, Cancel) and resolves to true when the user
 * agrees to discard. With `navigation: false` only `confirm` asks (for a dialog whose form
 * guards navigation itself).
 */
export function useLeaveGuard(
  dirty: boolean | (() => boolean),
  {
    navigation = true,
    settle,
  }: {
    navigation?: boolean;
    /** Waits for saves in flight before deciding (a blur saves as the user clicks a link). */
    settle?: () => Promise<unknown>;
  } = {},
): {
  dialog: ReactNode;
  confirm: () => Promise<boolean>;
} {
  const isDirty = useRef<() => boolean>(() => false);
  isDirty.current = typeof dirty === 'function' ? dirty : () => dirty;
  const blocker = useBlocker({
    shouldBlockFn: async () => {
      if (settle) await settle();
      return isDirty.current();
    },
    enableBeforeUnload: () => isDirty.current(),
    disabled: !navigation,
    withResolver: true,
  });
  const [asking, setAsking] = useState<((discard: boolean) => void) | null>(null);
  const confirm = useCallback(
    () =>
      isDirty.current()
        ? new Promise<boolean>((resolve) =>
            // After the event that asked (an Escape) is over: it must not close the question too.
            setTimeout(() => setAsking(() => resolve), 0),
          )
        : Promise.resolve(true),
    [],
  );
  const open = blocker.status === 'blocked' || asking !== null;
  const answer = (discard: boolean) => {
    if (blocker.status === 'blocked') {
      if (discard) blocker.proceed();
      else blocker.reset();
    }
    if (asking) {
      asking(discard);
      setAsking(null);
    }
  };
  return { dialog: <DiscardDialog opened={open} onAnswer={answer} />, confirm };
}

function DiscardDialog({
  opened,
  onAnswer,
}: {
  opened: boolean;
  onAnswer: (discard: boolean) => void;
}) {
  const { t } = useTranslation('record');
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (opened) setTimeout(() => stay.current?.focus(), 0);
  }, [opened]);
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('close') }}
      opened={opened}
      onClose={() => onAnswer(false)}
      title={t('unsavedTitle')}
      zIndex={400}
      centered
    >
      <Text size="sm">{t('unsavedText')}</Text>
      <Group justify="flex-end" mt="md">
        <Button ref={stay} variant="default" onClick={() => onAnswer(false)}>
          {t('keepEditing')}
        </Button>
        <Button color="red" onClick={() => onAnswer(true)}>
          {t('discardChanges')}
        </Button>
      </Group>
    </Modal>
  );
}
