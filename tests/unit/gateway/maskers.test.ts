import {
  applyMasker,
  createMaskers,
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  maskYear,
  pseudonymMasker,
} from '../../../gateway/access/maskers';

describe('maskers', () => {
  it.each([
    [maskIdNumber, '61092119880314124X', '610921********124X'],
    [maskIdNumber, '110105194912310021', '110105********0021'],
    [maskIdNumber, '12345', null],
    [maskPhone, '13912345678', '139****5678'],
    [maskPhone, '0291234', null],
    [maskName, '王寒雪', '王**'],
    [maskName, '李娜', '李*'],
    [maskName, '欧阳修文', '欧阳**'],
    [maskName, '欧阳', '欧*'],
    [maskName, '王', '*'],
    [maskAddress, '陕西省安康市汉阴县铁佛寺镇新垭村七组87号', '陕西省安康市汉阴县铁佛寺镇新垭村***'],
    [maskAddress, '陕西省安康市汉阴县城关镇凤河社区3栋12号', '陕西省安康市汉阴县城关镇凤河社区***'],
    [maskAddress, '某地某号', null],
    [maskYear, '1988-03-14', '1988'],
    [maskYear, 'March 1988', null],
  ])('%p(%j) is %j', (masker, value, expected) => {
    expect(masker(value)).toBe(expected);
  });

  it('gives a stable pseudonym per key, different across keys, without the value in it', () => {
    const a = pseudonymMasker(Buffer.alloc(32, 1));
    const b = pseudonymMasker(Buffer.alloc(32, 2));
    expect(a('61092119880314124X')).toBe(a('61092119880314124X'));
    expect(a('61092119880314124X')).not.toBe(b('61092119880314124X'));
    expect(a('61092119880314124X')).not.toBe(a('61092119880314125X'));
    expect(a('61092119880314124X')).not.toContain('610921');
  });

  it('masks lists element by element and yields null for what it cannot mask, never the raw value', () => {
    const { PHONE } = createMaskers(Buffer.alloc(32));
    expect(applyMasker(PHONE, ['13912345678', 'oops'])).toEqual(['139****5678', null]);
    expect(applyMasker(PHONE, { raw: '13912345678' })).toBeNull();
    expect(
      applyMasker(() => {
        throw new Error('boom');
      }, '13912345678'),
    ).toBeNull();
    expect(applyMasker(PHONE, null)).toBeNull();
  });
});
