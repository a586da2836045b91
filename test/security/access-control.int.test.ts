// The access-control attacks (access-control-cases.ts) with Careloop's own sign-in tokens.
import { describeAccessControl } from './access-control-cases.js';

describeAccessControl('careloop');
