import type { FastifyRequest } from 'fastify';

/**
 * The server's messages in Ukrainian. Messages are written in English where they arise; this
 * table, applied where a problem document is sent, gives each its Ukrainian wording. A pattern
 * matches a whole message; `$1`… carry the parts that vary (a number, a name). A message not
 * listed reaches a Ukrainian reader in English.
 */
const UK: [RegExp, string][] = [
  // Next to a field.
  // Working calendars and SLA policies.
  [
    /^"(.+)" is not an IANA time zone; use a name like Europe\/Berlin or UTC$/,
    '«$1» — не часовий пояс IANA; вкажіть назву на кшталт Europe/Berlin або UTC',
  ],
  [
    /^has no entries; write e\.g\. "mon-fri 09:00-17:00"$/,
    'не має жодного запису; напишіть, наприклад, "mon-fri 09:00-17:00"',
  ],
  [
    /^entry (\d+) \("(.*)"\): must start with days .+ followed by times like 09:00-17:00$/,
    'запис $1 ("$2"): має починатися з днів (mon, tue, wed, thu, fri, sat, sun або проміжку на кшталт mon-fri), а далі час, наприклад 09:00-17:00',
  ],
  [
    /^entry (\d+) \("(.*)"\): "(.*)" must be a time range like 09:00-17:00 \(00:00 to 24:00\)$/,
    'запис $1 ("$2"): "$3" має бути проміжком часу на кшталт 09:00-17:00 (від 00:00 до 24:00)',
  ],
  [
    /^entry (\d+) \("(.*)"\): "(.*)" starts and ends at the same time$/,
    'запис $1 ("$2"): "$3" починається й закінчується в один і той самий час',
  ],
  [/^shifts overlap on (\w+) and (\w+)$/, 'зміни перетинаються: $1 і $2'],
  [/^no object named "(.+)" can be timed$/, 'об’єкт «$1» не можна відстежувати за SLA'],
  [/^(.+) have no field "(.+)"$/, 'у «$1» немає поля «$2»'],
  [/^is required when a start field is given$/, 'обов’язкове, коли вказано поле для початку'],
  [/^is required when a start value is given$/, 'обов’язкове, коли вказано значення для початку'],
  [/^is required when the timer stops on a field$/, 'обов’язкове, коли таймер зупиняє поле'],
  [/^is required when the timer stops on a value$/, 'обов’язкове, коли таймер зупиняє значення'],
  [/^must be from 1 to 525600 working minutes$/, 'має бути від 1 до 525600 робочих хвилин'],
  [
    /^must be a date \(YYYY-MM-DD\) or an ISO 8601 instant with a zone$/,
    'має бути датою (YYYY-MM-DD) або моментом часу ISO 8601 з поясом',
  ],
  // The catalog (units, prices, taxes, kits); before the general patterns below.
  [/^must be more than zero$/, 'має бути більше нуля'],
  [/^must not be negative$/, 'не може бути від’ємним'],
  [/^must be from 0 to 100 \(percent\)$/, 'має бути від 0 до 100 (відсотків)'],
  [/^must be (\w{3}), the currency of the price list$/, 'має бути $1 — валюта прайс-листа'],
  [/^must not be before valid_from$/, 'не може бути раніше за дату «Діє з»'],
  [
    /^must be a date like (\S+) or an ISO 8601 instant$/,
    'має бути датою, наприклад $1, або моментом часу ISO 8601',
  ],
  [/^no such product$/, 'такого товару немає'],
  [/^no such unit$/, 'такої одиниці немає'],
  [/^no such price list$/, 'такого прайс-листа немає'],
  [/^no such company$/, 'такої компанії немає'],
  [
    /^has no base unit; set the product’s base unit before adding others$/,
    'не має базової одиниці; спершу вкажіть базову одиницю товару',
  ],
  [
    /^is the product’s base unit, which needs no conversion \(its factor is 1\)$/,
    'це базова одиниця товару, її не треба перераховувати (коефіцієнт 1)',
  ],
  [/^is already a unit of this product \((.+)\)$/, 'вже є одиницею цього товару ($1)'],
  [
    /^is not a unit of this product; add it to the product’s units \(with its factor\) first$/,
    'не є одиницею цього товару; спершу додайте її до одиниць товару (з коефіцієнтом)',
  ],
  [
    /^is not a unit of this product, which has no base unit$/,
    'не є одиницею цього товару, який не має базової одиниці',
  ],
  [
    /^does not convert exactly: it is (\S+) base units, and stock counts thousandths$/,
    'не перераховується точно: це $1 базових одиниць, а залишки рахують тисячні',
  ],
  [
    /^price list item (\S+) is priced per this unit; remove it first$/,
    'ціну прайс-листа $1 задано за цю одиницю; спершу видаліть її',
  ],
  [
    /^price list item (\S+) already prices this product and unit from (\S+)$/,
    'ціна прайс-листа $1 вже задана для цього товару й одиниці від $2',
  ],
  [
    /^cannot change while the list has prices in (\w+); remove them first$/,
    'не можна змінити, поки прайс-лист має ціни в $1; спершу видаліть їх',
  ],
  [
    /^cannot change while the product has other units, which convert to it; remove them first$/,
    'не можна змінити, поки товар має інші одиниці, що перераховуються в неї; спершу видаліть їх',
  ],
  [
    /^cannot change while price list item (\S+) prices the product in it$/,
    'не можна змінити, поки ціну прайс-листа $1 задано в ній',
  ],
  [/^is (\w+), not a kit; set its kind to kit first$/, 'це не комплект ($1); спершу змініть вид'],
  [
    /^is a service; a kit is made of goods and other kits$/,
    'це послуга; комплект складається з товарів та інших комплектів',
  ],
  [/^is the kit itself$/, 'це сам комплект'],
  [
    /^contains this kit \((.+)\); a kit cannot be part of itself$/,
    'містить цей комплект ($1); комплект не може бути частиною самого себе',
  ],
  [
    /^is already in this kit \((.+)\); change its quantity instead$/,
    'вже входить до цього комплекту ($1); змініть його кількість',
  ],
  [
    /^must stay kit while the kit has components; remove them first$/,
    'має лишатися комплектом, поки має складові; спершу видаліть їх',
  ],
  [
    /^cannot become a service: it is a component of kit (\S+)$/,
    'не може стати послугою: входить до комплекту $1',
  ],
  [/^is in (\w{3}), not (\w{3})$/, 'у валюті $1, а не $2'],
  [/^is not active$/, 'не активний'],
  [/^is not valid on (\S+)$/, 'не діє на $1'],
  [/^The product already has this unit$/, 'Товар уже має цю одиницю'],
  [/^A price list prices the product in this unit$/, 'Прайс-лист задає ціну товару в цій одиниці'],
  [/^The price list already has this price$/, 'Прайс-лист уже має цю ціну'],
  [/^The kit already has this component$/, 'Комплект уже має цю складову'],
  [/^The record cannot be restored as it was$/, 'Запис не можна відновити таким, яким він був'],
  [/^is required$/, 'обов’язкове поле'],
  [/^is required when a deal is lost$/, 'обов’язкове, коли угоду програно'],
  [/^is required while the deal is lost$/, 'обов’язкове, поки угода програна'],
  [/^is required; a deal is always in a stage$/, 'обов’язкове: угода завжди на якомусь етапі'],
  [/^is read-only$/, 'лише для читання'],
  [/^is wrong$/, 'неправильний'],
  [/^is taken$/, 'вже зайнято'],
  [/^is too large$/, 'завелике'],
  [/^is not an id$/, 'не є ідентифікатором'],
  [/^is not a user id$/, 'не є ідентифікатором користувача'],
  [/^is stale; the current version is (\d+)$/, 'застаріла; поточна версія — $1'],
  [/^is stale$/, 'застаріла'],
  [/^is converted$/, 'вже конвертовано'],
  [/^is set by converting the lead .*$/, 'встановлюється під час конвертації ліда'],
  [
    /^is set by moving the deal to a won or lost stage$/,
    'встановлюється, коли угоду переміщено на етап «виграно» чи «програно»',
  ],
  [/^cannot be changed on a standard field$/, 'не можна змінити у стандартного поля'],
  [/^must be an e-mail address like (.+)$/, 'має бути адресою ел. пошти, наприклад $1'],
  [/^must be an e-mail address$/, 'має бути адресою ел. пошти'],
  [/^must be a phone number like (.+)$/, 'має бути номером телефону, наприклад $1'],
  [/^must be a web address like (.+)$/, 'має бути вебадресою, наприклад $1'],
  [/^must be a date like (.+)$/, 'має бути датою, наприклад $1'],
  [
    /^must be an ISO 8601 instant(?: with a time zone)?, like (.+)$/,
    'має бути моментом часу ISO 8601, наприклад $1',
  ],
  [/^must be an ISO 8601 instant like (.+)$/, 'має бути моментом часу ISO 8601, наприклад $1'],
  [/^must be a decimal number like (.+)$/, 'має бути десятковим числом, наприклад $1'],
  [/^must be a whole number from (\d+) to (\d+)$/, 'має бути цілим числом від $1 до $2'],
  [/^must be a whole number$/, 'має бути цілим числом'],
  [/^must be true or false$/, 'має бути true або false'],
  [/^must be an ISO 4217 code like (.+)$/, 'має бути кодом валюти ISO 4217, наприклад $1'],
  [/^must be an IANA time zone like (.+)$/, 'має бути часовим поясом IANA, наприклад $1'],
  [/^must be a record id \(UUID\)$/, 'має бути ідентифікатором запису (UUID)'],
  [/^must be a user id$/, 'має бути ідентифікатором користувача'],
  [/^must be a role id$/, 'має бути ідентифікатором ролі'],
  [/^must be at most (\d+) characters$/, 'має містити не більше ніж $1 символів'],
  [/^must be at least (\d+) characters$/, 'має містити щонайменше $1 символів'],
  [/^must be 1 to (\d+) characters$/, 'має містити від 1 до $1 символів'],
  [/^must be a text of 1 to (\d+) characters$/, 'має бути текстом від 1 до $1 символів'],
  [/^must be a text of at most (\d+) characters$/, 'має бути текстом не довшим за $1 символів'],
  [/^must be one of: (.+)$/, 'має бути одним із: $1'],
  [/^has more than (\d+) decimal places?$/, 'має більше ніж $1 знаків після коми'],
  [
    /^must be unique; a record you cannot see has it$/,
    'має бути унікальним; таке значення має запис, якого ви не бачите',
  ],
  [/^must be unique; (.+) has it$/, 'має бути унікальним; таке значення вже має $1'],
  [/^must not contain a NUL character$/, 'не може містити символ NUL'],
  [
    /^must not contain control or direction characters$/,
    'не може містити керівних символів чи символів напрямку',
  ],
  [/^must contain at least one letter or digit$/, 'має містити хоча б одну літеру чи цифру'],
  [
    /^must be snake_case: .*$/,
    'має бути у форматі snake_case: мала латинська літера, далі літери, цифри чи _ (до 48)',
  ],
  [
    /^must be lowercase letters, digits, _ or -$/,
    'має містити лише малі латинські літери, цифри, _ або -',
  ],
  // Sales documents, next to a field.
  [/^must be more than zero$/, 'має бути більше нуля'],
  [/^must be from 0 to 100$/, 'має бути від 0 до 100'],
  [/^must not be negative$/, 'не може бути від’ємним'],
  [/^must not be in the future$/, 'не може бути в майбутньому'],
  [
    /^must be ([A-Z]{3}), the currency of the (quote|sales order)$/,
    'має бути $1 — валюта документа',
  ],
  [/^is not a draft (quote|sales order)$/, 'документ уже не чернетка'],
  [
    /^is fixed once the (quote|sales order) leaves draft$/,
    'не змінюється, коли документ уже не чернетка',
  ],
  [/^the (quote|sales order) has no lines$/, 'у документі немає рядків'],
  [/^a line stays on its (quote|sales order)$/, 'рядок лишається у своєму документі'],
  [/^no (quote|sales order) with this id$/, 'такого документа немає'],
  [/^is not a line of this order$/, 'не є рядком цього замовлення'],
  [/^is listed twice$/, 'зазначено двічі'],
  [/^must not be before the (quote|sales order) date$/, 'не може бути раніше дати документа'],
  [
    /^is more than the ([\d.]+) left to ship \(ordered ([\d.]+), shipped ([\d.]+)\)$/,
    'більше за залишок до відвантаження $1 (замовлено $2, відвантажено $3)',
  ],
  [/^is required to reserve and ship stock$/, 'потрібен, щоб резервувати й відвантажувати товар'],
  // Production: bills of materials and production orders.
  [/^would contain its own product: (.+)$/, 'містила б власний виріб: $1'],
  [
    /^nests bills of materials more than (\d+) levels deep$/,
    'вкладає специфікації глибше ніж на $1 рівнів',
  ],
  [/^is a service, which is not a component$/, 'це послуга, а не компонент'],
  [
    /^is a service, which is not made from components$/,
    'це послуга, її не виготовляють із компонентів',
  ],
  [
    /^the product already has an active bill of materials \("(.+)", (\S+)\); deactivate it first$/,
    'виріб уже має активну специфікацію («$1», $2); спершу деактивуйте її',
  ],
  [
    /^is taken from the bill of materials \((\S+)\); leave it out$/,
    'береться зі специфікації ($1); не вказуйте його',
  ],
  [
    /^has no active bill of materials and is not a kit; give bom_id$/,
    'не має активної специфікації й не є комплектом; вкажіть bom_id',
  ],
  [
    /^is required \(or product_id, for a kit or a product with an active bill\)$/,
    'обов’язкове (або product_id — для комплекту чи виробу з активною специфікацією)',
  ],
  [/^no bill of materials with id (\S+)$/, 'немає специфікації з ідентифікатором $1'],
  [/^no product with id (\S+)$/, 'немає товару з ідентифікатором $1'],
  [/^has no lines$/, 'не має рядків'],
  [/^is a kit with no components$/, 'це комплект без складових'],
  [
    /^can change only while the order is a draft; it is (\w+)$/,
    'можна змінити лише в чернетці; стан замовлення — $1',
  ],
  [/^unknown field; give only finished_at$/, 'невідоме поле; вкажіть лише finished_at'],
  [
    /^cannot become a service: the bill of materials "(.+)" makes it$/,
    'не може стати послугою: його виготовляють за специфікацією «$1»',
  ],
  [
    /^cannot become a service: it is a component of the bill of materials "(.+)"$/,
    'не може стати послугою: це компонент специфікації «$1»',
  ],
  [/^must be between (\d+) and (\d+)$/, 'має бути від $1 до $2'],
  // Webhooks; before the general "must be" below.
  [
    /^must be an absolute http or https URL, like (\S+)$/,
    'має бути повною http- або https-адресою, наприклад $1',
  ],
  [/^must use http or https, not (\S+)$/, 'має використовувати http або https, а не $1'],
  [/^must name a host$/, 'має містити ім’я хоста'],
  [
    /^must not carry a user name or password; the signature authenticates deliveries$/,
    'не може містити ім’я користувача чи пароль; доставки засвідчує підпис',
  ],
  [/^must not have a #fragment$/, 'не може містити #фрагмент'],
  [
    /^(.+) is a private, loopback, link-local or reserved address; webhooks go to public hosts unless private targets are allowed in the settings$/,
    '$1 — приватна, локальна, link-local або зарезервована адреса; вебхуки надсилаються лише на публічні адреси, якщо в налаштуваннях сервера не дозволено приватні',
  ],
  [/^the host (\S+) could not be resolved \((.+)\)$/, 'не вдалося знайти адресу хоста $1 ($2)'],
  [/^the host (\S+) has no address$/, 'хост $1 не має адреси'],
  [/^there is no object "(.+)"$/, 'об’єкта «$1» немає'],
  [/^must be one of (.+)$/, 'має бути одним із: $1'],
  [/^must name at least one event kind$/, 'має містити принаймні один вид подій'],
  [/^must not name an event kind twice$/, 'не може містити вид подій двічі'],
  [/^must be the next_cursor of a previous page$/, 'має бути next_cursor попередньої сторінки'],
  [/^is not a subscription id$/, 'не є ідентифікатором вебхука'],
  [/^is not a delivery id$/, 'не є ідентифікатором доставки'],
  [
    /^was skipped \(see its error\); there is nothing to replay$/,
    'пропущена (див. її помилку); надсилати нічого',
  ],
  [
    /^is disabled; enable it to replay its deliveries$/,
    'вимкнено; увімкніть його, щоб повторити доставки',
  ],
  [/^must be (a |an )?(.+)$/, 'має бути: $2'],
  [/^"(.*)" is not yes\/no$/, '«$1» — не «так» і не «ні»'],
  [/^Invalid option: expected one of (.+)$/, 'має бути одним із: $1'],
  [/^Cannot sort by "(.+)"$/, 'Не можна сортувати за «$1»'],
  [/^no such role$/, 'такої ролі немає'],
  [/^no such user$/, 'такого користувача немає'],
  [/^you cannot deactivate yourself$/, 'не можна деактивувати самого себе'],
  [/^Invalid input.*$/, 'Неправильне значення'],
  // Whole requests.
  [/^Wrong e-mail or password$/, 'Неправильна ел. пошта або пароль'],
  [/^The API key is unknown or revoked$/, 'API-ключ невідомий або відкликаний'],
  [/^No valid session or API key$/, 'Немає дійсного сеансу чи API-ключа'],
  [/^Too many requests$/, 'Забагато запитів'],
  [
    /^Only administrators may change objects and fields$/,
    'Лише адміністратори можуть змінювати об’єкти й поля',
  ],
  [
    /^Only administrators may manage users and roles$/,
    'Лише адміністратори можуть керувати користувачами й ролями',
  ],
  [/^Only administrators may manage webhooks$/, 'Лише адміністратори можуть керувати вебхуками'],
  [/^(Subscription|Delivery) not found$/, 'Не знайдено'],
  [/^A skipped delivery has no body to send$/, 'Пропущена доставка не має тіла для надсилання'],
  [/^The subscription is disabled$/, 'Вебхук вимкнено'],
  [/^You may not (read|create|update|delete) (.+)$/, 'Вам не дозволено: $1 — $2'],
  [/^The role does not allow this$/, 'Ваша роль цього не дозволяє'],
  [/^The record changed since that version$/, 'Запис змінився після цієї версії'],
  [
    /^The (quote|sales order) (\S+) is .+; only a draft’s lines can change$/,
    'Документ $2 уже не чернетка; рядки змінюються лише в чернетці',
  ],
  [
    /^The (quote|sales order) (\S+) is (.+); it must be .+$/,
    'Документ $2 у стані «$3»; ця дія недоступна',
  ],
  [/^The quote (\S+) is already converted$/, 'Пропозицію $1 вже перетворено на замовлення'],
  [
    /^Nothing of the sales order (\S+) is reserved to ship.*$/,
    'У замовленні $1 немає нічого зарезервованого до відвантаження',
  ],
  [/^You may not change the (quote|sales order) (\S+)$/, 'Вам не дозволено змінювати документ $2'],
  [
    /^Shipments are made by shipping a sales order.*$/,
    'Відвантаження створюється лише відвантаженням замовлення клієнта',
  ],
  [
    /^The shipment( line)? is posted to stock and stays.*$/,
    'Відвантаження проведено на складі й не видаляється; виправлення — новий складський рух',
  ],
  [/^This lead has already been converted$/, 'Цей лід уже конвертовано'],
  [/^Already converted$/, 'Уже конвертовано'],
  [
    /^A contact with this (e-mail|phone number) already exists: (.+)$/,
    'Контакт із такою $1 вже існує: $2',
  ],
  [
    /^A contact with this (e-mail|phone number) already exists, outside what you can see$/,
    'Контакт із такою $1 вже існує серед записів, яких ви не бачите',
  ],
  [/^Another (.+) already has this (.+)$/, 'Інший запис ($1) вже має таке значення: $2'],
  [/^Another record already has this value; .*$/, 'Інший запис уже має таке значення'],
  [/^A unique value or a duplicate exists$/, 'Таке унікальне значення вже існує'],
  [/^A role named (.+) exists$/, 'Роль «$1» вже існує'],
  [/^A user with e-mail (.+) already exists$/, 'Користувач з ел. поштою $1 вже існує'],
  [/^(API key|Role|User) not found$/, 'Не знайдено'],
  [/^(.+) (\S+) not found$/, 'Не знайдено: $1 $2'],
  [/^Not found$/, 'Не знайдено'],
  [/^Unknown object "(.+)"$/, 'Невідомий об’єкт «$1»'],
  [/^Unknown field "(.+)"$/, 'Невідоме поле «$1»'],
  [/^The file is empty$/, 'Файл порожній'],
  [/^The sheet is empty$/, 'Аркуш порожній'],
  [/^The file has more than (\d+) rows$/, 'У файлі більше ніж $1 рядків'],
  [
    /^An export holds at most (\d+) rows; add a filter$/,
    'Експорт містить не більше ніж $1 рядків; додайте фільтр',
  ],
  [/^Invalid (filter|sort|cursor|limit|fields|search|mapping|id)$/, 'Неправильний параметр: $1'],
  [
    /^The production order is (\w+); it cannot be (.+)$/,
    'Виробниче замовлення в стані $1; дія недоступна ($2)',
  ],
  [
    /^The production order was changed meanwhile; reload it$/,
    'Виробниче замовлення тим часом змінилося; оновіть його',
  ],
  [
    /^The production order holds reserved stock; cancel it first$/,
    'Виробниче замовлення тримає резерв; спершу скасуйте його',
  ],
  [
    /^A done production order stays: its stock moves point to it$/,
    'Виконане виробниче замовлення не видаляється: на нього посилаються рухи запасів',
  ],
  [/^Not enough stock for the components$/, 'Бракує запасів компонентів'],
  [
    /^The production order holds no reserved components$/,
    'Виробниче замовлення не має зарезервованих компонентів',
  ],
  [
    /^The components and the product are valued in different currencies \((.+)\); .*$/,
    'Компоненти й виріб оцінено в різних валютах ($1); їхні вартості не можна додати',
  ],
];

/** The reader's language: the signed-in user's, else the browser's first choice. */
export function requestLocale(request: FastifyRequest): string {
  if (request.actor?.locale) return request.actor.locale;
  const accept = request.headers['accept-language'];
  return typeof accept === 'string' && /^uk\b/i.test(accept.trim()) ? 'uk' : 'en';
}

/** A message in the reader's language; a validation summary `field: message` keeps its field. */
export function localizeMessage(message: string, locale: string): string {
  if (locale !== 'uk') return message;
  const one = (text: string) => {
    for (const [pattern, replacement] of UK)
      if (pattern.test(text)) return text.replace(pattern, replacement);
    return text;
  };
  const translated = one(message);
  if (translated !== message) return translated;
  const summary = /^([\w.[\]-]+): (.+)$/.exec(message);
  return summary ? `${summary[1]}: ${one(summary[2])}` : message;
}
