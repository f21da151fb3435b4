// Domain errors of @aeot/metrics. Argument mistakes (wrong type, wrong shape, too few
// rows) are TypeError / RangeError; a NaN or infinite feature, which usually comes out of
// a model rather than from the caller's hands, is a NonFiniteFeaturesError with its place.
import { AeotError } from '@aeot/tensor-backend';

/**
 * A feature matrix (or a sample set) holds a NaN or an infinite value. A metric computed
 * from it would be NaN or meaningless, so nothing is computed. `row` and `column` give
 * the first bad entry; `set` names the argument (e.g. `"fake"`).
 */
export class NonFiniteFeaturesError extends AeotError {
  readonly set: string;
  readonly row: number;
  readonly column: number;
  readonly value: number;

  constructor(set: string, row: number, column: number, value: number) {
    super('ERR_AEOT_NON_FINITE_FEATURES', `"${set}" holds a non-finite value ${value} at row ${row}, column ${column}; check the feature extractor's input scale and the generator's output`);
    this.set = set;
    this.row = row;
    this.column = column;
    this.value = value;
  }
}
