import { SEARCH_WORD_TOO_SHORT_MESSAGE, type UserListItem, type UserSort } from "@userstream/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { listPublicUsers, listUsers } from "./users-service";
import { setupTestDatabase } from "./testing";

const BASE_TIME = Date.parse("2026-01-01T00:00:00.000Z");

const PEOPLE = [
  ["Ada", "Lovelace", "ada@analytical.example"],
  ["Grace", "Hopper", "grace@navy.example"],
  ["Alan", "Turing", "alan@bletchley.example"],
  ["Katherine", "Johnson", "kj@nasa.example"],
  ["Margaret", "Hamilton", "margaret@apollo.example"],
  ["Edsger", "Dijkstra", "ewd@eindhoven.example"],
  ["Barbara", "Liskov", "liskov@mit.example"],
] as const;

describe("listUsers and listPublicUsers against PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_test");

  beforeAll(async () => {
    const people = PEOPLE;
    await database.db.user.createMany({
      data: people.map(([firstName, lastName, email], index) => ({
        registrationId: crypto.randomUUID(),
        firstName,
        lastName,
        email,
        // Three share one timestamp, so the id tie-breaker is exercised across page boundaries.
        createdAt: new Date(BASE_TIME + Math.min(index, 4) * 60_000),
        emailVerifiedAt: index === 0 ? new Date(BASE_TIME) : null,
      })),
    });
  });

  async function allPages(limit: number, search?: string, sort?: UserSort): Promise<UserListItem[][]> {
    const pages: UserListItem[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listUsers({ search, sort, cursor, limit }, { db: database.db });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it("lists newest first with the total and the exposed fields only", async () => {
    const page = await listUsers({}, { db: database.db });
    expect(page.total).toBe(7);
    expect(page.totalIsEstimate).toBe(false);
    expect(page.nextCursor).toBeNull();
    for (const [newer, older] of page.items.slice(0, -1).map((user, i) => [user, page.items[i + 1]!] as const)) {
      const inOrder = newer.createdAt > older.createdAt || (newer.createdAt === older.createdAt && newer.id > older.id);
      expect(inOrder, `${newer.lastName} before ${older.lastName}`).toBe(true);
    }
    const ada = page.items.find((user) => user.firstName === "Ada");
    expect(ada).toEqual({
      id: expect.any(String),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@analytical.example",
      emailVerified: true,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });

  it.each([1, 2, 3, 7])("pages of %i neither overlap nor skip", async (limit) => {
    const pages = await allPages(limit);
    const ids = pages.flat().map((user) => user.id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual((await listUsers({ limit: 100 }, { db: database.db })).items.map((user) => user.id));
    expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
  });

  it("searches first name, last name and email case-insensitively, with the matching total", async () => {
    const byFirstName = await listUsers({ search: "gRaC" }, { db: database.db });
    expect(byFirstName.items.map((user) => user.lastName)).toEqual(["Hopper"]);
    expect(byFirstName).toMatchObject({ total: 1, totalIsEstimate: false });

    const byLastName = await listUsers({ search: "  ham " }, { db: database.db });
    expect(byLastName.items.map((user) => user.lastName)).toEqual(["Hamilton"]);

    const byEmail = await listUsers({ search: "NASA.EX" }, { db: database.db });
    expect(byEmail.items.map((user) => user.lastName)).toEqual(["Johnson"]);

    // Several matches, paged one at a time: the search holds across pages.
    const several = await allPages(1, "ace");
    expect(
      several
        .flat()
        .map((user) => user.firstName)
        .sort(),
    ).toEqual(["Ada", "Grace"]);
    expect((await listUsers({ search: "ace", limit: 1 }, { db: database.db })).total).toBe(2);
  });

  it("finds a person by several words of their name, each matching some field", async () => {
    expect((await listUsers({ search: "ada love" }, { db: database.db })).items.map((user) => user.email)).toEqual([
      "ada@analytical.example",
    ]);
    expect((await listUsers({ search: "hopper navy" }, { db: database.db })).items.map((user) => user.lastName)).toEqual([
      "Hopper",
    ]);
    expect((await listUsers({ search: "ada hopper" }, { db: database.db })).total).toBe(0);
  });

  it.each<[UserSort, string[]]>([
    ["last_name_asc", ["Dijkstra", "Hamilton", "Hopper", "Johnson", "Liskov", "Lovelace", "Turing"]],
    ["last_name_desc", ["Turing", "Lovelace", "Liskov", "Johnson", "Hopper", "Hamilton", "Dijkstra"]],
    ["email_asc", ["Lovelace", "Turing", "Dijkstra", "Hopper", "Johnson", "Liskov", "Hamilton"]],
    ["email_desc", ["Hamilton", "Liskov", "Johnson", "Hopper", "Dijkstra", "Turing", "Lovelace"]],
  ])("sorts by %s, in pages of 2 that neither overlap nor skip", async (sort, lastNames) => {
    const pages = await allPages(2, undefined, sort);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat().map((user) => user.lastName)).toEqual(lastNames);
  });

  it("sorts oldest first as the exact reverse of newest first, ties included", async () => {
    const newest = (await allPages(3, undefined, "created_desc")).flat().map((user) => user.id);
    const oldest = (await allPages(3, undefined, "created_asc")).flat().map((user) => user.id);
    expect(oldest).toEqual([...newest].reverse());
  });

  it("refuses a cursor made for another order", async () => {
    const { nextCursor } = await listUsers({ sort: "email_asc", limit: 1 }, { db: database.db });
    await expect(listUsers({ sort: "last_name_asc", cursor: nextCursor }, { db: database.db })).rejects.toBeInstanceOf(ZodError);
  });

  it("treats LIKE wildcards in the search as plain characters", async () => {
    expect((await listUsers({ search: "%%%" }, { db: database.db })).total).toBe(0);
    expect((await listUsers({ search: "___" }, { db: database.db })).total).toBe(0);
    expect((await listUsers({ search: "\\\\\\" }, { db: database.db })).total).toBe(0);
    expect((await listUsers({ search: "a_a" }, { db: database.db })).total).toBe(0);
  });

  it("rejects a forged cursor and an out-of-range limit", async () => {
    await expect(listUsers({ cursor: "bm90LWEtY3Vyc29y" }, { db: database.db })).rejects.toBeInstanceOf(ZodError);
    await expect(listUsers({ limit: 0 }, { db: database.db })).rejects.toBeInstanceOf(ZodError);
    await expect(listUsers({ limit: 101 }, { db: database.db })).rejects.toBeInstanceOf(ZodError);
  });

  it("refuses a search word shorter than 3 characters with a message on `search`, in both lists", async () => {
    for (const list of [listUsers, listPublicUsers]) {
      for (const search of ["ad", "ada lo", "%"]) {
        const refusal = await list({ search }, { db: database.db }).then(
          () => null,
          (error: unknown) => error,
        );
        expect(refusal, search).toBeInstanceOf(ZodError);
        expect((refusal as ZodError).issues).toEqual([
          expect.objectContaining({ path: ["search"], message: SEARCH_WORD_TOO_SHORT_MESSAGE }),
        ]);
      }
    }
  });

  it("shows anyone names and masked addresses, never an address, in no field and no cursor", async () => {
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await listPublicUsers({ cursor, limit: 2 }, { db: database.db });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);
    const items = pages.flatMap((page) => page.items);
    expect(items.map((user) => user.id)).toEqual((await listUsers({}, { db: database.db })).items.map((user) => user.id));
    expect(items.find((user) => user.firstName === "Ada")).toEqual({
      id: expect.any(String),
      firstName: "Ada",
      lastName: "Lovelace",
      maskedEmail: "a•••@a•••.example",
      emailVerified: true,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    const everything =
      JSON.stringify(pages) + pages.map((page) => Buffer.from(page.nextCursor ?? "", "base64url").toString()).join();
    for (const [, , email] of PEOPLE) {
      expect(everything).not.toContain(email);
      // Nor the domain: the masked form keeps its first letter and last label only.
      expect(everything).not.toContain(email.split("@")[1]);
    }
  });

  it("searches anyone's list by name only: an address or a part only an address holds finds nobody", async () => {
    expect((await listPublicUsers({ search: "ada@analytical.example" }, { db: database.db })).total).toBe(0);
    expect((await listPublicUsers({ search: "nasa" }, { db: database.db })).total).toBe(0);
    expect((await listUsers({ search: "nasa" }, { db: database.db })).total).toBe(1);
    const byName = await listPublicUsers({ search: "ada love" }, { db: database.db });
    expect(byName.items.map((user) => [user.lastName, user.maskedEmail])).toEqual([["Lovelace", "a•••@a•••.example"]]);
    expect((await listPublicUsers({ search: "ace" }, { db: database.db })).total).toBe(2);
  });

  it("offers anyone the orders by date and name, not by email", async () => {
    const byName = await listPublicUsers({ sort: "last_name_asc", limit: 3 }, { db: database.db });
    expect(byName.items.map((user) => user.lastName)).toEqual(["Dijkstra", "Hamilton", "Hopper"]);
    const next = await listPublicUsers({ sort: "last_name_asc", cursor: byName.nextCursor, limit: 3 }, { db: database.db });
    expect(next.items.map((user) => user.lastName)).toEqual(["Johnson", "Liskov", "Lovelace"]);
    for (const sort of ["email_asc", "email_desc"]) {
      await expect(listPublicUsers({ sort: sort as "created_desc" }, { db: database.db })).rejects.toBeInstanceOf(ZodError);
    }
  });
});
