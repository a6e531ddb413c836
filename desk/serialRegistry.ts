import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { anchoredSerialPattern, normalizeSerial, type Catalogue } from './catalogue';
import type { Category, SalesChannel, UnitRecord } from './model';
import { isCalendarDate } from './warranty';

export const SERIALS_CSV_HEADER = 'serial,model,sale_date,channel,contract_id,contract_ends_on';
const COLUMNS = SERIALS_CSV_HEADER.split(',');
const CHANNELS = ['webshop', 'taobao', 'wechat', 'offline'] as const satisfies readonly SalesChannel[];

const calendarDate = z.string().refine(isCalendarDate, 'not a calendar date (YYYY-MM-DD)');
const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

const rowSchema = z
  .object({
    serial: z.string().min(1, 'serial is empty'),
    model: z.string().min(1, 'model is empty'),
    sale_date: calendarDate,
    channel: z.enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` }),
    contract_id: z.preprocess(emptyAsUndefined, z.string().optional()),
    contract_ends_on: z.preprocess(emptyAsUndefined, calendarDate.optional()),
  })
  .refine((row) => (row.contract_id === undefined) === (row.contract_ends_on === undefined), {
    message: 'contract_id and contract_ends_on go together: give both or neither',
    path: ['contract_id'],
  })
  .refine((row) => row.contract_ends_on === undefined || row.contract_ends_on >= row.sale_date, {
    message: 'contract_ends_on is before sale_date',
    path: ['contract_ends_on'],
  });

/** A registry file that cannot be loaded, with the line to fix: `serials.csv:17 unknown model "X99"`. */
export class RegistryError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line} ${reason}`);
    this.name = 'RegistryError';
  }
}

export type SerialCheck = { ok: true; serial: string; category: Category } | { ok: false; reason: 'unknownFormat' };

/** Units with a maintenance contract, scored by the day it ends (days since 1970-01-01). */
const CONTRACTS_BY_END_KEY = 'cs:units:contractsByEnd';
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * The serial-number registry: which model each sold unit is, when and where it was sold, and any
 * extended-warranty contract. One hash per unit, `cs:unit:{SERIAL}`.
 */
export class SerialRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly catalogue: Catalogue,
  ) {}

  private key(serial: string): string {
    return `cs:unit:{${serial}}`;
  }

  /** Validates the whole file before writing anything, so a bad row never leaves half a registry. */
  async loadCsv(filePath: string): Promise<number> {
    const units = this.parseCsv(await readFile(filePath, 'utf8'), path.basename(filePath));
    const pipeline = this.redis.pipeline();
    // Rebuilt whole with the file, so a contract the file dropped leaves the index too.
    pipeline.del(CONTRACTS_BY_END_KEY);
    for (const unit of units) {
      const key = this.key(unit.serial);
      pipeline.hset(key, { model: unit.modelId, saleDate: unit.saleDate, channel: unit.channel });
      // Re-loading must also drop a contract the file no longer has.
      if (unit.contract) {
        pipeline.hset(key, { contractId: unit.contract.id, contractEndsOn: unit.contract.endsOn });
        pipeline.zadd(CONTRACTS_BY_END_KEY, dayNumber(unit.contract.endsOn), unit.serial);
      } else pipeline.hdel(key, 'contractId', 'contractEndsOn');
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return units.length;
  }

  parseCsv(source: string, fileName: string): UnitRecord[] {
    const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = lines[0]?.split(',').map((cell) => cell.trim());
    if (header?.join(',') !== SERIALS_CSV_HEADER) {
      throw new RegistryError(fileName, 1, `the header must be "${SERIALS_CSV_HEADER}"`);
    }
    const units: UnitRecord[] = [];
    const lineOfSerial = new Map<string, number>();
    lines.forEach((text, index) => {
      const line = index + 1;
      if (index === 0 || !text.trim()) return;
      const fail = (reason: string): never => {
        throw new RegistryError(fileName, line, reason);
      };
      const cells = text.split(',').map((cell) => cell.trim());
      if (cells.length !== COLUMNS.length) fail(`expected ${COLUMNS.length} columns, found ${cells.length}`);
      const parsed = rowSchema.safeParse(Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i]])));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(`${issue.path.join('.')}: ${issue.message}`);
      }
      const row = parsed.data;
      const model = this.catalogue.model(row.model);
      if (!model || model.id !== row.model) return fail(`unknown model "${row.model}"`);
      const category = this.catalogue.category(model.category) as Category;
      if (!anchoredSerialPattern(category.serialPattern).test(row.serial)) {
        fail(`serial "${row.serial}" does not match the ${category.nameEn.toLowerCase()} format (e.g. ${category.serialExample})`);
      }
      const earlier = lineOfSerial.get(row.serial);
      if (earlier !== undefined) fail(`duplicate serial "${row.serial}" (also on line ${earlier})`);
      lineOfSerial.set(row.serial, line);
      units.push({
        serial: row.serial,
        modelId: model.id,
        saleDate: row.sale_date,
        channel: row.channel,
        ...(row.contract_id && row.contract_ends_on ? { contract: { id: row.contract_id, endsOn: row.contract_ends_on } } : {}),
      });
    });
    return units;
  }

  /** Customers type serials in any case, with spaces or dashes. */
  async lookup(serial: string): Promise<UnitRecord | undefined> {
    const normalized = normalizeSerial(serial);
    if (!normalized) return undefined;
    const fields = await this.redis.hgetall(this.key(normalized));
    if (!fields.model) return undefined;
    const channel = CHANNELS.find((known) => known === fields.channel);
    if (!channel) throw new Error(`registry record ${normalized} has an unknown channel "${fields.channel}"`);
    return {
      serial: normalized,
      modelId: fields.model,
      saleDate: fields.saleDate,
      channel,
      ...(fields.contractId && fields.contractEndsOn ? { contract: { id: fields.contractId, endsOn: fields.contractEndsOn } } : {}),
    };
  }

  /** Units whose maintenance contract ends between the two dates (YYYY-MM-DD, both included), soonest first. */
  async contractsEndingBetween(from: string, to: string): Promise<UnitRecord[]> {
    const serials = await this.redis.zrangebyscore(CONTRACTS_BY_END_KEY, dayNumber(from), dayNumber(to));
    const units = await Promise.all(serials.map((serial) => this.lookup(serial)));
    return units.filter((unit): unit is UnitRecord => unit?.contract !== undefined);
  }

  /** Whether the text is (or contains) a serial of a known family, before asking the registry. */
  checkFormat(text: string): SerialCheck {
    const serial = this.catalogue.categoryOfSerial(text) ? normalizeSerial(text) : SerialRegistry.extractSerial(text, this.catalogue);
    const category = serial === undefined ? undefined : this.catalogue.categoryOfSerial(serial);
    return serial !== undefined && category ? { ok: true, serial, category } : { ok: false, reason: 'unknownFormat' };
  }

  /** A serial somewhere in a sentence ("序列号是PH23A1234567，帮我看看"), normalised. */
  static extractSerial(text: string, catalogue: Catalogue): string | undefined {
    const upper = text.normalize('NFKC').toUpperCase();
    const searchers = catalogue.categories().map((category) => new RegExp(`(?<![A-Z0-9])(?:${category.serialPattern})(?![A-Z0-9])`));
    const find = (candidate: string): string | undefined => {
      for (const searcher of searchers) {
        const match = searcher.exec(candidate);
        if (match) return match[0];
      }
      return undefined;
    };
    // "PH23A-123 4567": spaces and dashes inside the serial are tried only when the plain text has none.
    return find(upper) ?? find(upper.replace(/(?<=[A-Z0-9])[\s\-_]+(?=[A-Z0-9])/g, ''));
  }
}
