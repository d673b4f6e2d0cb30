import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import type {
  Catalog,
  Definition,
  ProblemPath,
  Process,
  ProcessWithDefinition,
  Run,
  RunDetail,
} from './types';

/** The automation API (/api/v1/automation): processes, their runs, validation, the catalog. */

const BASE = '/api/v1/automation';

/** Every automation query's key starts with this, so one change refreshes them all. */
export const AUTOMATION = 'automation';

export function useProcesses(enabled = true) {
  return useQuery({
    queryKey: [AUTOMATION, 'processes'],
    enabled,
    queryFn: async () => (await api<{ data: Process[] }>('GET', `${BASE}/processes`)).data,
  });
}

export function useProcess(id: string | null) {
  return useQuery({
    queryKey: [AUTOMATION, 'process', id],
    enabled: !!id,
    queryFn: () =>
      api<ProcessWithDefinition>('GET', `${BASE}/processes/${encodeURIComponent(id!)}`),
  });
}

/**
 * Webhook secrets from the save that made them, by process id: the server shows one only in
 * that answer, and the editor shows it once after the page has moved to the saved process.
 */
export const freshWebhookTokens = new Map<string, string>();

export function saveProcess(
  id: string | null,
  body: { name: string; description?: string; definition: Definition },
) {
  return id
    ? api<ProcessWithDefinition>('PUT', `${BASE}/processes/${encodeURIComponent(id)}`, body)
    : api<ProcessWithDefinition>('POST', `${BASE}/processes`, { ...body, enabled: false });
}

export function setEnabled(id: string, enabled: boolean) {
  return api<Process>(
    'POST',
    `${BASE}/processes/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`,
  );
}

export function deleteProcess(id: string) {
  return api<void>('DELETE', `${BASE}/processes/${encodeURIComponent(id)}`);
}

/** The server's check of a definition as the user edits it (an answer, never an error). */
export function useValidation(definition: Definition | null) {
  const body = definition ? JSON.stringify(definition) : '';
  return useQuery({
    queryKey: [AUTOMATION, 'validate', body],
    enabled: !!definition,
    staleTime: Infinity,
    queryFn: async () =>
      (await api<{ errors: ProblemPath[] }>('POST', `${BASE}/validate`, { definition })).errors,
  });
}

export function useCatalog() {
  return useQuery({
    queryKey: [AUTOMATION, 'catalog'],
    staleTime: 5 * 60_000,
    queryFn: () => api<Catalog>('GET', `${BASE}/catalog`),
  });
}

export interface RunFilter {
  process_id?: string;
  status?: string;
}

const PAGE = 50;

export function useRuns(filter: RunFilter) {
  const params = new URLSearchParams();
  if (filter.process_id) params.set('process_id', filter.process_id);
  if (filter.status) params.set('status', filter.status);
  params.set('limit', String(PAGE));
  const query = params.toString();
  return useInfiniteQuery({
    queryKey: [AUTOMATION, 'runs', query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<{ data: Run[]; next_cursor: string | null }>(
        'GET',
        `${BASE}/runs?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.next_cursor,
    // Runs move on by themselves: look again while the list is on screen.
    refetchInterval: 10_000,
  });
}

export function useRun(id: string) {
  return useQuery({
    queryKey: [AUTOMATION, 'run', id],
    queryFn: () => api<RunDetail>('GET', `${BASE}/runs/${encodeURIComponent(id)}`),
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'running' || q.state.data.status === 'waiting')
        ? 3_000
        : false,
  });
}

export function runAction(id: string, action: 'retry' | 'stop') {
  return api<Run>('POST', `${BASE}/runs/${encodeURIComponent(id)}/${action}`);
}

export function useRefreshAutomation() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [AUTOMATION] });
}

export interface StageOption {
  id: string;
  name: string;
  pipeline_id: string;
  position: number;
}

export interface PipelineOption {
  id: string;
  name: string;
}

/** Every stage with its pipeline's name, for stage triggers and the move-to-stage step. */
export function useStages() {
  return useQuery({
    queryKey: [AUTOMATION, 'stages'],
    staleTime: 60_000,
    queryFn: async () => {
      const [stages, pipelines] = await Promise.all([
        api<Page>('GET', '/api/v1/stages?sort=position&limit=500&fields=name,pipeline_id,position'),
        api<Page>('GET', '/api/v1/pipelines?sort=position&limit=100&fields=name'),
      ]);
      return {
        stages: stages.data as unknown as StageOption[],
        pipelines: pipelines.data as unknown as PipelineOption[],
      };
    },
  });
}
