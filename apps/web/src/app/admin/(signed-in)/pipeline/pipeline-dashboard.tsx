"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable } from "~/app/components/data-table";
import { Alert } from "~/app/components/form-messages";
import { useTRPC } from "~/trpc/react";
import { MinuteChart } from "./minute-chart";
import styles from "./pipeline.module.css";
import { Section } from "../../components/section";

const POLL_MS = 2000;

const KIND_LABELS = { work: "work", retry: "retry", dead: "dead letters" } as const;
const STATE_LABELS = { ready: "Ready", unready: "Not ready", unreachable: "Not reachable" } as const;
const SOURCE_LABELS = {
  management: "RabbitMQ management API",
  amqp: "AMQP passive declares (depth and consumers; rates need the management API)",
  unavailable: "nothing: the broker does not answer",
} as const;

/** `retry after 5 s`: how long a message waits in a delay queue (the workers' RETRY_DELAYS_MS). */
function kindOf(queue: { kind: keyof typeof KIND_LABELS; delayMs?: number }): string {
  if (queue.delayMs === undefined) return KIND_LABELS[queue.kind];
  const ms = queue.delayMs;
  const wait =
    ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
  return `${KIND_LABELS[queue.kind]} after ${wait}`;
}

const QUEUE_COLUMNS = [
  "Queue",
  "Kind",
  ...["Messages", "Consumers", "In", "Out"].map((label) => ({ key: label, label, className: styles.number })),
];

const rate = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)}/s`);
const count = (value: number | null) => (value === null ? "—" : String(value));

/** The live view: refreshed every 2 s while the page is open. */
export function PipelineDashboard() {
  const trpc = useTRPC();
  const snapshot = useQuery(
    trpc.pipeline.snapshot.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.error?.data?.code === "UNAUTHORIZED" ? false : POLL_MS),
    }),
  );
  if (!snapshot.data) {
    return snapshot.isError ? <Alert message={snapshot.error.message} /> : <p>Loading…</p>;
  }
  const data = snapshot.data;
  return (
    <>
      <p className="muted">
        Updated {data.takenAt.toISOString().slice(11, 19)} UTC from {SOURCE_LABELS[data.source]}.{" "}
        <a href={data.managementUiUrl} target="_blank" rel="noreferrer">
          Open the RabbitMQ management UI
        </a>
        {snapshot.isError ? <span role="alert"> Refresh failed: {snapshot.error.message}</span> : null}
      </p>
      {data.sourceError ? <p className="muted">({data.sourceError})</p> : null}

      <Section id="processes-heading" title="Processes">
        <DataTable labelledBy="processes-heading" columns={["Process", "Readiness", "Checks"]}>
          {data.processes.map((process) => (
            <tr key={process.name} data-process={process.name}>
              <th scope="row">{process.name}</th>
              <td className={styles[process.state]} data-state={process.state}>
                {STATE_LABELS[process.state]}
              </td>
              <td className="muted">
                {process.checks
                  ? Object.entries(process.checks)
                      .map(([name, state]) => `${name} ${state}`)
                      .join(", ")
                  : process.url}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="queues-heading" title="Queues">
        <DataTable labelledBy="queues-heading" columns={QUEUE_COLUMNS}>
          {data.queues.map((queue) => (
            <tr key={queue.name} data-queue={queue.name}>
              <th scope="row">{queue.name}</th>
              <td>{kindOf(queue)}</td>
              <td
                className={`${styles.number} ${queue.kind === "dead" && (queue.messages ?? 0) > 0 ? styles.deadWaiting : ""}`}
                data-messages
              >
                {count(queue.messages)}
              </td>
              <td className={styles.number} data-consumers>
                {count(queue.consumers)}
              </td>
              <td className={styles.number}>{rate(queue.inRate)}</td>
              <td className={styles.number}>{rate(queue.outRate)}</td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="rates-heading" title="Per minute (last 30 minutes)">
        <div className={styles.charts}>
          <MinuteChart title="Registrations" values={data.perMinute.registrations} minutes={data.perMinute.minutes} />
          <MinuteChart title="Emails sent" values={data.perMinute.emailsSent} minutes={data.perMinute.minutes} />
          <MinuteChart
            title="Emails failed"
            values={data.perMinute.emailsFailed}
            minutes={data.perMinute.minutes}
            tone="danger"
          />
        </div>
      </Section>
    </>
  );
}
