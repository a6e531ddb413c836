/**
 * Writes desk/data/serials.csv, the serial registry's sample data. Deterministic (seeded), so the
 * file only changes when this script does. Sale dates are placed relative to REFERENCE_DAY so that
 * every warranty status occurs: a few units in the refund and exchange windows, many within the
 * year, many older, about 15% with an extended-warranty contract.
 *
 *   node -r ./scripts/tsRegister.js scripts/generate-serials.ts
 */
import { writeFileSync } from 'node:fs';
import { Catalogue } from '../desk/catalogue';
import { deskDataFile } from '../desk/dataFiles';
import { SERIALS_CSV_HEADER } from '../desk/serialRegistry';
import { addDays, addMonths, daysBetween } from '../desk/warranty';
import { seededRandom } from './seededRandom';

const REFERENCE_DAY = '2026-11-22';
const FIRST_SALE = '2022-01-01';
const CHANNELS = ['webshop', 'taobao', 'wechat', 'offline'];

const next = seededRandom(20261122);
const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
const letters = (count: number): string => Array.from({ length: count }, () => String.fromCharCode(65 + int(0, 25))).join('');
const digits = (count: number): string => Array.from({ length: count }, () => String(int(0, 9))).join('');

/** One maker per family, mirroring each category's serialPattern in the catalogue. */
const SERIAL_MAKERS: Record<string, (yy: string) => string> = {
  phone: (yy) => `PH${yy}${letters(1)}${digits(7)}`,
  laptop: (yy) => `NB${yy}${letters(2)}${digits(6)}`,
  tablet: (yy) => `TB${yy}${letters(1)}${digits(6)}`,
  router: (yy) => `RT${yy}${String(int(1, 52)).padStart(2, '0')}${letters(2)}${digits(4)}`,
  tv: (yy) => `TV${yy}${letters(1)}${digits(8)}`,
  earbuds: (yy) => `EB${yy}${letters(2)}${digits(5)}`,
  watch: (yy) => `WT${yy}${letters(1)}${digits(5)}${letters(1)}`,
};

/** [how many units, youngest age in days, oldest age in days] relative to REFERENCE_DAY. */
const AGE_BANDS: [number, number, number][] = [
  [10, 2, 7],
  [10, 8, 15],
  [110, 16, 364],
  [130, 365, daysBetween(FIRST_SALE, REFERENCE_DAY)],
];

const catalogue = Catalogue.default();
const models = catalogue.models();
const seen = new Set<string>();
const rows: string[] = [SERIALS_CSV_HEADER];
let contracts = 0;

for (const [count, youngest, oldest] of AGE_BANDS) {
  for (let i = 0; i < count; i += 1) {
    const model = pick(models);
    const saleDate = addDays(REFERENCE_DAY, -int(youngest, oldest));
    let serial: string;
    do serial = SERIAL_MAKERS[model.category](saleDate.slice(2, 4));
    while (seen.has(serial));
    seen.add(serial);
    if (catalogue.categoryOfSerial(serial)?.id !== model.category) throw new Error(`generated ${serial} does not fit ${model.category}`);
    let contractId = '';
    let contractEndsOn = '';
    if (youngest >= 16 && next() < 0.16) {
      contracts += 1;
      contractId = `YB${saleDate.slice(0, 4)}${String(contracts).padStart(4, '0')}`;
      contractEndsOn = addDays(addMonths(saleDate, 12 * int(1, 3)), -1);
    }
    rows.push([serial, model.id, saleDate, pick(CHANNELS), contractId, contractEndsOn].join(','));
  }
}

writeFileSync(deskDataFile('serials.csv'), `${rows.join('\n')}\n`);
process.stdout.write(`wrote ${rows.length - 1} units, ${contracts} with a contract\n`);
