import { useQuery } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken, type ObjectMeta, type User } from './client';

/** The signed-in user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await api<{ user: User; csrf_token?: string }>('GET', '/api/auth/me');
        // A tab opened after sign-in learns the session's CSRF token here.
        if (me.csrf_token) setCsrfToken(me.csrf_token);
        return me.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
}

/** Every object the user may read, with its fields; the sidebar and every screen are built from it. */
export function useObjects(enabled = true) {
  return useQuery({
    queryKey: ['metadata'],
    enabled,
    queryFn: async () =>
      (await api<{ data: ObjectMeta[] }>('GET', '/api/v1/metadata/objects')).data,
  });
}

export function useObject(name: string) {
  const objects = useObjects();
  return {
    ...objects,
    data: objects.data?.find((o) => o.name === name),
    isPending: objects.isPending,
  };
}
