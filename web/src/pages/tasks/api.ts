import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiRecord, type Page } from '../../api/client';

/** Statuses of work still to do (the server's "finished" ones are done and cancelled). */
export const UNFINISHED = ['open', 'waiting', 'in_progress'];

/** The list endpoint's query for tasks: `params` are already-encoded `filter[...]` pairs. */
export function useTaskList(key: unknown[], params: [string, string][], enabled = true) {
  return useQuery({
    queryKey: ['tasks-list', ...key],
    enabled,
    queryFn: async () => {
      const qs = new URLSearchParams([
        ...params,
        ['sort', 'due_effective_at'],
        ['limit', '200'],
      ]).toString();
      return (await api<Page>('GET', `/api/v1/tasks?${qs}`)).data;
    },
  });
}

/** The queues a user is a member of, and every queue the user may see. */
export function useQueues(userId: string | undefined) {
  const mine = useQuery({
    queryKey: ['queue-members', userId],
    enabled: !!userId,
    queryFn: async () =>
      (await api<Page>('GET', `/api/v1/queue_members?filter[user_id]=${userId}&limit=500`)).data,
  });
  const all = useQuery({
    queryKey: ['queues'],
    queryFn: async () => (await api<Page>('GET', '/api/v1/queues?sort=name&limit=500')).data,
  });
  const memberOf = new Set((mine.data ?? []).map((m) => String(m.queue_id)));
  return {
    all: all.data ?? [],
    mine: (all.data ?? []).filter((q) => memberOf.has(q.id)),
    isPending: mine.isPending || all.isPending,
    error: mine.error ?? all.error,
  };
}

/** The records of a task's part (its checklist, comments, ...), oldest or by position first. */
export function useTaskParts(object: string, taskId: string, sort = 'created_at') {
  return useQuery({
    queryKey: ['task-parts', object, taskId],
    queryFn: async () =>
      (await api<Page>('GET', `/api/v1/${object}?filter[task_id]=${taskId}&sort=${sort}&limit=500`))
        .data as ApiRecord[],
  });
}

/** After a change to a task's part: its list, the task itself and lists of tasks are stale. */
export function useRefreshTask() {
  const queryClient = useQueryClient();
  return async (object: string, taskId: string) => {
    await queryClient.invalidateQueries({ queryKey: ['task-parts', object, taskId] });
    await queryClient.invalidateQueries({ queryKey: ['record', 'tasks'] });
    await queryClient.invalidateQueries({ queryKey: ['tasks-list'] });
    await queryClient.invalidateQueries({ queryKey: ['related'] });
  };
}
