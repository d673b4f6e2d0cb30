type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each part, like lines[0].quantity'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this'),
  '404': problem('No such document'),
  '409': problem('The document is not in a state for this (invalid_state), or stock is short'),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const quantity = { type: 'string', description: 'a decimal with at most 3 places, like "12.5"' };

function action(
  tag: string,
  operationId: string,
  summary: string,
  status: '200' | '201',
  body?: Schema,
): Schema {
  return {
    post: {
      tags: [tag],
      operationId,
      summary,
      parameters: [idParam],
      ...(body ? { requestBody: { content: { 'application/json': { schema: body } } } } : {}),
      responses: { [status]: { description: 'the document and its lines' }, ...ERRORS },
    },
  };
}

function availability(tag: string, operationId: string): Schema {
  return {
    get: {
      tags: [tag],
      operationId,
      summary:
        'Per line, in the product’s base unit: ordered, on hand, available, incoming, shortage',
      parameters: [idParam],
      responses: { '200': { description: '{warehouse_id, data: [...]}' }, ...ERRORS },
    },
  };
}

/** The actions of quotes and sales orders, for the paths of the OpenAPI document. */
export function salesPaths(visible: Set<string>): Record<string, Schema> {
  const paths: Record<string, Schema> = {};
  if (visible.has('quotes')) {
    const q = '/api/v1/quotes/{id}';
    paths[`${q}/send`] = action('Quotes', 'sendQuote', 'A draft quote becomes sent', '200');
    paths[`${q}/accept`] = action('Quotes', 'acceptQuote', 'A sent quote becomes accepted', '200');
    paths[`${q}/reject`] = action('Quotes', 'rejectQuote', 'A sent quote becomes rejected', '200');
    paths[`${q}/convert`] = action(
      'Quotes',
      'convertQuote',
      'A draft sales order with the quote’s lines; the quote becomes accepted (once)',
      '201',
    );
    paths[`${q}/availability`] = availability('Quotes', 'quoteAvailability');
  }
  if (visible.has('sales_orders')) {
    const o = '/api/v1/sales_orders/{id}';
    paths[`${o}/confirm`] = action(
      'Sales orders',
      'confirmSalesOrder',
      'Confirms a draft and reserves its lines: all or nothing, or with backorders',
      '200',
      {
        type: 'object',
        additionalProperties: false,
        properties: { backorder: { type: 'boolean', default: false } },
      },
    );
    paths[`${o}/reserve`] = action(
      'Sales orders',
      'reserveSalesOrder',
      'Reserves what is now available for backordered lines',
      '200',
    );
    paths[`${o}/ship`] = action(
      'Sales orders',
      'shipSalesOrder',
      'Ships everything reserved, or the lines given; posts the stock moves',
      '201',
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          lines: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['line_id', 'quantity'],
              properties: { line_id: { type: 'string', format: 'uuid' }, quantity },
            },
          },
          shipped_at: { type: 'string', format: 'date-time' },
        },
      },
    );
    paths[`${o}/cancel`] = action(
      'Sales orders',
      'cancelSalesOrder',
      'Cancels an order not fully shipped and releases its reservations',
      '200',
    );
    paths[`${o}/availability`] = availability('Sales orders', 'salesOrderAvailability');
  }
  return paths;
}

function pdf(tag: string, operationId: string, summary: string): Schema {
  return {
    get: {
      tags: [tag],
      operationId,
      summary,
      parameters: [idParam],
      responses: {
        '200': {
          description:
            'The document as a PDF, named after its number (Content-Disposition), with labels in ' +
            'the reader’s language (English or Ukrainian) and amounts in their number format',
          content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
        },
        '400': ERRORS['400'],
        '401': ERRORS['401'],
        '403': ERRORS['403'],
        '404': problem('No such document, or not one the reader may read'),
      },
    },
  };
}

/** The PDFs of quotes, sales orders and purchase orders, for the objects the caller may read. */
export function documentPdfPaths(visible: Set<string>): Record<string, Schema> {
  const paths: Record<string, Schema> = {};
  if (visible.has('quotes'))
    paths['/api/v1/quotes/{id}/pdf'] = pdf('Quotes', 'quotePdf', 'The quote as a PDF');
  if (visible.has('sales_orders'))
    paths['/api/v1/sales_orders/{id}/pdf'] = pdf(
      'Sales orders',
      'salesOrderPdf',
      'The sales order as a PDF',
    );
  if (visible.has('purchase_orders'))
    paths['/api/v1/purchase_orders/{id}/pdf'] = pdf(
      'Purchase orders',
      'purchaseOrderPdf',
      'The purchase order as a PDF',
    );
  return paths;
}
