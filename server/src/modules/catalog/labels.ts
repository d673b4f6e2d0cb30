import type { LabelCatalog } from '../../core/metadata/labels';

/** The catalog in Ukrainian. */
export const catalogLabelsUk: LabelCatalog = {
  product_categories: {
    singular: 'Категорія товарів',
    plural: 'Категорії товарів',
    fields: { name: 'Назва', description: 'Опис' },
  },
  units: {
    singular: 'Одиниця виміру',
    plural: 'Одиниці виміру',
    fields: { name: 'Назва', code: 'Код' },
  },
  taxes: {
    singular: 'Податок',
    plural: 'Податки',
    fields: { name: 'Назва', rate: 'Ставка, %', included: 'Входить у ціни' },
  },
  customer_groups: {
    singular: 'Група клієнтів',
    plural: 'Групи клієнтів',
    fields: { name: 'Назва', description: 'Опис' },
  },
  products: {
    singular: 'Товар',
    plural: 'Товари',
    fields: {
      name: 'Назва',
      sku: 'Артикул',
      barcode: 'Штрихкод',
      kind: 'Вид',
      unit_id: 'Базова одиниця',
      unit: 'Кількість в упаковці',
      price: 'Ціна',
      purchase_price: 'Закупівельна ціна',
      tax_id: 'Податок',
      valuation_method: 'Оцінка запасів',
      category_id: 'Категорія',
      supplier_id: 'Постачальник',
      is_active: 'Активний',
      is_discontinued: 'Знятий з виробництва',
      allow_negative_stock: 'Залишок може бути від’ємним',
      external_ref: 'Зовнішній ідентифікатор',
      description: 'Опис',
    },
    options: {
      kind: { goods: 'Товар', service: 'Послуга', kit: 'Комплект' },
      valuation_method: { average: 'Ковзна середня', fifo: 'ФІФО' },
    },
    reverse: {
      category_id: 'Товари',
      supplier_id: 'Товари, що постачає',
      unit_id: 'Товари',
      tax_id: 'Товари',
    },
  },
  product_units: {
    singular: 'Одиниця товару',
    plural: 'Одиниці товару',
    fields: {
      name: 'Назва',
      product_id: 'Товар',
      unit_id: 'Одиниця',
      factor: 'Базових одиниць в одній',
    },
    reverse: { product_id: 'Одиниці', unit_id: 'Одиниці товарів' },
  },
  price_lists: {
    singular: 'Прайс-лист',
    plural: 'Прайс-листи',
    fields: {
      name: 'Назва',
      currency: 'Валюта',
      customer_group_id: 'Група клієнтів',
      is_active: 'Активний',
      valid_from: 'Діє з',
      valid_to: 'Діє до',
      description: 'Опис',
    },
    reverse: { customer_group_id: 'Прайс-листи' },
  },
  price_list_items: {
    singular: 'Ціна прайс-листа',
    plural: 'Ціни прайс-листа',
    fields: {
      name: 'Назва',
      price_list_id: 'Прайс-лист',
      product_id: 'Товар',
      unit_id: 'Одиниця',
      min_quantity: 'Від кількості',
      price: 'Ціна',
    },
    reverse: {
      price_list_id: 'Ціни',
      product_id: 'Ціни в прайс-листах',
      unit_id: 'Ціни в прайс-листах',
    },
  },
  kit_components: {
    singular: 'Складова комплекту',
    plural: 'Складові комплекту',
    fields: { name: 'Назва', kit_id: 'Комплект', component_id: 'Складова', quantity: 'Кількість' },
    reverse: { kit_id: 'Складові', component_id: 'Входить до комплектів' },
  },
};
