export class UsageError extends Error {}

export const HELP = `Hookbench — a local webhook workbench: receive, verify, ingest and inspect webhooks, exact to the byte.

Usage: hookbench <command> [options]

Commands:
  serve [--host 127.0.0.1] [--port 7717] [--receiver-host 127.0.0.1] [--receiver-port 7718] [--no-ui]
        Run the engine, the receiver and the UI/control API until SIGINT/SIGTERM.
        Direct mode: [--public-url URL] (your reverse proxy or tunnel; hook URLs point there),
        [--receiver-host 0.0.0.0], [--allow CIDR …] (only these callers, e.g. GitHub's hook ranges),
        [--trust-proxy CIDR …] (believe X-Forwarded-For only from these proxies). Remembered.
        Receiver limits (this run only): [--max-connections 4096] (kept below the open-file limit),
        [--max-connections-per-address 256] (past either, an idle connection makes room),
        [--header-timeout 10] [--request-timeout 30] (seconds a client may take to send them),
        [--rejected-body-limit 64KiB] (what a refused request keeps of its body),
        [--body-memory 512MiB] (signed bodies read at once, a quarter per address; past it, 503),
        [--rejections-per-minute 60] (refusals per address before it is answered 429),
        [--min-free 64MiB] (free space kept on the data dir's volume: below it, or when SQLite finds the
        disk full, deliveries are answered 503 and the activity feed says so; 0 keeps no floor).
        Shared (a team): --host beyond loopback needs [--tls-cert FILE --tls-key FILE] (served over
        HTTPS) or [--behind-proxy] (a proxy in front terminates TLS); then only API tokens open the API.
        GET /healthz, /readyz (database reachable, migrations applied) and /metrics (Prometheus).
        [--database postgres://…] (or HOOKBENCH_DATABASE_URL): one instance of a team server on that database,
        beside any number of others (the same HOOKBENCH_SECRET_KEY on each; --public-url is the balancer's).
  dispatch [--database postgres://…]
        Only send due outbound messages, beside other dispatchers and serves on the same data dir or
        database (HOOKBENCH_DATABASE_URL), until SIGINT/SIGTERM. Each endpoint's max in flight holds
        across all of them; the claims of one that dies are taken back when their lease runs out.
  package add --provider github|gitlab --repo OWNER/NAME --repo-id ID [--name N]
        Add a package and its hook; prints the hook URL and the secret (shown once).
  package list | package show ID | package remove ID
        Removing a package managed through a connection deletes its hook upstream too.

Providers (hooks managed through the provider's API):
  connection add --provider github|gitlab --token T [--base-url URL]
        Verify the token (who it belongs to, its scopes) and store it encrypted. --base-url: a GitHub
        Enterprise Server or self-managed GitLab address. The token may come from $HOOKBENCH_TOKEN instead.
  connection list | connection remove ID
  package add --connection C --repo OWNER/NAME [--name N]
        Look the repository up and create its hook upstream with the package's own secret; when the token
        lacks the hook permission, the package is saved without a hook and the output says what to fix.
  package rotate ID [--connection C] [--overlap SECONDS]
        Delete the upstream hook and create a fresh one with a new secret; the old secret verifies until the
        new hook exists, and a rotation stopped half-way resumes when run again. Without a connection: a new
        secret to paste, the old one verifying for --overlap (24 h). --connection attaches the package to C.
  package ping ID [--wait SECONDS]   Have the provider ping the hook (GitLab: a test push) and wait for it to arrive and verify.
  package deliveries ID [--limit N] [--cursor C]   The provider's recent deliveries beside Hookbench's copies.
  package catch-up ID   Redeliver the provider's failed deliveries (GitHub 3 days, GitLab 7), then ingest tags never delivered.
  package check [ID]    Check hooks upstream now: missing, disabled, pointing elsewhere, failing.
  release list --package ID [--limit N] [--cursor C] [--all]
  delivery list [--package ID] [--outcome O] [--limit N] [--cursor C] [--all]
  delivery show ID [--reveal]      Headers and the raw body of one delivery. Credentials (X-Gitlab-Token,
                                   Authorization, cookies) show as (hidden); --reveal shows them and records
                                   that in the activity feed.
  delivery delete ID… | delivery delete [--package ID] [--outcome O] [--before 30d|ISO|unix] [--since …]
                   [--dry-run] [--include-linked]
        Delete deliveries, a few hundred per transaction (a running serve keeps receiving). Those a release or
        a fixture links to are kept, and listed, unless --include-linked. --dry-run only counts.
  delivery keep ID [--unkeep]     Mark a delivery keep: retention never prunes it (--unkeep undoes it).
  activity [--package ID] [--limit N] [--cursor C] [--all]
        Every list reads newest first, a page of --limit rows (100) at a time, and ends with the --cursor
        that reads on (--json: {"items", "nextCursor"}). --all reads every row as it is read, in constant
        memory: a table, or with --json NDJSON, one object a line.

Outbound:
  endpoint add --name N --url URL --dialect D --events E[,E…] [--secret S] [--retry 10,100|default]
               [--max-in-flight N] [--timeout-ms MS] [--relay-package ID [--relay-mode original|resign]]
               [--format dialect|slack|discord|template [--template T | --template-file F]]
        Add an endpoint; prints its secret (shown once; generated unless --secret is given).
        slack/discord post a readable message to an incoming webhook; a template fills {{event}},
        {{messageId}}, {{package.name}}, {{release.version}}, {{release.tag}}… from the event.
  endpoint list | show ID | update ID [same options] | remove ID | enable ID | disable ID [--reason R]
  endpoint rotate-secret ID [--secret S] [--overlap SECONDS]
        A new secret. Standard Webhooks and Stripe sign with both for the overlap (24 h); dialects with
        one signature per message (GitHub, Privato, …) sign with the new one at once.
  endpoint attempts ID [--limit N] [--cursor C] [--all] | endpoint messages ID [same paging]
  endpoint resend-failed ID --since 2h|ISO|unix   Queue every failed message since then again.
  message resend ID                Send one message again, as a new attempt with the same message id.
  trigger --endpoint ID --event E [--count N]
        Send a sample of any event in the endpoint's dialect catalogue (or a Hookbench event);
        with --count, N of them, and print throughput and latency.

Inboxes (receive from any sender):
  inbox add --name N --dialect D|none [--secret S] [--tolerance SECONDS]
        A receiving address, <receiver>/in/ID[/any/path?query], for any method and body; each request is
        captured and checked by dialect D on its raw bytes (none: captured unchecked). Prints the URL and the
        secret (shown once; generated in the dialect's own form unless --secret is given).
  inbox list | inbox show ID | inbox remove ID (with its captures)
  inbox update ID [--name N] [--tolerance SECONDS|default]
  inbox respond ID [--status S] [--first N] [--ratio R] [--delay-ms D] [--body-file F] [--header 'K: V' …] | --hang | --reset
        What the inbox answers senders (default: 200 at once), given after the request is stored: to the first
        N arrivals of each event (then 200), to a share R of arrivals at random, or to every arrival. --hang holds
        the connection open unanswered until the sender gives up (closed after 5 minutes at most).
  inbox timeline ID [--event-id E] [--limit N]
        Every arrival of each event, with the gap since its first and the status answered: a sender's retry schedule.
  inbox rotate ID [--secret S] [--overlap SECONDS]
        A new secret (shown once); the previous one keeps verifying for the overlap (default 24 h).
  inbox forward ID --to URL [--events E[,E…]] [--path-rewrite FROM=>TO] [--pass-back] [--retry S,S…]
        Pass each capture on to a local URL (as smee-client or stripe listen --forward-to do): the exact
        bytes, method, path after the inbox address (rewritten) and query, and headers. Failures are retried
        (default 1, 5, 30, 120, 600, 1800, 3600 s). --pass-back: the sender gets this target's answer
        (within 9 s, else the inbox's own). Again with the same URL changes it.
  inbox forward ID --remove URL    Stop forwarding there; "delivery show ID" shows each target's answer.
  inbox captures ID [--event E] [--verdict V] [--limit N] [--cursor C] [--all]
        Newest first (a page of 50); --event matches part of the event name, --verdict valid|invalid|
        missing|unchecked. "delivery show ID" shows one in full, headers and raw body.

Tunnel (smee):
  tunnel create [--server URL]     Create a smee channel (default https://smee.io) and point hook URLs at it;
                                   a running serve connects within seconds. Lists every hook URL that changes:
                                   managed hooks are updated on GitHub/GitLab, the others are to be repasted.
  tunnel status                    Connected, reconnecting, stalled…; last event and ping, last error, and the
                                   gaps: when no stream was read, which hooks could have lost deliveries, what to do.
  tunnel catch-up                  After gaps: catch-up (redeliver, reconcile tags) for packages managed through a
                                   connection; for the others, where to redeliver at the provider.
  tunnel connect | tunnel disconnect   Turn the tunnel on or off (a running serve follows); hook URLs stay
                                   on the channel, and what is sent to it while off is lost.
  tunnel remove                    Forget the channel and go back to direct hook URLs (the public URL, or the
                                   receiver's address), updating managed hooks upstream and listing the others.

Replay, fixtures, export and import:
  replay ID [--to URL | --package P | --inbox I] [--mode exact|resign|edit] [--dialect D] [--secret S] [--new-id]
            [--body-file F] [--header 'K: V' …] [--dry-run]
        Send a delivery (ID), an attempt (attempt:ID) or a fixture (fixture:ID) again: exact bytes, re-signed
        (fresh timestamp), or edited then signed. Without --to it goes into this Hookbench's own receiver,
        signed with the package's secret; keep the delivery id to test dedupe, or --new-id. An inbox capture
        keeps its method and path: back into its inbox (or --inbox I), or after the --to URL's own path.
        --dry-run prints the exact request instead of sending it.
  fixture save ID --name N | fixture save --library KEY [--name N] | fixture list | fixture library
  fixture show ID [--reveal] | fixture remove ID
  fixture fire ID (--endpoint E | --to URL | --package P | --inbox I) [--mode exact|resign] [--secret S] [--dialect D] [--dry-run]
        A fixture saved from an inbox capture goes with its method and path (after the --to URL's own, or into the inbox).
  export --format har|curl|json [--ids 1,2,… | --package P] [--out F]
        Secrets never leave (GitLab tokens are redacted); signatures stay as received.
  import FILE      A HAR file or a Hookbench bundle, read a record at a time; checked whole first, nothing imported on an
                   error or Ctrl+C; records an earlier import stored are left out.

Secrets:
  secrets reset    After the key file (secret.key in the data dir) was lost: new secrets for every package hook,
                   endpoint and inbox it no longer opens (shown once), and connections whose tokens are lost are removed.
                   Restoring the key file from a backup instead keeps every secret. Until one or the other, serve
                   and every command that signs or verifies refuse to start.
                   --database postgres://… with HOOKBENCH_SECRET_KEY=NEW: a team server's database, whose instances
                   refuse to start while their key does not open the team's secrets.
  secrets rotate-key
                   Re-seal every stored secret with a new key, a slice at a time (killed midway, every
                   secret still opens; run it again to finish). Key file: the new key replaces it, the old
                   one is kept as secret.key.previous for older backups; other processes on the data dir
                   must be stopped. Shared key: set HOOKBENCH_SECRET_KEY=NEW,OLD everywhere, then run it.
                   --database postgres://… (or HOOKBENCH_DATABASE_URL): a team server's database, while
                   its instances (restarted with NEW,OLD) keep running; then drop OLD everywhere.
                   The key comes from $HOOKBENCH_SECRET_KEY (base64 of 32 bytes, shared by every instance),
                   else the file $HOOKBENCH_SECRET_KEY_FILE, else secret.key in the data dir.

Access (a shared server):
  token create --name N --role viewer|operator|admin
                   A named API token, shown once (only its hash is kept). viewer reads; operator also
                   replays, resends, triggers, fires and saves fixtures, imports; admin does everything.
  token list | token revoke NAME
  audit [--limit N]
                   Every change and every refused token: who, what (method and target id), when, from where.
                   token and audit take [--database postgres://…] (or HOOKBENCH_DATABASE_URL): a team
                   server's database; a token revoked there opens nothing on any instance within 1 s.
  login --server URL --token T | logout --server URL
                   Save (or forget) a token for a server, in a file readable by you only.

Storage:
  status           Database, WAL and body sizes; counts by kind; oldest rows; free space (warned below
                   1 GiB or 5 %); the last backup; the retention policy and what it removes next.
  retention show
  retention set [--package P | --inbox I | --endpoint E] [--days N] [--max-deliveries N] [--max-mb N]
                [--forever] [--inherit]
        Keep N days, at most N deliveries (for an endpoint: messages), at most N MB of bodies; the global
        policy (no scope) applies to each package, inbox and endpoint without an override. An override's
        unset limits follow the global policy; --forever keeps everything, --inherit drops the override.
        Deliveries marked keep, saved as a fixture or linked to a release are never pruned. Default: forever.
  prune [--dry-run]
        Apply the policy now (serve also does, every 10 minutes): counts and bytes per package, inbox and
        endpoint; --dry-run only shows what would go. Small transactions; freed space goes back to the volume.
  backup --out FILE
        A consistent copy of the database, taken while serve runs (a reader: nothing waits for it), checked
        and written as one file; never overwrites FILE. Secrets stay sealed: it names the key file they need
        (by its sha256 fingerprint) to keep beside it.
  restore FILE [--data-dir DIR]
        Check a backup (integrity, schema) and copy it into an empty data dir (it may hold only secret.key,
        which must then be the right key); an older schema is migrated. Says where the key file comes from.
  migrate --from DATA_DIR --to postgres://USER@HOST/DATABASE [--replace] [--key-file FILE]
        Move a workspace onto a team server's PostgreSQL database: every table, every body byte for byte, pending
        sends and retries, secrets opened with DATA_DIR's key and sealed with the server's ($HOOKBENCH_SECRET_KEY,
        else --key-file, else $HOOKBENCH_SECRET_KEY_FILE). The data dir is read as one snapshot and never changed
        (serve may keep running). One transaction: a failure or Ctrl+C leaves the server as it was. A server that
        holds data is refused unless --replace (emptied first). Prints rows on both sides and body digests; exit 1
        on any difference.

Signatures (no data dir needed):
  sign --dialect D --secret S --body-file F [--timestamp T] [--id I] [--event E] [--url URL]
        Print the headers (and a cURL command) that sign the body in that dialect. --timestamp is
        Unix seconds; for repsy it may also be the ISO 8601 text of a captured request, signed as given.
  verify --headers-file H --body-file F [--secret S …] [--dialect D]
        Explain whether and why the signature verifies: the signed bytes, expected vs received,
        the cause and the fix. Exit code 1 unless valid. Headers: JSON, or "Name: value" lines.

Dialects: github, gitlab, privato, repsy, sigmagit, standard-webhooks, stripe, slack, shopify, gitea.

Options for every command:
  --data-dir DIR   Where Hookbench keeps its database and key (default: $HOOKBENCH_DATA_DIR,
                   else the OS convention, e.g. ~/.local/share/hookbench).
  --json           Print machine-readable JSON.
  --server URL     Talk to a running Hookbench server instead of a data dir (default: $HOOKBENCH_SERVER),
                   with the token from $HOOKBENCH_TOKEN or the one saved by login. (tunnel create --server
                   still names a smee server.)
  -h, --help       Show this help.

Outcomes: pending, ingested, duplicate, ignored, skipped, rejected, ping, tag_deleted.
`;
