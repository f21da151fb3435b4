// @aeot/metrics: the measures that show mode collapse and sample quality, computed with
// the same code for AE-OT and the GAN baselines.
export { NonFiniteFeaturesError } from './errors.js';
export { type Classifier, type FeatureExtractor } from './feature-extractor.js';
export { expectFiniteFeatures, readFeatureMatrix, toFeatureMatrix, type FeatureInput, type FeatureLimits, type FeatureMatrix, type FeatureSource, type FlatFeatures } from './features.js';
export { FeatureStatistics, type FeatureStatisticsJson } from './feature-statistics.js';
export { fid, frechetDistance, type FidOptions, type FidResult, type FrechetDistance, type GaussianStatistics } from './fid.js';
export { kid, mmd, type KidOptions, type KidResult, type MmdKernel, type MmdOptions, type MmdResult } from './kernel-mmd.js';
export { type ProductPrecision } from './cross-products.js';
export { densityCoverage, prdc, precisionRecall, type ManifoldMetrics, type ManifoldOptions } from './manifold-metrics.js';
export { fBetaScores, prd, prdCurve, type PrdCurve, type PrdOptions, type PrdResult } from './prd.js';
export { inceptionScore, type InceptionScore } from './inception-score.js';
export { labelCoverage, modeCoverage, type ModeCoverage, type ModeDistribution, type ModeSet } from './mode-coverage.js';
export { EXACT_WASSERSTEIN_MAX_POINTS, exactWasserstein2, wasserstein2OneD, type ExactWasserstein2Options, type ExactWasserstein2Result } from './exact-wasserstein.js';
export { SLICED_WASSERSTEIN_PROJECTIONS, slicedWasserstein2, type SlicedWasserstein2Options, type SlicedWasserstein2Result } from './sliced-wasserstein.js';
export { loadTfjsModel, modelFeatureExtractor, type ModelExtractorOptions, type PredictingModel, type TfjsModelFormat } from './tfjs-model.js';
export { extractFeatures, type ExtractedFeatures, type ExtractOptions, type ExtractProgress, type ImageSource } from './extract-features.js';
export { evaluateImages, type ClassShares, type EvaluateImagesOptions, type ImageEvaluation, type ImageReference } from './evaluate-images.js';
export { DEFAULT_MNIST_CLASSIFIER_WEIGHTS, loadMnistClassifier, MNIST_CLASSIFIER_NAME, MnistClassifier, type LoadMnistClassifierOptions, type MnistClassifierInfo } from './mnist-classifier.js';
export { stackedMnistModes, type StackedMnistModesOptions } from './stacked-mnist-modes.js';
