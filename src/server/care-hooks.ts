// The care domain's consequences of a write, run in its transaction (scoring a completed instrument;
// the plan's Provenance, re-planned tasks and conflicting goals; a referral's fulfilment Task and its
// states; slots taken and given back by appointments; the transition engine on Encounters; tasks
// whose purpose a write met, closed), and Subscriptions checked. The server and `careloop hl7
// replay` write through the same hooks, so a replayed message does what it did on arrival.

import { assessmentHook } from '../care/assessment/assessment-hook.js';
import type { ClinicClock } from '../care/calendar/clinic-clock.js';
import { carePlanHook } from '../care/careplan/care-plan-hook.js';
import { referralHook } from '../care/referrals/referral-hook.js';
import { appointmentHook } from '../care/scheduling/appointment-hook.js';
import { callScriptHook } from '../care/transitions/call-script-hook.js';
import { taskClosureHook } from '../care/transitions/task-closure-hook.js';
import { transitionHook } from '../care/transitions/transition-hook.js';
import { subscriptionHook } from '../jobs/subscriptions/subscription-hook.js';
import type { AccountStore } from '../store/account-store.js';
import type { RepositoryOptions } from '../store/repository/repository-context.js';

export function careHooks(clock: ClinicClock, accounts: Pick<AccountStore, 'getSetting'>): RepositoryOptions['hooks'] {
  const referral = referralHook(clock);
  const taskClosure = taskClosureHook(clock);
  return {
    QuestionnaireResponse: [assessmentHook(clock), callScriptHook(clock)],
    ServiceRequest: [referral],
    Task: [referral],
    Appointment: [appointmentHook(clock), taskClosure],
    Encounter: [transitionHook(clock), taskClosure],
    Communication: [taskClosure],
    List: [taskClosure],
    // Every write: the plan's Provenance and replanning (care plans, goals and the contributions
    // they record), and the Subscriptions whose criteria it may match, last.
    '*': [carePlanHook(clock), subscriptionHook(accounts)],
  };
}
