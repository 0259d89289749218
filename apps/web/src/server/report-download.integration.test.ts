import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PrismaClient } from "@userstream/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionCookieName, type AdminAuthConfig } from "./auth/admin-auth";
import { endAdminSession, startAdminSession } from "./auth/admin-sessions";
import { reportFilePath, serveReportDownload, type ReportDownloadDeps } from "./report-download";
import { setupTestDatabase } from "./testing";

const CSV = '"id","email"\n"1","ada@example.com"\n';
const SECRET_TEXT = "root:x:0:0:do not serve me";

describe("GET /api/admin/reports/{id}/download (serveReportDownload)", () => {
  const database = setupTestDatabase("userstream_web_download");
  let root: string;
  let reportsDir: string;
  let deps: ReportDownloadDeps;
  let findUnique: ReturnType<typeof vi.fn>;
  const auth: AdminAuthConfig = {
    adminEmail: "admin@example.com",
    passwordHash: "unused here",
    sessionSecret: "a-test-session-secret-of-at-least-32-characters",
    sessionTtlHours: 8,
    sessionIdleMinutes: 30,
    secureCookie: true,
  };
  let adminCookie: string;
  /** The Cookie header of a new session, signed in `at` as `email`. */
  const sessionCookie = async (email = auth.adminEmail, at = new Date()) =>
    `${sessionCookieName(auth)}=${(await startAdminSession(database.db, { ...auth, adminEmail: email }, at)).token}`;

  beforeAll(async () => {
    adminCookie = await sessionCookie();
    // REPORTS_DIR inside a folder that also holds a file outside it, which must never be served.
    root = await mkdtemp(path.join(tmpdir(), "userstream-download-"));
    reportsDir = path.join(root, "reports");
    await mkdir(reportsDir);
    await writeFile(path.join(root, "x.csv"), SECRET_TEXT);
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await database.db.reportLog.deleteMany();
    // Counts lookups, so a test can tell that a request was refused before anything was read.
    findUnique = vi.fn((args: Parameters<PrismaClient["reportLog"]["findUnique"]>[0]) => database.db.reportLog.findUnique(args));
    deps = {
      db: { reportLog: { findUnique }, adminSession: database.db.adminSession } as unknown as ReportDownloadDeps["db"],
      reportsDir,
      auth,
    };
  });

  function get(id: string, cookie: string | null = adminCookie) {
    const url = `http://127.0.0.1/api/admin/reports/${encodeURIComponent(id)}/download`;
    return serveReportDownload(new Request(url, { headers: cookie ? { cookie } : {} }), id, deps);
  }

  async function succeededReport(fileName: string, content?: string) {
    if (content !== undefined) await writeFile(path.join(reportsDir, fileName), content);
    return database.db.reportLog.create({
      data: {
        kind: "users",
        trigger: "manual",
        status: "succeeded",
        fileName,
        rowCount: 1,
        byteSize: BigInt(content?.length ?? 0),
      },
    });
  }

  it("streams a succeeded report's file with its headers", async () => {
    const report = await succeededReport("report_users_20261128T020000123Z.csv", CSV);
    const response = await get(report.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="report_users_20261128T020000123Z.csv"');
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(CSV)));
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(await response.text()).toBe(CSV);
  });

  it("answers 401 without an admin session, with a forged, expired or signed-out one, or one for another email, before reading anything", async () => {
    const report = await succeededReport("report_users_20261128T020000124Z.csv", CSV);
    const otherAdmin = await sessionCookie("old-admin@example.com");
    const expired = await sessionCookie(auth.adminEmail, new Date(Date.now() - auth.sessionTtlHours * 3_600_000));
    const signedOut = await sessionCookie();
    await endAdminSession(database.db, signedOut.slice(signedOut.indexOf("=") + 1), auth);
    for (const cookie of [null, `${sessionCookieName(auth)}=forged.value`, otherAdmin, expired, signedOut]) {
      const response = await get(report.id, cookie);
      expect(response.status, String(cookie)).toBe(401);
      expect(await response.json()).toEqual({ code: "UNAUTHORIZED", message: "Sign in as an admin to download reports." });
    }
    expect(findUnique).not.toHaveBeenCalled();
  });

  it("answers 404 to ids that are not UUIDs (paths, encoded paths, absolute paths) without reading anything", async () => {
    await succeededReport("report_users_20261128T020000125Z.csv", CSV);
    for (const id of [
      "../../etc/passwd",
      "%2e%2e%2f",
      "..%2F..%2Fetc%2Fpasswd",
      "/etc/passwd",
      path.join(root, "x.csv"),
      "report_users_20261128T020000125Z.csv",
      "",
    ]) {
      const response = await get(id);
      expect(response.status, id).toBe(404);
      expect(await response.json()).toEqual({ code: "NOT_FOUND", message: "No such report file." });
    }
    expect(findUnique).not.toHaveBeenCalled();
  });

  it("answers 404 to an unknown id, and to reports that are not succeeded or have no file", async () => {
    expect((await get(crypto.randomUUID())).status).toBe(404);
    for (const status of ["queued", "running", "failed"] as const) {
      const fileName = `report_users_2026112${["queued", "running", "failed"].indexOf(status)}T000000000Z.csv`;
      await writeFile(path.join(reportsDir, fileName), CSV);
      const row = await database.db.reportLog.create({ data: { kind: "users", trigger: "manual", status, fileName } });
      expect((await get(row.id)).status, status).toBe(404);
    }
    const noFile = await database.db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "succeeded" } });
    expect((await get(noFile.id)).status).toBe(404);
  });

  it("answers 404 when the file is gone (removed by retention)", async () => {
    const report = await succeededReport("report_notifications_20261128T020000126Z.csv");
    expect((await get(report.id)).status).toBe(404);
  });

  it("never serves a file name altered in the database to leave REPORTS_DIR or not be a report's", async () => {
    for (const fileName of [
      "../x.csv",
      "report_users_1.csv/../../x.csv",
      path.join(root, "x.csv"),
      "x.csv",
      "report_users_1.csv\n",
      "report_admins_1.csv",
    ]) {
      await database.db.reportLog.deleteMany();
      const row = await database.db.reportLog.create({
        data: { kind: "users", trigger: "manual", status: "succeeded", fileName },
      });
      const response = await get(row.id);
      expect(response.status, fileName).toBe(404);
      expect(await response.text()).not.toContain(SECRET_TEXT);
    }
  });

  it("does not follow a symbolic link planted in REPORTS_DIR", async () => {
    await symlink(path.join(root, "x.csv"), path.join(reportsDir, "report_users_20261128T020000127Z.csv"));
    const report = await succeededReport("report_users_20261128T020000127Z.csv");
    const response = await get(report.id);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET_TEXT);
  });
});

describe("reportFilePath", () => {
  it("accepts report file names directly inside the folder only", () => {
    expect(reportFilePath("/srv/reports", "report_users_20261128T020000123Z.csv")).toBe(
      "/srv/reports/report_users_20261128T020000123Z.csv",
    );
    expect(reportFilePath("/srv/reports/", "report_notifications_20261128T020000123Z.csv")).toBe(
      "/srv/reports/report_notifications_20261128T020000123Z.csv",
    );
    for (const name of [
      "../report_users_1.csv",
      "/etc/passwd",
      "report_users_1.csv/..",
      "sub/report_users_1.csv",
      "report_users_.csv.exe",
      "report_users_1.CSV",
      "",
    ]) {
      expect(reportFilePath("/srv/reports", name), name).toBeNull();
    }
  });
});
