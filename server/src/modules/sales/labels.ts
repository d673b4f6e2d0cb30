import type { LabelCatalog } from '../../core/metadata/labels';

const document = {
  number: 'Номер',
  status: 'Статус',
  company_id: 'Компанія',
  contact_id: 'Контакт',
  deal_id: 'Угода',
  warehouse_id: 'Склад',
  currency: 'Валюта',
  price_list_id: 'Прайс-лист',
  freight: 'Доставка',
  notes: 'Нотатки',
  net_total: 'Сума без податку',
  tax_total: 'Податок',
  total: 'Разом',
};

const line = {
  position: 'Позиція',
  product_id: 'Товар',
  description: 'Опис',
  quantity: 'Кількість',
  unit_id: 'Одиниця',
  base_quantity: 'Кількість в базовій одиниці',
  unit_price: 'Ціна за одиницю',
  discount: 'Знижка, %',
  tax_id: 'Податок',
  tax_rate: 'Ставка податку, %',
  tax_included: 'Ціна з податком',
  net: 'Сума без податку',
  tax: 'Сума податку',
  total: 'Разом',
};

/** Sales in Ukrainian. */
export const salesLabelsUk: LabelCatalog = {
  quotes: {
    singular: 'Комерційна пропозиція',
    plural: 'Комерційні пропозиції',
    fields: {
      ...document,
      quote_date: 'Дата пропозиції',
      valid_until: 'Дійсна до',
      sales_order_id: 'Замовлення',
    },
    options: {
      status: {
        draft: 'Чернетка',
        sent: 'Надіслана',
        accepted: 'Прийнята',
        rejected: 'Відхилена',
      },
    },
    reverse: {
      company_id: 'Комерційні пропозиції',
      contact_id: 'Комерційні пропозиції',
      deal_id: 'Комерційні пропозиції',
    },
  },
  quote_lines: {
    singular: 'Рядок пропозиції',
    plural: 'Рядки пропозицій',
    fields: { ...line, quote_id: 'Комерційна пропозиція' },
    reverse: { quote_id: 'Рядки', product_id: 'Рядки пропозицій' },
  },
  sales_orders: {
    singular: 'Замовлення клієнта',
    plural: 'Замовлення клієнтів',
    fields: {
      ...document,
      order_date: 'Дата замовлення',
      shipped_at: 'Відвантажено',
      quote_id: 'Комерційна пропозиція',
    },
    options: {
      status: {
        draft: 'Чернетка',
        confirmed: 'Підтверджене',
        partly_shipped: 'Частково відвантажене',
        shipped: 'Відвантажене',
        cancelled: 'Скасоване',
      },
    },
    reverse: {
      company_id: 'Замовлення клієнтів',
      contact_id: 'Замовлення клієнтів',
      deal_id: 'Замовлення клієнтів',
      quote_id: 'Замовлення клієнтів',
    },
  },
  sales_order_lines: {
    singular: 'Рядок замовлення',
    plural: 'Рядки замовлень',
    fields: {
      ...line,
      order_id: 'Замовлення клієнта',
      shipped_quantity: 'Відвантажено',
      reserved_quantity: 'Зарезервовано',
      backorder_quantity: 'Очікує надходження',
    },
    reverse: { order_id: 'Рядки', product_id: 'Рядки замовлень' },
  },
  shipments: {
    singular: 'Відвантаження',
    plural: 'Відвантаження',
    fields: {
      number: 'Номер',
      order_id: 'Замовлення клієнта',
      warehouse_id: 'Склад',
      shipped_at: 'Відвантажено',
      posting_id: 'Складська проводка',
      notes: 'Нотатки',
    },
    reverse: { order_id: 'Відвантаження' },
  },
  shipment_lines: {
    singular: 'Рядок відвантаження',
    plural: 'Рядки відвантажень',
    fields: {
      shipment_id: 'Відвантаження',
      order_line_id: 'Рядок замовлення',
      product_id: 'Товар',
      quantity: 'Кількість',
      base_quantity: 'Кількість в базовій одиниці',
    },
    reverse: { shipment_id: 'Рядки', order_line_id: 'Відвантажено' },
  },
};
