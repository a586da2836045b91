// `careloop migrate --to postgres://...`: copies the embedded database (CARELOOP_DB) into PostgreSQL
// with every version of every resource and its search index, shows progress, and verifies the counts.
import { parseArgs } from 'node:util';
import type { Resource } from '@medplum/fhirtypes';
import { deriveAuditKey } from '../../access/audit/audit-key.js';
import { verifyAuditLog } from '../../access/audit/verify-audit-log.js';
import { loadSecretKey } from '../../access/auth/secret-key.js';
import { patientCompartmentsOf } from '../../fhir/compartment/patient-compartment.js';
import { getTypeModel } from '../../fhir/definitions/r4-definitions.js';
import { extractIndex } from '../../fhir/search/extract-index.js';
import type { StoredAuditEntry } from '../../store/audit-store.js';
import { isPostgresUrl, openStore } from '../../store/open-store.js';
import type { Store, StoredVersion, VersionWrite } from '../../store/store.js';
import { readConfig, redactDatabaseUrl } from '../config.js';

/**
 * A stored version as a write for another database: the JSON as it is, its index rebuilt from it.
 * A deletion keeps the compartments of the version before it (`previous`), as it did in the source:
 * they decide who may see the resource's history.
 */
export function versionToWrite(v: StoredVersion, previous?: VersionWrite): VersionWrite {
  if (v.deleted || v.json === undefined) {
    return {
      resourceType: v.resourceType,
      id: v.id,
      versionId: v.versionId,
      lastUpdated: v.lastUpdated,
      json: undefined,
      index: undefined,
      compartments: previous?.compartments ?? [],
    };
  }
  const resource = JSON.parse(v.json) as Resource;
  const index = extractIndex(resource);
  return {
    resourceType: v.resourceType,
    id: v.id,
    versionId: v.versionId,
    lastUpdated: v.lastUpdated,
    json: v.json,
    index,
    compartments: patientCompartmentsOf(resource, index),
  };
}

async function totalVersions(store: Store): Promise<number> {
  return (await store.history({ count: 0, offset: 0 })).total;
}

export interface MigrationReport {
  readonly resources: number;
  readonly versions: number;
  readonly accounts: number;
  readonly auditEntries: number;
  readonly mismatches: readonly string[];
}

/**
 * Users, backend clients, settings (the sealed token-signing key, the MFA policy) and the audit
 * log with its hash chain as it is. Sessions and emergency grants are not copied: users sign in
 * again on the new database.
 */
async function migrateAccess(source: Store, target: Store): Promise<{ accounts: number; auditEntries: number }> {
  const accounts = await source.accounts.listAccounts();
  for (const a of accounts) await target.accounts.createAccount(a);
  for (const c of await source.accounts.listClients()) await target.accounts.createClient(c);
  for (const [key, value] of await source.accounts.listSettings()) await target.accounts.setSetting(key, value);
  let auditEntries = 0;
  let batch: StoredAuditEntry[] = [];
  for await (const entry of source.audit.scan()) {
    batch.push(entry);
    auditEntries++;
    if (batch.length >= 1000) {
      await target.audit.importEntries(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await target.audit.importEntries(batch);
  return { accounts: accounts.length, auditEntries };
}

/** Copies every version of every resource from `source` to an empty `target`. */
export async function migrateStore(
  source: Store,
  target: Store,
  /** The audit chain's key (from the secret both databases are used with). */
  auditKey: Buffer,
  onProgress?: (done: number, total: number) => void,
): Promise<MigrationReport> {
  const sourceCounts = await source.countByType();
  const expectedVersions = await totalVersions(source);
  let versions = 0;
  let resources = 0;
  let batch: VersionWrite[][] = [];
  const flush = async (): Promise<void> => {
    const results = await target.writeGroups(batch);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw failed.error;
    batch = [];
    onProgress?.(versions, expectedVersions);
  };
  const deferred = await target.deferIndexes();
  for (const type of getTypeModel().resourceTypes) {
    let group: VersionWrite[] = [];
    for await (const v of source.scanVersions(type)) {
      if (group.length > 0 && group[0]?.id !== v.id) {
        batch.push(group);
        resources++;
        group = [];
        if (batch.length >= 500) await flush();
      }
      group.push(versionToWrite(v, group.at(-1)));
      versions++;
    }
    if (group.length > 0) {
      batch.push(group);
      resources++;
    }
  }
  await flush();
  if (deferred) await target.restoreIndexes();
  const targetCounts = await target.countByType();
  const mismatches: string[] = [];
  for (const type of new Set([...Object.keys(sourceCounts), ...Object.keys(targetCounts)])) {
    if (sourceCounts[type] !== targetCounts[type]) {
      mismatches.push(`${type}: ${sourceCounts[type] ?? 0} in the source, ${targetCounts[type] ?? 0} copied`);
    }
  }
  const copiedVersions = await totalVersions(target);
  if (copiedVersions !== expectedVersions)
    mismatches.push(`versions: ${expectedVersions} in the source, ${copiedVersions} copied`);
  const access = await migrateAccess(source, target);
  const verified = await verifyAuditLog(target.audit, auditKey);
  if (!verified.ok) mismatches.push(`audit log: ${verified.problem}`);
  return { resources, versions, ...access, mismatches };
}

export async function migrateCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { to: { type: 'string' } } });
  const to = values.to;
  if (!to || !isPostgresUrl(to)) {
    console.error('usage: careloop migrate --to postgres://user@host/database   (copies CARELOOP_DB into it)');
    return 2;
  }
  const from = readConfig().database;
  if (isPostgresUrl(from)) {
    console.error('CARELOOP_DB must name the embedded database to copy from');
    return 2;
  }
  const config = readConfig();
  const auditKey = deriveAuditKey(loadSecretKey({ secret: config.secret, keyFile: config.keyFile }));
  const source = await openStore(from);
  const target = await openStore(to);
  try {
    if (Object.keys(await target.countByType()).length > 0 || (await totalVersions(target)) > 0) {
      console.error(`${redactDatabaseUrl(to)} already holds resources; migrate into an empty database`);
      return 1;
    }
    const tty = process.stderr.isTTY;
    const report = await migrateStore(source, target, auditKey, (done, total) => {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} versions`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (done === total) process.stderr.write(`${line}\n`);
    });
    if (tty) process.stderr.write('\n');
    if (report.mismatches.length > 0) {
      for (const m of report.mismatches) console.error(`mismatch: ${m}`);
      return 1;
    }
    // The copy discloses every record to the new database: recorded in the log that goes on there.
    target.audit.setChainKey(auditKey);
    await target.audit.append([
      {
        recorded: Date.now(),
        kind: 'cli',
        action: 'E',
        status: 200,
        username: 'cli:careloop migrate',
        role: 'operator',
        address: 'local (careloop command)',
        entity: `careloop migrate --to ${redactDatabaseUrl(to)}`,
        patients: ['*'],
        detail: `copied ${report.resources} resources (${report.versions} versions) from the embedded database`,
      },
    ]);
    console.log(
      `Copied ${report.resources.toLocaleString('en-US')} resources (${report.versions.toLocaleString('en-US')} versions), ${report.accounts} users and ${report.auditEntries.toLocaleString('en-US')} audit entries to ${redactDatabaseUrl(to)}; counts and audit chain verified`,
    );
    console.log(
      'Start the PostgreSQL servers with the same secret key as the embedded one (CARELOOP_SECRET, or its key file as CARELOOP_KEY_FILE): the token-signing key and second factors are sealed with it.',
    );
    return 0;
  } finally {
    await source.close();
    await target.close();
  }
}
