import { Anchor } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { RecordSectionProps } from '../record/sections';

/** The way from a queue (a department) to its tasks on the board, by status. */
export function QueueBoardLink({ record }: RecordSectionProps) {
  const { t } = useTranslation('tasks');
  return <QueueBoardAnchor id={record.id} label={t('board', { name: String(record.name) })} />;
}

export function QueueBoardAnchor({ id, label }: { id: string; label: string }) {
  return (
    <Anchor
      renderRoot={(props) => (
        <Link
          to="/board/$object"
          params={{ object: 'tasks' }}
          search={{ filter: { queue_id: { eq: id } } }}
          {...props}
        />
      )}
    >
      {label}
    </Anchor>
  );
}
