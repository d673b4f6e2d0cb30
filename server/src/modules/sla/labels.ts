import type { LabelCatalog } from '../../core/metadata/labels';

/** Working calendars and SLA policies in Ukrainian. */
export const slaLabelsUk: LabelCatalog = {
  calendars: {
    singular: 'Робочий календар',
    plural: 'Робочі календарі',
    fields: {
      name: 'Назва',
      time_zone: 'Часовий пояс',
      working_hours: 'Робочі години',
    },
  },
  calendar_holidays: {
    singular: 'Вихідний день',
    plural: 'Вихідні дні',
    fields: { calendar_id: 'Календар', date: 'Дата', name: 'Назва' },
    reverse: { calendar_id: 'Вихідні дні' },
  },
  sla_policies: {
    singular: 'Політика SLA',
    plural: 'Політики SLA',
    fields: {
      name: 'Назва',
      object: 'Об’єкт',
      enabled: 'Увімкнено',
      start_field: 'Починати лише коли поле',
      start_value: 'Значення для початку',
      stop_kind: 'Зупиняється, коли',
      stop_field: 'Поле зупинки',
      stop_value: 'Значення зупинки',
      target_minutes: 'Ціль (робочих хвилин)',
      calendar_id: 'Календар',
      notify_owner: 'При порушенні: лист власнику',
      reassign_to: 'При порушенні: передати',
    },
    options: {
      stop_kind: {
        field_changes: 'Поле зупинки змінюється',
        field_becomes: 'Поле зупинки набуває значення зупинки',
        activity_created: 'На записі зафіксовано активність',
      },
    },
    reverse: { calendar_id: 'Політики SLA' },
  },
};
