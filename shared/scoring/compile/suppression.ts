/**
 * Suppression: a lead set aside by hand, by the email and domain lists, or by a rule is never
 * hot and never an MQL. Checked in that order; the first reason found is the one shown.
 */
import { normalizeEmail } from '../../domain';
import { compileCondition, type CompiledCondition, type LeadContext } from '../conditions';
import type { Condition, ScoringModel } from '../model';

/** Where a suppression came from (stored in the compact ledger, so the numbers are fixed). */
export const SUPPRESSION_SOURCE = { hand: 0, emailList: 1, domainList: 2, rule: 3 } as const;

/** [reason, rule index or -1, source]. */
export type SuppressionVerdict = readonly [reason: string, ruleIndex: number, source: number];

export type CompiledSuppressionRule = Readonly<{
  id: string;
  name: string;
  when: Condition;
  reason?: string;
  test: CompiledCondition;
}>;

export type CompiledSuppression = Readonly<{
  rules: readonly CompiledSuppressionRule[];
  /** Why the lead is suppressed, or null. */
  check: (ctx: LeadContext) => SuppressionVerdict | null;
}>;

/** The domain part of an address matches a listed domain or one of its subdomains. */
export function domainListed(domain: string, listed: readonly string[]): boolean {
  return listed.some((d) => domain === d || domain.endsWith(`.${d}`));
}

export function compileSuppression(model: ScoringModel): CompiledSuppression {
  const emails = new Set(model.suppression.emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e));
  const domains = model.suppression.domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
  const rules = model.suppression.rules.map((r) => ({ ...r, test: compileCondition(r.when) }));

  function check(ctx: LeadContext): SuppressionVerdict | null {
    const lead = ctx.lead;
    if (lead.manual_suppression && lead.manual_suppression.trim())
      return [lead.manual_suppression.trim(), -1, SUPPRESSION_SOURCE.hand];
    if (emails.size || domains.length) {
      const email = normalizeEmail(lead.email);
      if (email && emails.has(email)) return ['email on the suppression list', -1, SUPPRESSION_SOURCE.emailList];
      if (email && domains.length && domainListed(email.slice(email.lastIndexOf('@') + 1), domains))
        return ['domain on the suppression list', -1, SUPPRESSION_SOURCE.domainList];
    }
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (r.test(ctx)) return [r.reason?.trim() || r.name, i, SUPPRESSION_SOURCE.rule];
    }
    return null;
  }
  return { rules, check };
}
