import { Alert } from '@mantine/core';
import { ApiError } from '../api/client';

/** A failed request, said plainly, with what the server said about each field. */
export function ErrorNote({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.errors.filter((e) => e.path) : [];
  const title =
    error instanceof ApiError && error.status < 500
      ? error.status === 400
        ? 'Please check what you entered'
        : error.status === 401
          ? 'Not signed in'
          : error.status === 403
            ? 'Not allowed'
            : error.status === 404
              ? 'Not found'
              : error.status === 409 || error.status === 412
                ? 'Not saved'
                : 'Could not do that'
      : 'Something went wrong';
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
