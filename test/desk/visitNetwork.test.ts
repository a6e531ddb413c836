import { readFileSync } from 'node:fs';
import { Catalogue } from '../../desk/catalogue';
import { deskDataFile } from '../../desk/dataFiles';
import { DistrictDirectory } from '../../desk/districts';
import { VisitNetwork, worksHalfDay } from '../../desk/visitNetwork';

const context = {
  districts: DistrictDirectory.forProvince('上海'),
  families: Catalogue.default()
    .categories()
    .map((c) => c.id),
};
const shippedPoints = readFileSync(deskDataFile('servicePoints.yaml'), 'utf8');
const shippedEngineers = readFileSync(deskDataFile('engineers.yaml'), 'utf8');

function load(points = shippedPoints, engineers = shippedEngineers): VisitNetwork {
  return VisitNetwork.fromYaml(
    { servicePoints: { name: 'servicePoints.yaml', text: points }, engineers: { name: 'engineers.yaml', text: engineers } },
    context,
  );
}

function errorOf(points: string, engineers = shippedEngineers): string {
  try {
    load(points, engineers);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the data to be refused');
}

/** The last line holding `needle`: a duplicate is reported where it is repeated. */
const lineOf = (source: string, needle: string): number => {
  const lines = source.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].includes(needle)) return i + 1;
  return 0;
};

describe('the shipped service network', () => {
  const network = load();

  test('covers all 16 districts of Shanghai, each once, as city or suburb', () => {
    const covered = network.servicePoints().flatMap((p) => p.districts);
    expect(covered).toHaveLength(16);
    expect(new Set(covered.map((d) => d.code)).size).toBe(16);
    expect(network.coverOf('310104')).toMatchObject({ servicePoint: { id: 'sp-xuhui' }, area: 'city' });
    expect(network.coverOf('310151')).toMatchObject({ servicePoint: { id: 'sp-yangpu' }, area: 'suburb' });
    expect(network.servicePoints()).toHaveLength(3);
    expect(network.engineers()).toHaveLength(12);
  });

  test("finds the engineers of a district's service point who repair the family", () => {
    expect(network.engineersFor('tv', '310115').map((e) => e.id)).toEqual(['e09', 'e10', 'e12']);
    expect(network.engineersFor('earbuds', '310104')).toEqual([]);
  });

  test('an engineer books a half-day only on a working day with a shift covering it', () => {
    const chen = network.engineer('e04');
    expect(chen && [worksHalfDay(chen, 3, 'am'), worksHalfDay(chen, 3, 'pm'), worksHalfDay(chen, 1, 'pm')]).toEqual([false, true, false]);
  });
});

describe('mistakes in the data are named with file and line', () => {
  test.each([
    [
      'a district that is not in Shanghai',
      shippedPoints.replace('      长宁区: city', '      朝阳区: city'),
      '朝阳区: city',
      'not a district of 上海市',
    ],
    [
      'a district by its short name',
      shippedPoints.replace('      长宁区: city', '      长宁: city'),
      '长宁: city',
      'write its official name "长宁区"',
    ],
    [
      'a district covered twice',
      shippedPoints.replace('      奉贤区: suburb', '      奉贤区: suburb\n      徐汇区: city'),
      '徐汇区: city',
      'already covered by sp-xuhui',
    ],
    [
      'an unknown family',
      shippedPoints.replace('families: [tv, laptop, phone, router]', 'families: [tv, fridge]'),
      'families: [tv, fridge]',
      'unknown product family "fridge"',
    ],
    [
      'an unreadable opening time',
      shippedPoints.replace('openingHours: "09:00-18:00 1-6"', 'openingHours: "9-18 daily"'),
      'openingHours: "9-18 daily"',
      'Invalid working hours',
    ],
    ['a missing phone', shippedPoints.replace('    phone: 021-6511-0002\n', ''), 'id: sp-yangpu', 'phone: is missing'],
  ])('servicePoints.yaml: %s', (_what, text, needle, reason) => {
    const message = errorOf(text);
    const line = lineOf(text, needle);
    expect(message).toContain(`servicePoints.yaml:${line}`);
    expect(message).toContain(reason);
  });

  test.each([
    [
      'an engineer at an unknown service point',
      shippedEngineers.replace('id: e05, name: 刘洋, servicePoint: sp-yangpu', 'id: e05, name: 刘洋, servicePoint: sp-minhang'),
      'e05',
      'unknown service point "sp-minhang"',
    ],
    [
      'a family the service point does not repair',
      shippedEngineers.replace(
        'id: e07, name: 孙丽, servicePoint: sp-yangpu, families: [laptop, phone, router]',
        'id: e07, name: 孙丽, servicePoint: sp-yangpu, families: [laptop, watch]',
      ),
      'e07',
      'sp-yangpu does not repair "watch"',
    ],
    [
      'overlapping shifts',
      shippedEngineers.replace(
        'id: e01, name: 王建国, servicePoint: sp-xuhui, families: [tv, laptop], workingDays: "1-5", shifts: ["09:00-12:00", "13:00-18:00"]',
        'id: e01, name: 王建国, servicePoint: sp-xuhui, families: [tv, laptop], workingDays: "1-5", shifts: ["09:00-14:00", "13:00-18:00"]',
      ),
      'e01',
      'shift "13:00-18:00" overlaps',
    ],
    [
      'a weekday that does not exist',
      shippedEngineers.replace('workingDays: "3-7", shifts: ["13:00-18:00"]', 'workingDays: "3-8", shifts: ["13:00-18:00"]'),
      'e04',
      '"3-8" is not an ISO weekday',
    ],
    [
      'no visits per half-day',
      shippedEngineers.replace('visitsPerHalfDay: 2 }\n  - { id: e09', 'visitsPerHalfDay: 0 }\n  - { id: e09'),
      'e08',
      'must be at least 1',
    ],
  ])('engineers.yaml: %s', (_what, text, id, reason) => {
    const message = errorOf(shippedPoints, text);
    expect(message).toContain(`engineers.yaml:${lineOf(text, `id: ${id},`)}`);
    expect(message).toContain(reason);
  });
});
