export class UsageError extends Error {}

export const HELP = `Hookbench — a local webhook workbench: receive, verify, ingest and inspect webhooks, exact to the byte.

Usage: hookbench <command> [options]

Commands:
  serve [--host 127.0.0.1] [--port 7717] [--receiver-host 127.0.0.1] [--receiver-port 7718] [--no-ui]
        Run the engine, the receiver and the UI/control API until SIGINT/SIGTERM.
  package add --provider github|gitlab --repo OWNER/NAME --repo-id ID [--name N]
        Add a package and its hook; prints the hook URL and the secret (shown once).
  package list | package show ID | package remove ID
  release list --package ID
  delivery list [--package ID] [--outcome O] [--limit N]
  delivery show ID                 Headers and the raw body of one delivery.
  activity [--package ID] [--limit N]

Options for every command:
  --data-dir DIR   Where Hookbench keeps its database and key (default: $HOOKBENCH_DATA_DIR,
                   else the OS convention, e.g. ~/.local/share/hookbench).
  --json           Print machine-readable JSON.
  -h, --help       Show this help.

Outcomes: pending, ingested, duplicate, ignored, skipped, rejected, ping, tag_deleted.
`;
