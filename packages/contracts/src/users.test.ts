import { describe, expect, it } from "vitest";
import { SEARCH_WORD_TOO_SHORT_MESSAGE, UserSearchSchema, maskEmail, userSearchProblem } from "./users";

describe("maskEmail", () => {
  it.each([
    ["ada.lovelace@analytical.example", "a•••@a•••.example"],
    ["kj@nasa.gov", "k•••@n•••.gov"],
    ["x@mail.example.co.uk", "x•••@m•••.uk"],
    ["zoë@ødegård.no", "z•••@ø•••.no"],
  ])("shows %s as %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it("keeps neither the local part nor the domain name, nor their lengths", () => {
    const masked = [maskEmail("grace.hopper@navy.example"), maskEmail("g@n.example")];
    expect(masked[0]).toBe(masked[1]);
    for (const part of ["grace", "hopper", "navy"]) expect(masked[0]).not.toContain(part);
  });
});

describe("UserSearchSchema", () => {
  it.each(["", "   ", "ada", " ada  lovelace ", "小林一", "a_b"])("accepts %j", (search) => {
    expect(UserSearchSchema.safeParse(search).success).toBe(true);
    expect(userSearchProblem(search)).toBeUndefined();
  });

  it.each(["ad", "ada lo", "l", "%", "小林", "de la cruz"])("refuses %j: a word shorter than 3 characters", (search) => {
    expect(userSearchProblem(search)).toBe(SEARCH_WORD_TOO_SHORT_MESSAGE);
  });

  it("refuses a search over 100 characters and trims the rest", () => {
    expect(userSearchProblem("a".repeat(101))).toBe("Search must be at most 100 characters");
    expect(UserSearchSchema.parse("  ada  ")).toBe("ada");
  });
});
