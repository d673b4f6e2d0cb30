import { Alert } from '@mantine/core';
import { ApiError } from '../api/client';

/** A failed request, said plainly, with what the server said about each field. */
export function ErrorNote({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.errors.filter((e) => e.path) : [];
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      {message}
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
