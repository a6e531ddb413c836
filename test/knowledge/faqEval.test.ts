import { buildKnowledge } from '../../app/app';
import { Catalogue } from '../../desk/catalogue';
import { faqReport } from '../../scripts/faqEval';

describe('npm run eval -- faq: each question in the index the bot uses for its language', () => {
  const knowledge = buildKnowledge(Catalogue.default(), () => '2026-11-22');

  test('an English question is looked up in the English index, as the bot answers it', async () => {
    const report = await faqReport([{ text: 'How do I turn on fast charging?', faq: 'phone-fast-charge' }], knowledge);
    expect(report.filter((line) => line.startsWith('MISS'))).toEqual([]);
    expect(report.slice(-2)).toEqual(['top3: 1.000 (1/1)', 'accuracy: 1.000 (1/1)']);
  });

  test('the same words forced into the Chinese index miss: the language decides the index', async () => {
    const report = await faqReport([{ text: 'How do I turn on fast charging?', faq: 'phone-fast-charge', locale: 'zh-CN' }], knowledge);
    expect(report.slice(-1)).toEqual(['accuracy: 0.000 (0/1)']);
    expect(report[0]).toMatch(/^MISS How do I turn on fast charging\?\n {2}expected: phone-fast-charge/);
  });

  test('Chinese and English lines together: a figure per language, misses marked [en], the contract lines last', async () => {
    const report = await faqReport(
      [
        { text: '手机怎么截屏', faq: 'phone-screenshot' },
        { text: 'how to take a screenshot', faq: 'phone-screenshot' },
        { text: 'Can I trade in my old phone for a discount?', faq: null },
        { text: 'Can I trade in my old phone for a discount?', faq: 'phone-fast-charge' },
      ],
      knowledge,
    );
    expect(report).toContain('zh-CN: 1.000 (1/1)');
    expect(report).toContain('en: 0.667 (2/3)');
    expect(report.filter((line) => line.startsWith('MISS [en] Can I trade in'))).toHaveLength(1);
    expect(report.at(-2)).toMatch(/^top3: /);
    expect(report.at(-1)).toBe('accuracy: 0.750 (3/4)');
  });
});
