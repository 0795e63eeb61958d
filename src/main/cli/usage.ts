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

Outbound:
  endpoint add --name N --url URL --dialect D --events E[,E…] [--secret S] [--retry 10,100|default]
               [--max-in-flight N] [--timeout-ms MS] [--relay-package ID [--relay-mode original|resign]]
               [--format dialect|slack|discord|template [--template T | --template-file F]]
        Add an endpoint; prints its secret (shown once; generated unless --secret is given).
        slack/discord post a readable message to an incoming webhook; a template fills {{event}},
        {{messageId}}, {{package.name}}, {{release.version}}, {{release.tag}}… from the event.
  endpoint list | show ID | update ID [same options] | remove ID | enable ID | disable ID [--reason R]
  endpoint rotate-secret ID [--secret S] [--overlap SECONDS]   The old secret keeps signing for the overlap (24 h).
  endpoint attempts ID [--limit N] | endpoint messages ID [--limit N]
  endpoint resend-failed ID --since 2h|ISO|unix   Queue every failed message since then again.
  message resend ID                Send one message again, as a new attempt with the same message id.
  trigger --endpoint ID --event E [--count N]
        Send a sample of any event in the endpoint's dialect catalogue (or a Hookbench event);
        with --count, N of them, and print throughput and latency.

Signatures (no data dir needed):
  sign --dialect D --secret S --body-file F [--timestamp T] [--id I] [--event E] [--url URL]
        Print the headers (and a cURL command) that sign the body in that dialect.
  verify --headers-file H --body-file F [--secret S …] [--dialect D]
        Explain whether and why the signature verifies: the signed bytes, expected vs received,
        the cause and the fix. Exit code 1 unless valid. Headers: JSON, or "Name: value" lines.

Dialects: github, gitlab, privato, repsy, sigmagit, standard-webhooks, stripe, slack, shopify, gitea.

Options for every command:
  --data-dir DIR   Where Hookbench keeps its database and key (default: $HOOKBENCH_DATA_DIR,
                   else the OS convention, e.g. ~/.local/share/hookbench).
  --json           Print machine-readable JSON.
  -h, --help       Show this help.

Outcomes: pending, ingested, duplicate, ignored, skipped, rejected, ping, tag_deleted.
`;
