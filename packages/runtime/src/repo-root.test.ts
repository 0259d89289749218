import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "./load-env-files.mjs";
import { resolveFromRepoRoot } from "./repo-root";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");

describe("resolveFromRepoRoot", () => {
  it("resolves relative folders from the repository root, wherever the process runs in it", () => {
    const webDir = path.join(repoRoot, "apps", "web");
    expect(findRepoRoot(webDir)).toBe(repoRoot);
    expect(resolveFromRepoRoot("./reports", webDir)).toBe(path.join(repoRoot, "reports"));
    expect(resolveFromRepoRoot("reports", path.join(repoRoot, "apps", "workers"))).toBe(path.join(repoRoot, "reports"));
  });

  it("keeps absolute folders, and outside a repository resolves from where it runs", () => {
    expect(resolveFromRepoRoot("/var/lib/userstream/reports/", repoRoot)).toBe("/var/lib/userstream/reports/");
    const outside = mkdtempSync(path.join(tmpdir(), "userstream-no-repo-"));
    try {
      expect(resolveFromRepoRoot("./reports", outside)).toBe(path.join(outside, "reports"));
    } finally {
      rmSync(outside, { recursive: true });
    }
  });
});
