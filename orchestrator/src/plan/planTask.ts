import { checkLabelScheme } from '@evalshard/gpu-worker';
import {
  formatOf,
  InputError,
  isFamilyName,
  REPORT_ORDER,
  TAG_SCHEMES,
  type DocFormat,
  type ScorerOptions,
  type TagScheme,
} from '@evalshard/scorer';
import type { Batching, TokenTaskPlan } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { scorerOptionsFor } from './scorerOptionsFor.js';

/** What planning knows of the model (from DescribeModel, or the bundle in a single pass). */
export interface ModelFacts {
  labels: string[];
  problemType: string;
  /** sequence or token. */
  classifierKind: string;
  rowCoupling: string[];
}

export interface PlannedTask {
  scorer: ScorerOptions;
  batching: Batching;
  tokenTask: TokenTaskPlan | null;
}

/**
 * The scoring semantics and batching of a run, checked against the model
 * before any shard runs. Exact mode batches in fixed shapes, or one document
 * per call for a graph whose operators couple rows (dynamic quantization).
 */
export function planTask(spec: ResolvedSpec, model: ModelFacts): PlannedTask {
  const planned = planScoring(spec, model);
  if (spec.bootstrap !== null) planned.scorer.bootstrap = { ...spec.bootstrap, confidence: 0.95 };
  return planned;
}

function planScoring(spec: ResolvedSpec, model: ModelFacts): PlannedTask {
  const batching: Batching = !spec.exact ? 'dynamic' : model.rowCoupling.length > 0 ? 'single' : 'fixed';
  if (spec.task === 'textcat') {
    for (const path of spec.corpus) {
      if (/\.(conllu?|iob2?|bio|conll|ner)$/i.test(path)) {
        throw new InputError(`${path}: task textcat reads JSONL records ({"text": …, "cats": {…}}); this file is a token corpus (task token-classification reads it)`, {
          file: path,
          field: 'corpus',
          code: 'BAD_SPEC',
        });
      }
    }
    return { scorer: scorerOptionsFor(spec, model), batching, tokenTask: null };
  }
  const tokens = spec.tokens!;
  const modelFile = `${spec.model}/model.onnx`;
  if (model.classifierKind !== 'token') {
    throw new InputError(`${modelFile}: its logits are [batch, labels] (a text classifier); task token-classification needs a token classifier`, {
      field: 'task',
      code: 'MODEL_MISMATCH',
    });
  }
  if (tokens.annotation === 'ents') checkLabelScheme(model.labels, tokens.scheme, `${spec.model}/config.json`);
  const formats = spec.corpus.map((path) => tokens.format ?? formatOfName(path));
  const families = tokens.scorers ?? defaultFamilies(tokens.annotation, formats);
  for (const name of families) {
    if (!isFamilyName(name) || name === 'cats') {
      throw new InputError(`tokens.scorers: unknown family "${name}"; known: ${REPORT_ORDER.filter((f) => f !== 'cats').join(', ')}`, {
        field: 'tokens.scorers',
        code: 'BAD_SPEC',
      });
    }
  }
  const scorer: ScorerOptions = { families };
  if (families.includes('seqeval')) {
    const { mode, scheme, zeroDivision } = tokens.seqeval;
    if (mode === 'strict' && scheme === null) {
      throw new InputError('tokens.seqeval: strict mode needs a scheme (IOB1, IOE1, IOB2, IOE2, IOBES or BILOU)', {
        field: 'tokens.seqeval.scheme',
        code: 'BAD_SPEC',
      });
    }
    if (scheme !== null && !TAG_SCHEMES.includes(scheme as TagScheme)) {
      throw new InputError(`tokens.seqeval.scheme: unknown scheme "${scheme}"`, { field: 'tokens.seqeval.scheme', code: 'BAD_SPEC' });
    }
    scorer.seqeval = { mode, scheme: scheme as TagScheme | null, zeroDivision };
  }
  return { scorer, batching, tokenTask: { format: tokens.format ?? '', annotation: tokens.annotation, scheme: tokens.scheme } };
}

// pos → pos_acc, tag → tag_acc, ents → spaCy's ents and, where the corpus carries tags as written (IOB files), seqeval.
function defaultFamilies(annotation: 'pos' | 'tag' | 'ents', formats: string[]): string[] {
  if (annotation !== 'ents') return [annotation];
  return formats.every((format) => format === 'iob') ? ['ents', 'seqeval'] : ['ents'];
}

function formatOfName(path: string): DocFormat {
  try {
    return formatOf(path);
  } catch {
    throw new InputError(`${path}: cannot tell the corpus format from the file name (set tokens.format)`, {
      file: path,
      field: 'tokens.format',
      code: 'BAD_SPEC',
    });
  }
}
