import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { Catalogue } from '../../desk/catalogue';
import { deskDataFile } from '../../desk/dataFiles';
import { RegistryError, SERIALS_CSV_HEADER, SerialRegistry } from '../../desk/serialRegistry';
import { daysBetween } from '../../desk/warranty';
import { testRedis, uniquePrefix } from '../helpers/redis';

const catalogue = Catalogue.default();
const SHIPPED = deskDataFile('serials.csv');
const shippedRows = readFileSync(SHIPPED, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));

let redis: Redis;
let prefix: string;
let registry: SerialRegistry;
let dir: string;

beforeEach(() => {
  prefix = uniquePrefix();
  redis = testRedis(prefix);
  registry = new SerialRegistry(redis, catalogue);
  dir = mkdtempSync(path.join(tmpdir(), 'cs-serials-'));
});

afterEach(async () => {
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

const writeCsv = (name: string, rows: string[]): string => {
  const file = path.join(dir, name);
  writeFileSync(file, `${[SERIALS_CSV_HEADER, ...rows].join('\n')}\n`);
  return file;
};

const storedKeys = async (): Promise<string[]> => redis.keys(`${prefix}cs:unit:*`);

describe('the shipped sample data', () => {
  test('covers every sales window relative to 2026-11-22', () => {
    expect(shippedRows.length).toBeGreaterThanOrEqual(240);
    const ages = shippedRows.map(([, , saleDate]) => daysBetween(saleDate, '2026-11-22'));
    expect(ages.filter((age) => age >= 0 && age <= 7).length).toBeGreaterThanOrEqual(3);
    expect(ages.filter((age) => age >= 8 && age <= 15).length).toBeGreaterThanOrEqual(3);
    expect(ages.filter((age) => age > 15 && age < 365).length).toBeGreaterThanOrEqual(50);
    expect(ages.filter((age) => age >= 365).length).toBeGreaterThanOrEqual(50);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(2);
    const withContract = shippedRows.filter((row) => row[4]).length / shippedRows.length;
    expect(withContract).toBeGreaterThan(0.1);
    expect(withContract).toBeLessThan(0.2);
    const contractAfterWarranty = shippedRows.filter(([, , saleDate, , , endsOn]) => endsOn >= '2026-11-22' && saleDate < '2025-11-22');
    expect(contractAfterWarranty.length).toBeGreaterThanOrEqual(2);
    expect(new Set(shippedRows.map((row) => row[3]))).toEqual(new Set(['webshop', 'taobao', 'wechat', 'offline']));
  });

  test('loads into Redis, one hash per unit, and re-loading changes nothing', async () => {
    const count = await registry.loadCsv(SHIPPED);
    expect(count).toBe(shippedRows.length);
    expect((await storedKeys()).length).toBe(count);
    expect(await registry.loadCsv(SHIPPED)).toBe(count);
    expect((await storedKeys()).length).toBe(count);
  });

  test('looks units up however the customer types the serial', async () => {
    await registry.loadCsv(SHIPPED);
    const [serial, modelId, saleDate, channel] = shippedRows[0];
    const expected = { serial, modelId, saleDate, channel };
    expect(await registry.lookup(serial)).toEqual(expected);
    expect(await registry.lookup(serial.toLowerCase())).toEqual(expected);
    expect(await registry.lookup(` ${serial.slice(0, 5)}-${serial.slice(5, 8)} ${serial.slice(8)} `)).toEqual(expected);

    const contracted = shippedRows.find((row) => row[4]) as string[];
    expect(await registry.lookup(contracted[0])).toEqual({
      serial: contracted[0],
      modelId: contracted[1],
      saleDate: contracted[2],
      channel: contracted[3],
      contract: { id: contracted[4], endsOn: contracted[5] },
    });
    expect(await registry.lookup('PH99Z9999999')).toBeUndefined();
    expect(await registry.lookup('')).toBeUndefined();
  });
});

test('re-loading drops a contract the file no longer has', async () => {
  await registry.loadCsv(writeCsv('a.csv', ['PH23A1234567,X20,2023-05-01,taobao,YB001,2026-04-30']));
  expect((await registry.lookup('PH23A1234567'))?.contract).toEqual({ id: 'YB001', endsOn: '2026-04-30' });
  await registry.loadCsv(writeCsv('b.csv', ['PH23A1234567,X20,2023-05-01,taobao,,']));
  expect(await registry.lookup('PH23A1234567')).toEqual({
    serial: 'PH23A1234567',
    modelId: 'X20',
    saleDate: '2023-05-01',
    channel: 'taobao',
  });
});

describe('checkFormat', () => {
  test.each<[string, string | undefined, string | undefined]>([
    ['PH23A1234567', 'PH23A1234567', 'phone'],
    ['ph23a 123 4567', 'PH23A1234567', 'phone'],
    ['ＰＨ２３Ａ１２３４５６７', 'PH23A1234567', 'phone'],
    ['NB24KX-123456', 'NB24KX123456', 'laptop'],
    ['TB23C123456', 'TB23C123456', 'tablet'],
    ['RT2305AB1234', 'RT2305AB1234', 'router'],
    ['TV24S12345678', 'TV24S12345678', 'tv'],
    ['EB25LA12345', 'EB25LA12345', 'earbuds'],
    ['WT25H12345K', 'WT25H12345K', 'watch'],
    ['序列号 PH23A1234567', 'PH23A1234567', 'phone'],
    ['PH23A123456', undefined, undefined],
    ['PH23A12345678', undefined, undefined],
    ['TV24S1234567', undefined, undefined],
    ['12345678', undefined, undefined],
    ['我不知道', undefined, undefined],
  ])('%j', (text, serial, categoryId) => {
    const check = registry.checkFormat(text);
    if (serial === undefined) expect(check).toEqual({ ok: false, reason: 'unknownFormat' });
    else expect(check).toEqual({ ok: true, serial, category: catalogue.category(categoryId as string) });
  });
});

describe('extractSerial', () => {
  test.each<[string, string | undefined]>([
    ['序列号是PH23A1234567，帮我看看', 'PH23A1234567'],
    ['SN: nb24kx123456 2024年买的', 'NB24KX123456'],
    ['我的电视 TV24S12345678 黑屏了', 'TV24S12345678'],
    ['耳机序列号EB25LA12345。', 'EB25LA12345'],
    ['手表背面写着 WT25H12345K', 'WT25H12345K'],
    ['路由器RT2305AB1234老掉线', 'RT2305AB1234'],
    ['序列号：PH23A-123 4567', 'PH23A1234567'],
    ['ＳＮ是ＴＢ２３Ｃ１２３４５６', 'TB23C123456'],
    ['PH23A12345678 多了一位', undefined],
    ['XPH23A1234567', undefined],
    ['订单号 202611221234567', undefined],
    ['你好', undefined],
  ])('%j → %s', (text, expected) => {
    expect(SerialRegistry.extractSerial(text, catalogue)).toBe(expected);
  });
});

describe('a registry file with mistakes', () => {
  const good = 'PH23A1234567,X20,2023-05-01,taobao,,';
  test.each<[string, string[], string]>([
    ['an unknown model', [good, 'PH23A7654321,X99,2023-05-01,taobao,,'], 'bad.csv:3 unknown model "X99"'],
    [
      'a serial of another family',
      [good, 'NB24KX123456,X20,2024-05-01,webshop,,'],
      'bad.csv:3 serial "NB24KX123456" does not match the mobile phone format (e.g. PH23A1234567)',
    ],
    ['a malformed serial', ['PH23A12345,X20,2023-05-01,taobao,,'], 'bad.csv:2 serial "PH23A12345" does not match'],
    [
      'an impossible date',
      [good, good.replace('1234567', '7654321').replace('2023-05-01', '2023-02-30')],
      'bad.csv:3 sale_date: not a calendar date',
    ],
    ['a date in another format', [good.replace('2023-05-01', '2023/05/01')], 'bad.csv:2 sale_date: not a calendar date'],
    [
      'a duplicate serial',
      [good, 'PH23B0000001,X20 Pro,2023-06-01,wechat,,', good],
      'bad.csv:4 duplicate serial "PH23A1234567" (also on line 2)',
    ],
    ['an unknown channel', [good.replace('taobao', 'jd')], 'bad.csv:2 channel: channel must be one of'],
    ['a contract without its end', [good.replace(',,', ',YB1,')], 'bad.csv:2 contract_id: contract_id and contract_ends_on go together'],
    [
      'a contract ending before the sale',
      [good.replace(',,', ',YB1,2022-01-01')],
      'bad.csv:2 contract_ends_on: contract_ends_on is before sale_date',
    ],
    ['a missing column', [good, 'PH23A7654321,X20,2023-05-01,taobao'], 'bad.csv:3 expected 6 columns, found 4'],
  ])('%s', async (_name, rows, expected) => {
    const file = writeCsv('bad.csv', rows);
    const load = registry.loadCsv(file);
    await expect(load).rejects.toThrow(RegistryError);
    await expect(load).rejects.toThrow(expected);
    expect(await storedKeys()).toEqual([]);
  });

  test('a wrong header is named on line 1', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, 'sn,model,date\nPH23A1234567,X20,2023-05-01\n');
    await expect(registry.loadCsv(file)).rejects.toThrow('bad.csv:1 the header must be');
  });
});
