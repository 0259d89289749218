// The limit the receiver is measured against: the plainest batched consumer that keeps the same
// guarantee (ack after commit). Raw amqplib and pg, prefetch 200, one multi-row INSERT per batch,
// one ack for the batch. No validation, no registration records, no welcome emails.
import { connect, type ConsumeMessage } from "amqplib";
import pg from "pg";

const [amqpUrl, databaseUrl] = process.argv.slice(2) as [string, string];
const PREFETCH = 200;
const LINGER_MS = 5;

const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const connection = await connect(amqpUrl);
const channel = await connection.createChannel();
await channel.prefetch(PREFETCH);

let pending: ConsumeMessage[] = [];
let timer: NodeJS.Timeout | undefined;
let running = Promise.resolve();

async function store(batch: ConsumeMessage[]) {
  const values: string[] = [];
  const params: string[] = [];
  for (const message of batch) {
    const { payload } = JSON.parse(message.content.toString()) as { payload: Record<string, string> };
    const n = params.length;
    values.push(`($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, now())`);
    params.push(payload.registrationId ?? "", payload.firstName ?? "", payload.lastName ?? "", payload.email ?? "");
  }
  await db.query(
    `INSERT INTO users (registration_id, first_name, last_name, email, updated_at) VALUES ${values.join(",")} ON CONFLICT DO NOTHING`,
    params,
  );
  channel.ack(batch.at(-1) as ConsumeMessage, true);
}

function flush() {
  clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  pending = [];
  if (batch.length > 0) running = running.then(() => store(batch));
}

const { consumerTag } = await channel.consume("user.registration", (message) => {
  if (!message) return;
  pending.push(message);
  if (pending.length >= PREFETCH) flush();
  else timer ??= setTimeout(flush, LINGER_MS);
});

process.once("SIGTERM", async () => {
  await channel.cancel(consumerTag);
  flush();
  await running;
  await connection.close();
  await db.end();
  process.exit(0);
});
