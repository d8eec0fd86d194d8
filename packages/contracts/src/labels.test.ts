// Pure tests of the label parser: every built-in format, the separators scanners send, each
// refusal sentence, and the LABEL_FORMATS list's validation. Nothing real or mocked is involved.
import { describe, expect, it } from 'vitest';
import { imeiCheckDigit } from './imei';
import {
  BUILT_IN_LABEL_FORMATS,
  LabelFormat,
  LabelFormatList,
  labelFormats,
  parseLabel,
} from './labels';

const withCheck = (first14: string) => first14 + imeiCheckDigit(first14);
const IMEI = withCheck('86135903100001');
/** The same IMEI with its check digit off by one, and what it should be. */
const good = Number(IMEI[14]);
const MISREAD = IMEI.slice(0, 14) + ((good + 1) % 10);

describe('parseLabel: built-in formats', () => {
  it('reads a plain IMEI, trimming what the scanner adds around it', () => {
    expect(parseLabel(IMEI)).toEqual({ ok: true, format: 'imei', imei: IMEI });
    expect(parseLabel(`  ${IMEI}\r\n`)).toMatchObject({ ok: true, imei: IMEI });
    expect(parseLabel(`${IMEI}\x1d`)).toMatchObject({ ok: true, imei: IMEI });
  });

  it('reads keyed labels in any order, with every separator and key style', () => {
    const fields = { imei: IMEI, sn: 'MPB19LA0001234', model: 'EC21EUXGA' };
    for (const sep of [';', ',', '|', '\t', '\x1d', ' ', '\r\n']) {
      const label = [`IMEI:${IMEI}`, 'SN:MPB19LA0001234', 'MODEL:EC21EUXGA'].join(sep);
      expect(parseLabel(label), JSON.stringify(sep)).toEqual({
        ok: true,
        format: 'keyed',
        ...fields,
      });
    }
    expect(parseLabel(`sn=MPB19LA0001234;imei = ${IMEI};date:20260315`)).toEqual({
      ok: true,
      format: 'keyed',
      imei: IMEI,
      sn: 'MPB19LA0001234',
      date: '20260315',
    });
    expect(parseLabel(`IMEI ${IMEI}`)).toEqual({ ok: true, format: 'keyed', imei: IMEI });
    expect(parseLabel(`PN:MC60CA|S/N:X1|IMEI:${IMEI}`)).toEqual({
      ok: true,
      format: 'keyed',
      imei: IMEI,
      model: 'MC60CA',
      sn: 'X1',
    });
  });

  it('reads a model–IMEI–serial 2D label and a SIMCom-style pipe label', () => {
    expect(parseLabel(`MC60CA ${IMEI} MPB19LA0001234`)).toEqual({
      ok: true,
      format: 'model-imei-sn',
      model: 'MC60CA',
      imei: IMEI,
      sn: 'MPB19LA0001234',
    });
    expect(parseLabel(`EC21-EU;${IMEI};ABC123`)).toMatchObject({
      format: 'model-imei-sn',
      imei: IMEI,
    });
    expect(parseLabel(`SIM7600E-H|S2E1234567890|${IMEI}|20260315`)).toEqual({
      ok: true,
      format: 'simcom-pipe',
      model: 'SIM7600E-H',
      sn: 'S2E1234567890',
      imei: IMEI,
      date: '20260315',
    });
  });

  it('every built-in format documents itself and compiles', () => {
    for (const format of BUILT_IN_LABEL_FORMATS) {
      expect(LabelFormat.safeParse(format).success, format.name).toBe(true);
      expect(format.description).toMatch(/\S/);
    }
  });
});

describe('parseLabel: refusals say which part failed', () => {
  it('a wrong digit count, in whichever format the label has', () => {
    const short = IMEI.slice(0, 14);
    expect(parseLabel(short)).toEqual({
      ok: false,
      format: 'imei',
      problem: 'the IMEI field has 14 digits, expected 15 (format imei)',
      message: `Label "${short}" not readable: the IMEI field has 14 digits, expected 15 (format imei)`,
    });
    expect(parseLabel(`IMEI:${IMEI}9;SN:X`)).toMatchObject({
      format: 'keyed',
      problem: 'the IMEI field has 16 digits, expected 15 (format keyed)',
    });
  });

  it('a check digit that does not match', () => {
    expect(parseLabel(MISREAD)).toMatchObject({
      ok: false,
      format: 'imei',
      problem: `the IMEI's check digit is ${MISREAD[14]}, expected ${good} (format imei)`,
    });
    expect(parseLabel(`SIM7600E-H|S2E1|${MISREAD}|20260315`)).toMatchObject({
      format: 'simcom-pipe',
      problem: expect.stringContaining(`check digit is ${MISREAD[14]}, expected ${good}`),
    });
  });

  it('a keyed label without an IMEI field', () => {
    expect(parseLabel('SN:MPB19LA0001234;MODEL:EC21')).toMatchObject({
      ok: false,
      format: 'keyed',
      problem: 'no IMEI field in a label of format keyed',
    });
  });

  it('a label no format reads, empty, or too long', () => {
    const reading = parseLabel('SN-4711-X');
    expect(reading).toEqual({
      ok: false,
      format: null,
      problem:
        "no label format matched (known: imei, keyed, model-imei-sn, simcom-pipe): scan the module's IMEI barcode",
      message:
        'Label "SN-4711-X" not readable: no label format matched (known: imei, keyed, model-imei-sn, simcom-pipe): scan the module\'s IMEI barcode',
    });
    expect(parseLabel(' \r\n')).toMatchObject({ ok: false, problem: 'nothing was scanned' });
    expect(parseLabel('x'.repeat(513))).toMatchObject({
      ok: false,
      problem: 'it is 513 characters long, at most 512',
    });
  });

  it('shows tabs and GS in the quoted label and cuts long ones', () => {
    expect(parseLabel('A\tB\x1dC').ok).toBe(false);
    expect(parseLabel('A\tB\x1dC')).toMatchObject({
      message: expect.stringMatching(/^Label "A⇥B<GS>C" /),
    });
    const long = parseLabel('Z'.repeat(100));
    expect(long.ok ? '' : long.message).toMatch(/^Label "Z{57}…" not readable/);
  });
});

describe('site formats (LABEL_FORMATS)', () => {
  const acme: LabelFormat = {
    name: 'acme',
    pattern: '^ACME/(?<date>\\d{4})/(?<imei>\\d+)$',
    description: 'ACME tray labels',
  };

  it('are tried first, and one named like a built-in replaces it', () => {
    const formats = labelFormats([acme]);
    expect(formats.map((f) => f.name)).toEqual([
      'acme',
      'imei',
      'keyed',
      'model-imei-sn',
      'simcom-pipe',
    ]);
    expect(parseLabel(`ACME/2611/${IMEI}`, formats)).toEqual({
      ok: true,
      format: 'acme',
      date: '2611',
      imei: IMEI,
    });
    // Without it, the same label is no label.
    expect(parseLabel(`ACME/2611/${IMEI}`).ok).toBe(false);
    const strict = labelFormats([{ name: 'imei', pattern: '^IMEI(?<imei>\\d{15})$' }]);
    expect(strict.filter((f) => f.name === 'imei')).toHaveLength(1);
    expect(parseLabel(IMEI, strict).ok).toBe(false);
    expect(parseLabel(`IMEI${IMEI}`, strict)).toMatchObject({ ok: true, format: 'imei' });
  });

  it('are validated: a regular expression with an imei group, names once each', () => {
    expect(LabelFormatList.parse([acme])).toEqual([{ ...acme, flags: '' }]);
    const problems = (value: unknown) =>
      LabelFormatList.safeParse(value).error?.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    expect(problems([{ name: 'x', pattern: '^(?<sn>\\d+)$' }])).toEqual([
      '0.pattern has no (?<imei>…) group',
    ]);
    expect(problems([{ name: 'x', pattern: '(?<imei>\\d+' }])).toEqual([
      expect.stringMatching(/^0\.pattern is not a regular expression \(/),
    ]);
    expect(problems([acme, acme])).toEqual(['1.name "acme" twice']);
    expect(problems([{ name: 'Bad Name', pattern: '(?<imei>\\d+)' }])).toEqual([
      '0.name a format name is 1–64 of a-z, 0-9, ".", "_", "-"',
    ]);
    expect(problems([{ name: 'x', pattern: '(?<imei>\\d+)', flags: 'g' }])).toEqual([
      '0.flags flags may only be i, m, s or u',
    ]);
  });
});
