import { Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ObjectMeta } from '../api/client';
import { useObject } from '../api/hooks';
import { ErrorNote } from './ErrorNote';
import { useTranslation } from 'react-i18next';

/** Renders a page of one object once its metadata is loaded; an unknown name says so. */
export function WithObject({
  name,
  children,
}: {
  name: string;
  children: (object: ObjectMeta) => ReactNode;
}) {
  const { t } = useTranslation(['shell', 'common']);
  const object = useObject(name);
  if (object.error) return <ErrorNote error={object.error} />;
  if (!object.data) {
    return object.isPending ? (
      <Loader aria-label={t('common:loading')} />
    ) : (
      <ErrorNote error={t('noObject', { name })} />
    );
  }
  return <>{children(object.data)}</>;
}
