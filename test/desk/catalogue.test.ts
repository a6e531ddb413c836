import { Catalogue, CatalogueError } from '../../desk/catalogue';
import { deskDataFile } from '../../desk/dataFiles';
import { SERVICE_MODES } from '../../desk/model';

describe('the shipped catalogue', () => {
  const catalogue = Catalogue.default();

  test('has the seven families and at least 22 models', () => {
    expect(catalogue.categories().map((c) => c.id)).toEqual(
      expect.arrayContaining(['phone', 'laptop', 'tablet', 'router', 'tv', 'earbuds', 'watch']),
    );
    expect(catalogue.models().length).toBeGreaterThanOrEqual(22);
    for (const category of catalogue.categories()) expect(catalogue.modelsOf(category.id).length).toBeGreaterThanOrEqual(3);
    expect(Catalogue.fromFile(deskDataFile('catalogue.yaml')).models()).toEqual(catalogue.models());
  });

  test('carries the 三包 defaults and sensible fees', () => {
    for (const category of catalogue.categories()) {
      expect(category.terms).toMatchObject({ refundDays: 7, exchangeDays: 15, mainUnitMonths: 12, repairedPartDays: 90 });
      expect(category.fees.length).toBeGreaterThanOrEqual(3);
      expect(category.fees.length).toBeLessThanOrEqual(5);
      for (const fee of category.fees) expect(fee.minYuan).toBeLessThanOrEqual(fee.maxYuan);
      expect(category.exclusions.length).toBeGreaterThan(0);
      for (const mode of category.serviceModes) expect(SERVICE_MODES).toContain(mode);
      expect(catalogue.categoryOfSerial(category.serialExample)).toBe(category);
      expect(category.serialPattern.slice(0, 2)).toMatch(/^[A-Z]{2}$/);
    }
    const part = (categoryId: string, partId: string): number | undefined =>
      catalogue.category(categoryId)?.terms.parts.find((p) => p.id === partId)?.months;
    expect(part('phone', 'battery')).toBe(6);
    expect(part('phone', 'charger')).toBe(12);
    expect(part('phone', 'wiredHeadset')).toBe(3);
    for (const main of ['mainboard', 'cpu', 'memory', 'disk', 'display', 'power']) expect(part('laptop', main)).toBe(24);
    expect(part('tv', 'panel')).toBe(36);
    expect(part('tv', 'mainboard')).toBe(36);
    expect(catalogue.category('tv')?.serviceModes).toEqual(['onsite', 'carryIn']);
    expect(catalogue.category('laptop')?.serviceModes).toContain('onsite');
    expect(catalogue.category('earbuds')?.serviceModes).not.toContain('onsite');
  });

  test('serial prefixes are distinct per family', () => {
    const prefixes = catalogue.categories().map((c) => c.serialPattern.slice(0, 2));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test('looks models up by id, also loosely', () => {
    expect(catalogue.model('X20 Pro')?.name).toBe('星耀 X20 Pro');
    expect(catalogue.model('x20pro')?.id).toBe('X20 Pro');
    expect(catalogue.model('nope')).toBeUndefined();
    expect(catalogue.category('nope')).toBeUndefined();
  });

  test.each<[string, string | undefined]>([
    ['我的星耀X20 Pro充不进电', 'X20 Pro'],
    ['x20pro', 'X20 Pro'],
    ['X20PRO 屏幕碎了', 'X20 Pro'],
    ['ｘ２０　ｐｒｏ开不了机', 'X20 Pro'],
    ['星耀 X20 用了半年', 'X20'],
    ['X20 12月买的', 'X20'],
    ['x200 是什么', undefined],
    ['我买的是青禾Y9s', 'Y9s'],
    ['青禾 Y9 发烫', 'Y9'],
    ['x30u 拍照模糊', 'X30 Ultra'],
    ['云帆book 16 pro键盘失灵', 'Book 16 Pro'],
    ['Book14 开机黑屏', 'Book 14'],
    ['远景75寸电视没有声音', 'V75 Max'],
    ['声动 Buds 3 Pro 左耳没声音', 'Buds 3 Pro'],
    ['buds3 充电仓不亮', 'Buds 3'],
    ['疾风AX6000 老掉线', 'AX6000 Mesh'],
    ['腕星手环8不计步', 'Band 8'],
    ['我的手机坏了', undefined],
    ['', undefined],
  ])('findModel(%j) → %s', (sentence, expected) => {
    expect(catalogue.findModel(sentence)?.id).toBe(expected);
  });

  test.each<[string, string | undefined]>([
    ['我的手机开不了机', 'phone'],
    ['电话打不出去', 'phone'],
    ['笔记本电脑蓝屏', 'laptop'],
    ['电脑开机很慢', 'laptop'],
    ['平板电脑充不进电', 'tablet'],
    ['平板屏幕有条纹', 'tablet'],
    ['路由老是断网', 'router'],
    ['电视没有图像', 'tv'],
    ['蓝牙耳机连不上', 'earbuds'],
    ['我的耳机连不上手机', 'earbuds'],
    ['手机连不上耳机', 'phone'],
    ['手表不亮了', 'watch'],
    ['手环不计步', 'watch'],
    ['电话手表打不了电话', 'watch'],
    ['My LAPTOP will not boot', 'laptop'],
    ['the TV has no sound', 'tv'],
    ['我的星耀X20 Pro充不进电', 'phone'],
    ['远景V55 黑屏', 'tv'],
    ['你好，在吗', undefined],
  ])('findCategory(%j) → %s', (sentence, expected) => {
    expect(catalogue.findCategory(sentence)?.id).toBe(expected);
  });

  test.each<[string, string | undefined]>([
    ['PH23A1234567', 'phone'],
    ['ph23a-123 4567', 'phone'],
    ['NB24KX123456', 'laptop'],
    ['TB23C123456', 'tablet'],
    ['RT2305AB1234', 'router'],
    ['TV24S12345678', 'tv'],
    ['EB25LA12345', 'earbuds'],
    ['WT25H12345K', 'watch'],
    ['PH23A123456', undefined],
    ['XX23A1234567', undefined],
  ])('categoryOfSerial(%s) → %s', (serial, expected) => {
    expect(catalogue.categoryOfSerial(serial)?.id).toBe(expected);
  });
});

/** A small valid catalogue; line numbers below refer to it. */
const GOOD = `categories:
  - id: phone
    name: 手机
    nameEn: Phone
    keywords: [手机]
    serialPattern: "PH[0-9]{4}"
    serialExample: PH1234
    terms:
      refundDays: 7
      exchangeDays: 15
      mainUnitMonths: 12
      parts:
        - { id: battery, name: 电池, nameEn: Battery, months: 6 }
      repairedPartDays: 90
    exclusions: [进水]
    serviceModes: [carryIn, mailIn]
    fees:
      - { id: screen, name: 换屏, nameEn: Screen, minYuan: 300, maxYuan: 900 }
  - id: tv
    name: 电视
    nameEn: TV
    serialPattern: "TV[0-9]{4}"
    serialExample: TV1234
    terms:
      refundDays: 7
      exchangeDays: 15
      mainUnitMonths: 12
      parts: []
      repairedPartDays: 90
    exclusions: [进水]
    serviceModes: [onsite]
    fees:
      - { id: panel, name: 换屏, nameEn: Panel, minYuan: 1000, maxYuan: 3000 }
models:
  - { id: X20, name: 星耀 X20, nameEn: X20, category: phone, aliases: [星耀20] }
  - id: V55
    name: 远景 V55
    nameEn: V55
    category: tv
    aliases: []
`;

describe('what customers are told from the catalogue', () => {
  const catalogue = Catalogue.default();

  test('every family says in two or three places where its serial is printed, in both languages', () => {
    for (const category of catalogue.categories()) {
      const places = catalogue.serialLocations(category.id);
      expect(places.length).toBeGreaterThanOrEqual(2);
      expect(places.length).toBeLessThanOrEqual(3);
      for (const place of places) {
        expect(place.zh).toMatch(/\p{Script=Han}/u);
        expect(place.en).not.toMatch(/\p{Script=Han}/u);
      }
    }
    expect(catalogue.serialLocations('fridge')).toEqual([]);
  });

  test.each<[string, string, string[]]>([
    ['phone', '换个屏幕多少钱', ['screen']],
    ['phone', '换屏多少钱', ['screen']],
    ['phone', '电池换一个多少', ['battery']],
    ['phone', 'how much to replace the screen', ['screen']],
    ['phone', '充电口松了修一下多少钱', ['chargingPort']],
    ['tv', '屏幕碎了换一个多少钱', ['panel']],
    ['earbuds', '充电仓丢了补一个多少钱', ['chargingCase']],
    ['watch', '表带断了', ['strap']],
    ['phone', '修一下要多少钱', []],
  ])('fees asked: %s %s → %j', (categoryId, sentence, fees) => {
    expect(catalogue.feesAsked(categoryId, sentence).map((fee) => fee.id)).toEqual(fees);
  });

  test('the fees of a category carry no keywords, which only serve matching', () => {
    for (const category of catalogue.categories()) for (const fee of category.fees) expect(fee).not.toHaveProperty('keywords');
  });

  test('serial locations are checked: two or three, each with zh and en', () => {
    const one = GOOD.replace(
      '    serialExample: PH1234\n',
      '    serialExample: PH1234\n    serialLocations:\n      - { zh: 机身背面, en: the back }\n',
    );
    expect(() => Catalogue.fromYaml(one, 'bad.yaml')).toThrow(/bad\.yaml:8 categories\[0\]\.serialLocations: needs at least 2/);
    const noEnglish = GOOD.replace(
      '    serialExample: PH1234\n',
      '    serialExample: PH1234\n    serialLocations:\n      - { zh: 机身背面 }\n      - { zh: 包装盒 }\n',
    );
    expect(() => Catalogue.fromYaml(noEnglish, 'bad.yaml')).toThrow(/serialLocations\[0\]\.en: is missing/);
  });
});

describe('a catalogue with mistakes', () => {
  test('the sample itself loads', () => {
    const catalogue = Catalogue.fromYaml(GOOD, 'good.yaml');
    expect(catalogue.models().map((m) => m.id)).toEqual(['X20', 'V55']);
    expect(catalogue.category('phone')).not.toHaveProperty('keywords');
  });

  test.each<[string, string, string]>([
    [
      'a text where a number belongs',
      GOOD.replace('refundDays: 7', 'refundDays: seven'),
      'bad.yaml:9 categories[0].terms.refundDays: expected a number',
    ],
    [
      'a missing field',
      GOOD.replace('      mainUnitMonths: 12\n      parts: []', '      parts: []'),
      'bad.yaml:24 categories[1].terms.mainUnitMonths: is missing',
    ],
    [
      'an unknown field (a typo)',
      GOOD.replace('    nameEn: TV\n', '    nameEn: TV\n    nmae: 电视机\n'),
      'bad.yaml:22 categories[1].nmae: unknown field',
    ],
    [
      'an unknown service mode',
      GOOD.replace('serviceModes: [onsite]', 'serviceModes: [teleport]'),
      'bad.yaml:31 categories[1].serviceModes[0]: expected one of onsite, carryIn, mailIn',
    ],
    ['an empty name', GOOD.replace('name: 远景 V55', 'name: ""'), 'bad.yaml:37 models[1].name: must not be empty'],
    ['a duplicate category id', GOOD.replace('  - id: tv', '  - id: phone'), 'bad.yaml:19 categories[1].id: duplicate category id "phone"'],
    ['a duplicate model id', GOOD.replace('  - id: V55', '  - id: X20'), 'bad.yaml:36 models[1].id: duplicate model id "X20"'],
    [
      'a model of an unknown category',
      GOOD.replace('category: tv', 'category: fridge'),
      'bad.yaml:39 models[1].category: unknown category "fridge"',
    ],
    [
      'a serial pattern that is no regex',
      GOOD.replace('"TV[0-9]{4}"', '"TV[0-9{4}("'),
      'bad.yaml:22 categories[1].serialPattern: not a valid regular expression',
    ],
    [
      'an example the pattern does not match',
      GOOD.replace('serialExample: TV1234', 'serialExample: TV12345'),
      'bad.yaml:23 categories[1].serialExample: "TV12345" does not match serialPattern',
    ],
    [
      'overlapping serial formats',
      GOOD.replace('"TV[0-9]{4}"', '"[A-Z]{2}[0-9]{4}"'),
      'bad.yaml:7 categories[0].serialExample: "PH1234" also matches the serial pattern of "tv"',
    ],
    [
      'exchangeDays shorter than refundDays',
      GOOD.replace('exchangeDays: 15', 'exchangeDays: 5'),
      'bad.yaml:10 categories[0].terms.exchangeDays: must not be less than refundDays (7)',
    ],
    [
      'a fee whose min is above its max',
      GOOD.replace('minYuan: 1000, maxYuan: 3000', 'minYuan: 3000, maxYuan: 1000'),
      'bad.yaml:33 categories[1].fees[0].minYuan: minYuan 3000 is more than maxYuan 1000',
    ],
    [
      'an alias naming two models',
      GOOD.replace('    aliases: []', '    aliases: [星耀20]'),
      'bad.yaml:40 models[1].aliases[0]: "星耀20" already names model "X20"',
    ],
    ['broken YAML', GOOD.replace('    nameEn: TV\n', '    nameEn: [TV\n'), 'bad.yaml:22 not valid YAML'],
    ['not a mapping at all', '- just\n- a list\n', 'bad.yaml:1 expected a mapping'],
  ])('%s', (_name, source, expected) => {
    let error: unknown;
    try {
      Catalogue.fromYaml(source, 'bad.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).message).toContain(expected);
    expect((error as CatalogueError).file).toBe('bad.yaml');
  });

  test('every problem is reported, not just the first', () => {
    const source = GOOD.replace('refundDays: 7', 'refundDays: seven').replace('category: tv', 'category: fridge');
    expect(() => Catalogue.fromYaml(source, 'bad.yaml')).toThrow(/refundDays: expected a number/);
    const twice = GOOD.replace('exchangeDays: 15', 'exchangeDays: 5').replace('category: tv', 'category: fridge');
    try {
      Catalogue.fromYaml(twice, 'bad.yaml');
      throw new Error('should have failed');
    } catch (error) {
      expect((error as CatalogueError).problems.map((p) => p.path)).toEqual(['categories[0].terms.exchangeDays', 'models[1].category']);
    }
  });

  test('fromFile names the file it read', () => {
    expect(() => Catalogue.fromFile(deskDataFile('serials.csv'))).toThrow(/^serials\.csv:1 /);
  });
});
