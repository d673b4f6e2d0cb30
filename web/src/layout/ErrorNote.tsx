import { Alert } from '@mantine/core';
import { ApiError } from '../api/client';
import { useTranslation } from 'react-i18next';

/** A failed request, said plainly, with what the server said about each field. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation(['shell', 'common']);
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.errors.filter((e) => e.path) : [];
  const title =
    error instanceof ApiError && error.status < 500
      ? error.status === 400
        ? t('errorCheckInput')
        : error.status === 401
          ? t('errorNotSignedIn')
          : error.status === 403
            ? t('errorNotAllowed')
            : error.status === 404
              ? t('errorNotFound')
              : error.status === 409 || error.status === 412
                ? t('errorNotSaved')
                : t('errorCouldNot')
      : t('common:somethingWrong');
  return (
    <Alert color="red" title={title} role="alert">
      {details.length === 0 && message}
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={`${d.path}:${d.message}`}>
              {d.path}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
