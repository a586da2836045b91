// Decisions on a reconciliation: one per medication (continue, modify, stop, new, or hold: pause
// until a date or an event, e.g. a statin held during a clarithromycin course) with its reason
// and author; whether the high-severity discrepancies are all resolved (each medication they involve
// decided); and how each discrepancy is classed once decided (intentional and documented where the
// change was made, intentional but undocumented, or unintentional — the change was an error and the
// decision undid it), after the medication discrepancy taxonomy of Pippins JR et al., J Gen Intern
// Med 2008;23:1414-1422 (MARQUIS). Pure.
import type { Action, Discrepancy, ReconItem } from './reconcile-medications.js';

export interface Decision {
  readonly item: string;
  readonly action: Action;
  readonly reason: string;
  /** What the medication becomes, for a modify ("20 mg once daily"). */
  readonly dose?: string;
  /** For a hold: until when ("the antibiotic course ends on 10 December", or a date). */
  readonly until?: string;
  readonly author: { readonly reference?: string; readonly display: string };
  readonly at: string;
}

export type Classification = 'intentional-documented' | 'intentional-undocumented' | 'unintentional';

export const ACTIONS: readonly Action[] = ['continue', 'modify', 'stop', 'new', 'hold'];

export function checkDecision(input: { action?: string; reason?: string; until?: string }): string[] {
  const issues: string[] = [];
  if (!input.action || !ACTIONS.includes(input.action as Action))
    issues.push(`action must be one of ${ACTIONS.join(', ')}`);
  if (!input.reason?.trim()) issues.push('Give the reason for the decision');
  // A pause the patient cannot see the end of is a stop: say until when.
  if (input.action === 'hold' && !input.until?.trim())
    issues.push('Say until when the medicine is paused: until (a date, or the event that ends it)');
  return issues;
}

/** The high-severity discrepancies not yet resolved: some medication they involve has no decision. */
export function unresolvedHigh(
  discrepancies: readonly Discrepancy[],
  decisions: ReadonlyMap<string, Decision>,
): Discrepancy[] {
  return discrepancies.filter((d) => d.severity === 'high' && d.items.some((i) => !decisions.has(i)));
}

/** Whether the decision keeps the change the lists made (else it undoes it). */
function keepsChange(d: Discrepancy, action: Action): boolean {
  switch (d.kind) {
    case 'omission':
      return action === 'stop' || action === 'hold';
    case 'new-medication':
      return action !== 'stop';
    case 'dose-change':
    case 'frequency-change':
    case 'route-form-change':
      return action === 'modify' || action === 'new';
    default:
      // A safety finding (interaction, duplication, allergy, unmatched): continuing everything means
      // the combination was meant; stopping or changing something means it was an error.
      return action === 'continue';
  }
}

export function classifyDiscrepancy(
  d: Discrepancy,
  decisions: ReadonlyMap<string, Decision>,
): Classification | undefined {
  const decided = d.items.map((i) => decisions.get(i));
  if (decided.some((x) => !x)) return undefined;
  const keeps = decided.every((x) => keepsChange(d, (x as Decision).action));
  if (!keeps) return 'unintentional';
  return d.documented ? 'intentional-documented' : 'intentional-undocumented';
}

/** The action proposed for items nobody decided on (the lists' own proposal). */
export function finalAction(item: ReconItem, decisions: ReadonlyMap<string, Decision>): Action {
  return decisions.get(item.key)?.action ?? item.proposed;
}
