import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** The SLA endpoints' answers (docs/api.md, "SLA"). */

export type TimerStatus = 'running' | 'fulfilled' | 'breached' | 'cancelled';

export interface SlaTimer {
  id: string;
  policy_id: string;
  policy_name: string | null;
  status: TimerStatus;
  target_minutes: number;
  started_at: string;
  due_at: string;
  breached_at: string | null;
  stopped_at: string | null;
  working_minutes: number | null;
  late: boolean | null;
  /** Working minutes until due (negative when overdue); open timers only. */
  working_minutes_left: number | null;
}

export interface PolicyReport {
  policy_id: string;
  name: string;
  object: string;
  target_minutes: number;
  enabled: boolean;
  started: number;
  fulfilled: number;
  fulfilled_late: number;
  breached: number;
  running: number;
  cancelled: number;
  median_minutes: number | null;
  p95_minutes: number | null;
}

/** A record's timers; open ones are fetched again each minute, so the time left counts down. */
export function useSlaTimers(object: string, recordId: string) {
  return useQuery({
    queryKey: ['sla-timers', object, recordId],
    queryFn: async () =>
      (
        await api<{ data: SlaTimer[] }>(
          'GET',
          `/api/v1/sla/timers?object=${encodeURIComponent(object)}&record_id=${encodeURIComponent(recordId)}`,
        )
      ).data,
    refetchInterval: (q) =>
      q.state.data?.some((t) => t.status === 'running' || t.status === 'breached') ? 60_000 : false,
  });
}

export function useSlaReport(range: { from: string | null; to: string | null }) {
  const params = new URLSearchParams();
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return useQuery({
    queryKey: ['sla-report', range.from, range.to],
    queryFn: async () =>
      (await api<{ data: PolicyReport[] }>('GET', `/api/v1/sla/report?${params.toString()}`)).data,
  });
}
