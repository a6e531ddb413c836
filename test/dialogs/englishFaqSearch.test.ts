import { EnglishSearch } from '../../dialogs/knowledgeServices';
import { loadManual } from '../../knowledge/manual';

const manual = loadManual();

describe('an English customer is understood in their own words (en/synonyms.yaml)', () => {
  test.each([
    ['do I need the receipt to get it repaired for free', 'policy-proof-of-purchase'],
    ['how do I take a screen capture on my notebook', 'laptop-screenshot'],
    ['the band of my smartwatch snapped, how do I put a new one on', 'watch-strap'],
    ['do you repair at home or do I have to take it to a service centre', 'policy-service-modes'],
  ])('"%s" finds %s', (question, id) => {
    const { candidates } = EnglishSearch.of(manual).searchFaq(question, {});
    expect(candidates[0]?.entry.id).toBe(id);
  });

  test('without the English synonyms the same words miss, so the file is what finds them', () => {
    const bare = EnglishSearch.of({ ...manual, englishSynonyms: [] });
    expect(bare.searchFaq('do I need the receipt to get it repaired for free', {}).candidates[0]?.entry.id).not.toBe(
      'policy-proof-of-purchase',
    );
  });
});
