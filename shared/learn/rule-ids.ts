/**
 * Ids for learned rules: readable slugs ("learned-ws-sms-sent-first") that stay unique within
 * one model. A workspace activity type's key is the file's own word ("ws:SMS Sent"), and a
 * field's key may hold spaces; an id is a handle a user types in a model file or sees in a
 * CLI line, so it keeps to lower-case letters, digits and dashes. Two keys that slug alike
 * ("ws:SMS Sent", "ws:sms-sent") get -2, -3… rather than one id for two rules, which the
 * model format refuses.
 */
export type RuleIds = (...parts: readonly (string | number)[]) => string;

/** Lower-case letters and digits, anything else a single dash, none at either end. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A fresh id maker for one model: learned-<parts as slugs>, with a numeric suffix on a repeat. */
export function ruleIds(): RuleIds {
  const used = new Set<string>();
  return (...parts) => {
    const base = ['learned', ...parts.map((p) => slug(String(p)))].filter((p) => p !== '').join('-');
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
}
