import type { LabelCatalog } from '../../core/metadata/labels';

/** Tasks in Ukrainian. */
export const tasksLabelsUk: LabelCatalog = {
  tasks: {
    singular: 'Завдання',
    plural: 'Завдання',
    fields: {
      title: 'Назва',
      description: 'Опис',
      assignee_id: 'Виконавець',
      due_date: 'Термін',
      due_at: 'Час терміну',
      status: 'Статус',
      priority: 'Пріоритет',
      completed_at: 'Виконано',
      related_object: 'Пов’язаний об’єкт',
      related_id: 'Пов’язаний запис',
    },
    options: {
      status: {
        open: 'Відкрите',
        in_progress: 'У роботі',
        done: 'Виконане',
        cancelled: 'Скасоване',
      },
      priority: { low: 'Низький', normal: 'Звичайний', high: 'Високий' },
    },
  },
};
