import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnvFileError, checkEnvText, loadEnvFileIfPresent } from '../../common/envFile';

describe('.env lines', () => {
  test.each([
    [
      'NAME=value lines, comments, blanks, export and quotes',
      '# c\n\nPORT=3978\nexport HOST=127.0.0.1\nA="x # y"\nB=\n',
      ['PORT', 'HOST', 'A', 'B'],
    ],
    ['a quoted value over several lines', 'KEY="line one\nline two"\nNEXT=1\n', ['KEY', 'NEXT']],
    ['Windows line ends and a byte-order mark', '\uFEFFPORT=1\r\nHOST=::\r\n', ['PORT', 'HOST']],
  ])('%s are read', (_what, text, names) => {
    expect(checkEnvText(text, '.env')).toEqual(names);
  });

  test.each([
    ['a line without "="', 'PORT=1\nHOST=::\nthis is wrong\nA="x"\n', '.env:3: "this is wrong" is not NAME=value'],
    ['a name with a space', 'MY VAR=1\n', '.env:1: "MY VAR=1" is not NAME=value'],
    ['a quote never closed', 'A=1\nKEY="open\nB=2\n', '.env:2: the " opened here is never closed'],
  ])('%s is refused with the file and line', (_what, text, message) => {
    expect(() => checkEnvText(text, '.env')).toThrow(EnvFileError);
    expect(() => checkEnvText(text, '.env')).toThrow(message);
  });
});

// The values themselves are checked in test/e2e/startup.test.ts: process.loadEnvFile writes the real
// process environment, which jest hides behind a copy.
describe('loading .env', () => {
  test('a missing file is no error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cs-envfile-'));
    expect(loadEnvFileIfPresent(path.join(dir, '.env'))).toBeUndefined();
  });

  test('a bad line is refused before anything is loaded, naming the file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cs-envfile-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'CS_ENVFILE_TEST=file\noops\n');
    expect(() => loadEnvFileIfPresent(file)).toThrow(`${file}:2: "oops" is not NAME=value`);
  });
});
