import type { MatcherSettings } from "../../knowledge/types.js";
import { OUT_OF_SCOPE, SMALLTALK } from "./features.js";
import type { TrainedModel } from "./train.js";

export interface EntryFigures {
  readonly id: string;
  readonly phrasings: number;
  /** Held-out phrasings answered with this entry. */
  readonly accuracy: number;
  /** Held-out phrasings answered with another entry (the harmful case). */
  readonly wrongRate: number;
}

export interface CrossValidationReport {
  readonly folds: number;
  readonly messages: number;
  /** Held-out phrasings of entries answered correctly, over all entry phrasings. */
  readonly accuracy: number;
  /** Held-out phrasings of entries answered with another entry. */
  readonly wrongRate: number;
  /** Held-out out-of-scope questions not answered with an entry. */
  readonly fallbackRate: number;
  readonly smalltalkRate: number;
  readonly urgent: TrainedModel["crossValidation"]["urgent"];
  readonly entries: readonly EntryFigures[];
  /** Pairs of entries the model mixes up most (held-out phrasing of `expected` answered as `answered`). */
  readonly confused: readonly { readonly expected: string; readonly answered: string; readonly count: number }[];
}

/**
 * What the held-out folds of the training say, with the knowledge base's own thresholds applied
 * as the bot applies them: which entries need more (or more distinct) phrasings.
 */
export function crossValidationReport(model: TrainedModel, settings: MatcherSettings): CrossValidationReport {
  const entryCount = model.classes.length - 2;
  const perEntry = new Map<string, { n: number; right: number; wrong: number }>();
  const confused = new Map<string, number>();
  let fallbackRight = 0;
  let fallbackItems = 0;
  let smalltalkRight = 0;
  let smalltalkItems = 0;
  for (const item of model.crossValidation.items) {
    const p = item.probabilities;
    let best = 0;
    for (let k = 1; k < entryCount; k++) if (p[k]! > p[best]!) best = k;
    const outOfScope = p[entryCount]!;
    const smalltalk = p[entryCount + 1]!;
    const answered = outOfScope < settings.confidence_threshold && smalltalk < settings.confidence_threshold && p[best]! >= settings.confidence_threshold ? model.classes[best]! : undefined;
    if (item.expected === OUT_OF_SCOPE) {
      fallbackItems++;
      if (answered === undefined) fallbackRight++;
    } else if (item.expected === SMALLTALK) {
      smalltalkItems++;
      if (smalltalk >= settings.confidence_threshold) smalltalkRight++;
    } else {
      const figures = perEntry.get(item.expected) ?? { n: 0, right: 0, wrong: 0 };
      figures.n++;
      if (answered === item.expected) figures.right++;
      else if (answered !== undefined) {
        figures.wrong++;
        const key = `${item.expected}\u0000${answered}`;
        confused.set(key, (confused.get(key) ?? 0) + 1);
      }
      perEntry.set(item.expected, figures);
    }
  }
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
  const all = [...perEntry.values()];
  const total = all.reduce((sum, figures) => sum + figures.n, 0);
  return {
    folds: model.crossValidation.folds,
    messages: model.crossValidation.items.length,
    accuracy: ratio(all.reduce((sum, figures) => sum + figures.right, 0), total),
    wrongRate: ratio(all.reduce((sum, figures) => sum + figures.wrong, 0), total),
    fallbackRate: ratio(fallbackRight, fallbackItems),
    smalltalkRate: ratio(smalltalkRight, smalltalkItems),
    urgent: model.crossValidation.urgent,
    entries: model.classes.slice(0, entryCount).map((id) => {
      const figures = perEntry.get(id) ?? { n: 0, right: 0, wrong: 0 };
      return { id, phrasings: figures.n, accuracy: ratio(figures.right, figures.n), wrongRate: ratio(figures.wrong, figures.n) };
    }),
    confused: [...confused]
      .map(([key, count]) => {
        const [expected, answered] = key.split("\u0000") as [string, string];
        return { expected, answered, count };
      })
      .sort((a, b) => b.count - a.count)
      .slice(0, 10),
  };
}
