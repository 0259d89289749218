/** The compose files read by compose itself (without an engine): services, ports, volumes, networks, health checks. */
import { describe, expect, it } from "vitest";
import { APP_SERVICES, COMBINATIONS, composeConfig, ports, useComposeConfigs } from "./compose-support";
import { dockerStage } from "./dockerfiles";

describe.each(Object.entries(COMBINATIONS))("docker-compose config (%s)", (_, combination) => {
  it("is a valid compose file", async () => {
    const profile = "profile" in combination ? combination.profile : undefined;
    await expect(composeConfig(combination.files, combination.env, profile, true)).resolves.toBeDefined();
  });
});

describe("the compose deployment", () => {
  const configs = useComposeConfigs();

  it("runs the seed's services, a mail catcher and a one-shot migration", () => {
    expect(Object.keys(configs.dev.services).sort()).toEqual(
      ["api", "mailpit", "migrate", "postgres", "rabbitmq", "receiver", "reporter", "sender", "web"].sort(),
    );
    expect(configs.dev.services.web?.build?.dockerfile).toBe("apps/web/Dockerfile");
    expect(configs.dev.services.api?.build?.dockerfile).toBe("apps/web/Dockerfile");
    expect(configs.dev.services.api?.build?.target).toBe("api");
    for (const role of ["receiver", "sender", "reporter"]) {
      expect(configs.dev.services[role]?.build?.dockerfile).toBe("apps/workers/Dockerfile");
      expect(configs.dev.services[role]?.command).toEqual([role]);
    }
    expect(configs.dev.services.migrate?.build?.target).toBe("migrate");
  });

  it("in development publishes the seed's ports on the host's loopback; the scaled receiver and sender on ephemeral ports", () => {
    const published = (name: string) =>
      ports(configs.dev.services[name] ?? {}).map((port) => `${port.published ?? "-"}:${port.target}`);
    expect(published("web")).toEqual(["3000:3000"]);
    expect(published("api")).toEqual(["8083:8083"]);
    expect(published("reporter")).toEqual(["8084:8084"]);
    expect(published("rabbitmq").sort()).toEqual(["15672:15672", "5672:5672"]);
    expect(published("postgres")).toEqual(["5432:5432"]);
    // `--scale receiver=3 --scale sender=2` needs no fixed host port and no fixed container name.
    expect(published("receiver")).toEqual(["-:8081"]);
    expect(published("sender")).toEqual(["-:8082"]);
    for (const name of ["receiver", "sender"]) expect(configs.dev.services[name]?.container_name).toBeUndefined();
    // Every port is reachable from the host's loopback only: the local trial runs with the
    // published development secrets (USERSTREAM_LOCAL_TRIAL), which production clears.
    for (const [name, service] of Object.entries(configs.dev.services)) {
      for (const port of ports(service)) expect(`${name} ${port.host}`).toBe(`${name} 127.0.0.1`);
    }
    for (const name of ["web", "api", "sender"])
      expect(configs.dev.services[name]?.environment?.USERSTREAM_LOCAL_TRIAL).toBe("1");
  });

  it("in production publishes the web and the API on loopback only, for the reverse proxy; no database, broker or metrics port", () => {
    const published = Object.entries(configs.prod.services)
      .filter(([, service]) => !service.profiles?.includes("dev"))
      .flatMap(([name, service]) => ports(service).map((port) => `${name} ${port.host}:${port.published}:${port.target}`));
    expect(published.sort()).toEqual(["api 127.0.0.1:8083:8083", "web 127.0.0.1:3000:3000"]);
    // The forwarded client address is believed from the proxies named, never by counting hops.
    for (const config of [configs.dev, configs.prod]) {
      for (const name of ["web", "api"]) {
        expect(config.services[name]?.environment, name).toHaveProperty("TRUSTED_PROXIES");
        expect(config.services[name]?.environment, name).not.toHaveProperty("TRUSTED_PROXY_HOPS");
      }
    }
    expect(configs.prod.services.web?.environment?.TRUSTED_PROXIES).toBe("");
  });

  it("gives the web and the sender one setting for private webhook targets, refused unless set, in both files", () => {
    for (const config of [configs.dev, configs.prod]) {
      for (const name of ["web", "sender"])
        expect(config.services[name]?.environment?.WEBHOOK_ALLOW_PRIVATE_TARGETS, name).toBe("false");
      expect(config.services.sender?.environment?.WEBHOOK_DISABLE_AFTER_FAILURES).toBe("20");
    }
  });

  it("keeps data in the three named volumes", () => {
    expect(Object.keys(configs.dev.volumes).sort()).toEqual(["postgres_data", "rabbitmq_data", "reports_data"]);
    expect(configs.dev.services.postgres?.volumes).toContainEqual(
      expect.stringMatching(/^postgres_data:\/var\/lib\/postgresql\/data/),
    );
    expect(configs.dev.services.rabbitmq?.volumes).toContainEqual(expect.stringMatching(/^rabbitmq_data:\/var\/lib\/rabbitmq/));
    // The reporter writes the reports where the web (and the API instance) serve them from.
    for (const name of ["reporter", "web", "api"]) {
      expect(configs.dev.services[name]?.volumes).toContainEqual(expect.stringMatching(/^reports_data:\/data\/reports/));
      expect(configs.dev.services[name]?.environment?.REPORTS_DIR).toBe("/data/reports");
    }
  });

  it("puts every service on userstream-network", () => {
    expect(configs.dev.networks["userstream-network"]?.name).toBe("userstream-network");
    for (const [name, service] of Object.entries(configs.dev.services)) {
      expect(Object.keys(service.networks ?? {}), name).toEqual(["userstream-network"]);
    }
  });

  it("runs every app service from built JavaScript with plain node, never through tsx", () => {
    for (const name of APP_SERVICES) {
      const build = configs.dev.services[name]?.build;
      if (!build) throw new Error(`${name} has no build`);
      const stage = dockerStage(build.dockerfile, build.target);
      // The command (or the entry point that picks the role) starts node, or sh on the entry point.
      expect(stage, name).toMatch(
        /^(ENTRYPOINT|CMD) \["(node|sh)", "(dist\/[\w-]+\.mjs|docker\/entrypoint\.sh|apps\/web\/server\.js)"\]/m,
      );
      expect(stage, name).not.toMatch(/\btsx\b/);
    }
  });

  it("has a health check for every long-running service, and the app waits for healthy dependencies and migrations", () => {
    for (const name of ["postgres", "rabbitmq", "mailpit"])
      expect(configs.dev.services[name]?.healthcheck?.test, name).toBeDefined();
    for (const name of ["web", "api", "receiver", "sender", "reporter"]) {
      const service = configs.dev.services[name];
      const build = service?.build;
      if (!build) throw new Error(`${name} has no build`);
      expect(dockerStage(build.dockerfile, build.target), name).toMatch(/^HEALTHCHECK [^\n]*(\\\n[^\n]*)*CMD \[/m);
      expect(service.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        rabbitmq: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
    expect(configs.dev.services.migrate?.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });
});
