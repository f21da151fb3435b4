// The seeded uniform stream of the test and benchmark data (mulberry32, in [0, 1)): the
// one in @aeot/tensor-backend/testing, under the name the power-assignment cases use.
// It is independent of the library's own RNG, so the references do not share its code.
export { seededUniform as mulberry32 } from '@aeot/tensor-backend/testing';
