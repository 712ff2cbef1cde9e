import {
  InputError,
  isFamilyName,
  REPORT_ORDER,
  TAG_SCHEMES,
  validateTextcatOptions,
  type DocFormat,
  type ScorerOptions,
  type SeqevalOptions,
  type TagScheme,
} from '@evalshard/scorer';
import type { ScoreConfig } from './scoreConfig.js';
import { surveyGold, type GoldSurvey } from './surveyGold.js';

/** Command-line choices; each overrides the config file's. */
export interface ScoreFlags {
  scorers?: string[];
  catsLabels?: string[];
  multiLabel?: boolean;
  threshold?: number;
  positiveLabel?: string;
  depsMissing?: 'reference' | 'per-example';
  macroSummation?: 'compensated' | 'plain';
  seqevalMode?: 'default' | 'strict';
  scheme?: string;
  zeroDivision?: 0 | 1;
  /** Bootstrap replicates for percentile intervals. */
  bootstrap?: number;
  seed?: number;
}

/**
 * The options of a single-pass `score`: the gold is read first only where
 * they depend on what it annotates (goldSurveyNeeded); the distributed path
 * reads it anyway to plan its shards.
 */
export async function singlePassScoreOptions(flags: ScoreFlags, config: ScoreConfig, gold: string, format: DocFormat): Promise<ScorerOptions> {
  return scoreOptionsFor(flags, config, goldSurveyNeeded(flags, config) ? await surveyGold(gold, format) : unsurveyedGold(format));
}

/**
 * Whether scoreOptionsFor needs to know what the gold annotates: for the
 * default families, or for category labels nobody named.
 */
export function goldSurveyNeeded(flags: ScoreFlags, config: ScoreConfig): boolean {
  const requested = flags.scorers ?? config.scorers;
  return requested === undefined || (requested.includes('cats') && (flags.catsLabels ?? config.cats?.labels) === undefined);
}

/** What scoreOptionsFor reads of a survey that goldSurveyNeeded says is not needed: the format's own facts. */
export function unsurveyedGold(format: DocFormat): GoldSurvey {
  return { docs: 0, spanKeys: [], catLabels: [], tagged: format === 'iob' };
}

/**
 * The scorer options of a `score` run. Without --scorers every family the
 * gold annotates is scored (the others are left out of the report).
 */
export function scoreOptionsFor(flags: ScoreFlags, config: ScoreConfig, survey: GoldSurvey): ScorerOptions {
  const requested = flags.scorers ?? config.scorers;
  const defaulted = requested === undefined;
  const names = requested ?? [
    ...REPORT_ORDER.filter(
      (name) => (name !== 'cats' || survey.catLabels.length > 0) && (name !== 'seqeval' || survey.tagged),
    ),
    ...survey.spanKeys.map((key) => `spans:${key}`),
  ];
  for (const name of names) {
    if (!isFamilyName(name)) {
      throw new InputError(
        `--scorers: unknown family "${name}"; known: ${[...REPORT_ORDER, 'spans:KEY'].join(', ')}`,
        { field: 'scorers', code: 'BAD_SCORER' },
      );
    }
  }
  const options: ScorerOptions = {
    families: names.filter((name) => name !== 'cats'),
    depsMissingIndices:
      flags.depsMissing ?? (config.deps?.missing_indices === 'per_example' ? 'per-example' : 'reference'),
    spanGroups: Object.entries(config.spans ?? {}).map(([key, group]) => ({
      key,
      allowOverlap: group.allow_overlap ?? true,
    })),
    onlyAnnotated: defaulted,
  };
  if (names.includes('seqeval')) options.seqeval = seqevalOptions(flags, config);
  const replicates = flags.bootstrap ?? config.bootstrap?.replicates;
  if (replicates !== undefined && replicates > 0) {
    options.bootstrap = {
      replicates,
      seed: flags.seed ?? config.bootstrap?.seed ?? 0,
      confidence: config.bootstrap?.confidence ?? 0.95,
    };
  }
  if (names.includes('cats')) {
    const labels = flags.catsLabels ?? config.cats?.labels ?? survey.catLabels;
    if (labels.length === 0) {
      throw new InputError('cats: no labels given and the gold has no categories (use --cats-labels)', {
        field: 'cats.labels',
        code: 'BAD_SCORER',
      });
    }
    options.textcat = validateTextcatOptions(
      {
        labels,
        multiLabel: flags.multiLabel ?? config.cats?.multi_label ?? false,
        threshold: flags.threshold ?? config.cats?.threshold ?? null,
        positiveLabel: flags.positiveLabel ?? config.cats?.positive_label ?? null,
        macroSummation: flags.macroSummation ?? config.macro_summation ?? 'compensated',
      },
      'cats',
    );
  }
  return options;
}

function seqevalOptions(flags: ScoreFlags, config: ScoreConfig): SeqevalOptions {
  const scheme = flags.scheme ?? config.seqeval?.scheme;
  if (scheme !== undefined && !TAG_SCHEMES.includes(scheme as TagScheme)) {
    throw new InputError(`unknown tag scheme "${scheme}"; known: ${TAG_SCHEMES.join(', ')}`, {
      field: 'seqeval.scheme',
      code: 'BAD_SCORER',
    });
  }
  const mode = flags.seqevalMode ?? config.seqeval?.mode ?? 'default';
  if (mode === 'strict' && scheme === undefined) {
    throw new InputError('seqeval strict mode needs --scheme (IOB1, IOE1, IOB2, IOE2, IOBES or BILOU)', {
      field: 'seqeval.scheme',
      code: 'BAD_SCORER',
    });
  }
  return { mode, scheme: (scheme as TagScheme | undefined) ?? null, zeroDivision: flags.zeroDivision ?? config.seqeval?.zero_division ?? 0 };
}
