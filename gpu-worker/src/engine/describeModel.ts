import type { DescribeModelResponse } from '@evalshard/proto';
import type { ModelCache } from '../bundle/modelCache.js';

/** A bundle's signature as the orchestrator plans with it, opening the bundle if it is not open. */
export async function describeModel(models: ModelCache, workerId: string, modelPath: string): Promise<DescribeModelResponse> {
  const bundle = await models.get(modelPath);
  return {
    digest: bundle.digest,
    inputs: bundle.inputs,
    outputs: bundle.outputs,
    labels: bundle.labels,
    problemType: bundle.problemType,
    executionProviders: bundle.executionProviders,
    workerId,
    maxSequenceLength: bundle.defaultMaxSequenceLength,
    classifierKind: bundle.kind,
    rowCouplingOps: bundle.rowCoupling,
  };
}
