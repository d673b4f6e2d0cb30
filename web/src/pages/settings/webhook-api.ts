import { useTranslation } from 'react-i18next';

export const EVENT_KINDS = ['created', 'updated', 'deleted', 'restored'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const DELIVERY_STATUSES = ['queued', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Subscription {
  id: string;
  name: string;
  target_url: string;
  object: string;
  events: EventKind[];
  enabled: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  secret_rotated_at: string | null;
  /** Only in the answers to create and rotate-secret. */
  secret?: string;
}

export interface Delivery {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  object: string;
  record_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface DeliveryDetail extends Delivery {
  body: unknown;
  attempt_log: {
    attempt: number;
    at: string;
    ok: boolean;
    status_code: number | null;
    duration_ms: number;
    response_body: string | null;
    error: string | null;
  }[];
}

/** The words of Settings → Webhooks. */
export function useWebhooksT() {
  return useTranslation('webhooks').t;
}

export const STATUS_COLORS: Record<DeliveryStatus, string> = {
  queued: 'blue',
  delivered: 'teal',
  failed: 'red',
  skipped: 'gray',
};
