import { toE164 } from '../../server/src/core/metadata/phone';
import { minorDigits } from '../../server/src/core/metadata/money';

/**
 * Deterministic, varied CRM data for the benchmarks: 30 countries with their cities, phone
 * plans, currencies and names (accents, Cyrillic), companies, contacts and deals. The same
 * seed gives the same data. Phone numbers and e-mails are unique by construction, so that the
 * duplicate checks of the contact rules never fire on generated data.
 */

// ---------------------------------------------------------------------------------------------
// Random numbers

/** mulberry32: small, fast, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

/** A stateless 32-bit mix of an integer, for choices that must be recomputable from an index. */
export function mix(n: number, salt = 0): number {
  let h = Math.imul((n ^ salt) >>> 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Names: [as written, ASCII for e-mail addresses and domains]

type Name = readonly [string, string];
const n = (list: string): Name[] =>
  list.split(',').map((s) => {
    const [shown, ascii] = s.split('|');
    return [shown.trim(), (ascii ?? fold(shown)).trim()] as const;
  });

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[øö]/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/ł/g, 'l')
    .replace(/[^a-z0-9]+/g, '');
}

interface NameGroup {
  first: Name[];
  last: Name[];
  streets: string[];
}

const GROUPS: Record<string, NameGroup> = {
  de: {
    first: n(
      'Anna,Lukas,Maria,Felix,Sophie,Jonas,Lena,Maximilian,Laura,Paul,Julia,Leon,Hannah,Tobias,Katharina,Jürgen|juergen,Sabine,Michael,Stefanie,Andreas,Markus,Martina,Björn|bjoern,Ursula',
    ),
    last: n(
      'Müller|mueller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer|schaefer,Koch,Bauer,Richter,Klein,Wolf,Schröder|schroeder,Neumann,Schwarz,Zimmermann,Braun,Krüger|krueger,Hartmann,Lange,Schmitz,Krause,Lehmann,Köhler|koehler,Maier,Weiß|weiss',
    ),
    streets: [
      'Hauptstraße',
      'Bahnhofstraße',
      'Gartenweg',
      'Schillerstraße',
      'Lindenallee',
      'Marktplatz',
      'Goethestraße',
      'Am Mühlbach',
    ],
  },
  en: {
    first: n(
      'James,Mary,John,Patricia,Robert,Jennifer,Michael,Linda,William,Elizabeth,David,Barbara,Richard,Susan,Joseph,Jessica,Thomas,Sarah,Charles,Karen,Emily,Oliver,Charlotte,Jack,Amelia,Harry,Olivia,Noah,Emma,Liam',
    ),
    last: n(
      "Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Martin,Jackson,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Hill,Green,Baker,O'Brien|obrien,Murphy,Kelly",
    ),
    streets: [
      'Main Street',
      'High Street',
      'Oak Avenue',
      'Park Road',
      'Church Lane',
      'Maple Drive',
      'Station Road',
      'Market Square',
    ],
  },
  fr: {
    first: n(
      'Jean,Marie,Pierre,Camille,Louis,Léa,Hugo,Chloé,Lucas,Manon,Théo,Inès,Antoine,Juliette,Nicolas,Céline,François,Élodie,Mathieu,Aurélie',
    ),
    last: n(
      'Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefèvre,Michel,Garcia,David,Bertrand,Roux,Vincent,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,Rousseau,Mercier,Blanc,Guérin,Faure',
    ),
    streets: [
      'Rue de la Paix',
      'Avenue Victor Hugo',
      'Rue du Moulin',
      'Boulevard Saint-Michel',
      'Rue de l’Église',
      'Place du Marché',
      'Chemin des Vignes',
    ],
  },
  nl: {
    first: n(
      'Daan,Emma,Sem,Julia,Lucas,Sophie,Milan,Tess,Thijs,Anouk,Jeroen,Femke,Bram,Sanne,Pieter,Lotte,Ruben,Eva',
    ),
    last: n(
      'de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer',
    ),
    streets: [
      'Kerkstraat',
      'Dorpsstraat',
      'Molenweg',
      'Stationsplein',
      'Prinsengracht',
      'Herengracht',
    ],
  },
  es: {
    first: n(
      'José,María,Antonio,Carmen,Manuel,Ana,Francisco,Laura,David,Isabel,Javier,Lucía,Carlos,Marta,Alejandro,Sofía,Miguel,Paula,Diego,Valentina,Mateo,Camila',
    ),
    last: n(
      'García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Martín,Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Torres,Ramírez,Flores,Castillo,Vargas,Rojas',
    ),
    streets: [
      'Calle Mayor',
      'Avenida de la Constitución',
      'Calle Real',
      'Paseo de Gracia',
      'Plaza de España',
      'Calle del Sol',
    ],
  },
  it: {
    first: n(
      'Giuseppe,Maria,Giovanni,Anna,Marco,Giulia,Luca,Francesca,Alessandro,Chiara,Andrea,Sara,Matteo,Elena,Lorenzo,Martina,Francesco,Valentina,Niccolò',
    ),
    last: n(
      'Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti',
    ),
    streets: [
      'Via Roma',
      'Via Garibaldi',
      'Corso Vittorio Emanuele',
      'Via Dante',
      'Piazza della Repubblica',
      'Via Verdi',
    ],
  },
  pt: {
    first: n(
      'João,Maria,Pedro,Ana,Lucas,Beatriz,Gabriel,Mariana,Rafael,Larissa,Tiago,Inês,Gonçalo,Camila,Bruno,Letícia,Rodrigo,Fernanda',
    ),
    last: n(
      'Silva,Santos,Oliveira,Souza,Pereira,Costa,Rodrigues,Almeida,Nascimento,Lima,Araújo,Fernandes,Carvalho,Gomes,Martins,Rocha,Ribeiro,Alves,Monteiro,Mendes,Barbosa,Conceição',
    ),
    streets: [
      'Rua Augusta',
      'Avenida da Liberdade',
      'Rua das Flores',
      'Avenida Paulista',
      'Rua do Comércio',
      'Praça da Sé',
    ],
  },
  nordic: {
    first: n(
      'Lars,Anna,Erik,Ingrid,Nils,Karin,Mikael,Sofia,Johan,Astrid,Anders,Freja,Magnus,Maja,Henrik,Sigrid,Oskar,Elin,Jukka,Aino,Søren|soeren,Åsa',
    ),
    last: n(
      'Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsen,Hansen,Johansen,Nielsen,Jensen,Pedersen,Korhonen,Virtanen,Mäkinen,Nieminen,Lindqvist,Berg,Haugen,Björk,Sørensen|soerensen,Lindström',
    ),
    streets: [
      'Storgatan',
      'Kungsgatan',
      'Drottninggatan',
      'Strandvejen',
      'Karl Johans gate',
      'Mannerheimintie',
    ],
  },
  pl: {
    first: n(
      'Piotr,Anna,Krzysztof,Maria,Tomasz,Katarzyna,Paweł,Małgorzata,Michał,Agnieszka,Jakub,Magdalena,Łukasz,Zofia,Marek,Joanna',
    ),
    last: n(
      'Nowak,Kowalski,Wiśniewski,Wójcik,Kowalczyk,Kamiński,Lewandowski,Zieliński,Szymański,Woźniak,Dąbrowski,Kozłowski,Jankowski,Mazur,Kwiatkowski,Krawczyk',
    ),
    streets: [
      'ul. Marszałkowska',
      'ul. Floriańska',
      'ul. Piotrkowska',
      'al. Jerozolimskie',
      'ul. Długa',
    ],
  },
  cz: {
    first: n(
      'Jan,Jana,Petr,Eva,Tomáš,Hana,Martin,Lucie,Jiří,Tereza,Pavel,Kateřina,Ondřej,Veronika',
    ),
    last: n(
      'Novák,Svoboda,Novotný,Dvořák,Černý,Procházka,Kučera,Veselý,Horák,Němec,Marek,Pokorný,Král,Růžička',
    ),
    streets: ['Václavské náměstí', 'Národní', 'Masarykova', 'Husova', 'Palackého'],
  },
  ua: {
    first: n(
      'Олександр|oleksandr,Олена|olena,Андрій|andrii,Наталія|nataliia,Дмитро|dmytro,Ірина|iryna,Сергій|serhii,Оксана|oksana,Максим|maksym,Юлія|yuliia,Тарас|taras,Анна|anna,Богдан|bohdan,Марія|mariia,Володимир|volodymyr,Катерина|kateryna',
    ),
    last: n(
      'Шевченко|shevchenko,Коваленко|kovalenko,Бондаренко|bondarenko,Ткаченко|tkachenko,Кравченко|kravchenko,Олійник|oliinyk,Шевчук|shevchuk,Поліщук|polishchuk,Бойко|boiko,Мельник|melnyk,Коваль|koval,Лисенко|lysenko,Гончаренко|honcharenko,Руденко|rudenko,Савченко|savchenko,Петренко|petrenko',
    ),
    streets: [
      'вул. Хрещатик',
      'вул. Шевченка',
      'просп. Перемоги',
      'вул. Січових Стрільців',
      'вул. Грушевського',
    ],
  },
  ja: {
    first: n(
      'Hiroshi,Yuki,Takashi,Yumi,Kenji,Akiko,Satoshi,Haruka,Daisuke,Mai,Kenta,Sakura,Ryo,Aoi',
    ),
    last: n(
      'Sato,Suzuki,Takahashi,Tanaka,Watanabe,Ito,Yamamoto,Nakamura,Kobayashi,Kato,Yoshida,Yamada,Sasaki,Yamaguchi,Matsumoto,Inoue',
    ),
    streets: ['Chuo-dori', 'Omotesando', 'Meiji-dori', 'Aoyama-dori', 'Sakura-dori'],
  },
  in: {
    first: n(
      'Aarav,Priya,Rahul,Ananya,Vikram,Sneha,Arjun,Pooja,Rohan,Kavya,Amit,Neha,Sanjay,Divya,Karan,Meera',
    ),
    last: n(
      'Sharma,Patel,Singh,Kumar,Gupta,Reddy,Iyer,Nair,Mehta,Joshi,Rao,Desai,Chopra,Banerjee,Das,Verma',
    ),
    streets: ['MG Road', 'Brigade Road', 'Linking Road', 'Park Street', 'Anna Salai'],
  },
};

// ---------------------------------------------------------------------------------------------
// Countries

export interface Country {
  /** As Kontor's `countryCode()` knows it (English name). */
  name: string;
  iso: string;
  /** Relative share of records. */
  weight: number;
  group: keyof typeof GROUPS;
  dial: string;
  areas: string[];
  /** Subscriber digits after a landline area code (at least 7). */
  subLen: number;
  mobiles: string[];
  mobLen: number;
  currency: string;
  /** Rough units of the currency per euro, to keep amounts plausible. */
  perEur: number;
  tld: string;
  /** `#` a digit, `A` a capital letter. */
  postal: string;
  cities: [string, string][];
  legal: string[];
}

const c = (
  name: string,
  iso: string,
  weight: number,
  group: keyof typeof GROUPS,
  dial: string,
  areas: string,
  subLen: number,
  mobiles: string,
  mobLen: number,
  currency: string,
  perEur: number,
  tld: string,
  postal: string,
  cities: string,
  legal: string,
): Country => ({
  name,
  iso,
  weight,
  group,
  dial,
  areas: areas.split(','),
  subLen,
  mobiles: mobiles.split(','),
  mobLen,
  currency,
  perEur,
  tld,
  postal,
  cities: cities.split(';').map((x) => x.split('/') as [string, string]),
  legal: legal.split(','),
});

// prettier-ignore
export const COUNTRIES: Country[] = [
  c('Germany', 'DE', 120, 'de', '49', '30,40,89,221,69,711,211,341', 7, '151,160,170,171,176', 7, 'EUR', 1, 'de', '#####', 'Berlin/Berlin;Hamburg/Hamburg;München/Bayern;Köln/Nordrhein-Westfalen;Frankfurt am Main/Hessen;Stuttgart/Baden-Württemberg;Düsseldorf/Nordrhein-Westfalen;Leipzig/Sachsen;Münster/Nordrhein-Westfalen', 'GmbH,AG,GmbH & Co. KG,e.K.'),
  c('Austria', 'AT', 20, 'de', '43', '1,316,512,732', 7, '664,676,699', 7, 'EUR', 1, 'at', '####', 'Wien/Wien;Graz/Steiermark;Salzburg/Salzburg;Linz/Oberösterreich;Innsbruck/Tirol', 'GmbH,AG,KG'),
  c('Switzerland', 'CH', 25, 'de', '41', '44,31,61,22,21', 7, '79,78,76', 7, 'CHF', 1, 'ch', '####', 'Zürich/Zürich;Bern/Bern;Basel/Basel-Stadt;Genève/Genève;Lausanne/Vaud;Luzern/Luzern', 'AG,GmbH,SA'),
  c('United States', 'US', 100, 'en', '1', '212,415,312,617,206,512,303', 7, '646,917,332', 7, 'USD', 1.1, 'com', '#####', 'New York/New York;San Francisco/California;Chicago/Illinois;Boston/Massachusetts;Seattle/Washington;Austin/Texas;Denver/Colorado', 'Inc.,LLC,Corp.'),
  c('United Kingdom', 'GB', 80, 'en', '44', '20', 8, '7700,7911,7826', 6, 'GBP', 0.85, 'co.uk', 'A# #AA', 'London/England;Manchester/England;Birmingham/England;Edinburgh/Scotland;Glasgow/Scotland;Bristol/England;Leeds/England', 'Ltd,PLC,LLP'),
  c('Ireland', 'IE', 15, 'en', '353', '1', 7, '87,86,85', 7, 'EUR', 1, 'ie', 'A## A#A#', 'Dublin/Leinster;Cork/Munster;Galway/Connacht;Limerick/Munster', 'Ltd,DAC'),
  c('Canada', 'CA', 30, 'en', '1', '416,604,514,403,613', 7, '437,778,438', 7, 'CAD', 1.5, 'ca', 'A#A #A#', 'Toronto/Ontario;Vancouver/British Columbia;Montréal/Québec;Calgary/Alberta;Ottawa/Ontario', 'Inc.,Ltd.,Corp.'),
  c('Australia', 'AU', 25, 'en', '61', '2,3,7,8', 8, '412,423,438', 6, 'AUD', 1.65, 'com.au', '####', 'Sydney/New South Wales;Melbourne/Victoria;Brisbane/Queensland;Perth/Western Australia;Adelaide/South Australia', 'Pty Ltd,Ltd'),
  c('New Zealand', 'NZ', 8, 'en', '64', '9,4,3', 7, '21,22,27', 7, 'NZD', 1.8, 'co.nz', '####', 'Auckland/Auckland;Wellington/Wellington;Christchurch/Canterbury', 'Ltd,Limited'),
  c('South Africa', 'ZA', 10, 'en', '27', '21,11,31', 7, '82,83,72', 7, 'ZAR', 20, 'co.za', '####', 'Cape Town/Western Cape;Johannesburg/Gauteng;Durban/KwaZulu-Natal;Pretoria/Gauteng', '(Pty) Ltd,Ltd'),
  c('France', 'FR', 70, 'fr', '33', '1,2,3,4,5', 8, '6,7', 8, 'EUR', 1, 'fr', '#####', 'Paris/Île-de-France;Lyon/Auvergne-Rhône-Alpes;Marseille/Provence-Alpes-Côte d’Azur;Toulouse/Occitanie;Nantes/Pays de la Loire;Lille/Hauts-de-France;Bordeaux/Nouvelle-Aquitaine', 'SAS,SA,SARL'),
  c('Belgium', 'BE', 15, 'fr', '32', '2,3,9', 7, '475,476,495', 6, 'EUR', 1, 'be', '####', 'Bruxelles/Bruxelles-Capitale;Antwerpen/Vlaanderen;Gent/Vlaanderen;Liège/Wallonie', 'SA,SRL,NV,BV'),
  c('Netherlands', 'NL', 35, 'nl', '31', '20,10,70,30', 7, '6', 8, 'EUR', 1, 'nl', '#### AA', 'Amsterdam/Noord-Holland;Rotterdam/Zuid-Holland;Den Haag/Zuid-Holland;Utrecht/Utrecht;Eindhoven/Noord-Brabant', 'B.V.,N.V.'),
  c('Spain', 'ES', 45, 'es', '34', '91,93,96,95', 7, '6', 8, 'EUR', 1, 'es', '#####', 'Madrid/Madrid;Barcelona/Cataluña;Valencia/Comunidad Valenciana;Sevilla/Andalucía;Málaga/Andalucía;Bilbao/País Vasco', 'S.L.,S.A.'),
  c('Mexico', 'MX', 20, 'es', '52', '55,33,81', 8, '56,34', 8, 'MXN', 19, 'com.mx', '#####', 'Ciudad de México/CDMX;Guadalajara/Jalisco;Monterrey/Nuevo León;Puebla/Puebla', 'S.A. de C.V.,S. de R.L.'),
  c('Argentina', 'AR', 10, 'es', '54', '11', 8, '911', 8, 'ARS', 950, 'com.ar', 'A####AAA', 'Buenos Aires/Buenos Aires;Córdoba/Córdoba;Rosario/Santa Fe;Mendoza/Mendoza', 'S.A.,S.R.L.'),
  c('Chile', 'CL', 8, 'es', '56', '2', 8, '9', 8, 'CLP', 1000, 'cl', '#######', 'Santiago/Región Metropolitana;Valparaíso/Valparaíso;Concepción/Biobío', 'S.A.,SpA'),
  c('Colombia', 'CO', 8, 'es', '57', '601,604', 7, '310,311,320', 7, 'COP', 4300, 'com.co', '######', 'Bogotá/Bogotá;Medellín/Antioquia;Cali/Valle del Cauca', 'S.A.S.,S.A.'),
  c('Italy', 'IT', 45, 'it', '39', '02,06,011,055', 7, '347,333,320', 7, 'EUR', 1, 'it', '#####', 'Milano/Lombardia;Roma/Lazio;Torino/Piemonte;Firenze/Toscana;Napoli/Campania;Bologna/Emilia-Romagna', 'S.r.l.,S.p.A.'),
  c('Portugal', 'PT', 12, 'pt', '351', '21,22', 7, '91,93,96', 7, 'EUR', 1, 'pt', '####-###', 'Lisboa/Lisboa;Porto/Porto;Braga/Braga;Coimbra/Coimbra', 'Lda.,S.A.'),
  c('Brazil', 'BR', 30, 'pt', '55', '11,21,31', 8, '119,219', 8, 'BRL', 5.5, 'com.br', '#####-###', 'São Paulo/São Paulo;Rio de Janeiro/Rio de Janeiro;Belo Horizonte/Minas Gerais;Curitiba/Paraná;Porto Alegre/Rio Grande do Sul', 'Ltda.,S.A.'),
  c('Sweden', 'SE', 20, 'nordic', '46', '8', 7, '70,72,73', 7, 'SEK', 11.5, 'se', '### ##', 'Stockholm/Stockholm;Göteborg/Västra Götaland;Malmö/Skåne;Uppsala/Uppsala', 'AB'),
  c('Norway', 'NO', 12, 'nordic', '47', '2', 7, '4,9', 7, 'NOK', 11.7, 'no', '####', 'Oslo/Oslo;Bergen/Vestland;Trondheim/Trøndelag;Stavanger/Rogaland', 'AS,ASA'),
  c('Denmark', 'DK', 12, 'nordic', '45', '3', 7, '2', 7, 'DKK', 7.45, 'dk', '####', 'København/Hovedstaden;Aarhus/Midtjylland;Odense/Syddanmark;Aalborg/Nordjylland', 'A/S,ApS'),
  c('Finland', 'FI', 10, 'nordic', '358', '9', 7, '40,50', 7, 'EUR', 1, 'fi', '#####', 'Helsinki/Uusimaa;Espoo/Uusimaa;Tampere/Pirkanmaa;Turku/Varsinais-Suomi', 'Oy,Oyj'),
  c('Poland', 'PL', 30, 'pl', '48', '22,12,61', 7, '501,601,791', 6, 'PLN', 4.3, 'pl', '##-###', 'Warszawa/Mazowieckie;Kraków/Małopolskie;Wrocław/Dolnośląskie;Poznań/Wielkopolskie;Gdańsk/Pomorskie;Łódź/Łódzkie', 'Sp. z o.o.,S.A.'),
  c('Czechia', 'CZ', 15, 'cz', '420', '2', 8, '601,721,777', 6, 'CZK', 25, 'cz', '### ##', 'Praha/Praha;Brno/Jihomoravský kraj;Ostrava/Moravskoslezský kraj;Plzeň/Plzeňský kraj', 's.r.o.,a.s.'),
  c('Ukraine', 'UA', 25, 'ua', '380', '44,32,48,57', 7, '67,50,93', 7, 'UAH', 45, 'com.ua', '#####', 'Київ/Київська область;Львів/Львівська область;Одеса/Одеська область;Харків/Харківська область;Дніпро/Дніпропетровська область', 'ТОВ,ПрАТ'),
  c('Japan', 'JP', 25, 'ja', '81', '3,6', 8, '90,80', 8, 'JPY', 160, 'co.jp', '###-####', 'Tokyo/Tokyo;Osaka/Osaka;Yokohama/Kanagawa;Nagoya/Aichi;Fukuoka/Fukuoka', 'K.K.,G.K.'),
  c('India', 'IN', 30, 'in', '91', '11,22,80', 8, '98,99,97', 8, 'INR', 90, 'co.in', '######', 'New Delhi/Delhi;Mumbai/Maharashtra;Bengaluru/Karnataka;Chennai/Tamil Nadu;Hyderabad/Telangana;Pune/Maharashtra', 'Pvt. Ltd.,Ltd.'),
];

const CUMULATIVE: number[] = [];
{
  let sum = 0;
  for (const k of COUNTRIES) CUMULATIVE.push((sum += k.weight));
}
const TOTAL_WEIGHT = CUMULATIVE[CUMULATIVE.length - 1];

export function pickCountry(rng: Rng): number {
  const x = rng.next() * TOTAL_WEIGHT;
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function countryShare(name: string): number {
  const k = COUNTRIES.find((x) => x.name === name);
  return k ? k.weight / TOTAL_WEIGHT : 0;
}

function pattern(rng: Rng, p: string): string {
  let out = '';
  for (const ch of p) {
    if (ch === '#') out += String(rng.int(10));
    else if (ch === 'A') out += String.fromCharCode(65 + rng.int(26));
    else out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Phones. A serial number maps one-to-one onto (area, first digit 1-8, rest), so numbers never
// repeat; landline areas and mobile prefixes never give the same national number, and the first
// subscriber digit 9 is never generated: it is left for the benchmarks' own creates.

export interface Phone {
  typed: string;
  e164: string | null;
}

/** Countries where our construction of E.164 disagrees with libphonenumber: parse those. */
const parseAlways = new Set<string>();

function groupDigits(digits: string, style: number): string {
  if (style === 0 || digits.length < 6) return digits;
  const cut = digits.length - 4;
  return style === 1
    ? `${digits.slice(0, cut)} ${digits.slice(cut)}`
    : `${digits.slice(0, cut)}-${digits.slice(cut)}`;
}

export function phoneNumber(k: Country, serial: number, mobile: boolean): Phone {
  const prefixes = mobile ? k.mobiles : k.areas;
  const len = mobile ? k.mobLen : k.subLen;
  const area = prefixes[serial % prefixes.length];
  const q = Math.floor(serial / prefixes.length);
  const mod = 10 ** (len - 1);
  const space = 8 * mod;
  const scrambled = ((q % space) * 7919 + 104729) % space;
  const subscriber = `${1 + Math.floor(scrambled / mod)}${String(scrambled % mod).padStart(len - 1, '0')}`;
  const typed = `+${k.dial} ${area} ${groupDigits(subscriber, serial % 3)}`;
  const e164 = parseAlways.has(k.iso) ? toE164(typed, k.iso) : `+${k.dial}${area}${subscriber}`;
  return { typed, e164 };
}

/** A number from the block generated data never uses (first subscriber digit 9). */
export function reservedPhone(serial: number): Phone {
  const sub = `9${String(serial % 1_000_000).padStart(6, '0')}`;
  return { typed: `+49 30 ${sub}`, e164: `+4930${sub}` };
}

/**
 * Checks our E.164 construction against libphonenumber on a sample of every country's numbers;
 * countries where they disagree fall back to parsing every number (slower, always right).
 */
export function checkPhonePlans(): string[] {
  const notes: string[] = [];
  for (const k of COUNTRIES) {
    for (let s = 0; s < 60; s++) {
      const mobile = s % 2 === 1;
      const p = phoneNumber(k, s * 7777, mobile);
      const lib = toE164(p.typed, k.iso);
      if (lib !== p.e164) {
        parseAlways.add(k.iso);
        notes.push(
          `${k.iso}: ${p.typed} -> ours ${p.e164}, libphonenumber ${lib}; parsing every ${k.iso} number`,
        );
        break;
      }
    }
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Records, as API values (what a client would send), plus the few derived columns.

const INDUSTRIES = [
  'Manufacturing',
  'Retail',
  'Wholesale',
  'Logistics',
  'Software',
  'IT Services',
  'Consulting',
  'Healthcare',
  'Pharmaceuticals',
  'Construction',
  'Real Estate',
  'Financial Services',
  'Insurance',
  'Energy',
  'Automotive',
  'Food & Beverage',
  'Hospitality',
  'Education',
  'Media',
  'Telecommunications',
  'Agriculture',
  'Chemicals',
];
const PREFIXES = [
  'Nord',
  'Süd',
  'West',
  'Ost',
  'Alpha',
  'Blue',
  'Green',
  'Silver',
  'Golden',
  'Prime',
  'Nova',
  'Terra',
  'Aqua',
  'Solar',
  'Stern',
  'Falcon',
  'Summit',
  'Pioneer',
  'Vertex',
  'Atlas',
  'Orion',
  'Apex',
  'Crystal',
  'Iron',
  'Oak',
  'Maple',
  'River',
  'Lake',
  'Alpen',
  'Baltic',
];
const NOUNS = [
  'Systems',
  'Solutions',
  'Logistics',
  'Consulting',
  'Industries',
  'Trading',
  'Energy',
  'Foods',
  'Software',
  'Medical',
  'Partners',
  'Werke',
  'Bau',
  'Handel',
  'Digital',
  'Labs',
  'Group',
  'Services',
  'Engineering',
  'Analytics',
  'Robotics',
  'Textiles',
  'Pharma',
  'Media',
  'Holding',
];
const SUFFIXES = [
  'tec',
  'soft',
  'tronic',
  'form',
  'line',
  'data',
  'com',
  'med',
  'bau',
  'werk',
  'net',
  'flow',
];
const JOB_TITLES = [
  'CEO',
  'CFO',
  'CTO',
  'Managing Director',
  'Head of Sales',
  'Sales Manager',
  'Account Executive',
  'Marketing Manager',
  'Purchasing Manager',
  'Procurement Specialist',
  'Office Manager',
  'IT Administrator',
  'Software Engineer',
  'Project Manager',
  'Operations Manager',
  'HR Manager',
  'Controller',
  'Accountant',
  'Customer Success Manager',
  'Product Manager',
  'Logistics Coordinator',
  'Buyer',
  'Assistant',
  'Consultant',
  'Business Analyst',
  'Head of Marketing',
  'Facility Manager',
  'Quality Manager',
  'Legal Counsel',
  'Owner',
];
const FREE_MAIL = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
  'gmx.net',
  'web.de',
  'orange.fr',
];
const DEAL_KINDS = [
  'Annual licence',
  'Renewal',
  'Expansion',
  'Pilot project',
  'Onboarding',
  'Hardware refresh',
  'Support contract',
  'Consulting package',
  'Framework agreement',
  'Upsell',
  'Cloud migration',
  'Training',
  'Maintenance',
  'New location',
  'Spare parts',
];
const LOST_REASONS = [
  'Price too high',
  'Chose a competitor',
  'No budget',
  'No decision',
  'Bad timing',
  'Missing feature',
];
const NOTES = [
  'Met at the trade fair; interested in a demo next quarter.',
  'Prefers e-mail over phone. Decision maker for purchasing.',
  'Long-standing customer, renewal usually in spring.',
  'Asked for a quote including installation and training.',
  'Introduced by a partner; follow up after the budget meeting.',
  'Needs the invoice in the local currency and language.',
];
const SALUTATIONS = ['Mr', 'Ms', 'Dr', 'Mx'];

export interface CompanyValues {
  countryIndex: number;
  /** ASCII short name, for deal names and domains. */
  short: string;
  name: string;
  domain: string;
  website: string;
  email: string;
  phone: Phone;
  fax: Phone | null;
  street: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  industry: string;
  is_supplier: boolean;
  is_customer: boolean;
  external_ref: string;
  description: string | null;
}

export function makeCompany(rng: Rng, i: number): CompanyValues {
  const countryIndex = pickCountry(rng);
  const k = COUNTRIES[countryIndex];
  const g = GROUPS[k.group];
  const style = rng.int(4);
  let base: string;
  let ascii: string;
  const last = rng.pick(g.last);
  const noun = rng.pick(NOUNS);
  const prefix = rng.pick(PREFIXES);
  if (style === 0) {
    base = `${last[0]} ${noun}`;
    ascii = `${last[1]}-${fold(noun)}`;
  } else if (style === 1) {
    base = `${prefix} ${noun}`;
    ascii = `${fold(prefix)}-${fold(noun)}`;
  } else if (style === 2) {
    const other = rng.pick(g.last);
    base = `${last[0]} & ${other[0]}`;
    ascii = `${last[1]}-${other[1]}`;
  } else {
    const suffix = rng.pick(SUFFIXES);
    base = `${prefix}${suffix}`;
    ascii = `${fold(prefix)}${suffix}`;
  }
  const [city, region] = rng.pick(k.cities);
  const domain = `${ascii}-${i.toString(36)}.${k.tld}`;
  return {
    countryIndex,
    short: base,
    name: `${base} ${rng.pick(k.legal)}`,
    domain,
    website: `https://www.${domain}`,
    email: `info@${domain}`,
    phone: phoneNumber(k, 3 * i + 1, false),
    fax: rng.chance(0.3) ? phoneNumber(k, 3 * i + 2, false) : null,
    street: `${rng.pick(g.streets)} ${rng.between(1, 240)}`,
    city,
    region,
    postal_code: pattern(rng, k.postal),
    country: k.name,
    industry: rng.pick(INDUSTRIES),
    is_supplier: rng.chance(0.15),
    is_customer: rng.chance(0.6),
    external_ref: `C-${String(100000 + i)}`,
    description: rng.chance(0.3) ? rng.pick(NOTES) : null,
  };
}

export interface ContactValues {
  salutation: string | null;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  phone: Phone | null;
  mobile: Phone | null;
  job_title: string | null;
  street: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  birthday: string | null;
  external_ref: string | null;
  description: string | null;
}

/** The company a contact works for, recomputable from its index: 92 % have one. */
export function companyOfContact(i: number, companies: number): number {
  return companies > 0 && mix(i, 0x5eed) % 100 < 92 ? i % companies : -1;
}

export function makeContact(
  rng: Rng,
  i: number,
  company: { countryIndex: number; domain: string; city: string } | null,
): ContactValues {
  const countryIndex = company && rng.chance(0.9) ? company.countryIndex : pickCountry(rng);
  const k = COUNTRIES[countryIndex];
  const g = GROUPS[k.group];
  const first = rng.pick(g.first);
  const last = rng.pick(g.last);
  const [rcity, region] = rng.pick(k.cities);
  const city =
    company && countryIndex === company.countryIndex && rng.chance(0.7) ? company.city : rcity;
  const local = [`${first[1]}.${last[1]}`, `${first[1][0]}${last[1]}`, `${first[1]}_${last[1]}`][
    i % 3
  ];
  const domain = company && rng.chance(0.85) ? company.domain : rng.pick(FREE_MAIL);
  const hasStreet = rng.chance(0.6);
  return {
    salutation: rng.chance(0.4) ? rng.pick(SALUTATIONS) : null,
    first_name: first[0],
    last_name: last[0],
    full_name: `${first[0]} ${last[0]}`,
    email: `${local}.${i.toString(36)}@${domain}`,
    phone: rng.chance(0.8) ? phoneNumber(k, 3 * i, false) : null,
    mobile: rng.chance(0.55) ? phoneNumber(k, i, true) : null,
    job_title: rng.chance(0.85) ? rng.pick(JOB_TITLES) : null,
    street: hasStreet ? `${rng.pick(g.streets)} ${rng.between(1, 240)}` : null,
    city,
    region: rng.chance(0.7) ? region : null,
    postal_code: hasStreet ? pattern(rng, k.postal) : null,
    country: k.name,
    birthday: rng.chance(0.35)
      ? `${rng.between(1955, 2003)}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`
      : null,
    external_ref: rng.chance(0.5) ? `P-${String(1000000 + i)}` : null,
    description: rng.chance(0.1) ? rng.pick(NOTES) : null,
  };
}

export interface StageInfo {
  id: string;
  kind: string;
}

/** Share of deals per stage of the default pipeline (New … Lost). */
const STAGE_WEIGHTS = [20, 15, 12, 8, 25, 20];

export interface DealValues {
  name: string;
  amount_minor: number;
  amount_currency: string;
  stageIndex: number;
  status: string;
  expected_close_date: string;
  closed_at: string | null;
  lost_reason: string | null;
  external_ref: string | null;
  description: string | null;
}

const DAY = 86_400_000;

export function makeDeal(
  rng: Rng,
  i: number,
  company: { countryIndex: number; short: string } | null,
  stages: StageInfo[],
  createdMs: number,
  endMs: number,
): DealValues {
  const k = COUNTRIES[company ? company.countryIndex : 0];
  const currency = company ? k.currency : 'EUR';
  const digits = minorDigits(currency);
  // log-uniform 800 .. 250,000 EUR, in the local currency, rounded to tens
  const eur = 800 * Math.exp(rng.next() * Math.log(250_000 / 800));
  const major = Math.max(10, Math.round((eur * (company ? k.perEur : 1)) / 10) * 10);
  let x = rng.next() * 100;
  let stageIndex = 0;
  while (stageIndex < STAGE_WEIGHTS.length - 1 && (x -= STAGE_WEIGHTS[stageIndex]) >= 0)
    stageIndex++;
  stageIndex = Math.min(stageIndex, stages.length - 1);
  const kind = stages[stageIndex].kind;
  const closed = kind !== 'open' ? Math.min(endMs, createdMs + rng.between(3, 150) * DAY) : null;
  const year = new Date(createdMs).getUTCFullYear();
  return {
    name: `${company ? company.short : 'Walk-in'} – ${rng.pick(DEAL_KINDS)} ${year}`,
    amount_minor: major * 10 ** digits,
    amount_currency: currency,
    stageIndex,
    status: kind,
    expected_close_date: new Date(createdMs + rng.between(20, 200) * DAY)
      .toISOString()
      .slice(0, 10),
    closed_at: closed === null ? null : new Date(closed).toISOString(),
    lost_reason: kind === 'lost' ? rng.pick(LOST_REASONS) : null,
    external_ref: rng.chance(0.5) ? `D-${String(500000 + i)}` : null,
    description: rng.chance(0.2) ? rng.pick(NOTES) : null,
  };
}

/** Creation instants spread evenly over `spanDays` before endMs, in index order, with jitter. */
export function createdAt(i: number, count: number, endMs: number, spanDays = 3 * 365): number {
  const start = endMs - spanDays * DAY;
  const step = (endMs - start) / Math.max(1, count);
  return Math.floor(start + i * step + (mix(i, 0xc0ffee) % 1000) * (step / 1000));
}
