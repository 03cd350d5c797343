import { describe, expect, it } from "vitest";
import { requestsForFiles } from "./requestFigures.js";

describe("requestsForFiles", () => {
  it("shows requests against files, singular where there is one", () => {
    expect(requestsForFiles({ requests: 2, files: 41 })).toBe("2 requests for 41 files");
    expect(requestsForFiles({ requests: 1, files: 1 })).toBe("1 request for 1 file");
    expect(requestsForFiles({ requests: 3, files: 0 })).toBe("3 requests for 0 files");
  });

  it("is null when the backend does not count", () => {
    expect(requestsForFiles({})).toBeNull();
    expect(requestsForFiles({ requests: 1 })).toBeNull();
  });
});
