/**
 * Placing a score: fit and engagement points into grades (A..D, 1..4), the total into a
 * segment band (by total or by grade), and the MQL flag. Suppressed leads land in the last
 * band and are never MQLs.
 */
import type { EngagementGrade, FitGrade, Grade, ScoringModel, SegmentBand } from '../model';

const FIT_LETTERS = ['A', 'B', 'C', 'D'] as const;
const ENGAGEMENT_NUMBERS = [1, 2, 3, 4] as const;

/** The first band whose lower bound `value` reaches (bounds highest first), else the last. */
export function bandIndex(value: number, mins: readonly number[]): number {
  for (let i = 0; i < mins.length; i++) if (value >= mins[i]!) return i;
  return mins.length;
}

export type Placement = Readonly<{
  fitGrade: FitGrade;
  engagementGrade: EngagementGrade;
  grade: Grade;
  band: SegmentBand;
  isMql: boolean;
}>;

export type Placer = (fit: number, engagement: number, total: number, suppressed: boolean) => Placement;

export function compilePlacement(model: ScoringModel): Placer {
  const fitMins = [model.grades.fit.A, model.grades.fit.B, model.grades.fit.C];
  const engMins = [model.grades.engagement['1'], model.grades.engagement['2'], model.grades.engagement['3']];
  const bands = model.segments.bands;
  const lastBand = bands[bands.length - 1]!;
  const byTotal = model.segments.basis === 'total';
  const minFit = model.mql.minFitGrade ?? null;
  return (fit, engagement, total, suppressed) => {
    const fitGrade = FIT_LETTERS[bandIndex(fit, fitMins)]!;
    const engagementGrade = ENGAGEMENT_NUMBERS[bandIndex(engagement, engMins)]!;
    const grade = `${fitGrade}${engagementGrade}` as Grade;
    let band: SegmentBand = lastBand;
    if (!suppressed) {
      for (let i = 0; i < bands.length - 1; i++) {
        const b = bands[i]!;
        if (byTotal ? total >= (b.min ?? Infinity) : (b.grades ?? []).includes(grade)) {
          band = b;
          break;
        }
      }
    }
    const isMql = !suppressed && total >= model.mql.threshold && (minFit === null || fitGrade <= minFit);
    return { fitGrade, engagementGrade, grade, band, isMql };
  };
}
