// The same access-control attacks (access-control-cases.ts) with the tokens each user gave a SMART
// app at a standalone launch, asking for everything: the app reaches exactly what its user may.
import { describeAccessControl } from './access-control-cases.js';

describeAccessControl('app');
