/**
 * The scoring module's public surface: models as validated data, compile once, score a lead
 * into fit/engagement/total, grades, segment, MQL flag, suppression and a ledger that sums
 * exactly to the score. Pure TypeScript: the backend and the renderer run the same code.
 */
export {
  MODEL_SCHEMA_VERSION,
  DERIVED_FIELDS,
  FIT_GRADES,
  ENGAGEMENT_GRADES,
  ALL_GRADES,
  validateModel,
  parseModel,
  fieldProblem,
  numericFieldProblem,
  unknownKeyIssues,
  issueSubject,
  ModelValidationError,
} from './model';
export type {
  ScoringModel,
  Condition,
  FieldCondition,
  ActivityMatch,
  CountingOptions,
  FitRule,
  EngagementRule,
  FieldEngagementRule,
  NegativeRule,
  SuppressionRule,
  Suppression,
  Decay,
  DecaySettings,
  InactivityPenalty,
  GradeBands,
  FitGrade,
  EngagementGrade,
  Grade,
  Segments,
  SegmentBand,
  Mql,
  ModelIssue,
  ModelValidation,
} from './model';
export { OPERATORS, OPERATOR_NAMES, OPERATORS_FOR_TYPE, toNumber, toTime, toFlag } from './operators';
export type { OperatorName, OperatorSpec, OperandKind, FieldValue, ConditionFieldType } from './operators';
export { describeCondition, describeRule, operandWords } from './describe';
export {
  describeFieldRule,
  describeFieldRate,
  fieldRuleArithmetic,
  fieldRulePoints,
  formatAmount,
  unitSize,
} from './compile/field-rules';
export { titleSeniority, SENIORITY_LEVELS, SENIORITY_LABELS } from './seniority';
export type { Seniority } from './seniority';
export { compileCondition, fieldGetter, fieldLabel, leadContext } from './conditions';
export { compileModel, scoreLead } from './score';
export type { CompiledModel, ScoreResult, ScoreCore, CompactEntry, ScoreOptions, ScoreAdjustment } from './score';
export { renderLedger, formatDay } from './ledger';
export type { LedgerEntry, LedgerKind, LedgerSummary } from './ledger';
export { DEFAULT_MODEL } from './default-model';
