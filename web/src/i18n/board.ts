import type { Translation } from './types';

/** The kanban board. */
export const en = {
  title: '{{object}} board',
  noGroupField: '{{object}} have no option field to group a board by.',
  pipeline: 'Pipeline',
  groupBy: 'Group by',
  table: 'Table',
  column: 'Column {{name}}',
  markLost: 'Mark as lost',
  markWon: 'Mark as won',
  reopen: 'Reopen the deal',
  reopenText: 'The deal is open again and loses its close date.',
  confirmMove: 'Move “{{name}}” to {{stage}}?',
  lostReason: 'Lost reason',
  dropHere: 'Drop cards here.',
  showMore: 'Show more',
  moveTo: 'Move to',
  moveCard: 'Move “{{name}}” to another column',
  moved: '“{{name}}” moved to {{stage}}.',
};

export const uk: Translation<typeof en> = {
  title: '{{object}}: дошка',
  noGroupField: '{{object}}: немає поля з варіантами, за яким можна згрупувати дошку.',
  pipeline: 'Воронка',
  groupBy: 'Групувати за',
  table: 'Таблиця',
  column: 'Стовпець {{name}}',
  markLost: 'Позначити як програну',
  markWon: 'Позначити як виграну',
  reopen: 'Знову відкрити угоду',
  reopenText: 'Угода знову стане відкритою й втратить дату закриття.',
  confirmMove: 'Перемістити «{{name}}» до етапу {{stage}}?',
  lostReason: 'Причина програшу',
  dropHere: 'Перетягніть картки сюди.',
  showMore: 'Показати ще',
  moveTo: 'Перемістити до',
  moveCard: 'Перемістити «{{name}}» до іншого стовпця',
  moved: '«{{name}}» переміщено до {{stage}}.',
};
