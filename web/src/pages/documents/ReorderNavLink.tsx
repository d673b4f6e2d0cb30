import { NavLink } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/client';

/** The sidebar's way to the reorder screen, for those who may read reorder points. */
export function ReorderNavLink({
  objects,
  path,
  onClick,
}: {
  objects: ObjectMeta[] | undefined;
  path: string;
  onClick: () => void;
}) {
  const { t } = useTranslation('documents');
  if (!objects?.some((o) => o.name === 'reorder_points')) return null;
  return (
    <NavLink
      mt="md"
      renderRoot={(props) => <Link to="/stock/reorder" {...props} />}
      label={t('reorderNav')}
      active={path === '/stock/reorder'}
      onClick={onClick}
    />
  );
}
