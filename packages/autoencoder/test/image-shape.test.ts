// Image shapes at the boundary: the option check with its message, and the typed error
// for data whose examples do not have a net's shape (the same for a Dataset, a tensor's
// shape, and whatever else has an imageShape, e.g. a generator).
import { describe, expect, it } from 'vitest';
import { fromArrays } from '@aeot/datasets';
import { checkImageShape, expectImageShape, ImageShapeError } from '../src/index.js';

describe('expectImageShape', () => {
  it('returns three positive integers as a fresh tuple', () => {
    const given = [28, 28, 1];
    const shape = expectImageShape(given);
    expect(shape).toEqual([28, 28, 1]);
    expect(shape).not.toBe(given);
  });

  it('rejects anything else with the message naming the option', () => {
    expect(() => expectImageShape([28, 28])).toThrow(new RangeError('"imageShape" expected [height, width, channels] of positive integers, got array of length 2'));
    expect(() => expectImageShape([4, -1, 3])).toThrow(RangeError);
    expect(() => expectImageShape([4, 1.5, 3])).toThrow(RangeError);
    expect(() => expectImageShape('28,28,1')).toThrow(/got "28,28,1"/);
    expect(() => expectImageShape(undefined, 'decoder output')).toThrow(/^"decoder output" expected/);
  });
});

describe('checkImageShape', () => {
  const net = { imageShape: [28, 28, 1] as const };

  it('accepts data of the net shape', () => {
    const data = fromArrays({ values: new Uint8Array(2 * 784), exampleShape: [28, 28, 1], name: 'ok' });
    expect(() => checkImageShape(net, data, data.name)).not.toThrow();
    expect(() => checkImageShape(net, { exampleShape: [28, 28, 1] }, 'tensor')).not.toThrow();
  });

  it('throws ImageShapeError with both shapes for other data', () => {
    const rgb = fromArrays({ values: new Uint8Array(2 * 32 * 32 * 3), exampleShape: [32, 32, 3], name: 'rgb' });
    const err = (() => {
      try {
        checkImageShape(net, rgb, rgb.name);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ImageShapeError);
    const e = err as ImageShapeError;
    expect(e.code).toBe('ERR_AEOT_IMAGE_SHAPE');
    expect(e.expected).toEqual([28, 28, 1]);
    expect(e.actual).toEqual([32, 32, 3]);
    expect(e.message).toBe('"rgb" has examples of shape [32, 32, 3], but the net expects [28, 28, 1]');
    expect(() => checkImageShape(net, { exampleShape: [784] }, 'flat')).toThrow(ImageShapeError);
    expect(() => checkImageShape(net, { exampleShape: [28, 28, 1, 1] }, 'rank 4')).toThrow(ImageShapeError);
  });
});
