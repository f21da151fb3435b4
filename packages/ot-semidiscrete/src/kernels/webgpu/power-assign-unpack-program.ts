// Splits the packed output of PowerAssignProgram (int32 [N, 2k]: k indices, then k
// score bits per row) into one of the kernel's two outputs: the int32 indices [N, k]
// or the float32 scores [N, k], the latter by reinterpreting the bits.
import type { WebGpuProgramShape } from './power-assign-program.js';

/** Which half of a packed row to extract. */
export type PowerAssignPart = 'indices' | 'scores';

/** Program: input `packed` int32 [N, 2k] → output [N, k] of the chosen part. */
export class PowerAssignUnpackProgram implements WebGpuProgramShape {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] } = { x: [0, 1] };
  dispatch: [number, number, number];
  variableNames = ['packed'];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  readonly part: PowerAssignPart;
  readonly k: number;

  /**
   * @param samples - N.
   * @param k - entries per row.
   * @param part - `'indices'` (output int32) or `'scores'` (output float32).
   */
  constructor(samples: number, k: number, part: PowerAssignPart) {
    this.part = part;
    this.k = k;
    this.outputShape = [samples, k];
    this.dispatch = [Math.ceil((samples * k) / this.workgroupSize[0]), 1, 1];
    this.shaderKey = `aeotPowerAssignUnpack_${part}_k${k}`;
  }

  getUserCode(): string {
    const K = this.k;
    const offset = this.part === 'indices' ? 0 : K;
    const write = this.part === 'indices' ? 'setOutputAtIndexI32(index, v);' : 'setOutputAtIndex(index, bitcast<f32>(v));';
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      let rowIdx = index / ${K};
      let p = index - rowIdx * ${K};
      let v = packed[rowIdx * ${2 * K} + ${offset} + p];
      ${write}
    }
  }
  `;
  }
}
