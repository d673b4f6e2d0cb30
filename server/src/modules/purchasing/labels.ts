import type { LabelCatalog } from '../../core/metadata/labels';

/** Purchasing in Ukrainian. */
export const purchasingLabelsUk: LabelCatalog = {
  purchase_orders: {
    singular: 'Замовлення постачальнику',
    plural: 'Замовлення постачальникам',
    fields: {
      number: 'Номер',
      status: 'Стан',
      supplier_id: 'Постачальник',
      warehouse_id: 'Склад',
      currency: 'Валюта',
      order_date: 'Дата замовлення',
      expected_date: 'Очікувана дата',
      net: 'Без податку',
      tax: 'Податок',
      total: 'Разом',
      notes: 'Примітки',
    },
    options: {
      status: {
        draft: 'Чернетка',
        sent: 'Надіслано',
        confirmed: 'Підтверджено',
        partly_received: 'Отримано частково',
        received: 'Отримано',
        cancelled: 'Скасовано',
      },
    },
    reverse: {
      supplier_id: 'Замовлення постачальнику',
      warehouse_id: 'Замовлення постачальникам',
    },
  },
  purchase_order_lines: {
    singular: 'Рядок замовлення постачальнику',
    plural: 'Рядки замовлення постачальнику',
    fields: {
      order_id: 'Замовлення постачальнику',
      position: 'Позиція',
      product_id: 'Товар',
      description: 'Опис',
      quantity: 'Кількість',
      unit_price: 'Ціна за одиницю',
      discount: 'Знижка, %',
      tax_id: 'Податок',
      net: 'Без податку',
      tax: 'Сума податку',
      total: 'Разом',
      received_quantity: 'Отримана кількість',
    },
    reverse: {
      order_id: 'Рядки',
      product_id: 'Рядки замовлень постачальникам',
      tax_id: 'Рядки замовлень постачальникам',
    },
  },
  supplier_prices: {
    singular: 'Ціна постачальника',
    plural: 'Ціни постачальників',
    fields: {
      supplier_id: 'Постачальник',
      product_id: 'Товар',
      price: 'Ціна',
      min_quantity: 'Мінімальна кількість',
      lead_time_days: 'Строк постачання (днів)',
      supplier_sku: 'Артикул постачальника',
    },
    reverse: { supplier_id: 'Ціни постачальника', product_id: 'Ціни постачальників' },
  },
  receipts: {
    singular: 'Надходження',
    plural: 'Надходження',
    fields: {
      number: 'Номер',
      purchase_order_id: 'Замовлення постачальнику',
      warehouse_id: 'Склад',
      received_at: 'Отримано',
      landed_costs: 'Додаткові витрати',
      posting_id: 'Складська проводка',
    },
    reverse: { purchase_order_id: 'Надходження', warehouse_id: 'Надходження' },
  },
  receipt_lines: {
    singular: 'Рядок надходження',
    plural: 'Рядки надходження',
    fields: {
      receipt_id: 'Надходження',
      order_line_id: 'Рядок замовлення',
      product_id: 'Товар',
      quantity: 'Кількість',
      unit_cost: 'Собівартість одиниці з витратами',
    },
    reverse: {
      receipt_id: 'Рядки',
      order_line_id: 'Рядки надходжень',
      product_id: 'Рядки надходжень',
    },
  },
};
