import { describe, expect, it } from "vitest";
import { parseTopology, type TopologyInput } from "pgha/config";
import { base } from "pgha/config/testInvalid";
import { cloudSettingsIssues } from "./cloudSettings";

const topology = (edit: (t: TopologyInput) => void = () => undefined) => {
  const t = structuredClone(base());
  edit(t);
  return parseTopology(t);
};

describe("pgha:cloud settings in a stack file", () => {
  it("needs a yandex boot image for the stack's OS, naming the key and the image family", () => {
    expect(cloudSettingsIssues(topology(), undefined)).toEqual([
      {
        path: "pgha:cloud.imageIds.debian-13",
        message: expect.stringMatching(/^is required on yandex: .*or pgha:cloud\.imageId; .*get-latest-from-family debian-13/),
      },
    ]);
    const ubuntu = topology((t) => (t.platform.os = "ubuntu-24.04"));
    expect(cloudSettingsIssues(ubuntu, { imageIds: { "debian-13": "fd8a" } }).map((i) => i.path)).toEqual([
      "pgha:cloud.imageIds.ubuntu-24.04",
    ]);
  });

  it.each([
    ["one id for every VM", { imageId: "fd8a" }],
    ["an id per OS", { imageIds: { "debian-13": "fd8a" } }],
    ["an encrypted id", { imageId: { secure: "v1:abc" } }],
  ])("accepts %s", (_title, cloud) => expect(cloudSettingsIssues(topology(), cloud)).toEqual([]));

  it("refuses malformed values with their paths", () => {
    expect(cloudSettingsIssues(topology(), "fd8a")).toEqual([{ path: "pgha:cloud", message: expect.stringMatching(/must be a map/) }]);
    expect(cloudSettingsIssues(topology(), { imageId: "fd8a", imageIds: { "debian-14": "x", "debian-12": "" } })).toEqual([
      { path: "pgha:cloud.imageIds.debian-14", message: expect.stringMatching(/^unknown OS 'debian-14'/) },
      { path: "pgha:cloud.imageIds.debian-12", message: "must be a boot image id (a non-empty string)" },
    ]);
  });

  it("refuses yandex image settings on other platforms, where they would be ignored", () => {
    const local = topology((t) => {
      t.platform.kind = "local";
      t.subnets.forEach((s) => delete s.zone);
    });
    expect(cloudSettingsIssues(local, {})).toEqual([]);
    expect(cloudSettingsIssues(local, { imageId: "fd8a" })).toEqual([
      { path: "pgha:cloud.imageId", message: expect.stringMatching(/^is a yandex setting; local takes its images from platform\.os/) },
    ]);
  });
});
