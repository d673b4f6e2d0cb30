type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each part, like target_url or events.1'),
  '401': problem('No valid session or API key'),
  '403': problem('Only administrators manage webhooks'),
  '404': problem('No such subscription or delivery'),
};
const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const tags = ['Webhooks'];
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const EVENT_KINDS = ['created', 'updated', 'deleted', 'restored'];
const STATUSES = ['queued', 'delivered', 'failed', 'skipped'];

/** Schemas of webhook subscriptions and deliveries, for components.schemas. */
export function webhookSchemas(): Record<string, Schema> {
  const writable = {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    target_url: {
      type: 'string',
      format: 'uri',
      maxLength: 2000,
      description:
        'http or https; private, loopback and link-local addresses are refused unless the server allows private targets',
    },
    object: { type: 'string', description: 'an object API name, custom objects included' },
    events: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: EVENT_KINDS },
    },
    enabled: { type: 'boolean', default: true },
  };
  return {
    WebhookSubscription: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        ...writable,
        created_by: { type: 'string', format: 'uuid' },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
        secret_rotated_at: { type: ['string', 'null'], format: 'date-time' },
        secret: {
          type: 'string',
          description: 'the signing secret; only in the answers to create and rotate-secret',
        },
      },
    },
    WebhookSubscriptionCreate: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'target_url', 'object', 'events'],
      properties: writable,
    },
    WebhookSubscriptionUpdate: {
      type: 'object',
      additionalProperties: false,
      properties: writable,
    },
    WebhookDelivery: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        subscription_id: { type: 'string', format: 'uuid' },
        event_id: {
          type: 'string',
          format: 'uuid',
          description: 'the same on retries and replays',
        },
        event_type: { type: 'string', description: 'like companies.updated' },
        object: { type: 'string' },
        record_id: { type: 'string', format: 'uuid' },
        status: {
          type: 'string',
          enum: STATUSES,
          description:
            'queued (waiting or between retries), delivered, failed (parked after its attempts, or refused), skipped (the creator may not read the record)',
        },
        attempts: { type: 'integer' },
        last_status_code: { type: ['integer', 'null'] },
        last_error: { type: ['string', 'null'] },
        replay_of: { type: ['string', 'null'], format: 'uuid' },
        created_at: { type: 'string', format: 'date-time' },
        delivered_at: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    WebhookDeliveryDetail: {
      allOf: [
        ref('WebhookDelivery'),
        {
          type: 'object',
          properties: {
            body: { description: 'the JSON body sent (null when skipped)' },
            attempt_log: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  attempt: { type: 'integer' },
                  at: { type: 'string', format: 'date-time' },
                  ok: { type: 'boolean' },
                  status_code: { type: ['integer', 'null'] },
                  duration_ms: { type: 'integer' },
                  response_body: {
                    type: ['string', 'null'],
                    description: 'the first 1,000 characters of the answer',
                  },
                  error: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/** Paths of webhook subscriptions and their delivery log, for paths. */
export function webhookPaths(): Record<string, Schema> {
  const body = (name: string) => ({
    required: true,
    content: { 'application/json': { schema: ref(name) } },
  });
  const one = (description: string) => json(ref('WebhookSubscription'), description);
  return {
    '/api/v1/webhooks/subscriptions': {
      get: {
        tags,
        operationId: 'listWebhookSubscriptions',
        summary: 'Webhook subscriptions, by name (administrators)',
        responses: {
          '200': json(
            {
              type: 'object',
              properties: {
                data: { type: 'array', items: ref('WebhookSubscription') },
                next_cursor: { type: 'null' },
              },
            },
            'the subscriptions',
          ),
          ...ERRORS,
        },
      },
      post: {
        tags,
        operationId: 'createWebhookSubscription',
        summary: 'Subscribe a URL to record events of an object; the answer holds the secret',
        requestBody: body('WebhookSubscriptionCreate'),
        responses: { '201': one('the subscription, with its secret (shown once)'), ...ERRORS },
      },
    },
    '/api/v1/webhooks/subscriptions/{id}': {
      get: {
        tags,
        operationId: 'getWebhookSubscription',
        summary: 'One subscription (without its secret)',
        parameters: [idParam],
        responses: { '200': one('the subscription'), ...ERRORS },
      },
      patch: {
        tags,
        operationId: 'updateWebhookSubscription',
        summary: 'Change, enable or disable a subscription',
        parameters: [idParam],
        requestBody: body('WebhookSubscriptionUpdate'),
        responses: { '200': one('the subscription now'), ...ERRORS },
      },
      delete: {
        tags,
        operationId: 'deleteWebhookSubscription',
        summary: 'Remove a subscription with its delivery log',
        parameters: [idParam],
        responses: { '204': { description: 'removed' }, ...ERRORS },
      },
    },
    '/api/v1/webhooks/subscriptions/{id}/rotate-secret': {
      post: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: 'Replace the signing secret; the answer holds the new one',
        parameters: [idParam],
        responses: { '200': one('the subscription, with its new secret'), ...ERRORS },
      },
    },
    '/api/v1/webhooks/subscriptions/{id}/deliveries': {
      get: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "A subscription's deliveries, newest first, in keyset pages",
        parameters: [
          idParam,
          { name: 'status', in: 'query', schema: { type: 'string', enum: STATUSES } },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: 'next_cursor of the previous page',
          },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              properties: {
                data: { type: 'array', items: ref('WebhookDelivery') },
                next_cursor: { type: ['string', 'null'] },
              },
            },
            'a page of deliveries',
          ),
          ...ERRORS,
        },
      },
    },
    '/api/v1/webhooks/deliveries/{id}': {
      get: {
        tags,
        operationId: 'getWebhookDelivery',
        summary: 'One delivery with the body sent and every attempt',
        parameters: [idParam],
        responses: { '200': json(ref('WebhookDeliveryDetail'), 'the delivery'), ...ERRORS },
      },
    },
    '/api/v1/webhooks/deliveries/{id}/replay': {
      post: {
        tags,
        operationId: 'replayWebhookDelivery',
        summary:
          'Send a delivery again as a new delivery: same event id and body, new timestamp and signature',
        parameters: [idParam],
        responses: { '202': json(ref('WebhookDelivery'), 'the new delivery, queued'), ...ERRORS },
      },
    },
  };
}
