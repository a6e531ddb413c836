import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KEY_OWNERS, keyOwnersMarkdown, mustExpire, ownerOf } from '../../common/keyOwners';

describe('the key-owner table', () => {
  test('the README\'s "Data kept in Redis" section is the table, row for row', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    // On failure: paste keyOwnersMarkdown() over the section's table.
    expect(readme).toContain(keyOwnersMarkdown());
  });

  test('each key finds its own row, a narrower pattern before a wider one', () => {
    expect(ownerOf('cs:ticket:{S261122-0001}')?.end).toBe('record');
    expect(ownerOf('cs:ticket:{S261122-0001}:published')?.owner).toContain('outbox');
    expect(ownerOf('cs:wechat:{wx123}:token:lock')?.owner).toContain('lease');
    expect(ownerOf('cs:outbox:tickets:dead')?.howLong).toContain('person');
    expect(ownerOf('cs:state:{web/conversations/web-1/}')?.end).toBe('idle');
    expect(ownerOf('cs:conv:{web-1}:ratings')?.end).toBe('record');
    expect(ownerOf('cs:conv:{web-1}:something-new')).toBeUndefined();
    expect(ownerOf('cs:ticketx')).toBeUndefined();
    // No row is shadowed by an earlier one: each pattern, read as a key, finds itself.
    for (const row of KEY_OWNERS)
      expect({ pattern: row.pattern, found: ownerOf(row.pattern)?.pattern }).toEqual({ pattern: row.pattern, found: row.pattern });
  });

  test('every row names its owner and says how long; only owned keys and records go without a TTL', () => {
    expect(KEY_OWNERS.filter((row) => row.howLong.trim() === '' || row.owner.trim() === '')).toEqual([]);
    expect(
      KEY_OWNERS.filter((row) => !mustExpire(row.end))
        .map((row) => row.end)
        .sort(),
    ).toEqual(expect.arrayContaining(['owned', 'record']));
    expect(mustExpire('idle') && mustExpire('transcript') && mustExpire('ttl') && !mustExpire('owned') && !mustExpire('record')).toBe(true);
  });
});
