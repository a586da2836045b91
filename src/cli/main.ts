// The `careloop` command.
// Commands are loaded when run, so that a quick command does not pay for the server's modules.

const USAGE = `usage: careloop <command>

  serve                         start the server (PORT, HOST, CARELOOP_DB)
  import <files or folders>     load Bundles (transaction, batch, collection) and NDJSON
  export <dir> [--type T,U] [--since instant]
                                write NDJSON per resource type
  backup <file>                 consistent online copy of the embedded database
  migrate --to postgres://...   copy the embedded database into an empty PostgreSQL database
  user add|passwd|list|unlock   manage users (careloop user for details)
  token --user NAME [--scope S] print an access token for a user
  client add --name NAME        create a backend client (client credentials grant)
  app add|list|remove           register SMART apps (careloop app for details)
  mfa show | mfa require ROLES  which roles must use multi-factor authentication
  audit verify                  check the audit log's hash chain
  hl7 send FILE... [--port P]   send HL7 v2 messages over MLLP and print each ACK

The database is CARELOOP_DB (default ./data/careloop.db; a postgres:// URL for PostgreSQL).`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
    case undefined:
      await (await import('./commands/serve.js')).serve();
      return -1;
    case 'import':
      return (await import('./commands/import.js')).importCommand(args);
    case 'export':
      return (await import('./commands/export.js')).exportCommand(args);
    case 'backup':
      return (await import('./commands/backup.js')).backup(args);
    case 'migrate':
      return (await import('./commands/migrate.js')).migrateCommand(args);
    case 'user':
      return (await import('./commands/user.js')).userCommand(args);
    case 'token':
      return (await import('./commands/token.js')).tokenCommand(args);
    case 'client':
      return (await import('./commands/client.js')).clientCommand(args);
    case 'app':
      return (await import('./commands/app.js')).appCommand(args);
    case 'mfa':
      return (await import('./commands/mfa.js')).mfaCommand(args);
    case 'audit':
      return (await import('./commands/audit.js')).auditCommand(args);
    case 'hl7':
      return (await import('./commands/hl7.js')).hl7Command(args);
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
