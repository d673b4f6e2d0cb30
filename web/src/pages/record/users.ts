import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface UserOption {
  id: string;
  name: string;
  email: string;
  is_active?: boolean;
}

/** Everyone who may own or be given a record, for owners and assignees. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['users'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => (await api<{ data: UserOption[] }>('GET', '/api/v1/users')).data,
  });
}
